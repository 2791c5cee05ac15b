from multiprocessing import Pool


def word_length(w):
    return len(w)


if __name__ == '__main__':
    words = ['spam', 'eggs', 'ham', 'bacon', 'sausage']
    pool = Pool(2)
    lengths = pool.map(word_length, words)
    pool.close()
    pool.join()
    total = sum(lengths)
    print 'total length:', total
    print 'average length:', total / len(lengths)
