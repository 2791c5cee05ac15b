from multiprocessing import Lock, Process, Value


def deposit(balance, lock, times):
    for i in xrange(times):
        lock.acquire()
        balance.value += 1
        lock.release()


if __name__ == '__main__':
    balance = Value('i', 0, lock=False)
    lock = Lock()
    savers = [Process(target=deposit, args=(balance, lock, 50000)) for i in range(4)]
    for s in savers:
        s.start()
    for s in savers:
        s.join()
    print 'balance', balance.value
