import sys
from multiprocessing import Process


def work(n):
    if n == 0:
        sys.exit()
    print 'worked on', n


if __name__ == '__main__':
    jobs = [Process(target=work, args=(n,)) for n in range(3)]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join()
    for n, job in enumerate(jobs):
        print 'job', n, 'exit code', job.exitcode
