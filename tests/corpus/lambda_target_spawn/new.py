import multiprocessing
import os

if __name__ == '__main__':
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=lambda: q.put(sum(range(10))))
    p.start()
    print('sum computed in child:', q.get())
    p.join()
    print('child exit code:', p.exitcode)
