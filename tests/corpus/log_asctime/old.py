import logging
from multiprocessing import Pool


def square(n):
    return n * n


if __name__ == '__main__':
    logging.basicConfig(format='%(asctime)s %(levelname)s %(message)s', level=logging.INFO)
    logging.info('starting the pool')
    pool = Pool(2)
    squares = pool.map(square, range(6))
    pool.close()
    pool.join()
    logging.info('squares: %s', squares)
    logging.warning('done with %d results', len(squares))
