import multiprocessing
import time


def fetch(url):
    time.sleep(0.2)


if __name__ == '__main__':
    p = multiprocessing.Process(target=fetch, name='fetcher', args=('http://example.com/',))
    p.start()
    print('started', p)
    p.join()
    print('finished', p, 'exit code', p.exitcode)
