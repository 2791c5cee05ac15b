from multiprocessing import Pool

import helper


def work(name):
    return helper.line(name, helper.score(name))


if __name__ == '__main__':
    with Pool(2) as pool:
        for text in pool.map(work, ['alice', 'bob', 'carol', 'dave']):
            print(text)
