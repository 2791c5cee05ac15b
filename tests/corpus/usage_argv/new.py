import sys
from multiprocessing import Pool


def power(args):
    base, exp = args
    return base ** exp


if __name__ == '__main__':
    if len(sys.argv) != 3:
        print(f'usage: {sys.argv[0]} EXPONENT COUNT')
        sys.exit(1)
    exp, count = int(sys.argv[1]), int(sys.argv[2])
    with Pool(2) as pool:
        print(pool.map(power, [(i, exp) for i in range(count)]))
