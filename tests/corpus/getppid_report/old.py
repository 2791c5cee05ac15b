import os
from multiprocessing import Process


def report(name):
    print '%s: pid %d, started by %d' % (name, os.getpid(), os.getppid())


if __name__ == '__main__':
    print 'main: pid %d' % os.getpid()
    worker = Process(target=report, args=('worker',))
    worker.start()
    worker.join()
