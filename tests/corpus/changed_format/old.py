import multiprocessing


def count_vowels(word):
    return word, sum(1 for c in word if c in 'aeiou')


if __name__ == '__main__':
    words = ['multiprocessing', 'queue', 'pipe', 'semaphore']
    pool = multiprocessing.Pool(2)
    for word, n in pool.map(count_vowels, words):
        print '%-16s %2d vowels' % (word, n)
    pool.close()
    pool.join()
