from multiprocessing import Process


def main():
    def work(n):
        print 'working on job', n

    for i in range(3):
        p = Process(target=work, args=(i,))
        p.start()
        p.join()
    print 'all jobs done'


if __name__ == '__main__':
    main()
