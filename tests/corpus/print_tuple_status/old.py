import multiprocessing


def fetch(url):
    return len(url)


if __name__ == '__main__':
    urls = ['http://example.com/a', 'http://example.com/bb']
    pool = multiprocessing.Pool(2)
    sizes = pool.map(fetch, urls)
    pool.close()
    pool.join()
    for url, size in zip(urls, sizes):
        print(url, size)
    print("total:", sum(sizes))
