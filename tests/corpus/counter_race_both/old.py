from multiprocessing import Event, Process, Value


def bump(counter, go, times):
    go.wait()
    for i in xrange(times):
        counter.value += 1


if __name__ == '__main__':
    counter = Value('i', 0)
    go = Event()
    workers = [Process(target=bump, args=(counter, go, 50000)) for i in range(4)]
    for w in workers:
        w.start()
    go.set()
    for w in workers:
        w.join()
    print 'expected 200000, counted', counter.value
