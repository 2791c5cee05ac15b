from multiprocessing import Pool


def word_length(w):
    return len(w)


if __name__ == '__main__':
    words = ['spam', 'eggs', 'ham', 'bacon', 'sausage']
    with Pool(2) as pool:
        lengths = pool.map(word_length, words)
    total = sum(lengths)
    print('total length:', total)
    print('average length:', total / len(lengths))
