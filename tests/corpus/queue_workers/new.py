import random
import time
from multiprocessing import Process, Queue, current_process


def square(n):
    time.sleep(0.2 * random.random())
    return n * n


def cube(n):
    time.sleep(0.2 * random.random())
    return n * n * n


def worker(tasks, results):
    for func, n in iter(tasks.get, 'STOP'):
        results.put(f'{current_process().name} computed {func.__name__}({n}) = {func(n)}')


if __name__ == '__main__':
    tasks = Queue()
    results = Queue()
    jobs = [(square, n) for n in range(8)] + [(cube, n) for n in range(8)]
    for job in jobs:
        tasks.put(job)
    for i in range(4):
        Process(target=worker, args=(tasks, results)).start()
    print('Unordered results:')
    for i in range(len(jobs)):
        print('\t' + results.get())
    for i in range(4):
        tasks.put('STOP')
