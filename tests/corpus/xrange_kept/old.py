from multiprocessing import Pool


def total(n):
    return sum(xrange(n))


if __name__ == '__main__':
    pool = Pool(2)
    totals = pool.map(total, [10, 100])
    pool.close()
    pool.join()
    print 'totals:', totals
