from multiprocessing import Pool


def host_of(url):
    return url.split('/')[2]


if __name__ == '__main__':
    urls = ['http://b.example/x', 'http://a.example/y', 'http://b.example/z']
    with Pool(2) as pool:
        hosts = set(pool.map(host_of, urls))
    print('collected', type(hosts), 'of', len(hosts))
    print('hosts:', hosts)
