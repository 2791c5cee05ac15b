import multiprocessing


def fetch(url):
    return len(url)


if __name__ == '__main__':
    urls = ['http://example.com/a', 'http://example.com/bb']
    with multiprocessing.Pool(2) as pool:
        sizes = pool.map(fetch, urls)
    for url, size in zip(urls, sizes):
        print(url, size)
    print("total:", sum(sizes))
