from multiprocessing import Pool

import stats


def summarise(row):
    return '%s: mean %d' % (row[0], stats.mean(row[1:]))


if __name__ == '__main__':
    rows = [['north', 3, 4, 8], ['south', 10, 20, 30], ['east', 1, 1, 2]]
    pool = Pool(2)
    for line in pool.map(summarise, rows):
        print line
    pool.close()
    pool.join()
