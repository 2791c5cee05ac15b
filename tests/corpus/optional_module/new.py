from multiprocessing import Pool


def parse(text):
    import ujson
    return ujson.loads(text)


if __name__ == '__main__':
    with Pool(2) as pool:
        print('parsing 2 records')
        records = pool.map(parse, ['{"a": 1}', '{"b": 2}'])
    print(records)
