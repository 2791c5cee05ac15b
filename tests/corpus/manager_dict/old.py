from multiprocessing import Process, Manager


def record_length(d, word):
    d[word] = len(word)


if __name__ == '__main__':
    manager = Manager()
    d = manager.dict()

    words = ['apple', 'banana', 'cherry', 'date', 'elderberry']
    jobs = [Process(target=record_length, args=(d, w)) for w in words]
    for j in jobs:
        j.start()
    for j in jobs:
        j.join()

    print d
    print 'total letters:', sum(d.values())
