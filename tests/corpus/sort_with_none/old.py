from multiprocessing import Pool


def parse_price(text):
    try:
        return float(text)
    except ValueError:
        return None


if __name__ == '__main__':
    pool = Pool(2)
    prices = pool.map(parse_price, ['3.50', 'n/a', '1.25'])
    pool.close()
    pool.join()
    print 'parsed', len(prices), 'prices'
    print 'cheapest first:', sorted(prices)
