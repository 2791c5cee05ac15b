"""Count the words of standard input, a line per worker."""
import sys
from collections import Counter
from multiprocessing import Pool


def words(line):
    return line.split()


if __name__ == '__main__':
    with Pool(2) as pool:
        counts = Counter(word for found in pool.map(words, sys.stdin.readlines()) for word in found)
    for word, count in counts.items():
        print(f'{word}: {count}')
