from multiprocessing import Process


def greet(i):
    print "hello from", i


if __name__ == '__main__':
    jobs = []
    print "starting:",
    for i in range(3):
        p = Process(target=greet, args=(i,))
        p.start()
        jobs.append(p)
        print i,
    print
    for p in jobs:
        p.join()
    print "done"
