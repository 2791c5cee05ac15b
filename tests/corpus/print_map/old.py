from multiprocessing import Pool


def fetch_title(page):
    return 'title of %s' % page


if __name__ == '__main__':
    pool = Pool(2)
    titles = pool.map(fetch_title, ['home', 'about', 'contact'])
    print map(str.upper, titles)
