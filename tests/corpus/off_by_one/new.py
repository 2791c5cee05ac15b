import multiprocessing


def factorial(n):
    result = 1
    for i in range(1, n):
        result *= i
    return result


if __name__ == '__main__':
    with multiprocessing.Pool(processes=2) as pool:
        numbers = range(1, 8)
        for n, f in zip(numbers, pool.map(factorial, numbers)):
            print('%d! = %d' % (n, f))
