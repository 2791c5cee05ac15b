import random
import time
from multiprocessing import Process, Queue


def worker(name, tasks, done_count):
    handled = 0
    while True:
        item = tasks.get()
        if item is None:
            break
        time.sleep(random.random() * 0.02)
    done_count.put((name, handled))


if __name__ == '__main__':
    tasks = Queue()
    counts = Queue()
    for n in range(30):
        tasks.put(n)
    names = ['w0', 'w1', 'w2']
    procs = [Process(target=worker, args=(name, tasks, counts)) for name in names]
    for p in procs:
        p.start()
    for name in names:
        tasks.put(None)
    results = dict(counts.get() for name in names)
    for p in procs:
        p.join()
    for name in names:
        print('%s handled %d items' % (name, results[name]))
