import logging
from multiprocessing import Pool


def square(n):
    return n * n


if __name__ == '__main__':
    logging.basicConfig(format='%(asctime)s %(levelname)s %(message)s', level=logging.INFO)
    logging.info('starting the pool')
    with Pool(2) as pool:
        squares = pool.map(square, range(6))
    logging.info('squares: %s', squares)
    logging.warning('done with %d results', len(squares))
