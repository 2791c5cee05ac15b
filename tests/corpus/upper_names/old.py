import os
from multiprocessing import Pool

NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi']


def score(name):
    print '[worker %d] scoring %s' % (os.getpid(), name)
    return len(name) * 10


if __name__ == '__main__':
    pool = Pool(3)
    scores = pool.map(score, NAMES)
    pool.close()
    pool.join()
    for name, points in zip(NAMES, scores):
        print '%s: %d' % (name, points)
    print 'total: %d' % sum(scores)
