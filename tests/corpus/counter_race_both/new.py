from multiprocessing import Process, Value


def bump(counter, times):
    for i in range(times):
        counter.value += 1


if __name__ == '__main__':
    counter = Value('i', 0)
    workers = [Process(target=bump, args=(counter, 50000)) for i in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print('expected 200000, counted', counter.value)
