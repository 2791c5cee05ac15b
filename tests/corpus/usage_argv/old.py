import sys
from multiprocessing import Pool


def power(args):
    base, exp = args
    return base ** exp


if __name__ == '__main__':
    if len(sys.argv) != 3:
        print 'usage: %s EXPONENT COUNT' % sys.argv[0]
        sys.exit(1)
    exp, count = int(sys.argv[1]), int(sys.argv[2])
    pool = Pool(2)
    print pool.map(power, [(i, exp) for i in range(count)])
