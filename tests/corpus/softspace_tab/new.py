from multiprocessing import Pool


def square(n):
    return n * n


if __name__ == '__main__':
    with Pool(2) as pool:
        results = pool.map(square, range(1, 6))
    print('n', '\t', 'n*n')
    for n, result in zip(range(1, 6), results):
        print(n, '\t', result)
