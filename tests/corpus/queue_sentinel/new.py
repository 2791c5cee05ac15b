from multiprocessing import Process, Queue


def producer(q, n):
    for i in range(n):
        q.put(f'item {i}')
    q.put(None)


def consumer(q):
    for item in iter(q.get, None):
        print('consumed', item)


if __name__ == '__main__':
    q = Queue()
    p = Process(target=producer, args=(q, 5))
    c = Process(target=consumer, args=(q,))
    p.start()
    c.start()
    p.join()
    c.join()
    print('done')
