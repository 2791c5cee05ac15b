from multiprocessing import Process, Queue
import random
import time


def worker(n, q):
    time.sleep(random.random() / 20)
    q.put(n * n)


if __name__ == '__main__':
    q = Queue()
    procs = [Process(target=worker, args=(n, q)) for n in range(5)]
    for p in procs:
        p.start()
    squares = [q.get() for p in procs]
    for p in procs:
        p.join()
    print(sum(squares), squares)
