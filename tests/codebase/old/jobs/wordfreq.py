"""Count the words of standard input, a line per worker."""
import sys
from multiprocessing import Pool


def words(line):
    return line.split()


if __name__ == '__main__':
    counts = {}
    pool = Pool(2)
    for found in pool.map(words, sys.stdin.readlines()):
        for word in found:
            counts[word] = counts.get(word, 0) + 1
    pool.close()
    pool.join()
    for word, count in counts.items():
        print '%s: %d' % (word, count)
