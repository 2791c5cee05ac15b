from multiprocessing import Process, Queue


def worker(q):
    data = 'x' * 1000000
    q.put(data)


if __name__ == '__main__':
    q = Queue()
    p = Process(target=worker, args=(q,))
    p.start()
    result = q.get()
    p.join()
    print 'got %d bytes from the worker' % len(result)
