import multiprocessing
import random


def consumer(queue):
    while True:
        item = queue.get()
        if item is None:
            break
        print("consumed", item)
    print("consumer done")


if __name__ == '__main__':
    queue = multiprocessing.Queue()
    worker = multiprocessing.Process(target=consumer, args=(queue,))
    worker.start()
    for i in range(random.randint(3, 8)):
        item = random.randint(1, 100)
        print("produced", item)
        queue.put(item)
    queue.put(None)
    worker.join()
    print("all done")
