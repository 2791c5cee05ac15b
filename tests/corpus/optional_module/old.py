from multiprocessing import Pool


def parse(text):
    import ujson
    return ujson.loads(text)


if __name__ == '__main__':
    pool = Pool(2)
    print 'parsing 2 records'
    records = pool.map(parse, ['{"a": 1}', '{"b": 2}'])
    pool.close()
    pool.join()
    print records
