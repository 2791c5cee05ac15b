import multiprocessing
import random
import time


def square(n, q):
    time.sleep(random.random() * 0.3)
    q.put((n, n * n))


if __name__ == '__main__':
    q = multiprocessing.Queue()
    procs = []
    for i in range(6):
        p = multiprocessing.Process(target=square, args=(i, q))
        p.start()
        procs.append(p)

    for _ in range(6):
        n, sq = q.get()
        print('%d squared is %d' % (n, sq))

    for p in procs:
        p.join()
    print('finished')
