import sys
from multiprocessing import Pool


def count(line):
    return len(line.split())


if __name__ == '__main__':
    lines = sys.stdin.readlines()
    with Pool(2) as pool:
        counts = pool.map(count, lines)
    print(f'{len(lines)} lines, {sum(counts)} words')
