import sys
from multiprocessing import Pool


def count(line):
    return len(line.split())


if __name__ == '__main__':
    lines = sys.stdin.readlines()
    pool = Pool(2)
    counts = pool.map(count, lines)
    pool.close()
    pool.join()
    print '%d lines, %d words' % (len(lines), sum(counts))
