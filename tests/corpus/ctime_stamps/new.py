import datetime
import time
from multiprocessing import Pool


def work(n):
    time.sleep(0.1)
    return '[%s] task %d done' % (time.ctime(), n)


if __name__ == '__main__':
    print('started', datetime.datetime.now())
    with Pool(3) as pool:
        for line in pool.map(work, range(5)):
            print(line)
    print('finished at', time.strftime('%H:%M:%S'))
