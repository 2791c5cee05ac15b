import random
from multiprocessing import Pool


def roll(seed):
    return random.randint(1, 1000000)


if __name__ == '__main__':
    with Pool(2) as pool:
        rolls = pool.map(roll, range(3))
    print('winner:', random.choice(['alice', 'bob', 'carol', 'dave', 'erin', 'frank']))
    print('lucky number', random.randint(1, 1000000))
    print('rolled %d numbers' % len(rolls))
