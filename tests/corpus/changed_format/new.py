import multiprocessing


def count_vowels(word):
    return word, sum(1 for c in word if c in 'aeiou')


if __name__ == '__main__':
    words = ['multiprocessing', 'queue', 'pipe', 'semaphore']
    with multiprocessing.Pool(2) as pool:
        for word, n in pool.map(count_vowels, words):
            print(f'{word}: {n} vowels')
