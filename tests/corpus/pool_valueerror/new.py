from multiprocessing import Pool


def to_int(s):
    return int(s)


if __name__ == '__main__':
    with Pool(2) as pool:
        print(pool.map(to_int, ['1', '2', 'three', '4']))
