from multiprocessing import Pool

import helper


def work(name):
    return helper.line(name, helper.score(name))


if __name__ == '__main__':
    pool = Pool(2)
    for text in pool.map(work, ['alice', 'bob', 'carol', 'dave']):
        print text
    pool.close()
    pool.join()
