from multiprocessing import Pool


def fetch_title(page):
    return 'title of %s' % page


if __name__ == '__main__':
    with Pool(2) as pool:
        titles = pool.map(fetch_title, ['home', 'about', 'contact'])
    print(map(str.upper, titles))
