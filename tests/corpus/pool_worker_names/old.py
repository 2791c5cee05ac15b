import multiprocessing
import time


def whoami(n):
    time.sleep(0.2)
    return multiprocessing.current_process().name


if __name__ == '__main__':
    pool = multiprocessing.Pool(2)
    names = pool.map(whoami, range(4), chunksize=1)
    pool.close()
    pool.join()
    print 'tasks ran in:', ', '.join(sorted(set(names)))
