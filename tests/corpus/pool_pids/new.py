import os
from multiprocessing import Pool

NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi']


def score(name):
    print(f'[worker {os.getpid()}] scoring {name}')
    return len(name) * 10


if __name__ == '__main__':
    with Pool(3) as pool:
        scores = pool.map(score, NAMES)
    for name, points in zip(NAMES, scores):
        print(f'{name}: {points}')
    print(f'total: {sum(scores)}')
