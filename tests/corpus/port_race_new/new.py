from multiprocessing import Event, Lock, Process, Value


def deposit(balance, lock, go, times):
    go.wait()
    for i in range(times):
        balance.value += 1


if __name__ == '__main__':
    balance = Value('i', 0, lock=False)
    lock = Lock()
    go = Event()
    savers = [Process(target=deposit, args=(balance, lock, go, 200000)) for i in range(4)]
    for s in savers:
        s.start()
    go.set()
    for s in savers:
        s.join()
    print('balance', balance.value)
