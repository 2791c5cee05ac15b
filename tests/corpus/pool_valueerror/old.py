from multiprocessing import Pool


def to_int(s):
    return int(s)


if __name__ == '__main__':
    pool = Pool(2)
    print pool.map(to_int, ['1', '2', 'three', '4'])
