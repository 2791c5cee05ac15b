import random
import time
from multiprocessing import Process


def worker(n):
    time.sleep(random.random() * 0.2)
    if n < 4:
        print('worker %d finished' % n)


if __name__ == '__main__':
    procs = [Process(target=worker, args=(n,)) for n in range(5)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print('all done')
