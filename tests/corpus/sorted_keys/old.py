from multiprocessing import Pool


def length(word):
    return word, len(word)


if __name__ == '__main__':
    pool = Pool(2)
    lengths = dict(pool.map(length, ['pear', 'fig', 'banana']))
    pool.close()
    pool.join()
    words = lengths.keys()
    words.sort()
    for word in words:
        print word, lengths[word]
