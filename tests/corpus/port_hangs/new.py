from multiprocessing import Process, Queue


def worker(q):
    data = 'x' * 1000000
    q.put(data)


if __name__ == '__main__':
    q = Queue()
    p = Process(target=worker, args=(q,))
    p.start()
    p.join()  # wait for the worker to finish before reading its result
    result = q.get()
    print(f'got {len(result)} bytes from the worker')
