import sys
from multiprocessing import Pool


def count_words(line):
    counts = {}
    for word in line.split():
        word = word.lower().strip('.,;:!?')
        counts[word] = counts.get(word, 0) + 1
    return counts


if __name__ == '__main__':
    lines = sys.stdin.readlines()
    pool = Pool(2)
    partial = pool.map(count_words, lines)
    pool.close()
    pool.join()

    total = {}
    for counts in partial:
        for word, n in counts.iteritems():
            total[word] = total.get(word, 0) + n

    for word, n in total.items():
        print '%s: %d' % (word, n)
    print '%d distinct words in %d lines' % (len(total), len(lines))
