import sys
import multiprocessing


def power(pair):
    return pair[0] ** pair[1]


def main():
    if len(sys.argv) < 3:
        print 'usage: %s EXPONENT COUNT' % sys.argv[0]
        sys.exit(1)
    exponent = int(sys.argv[1])
    count = int(sys.argv[2])
    pool = multiprocessing.Pool()
    results = pool.map(power, [(n, exponent) for n in range(count)])
    for n, r in zip(range(count), results):
        print '%d ** %d = %d' % (n, exponent, r)


if __name__ == '__main__':
    main()
