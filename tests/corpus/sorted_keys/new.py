from multiprocessing import Pool


def length(word):
    return word, len(word)


if __name__ == '__main__':
    with Pool(2) as pool:
        lengths = dict(pool.map(length, ['pear', 'fig', 'banana']))
    words = lengths.keys()
    words.sort()
    for word in words:
        print(word, lengths[word])
