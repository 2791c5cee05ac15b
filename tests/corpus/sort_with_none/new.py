from multiprocessing import Pool


def parse_price(text):
    try:
        return float(text)
    except ValueError:
        return None


if __name__ == '__main__':
    with Pool(2) as pool:
        prices = pool.map(parse_price, ['3.50', 'n/a', '1.25'])
    print('parsed', len(prices), 'prices')
    print('cheapest first:', sorted(prices))
