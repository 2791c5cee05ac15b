from multiprocessing import Pool


def host_of(url):
    return url.split('/')[2]


if __name__ == '__main__':
    urls = ['http://b.example/x', 'http://a.example/y', 'http://b.example/z']
    pool = Pool(2)
    hosts = set(pool.map(host_of, urls))
    pool.close()
    pool.join()
    print 'collected', type(hosts), 'of', len(hosts)
    print 'hosts:', hosts
