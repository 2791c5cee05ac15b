from multiprocessing import Pool


def total(n):
    return sum(xrange(n))


if __name__ == '__main__':
    with Pool(2) as pool:
        totals = pool.map(total, [10, 100])
    print('totals:', totals)
