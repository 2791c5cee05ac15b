from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Lock


def greet(lock, n):
    with lock:
        print('hello from job', n)


if __name__ == '__main__':
    lock = Lock()
    with ProcessPoolExecutor(max_workers=3) as executor:
        futures = [executor.submit(greet, lock, n) for n in range(3)]
        for future in futures:
            future.result()
    print('all greeted')
