import os
from multiprocessing import Process


def task(n):
    print '[%d] started task %d' % (os.getpid(), n)
    print '[%d] task %d result: %d' % (os.getpid(), n, n * 10)


if __name__ == '__main__':
    print '[%d] parent starting workers' % os.getpid()
    for n in range(3):
        p = Process(target=task, args=(n,))
        p.start()
        p.join()
    print '[%d] parent done' % os.getpid()
