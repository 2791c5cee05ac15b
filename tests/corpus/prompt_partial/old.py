import multiprocessing


def cube(n):
    return n ** 3


if __name__ == '__main__':
    name = raw_input("Your name: ")
    print "Hello,", name
    pool = multiprocessing.Pool(2)
    print "cubes:",
    for result in pool.imap(cube, range(6)):
        print result,
    print
    pool.close()
    pool.join()
    print "bye"
