import os
from multiprocessing import Process


def task(n):
    print(f'[{os.getpid()}] started task {n}')
    print(f'[{os.getpid()}] task {n} result: {n * 10}')


if __name__ == '__main__':
    print(f'[{os.getpid()}] parent starting workers')
    for n in range(3):
        p = Process(target=task, args=(n,))
        p.start()
        p.join()
    print(f'[{os.getpid()}] parent done')
