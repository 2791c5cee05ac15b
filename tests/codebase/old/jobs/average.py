"""The average sale, computed in a worker process."""
import os
import sys
from multiprocessing import Process, Queue

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import read_sales


def average(path, out):
    amounts = [amount for _, amount in read_sales(path)]
    out.put(sum(amounts) / len(amounts))


if __name__ == '__main__':
    out = Queue()
    worker = Process(target=average, args=('data/sales.csv', out))
    worker.start()
    print 'average sale:', out.get()
    worker.join()
