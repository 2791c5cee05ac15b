from multiprocessing import Lock, Process


def greet(lock, n):
    lock.acquire()
    print 'hello from job', n
    lock.release()


if __name__ == '__main__':
    lock = Lock()
    jobs = [Process(target=greet, args=(lock, n)) for n in range(3)]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join()
    print 'all greeted'
