from multiprocessing import Pool


def square(n):
    return n * n


if __name__ == '__main__':
    pool = Pool(2)
    results = pool.map(square, range(1, 6))
    pool.close()
    pool.join()
    print 'n', '\t', 'n*n'
    for n, result in zip(range(1, 6), results):
        print n, '\t', result
