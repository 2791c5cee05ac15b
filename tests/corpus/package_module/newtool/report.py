from multiprocessing import Pool

from . import stats


def summarise(row):
    return f'{row[0]}: mean {stats.mean(row[1:])}'


if __name__ == '__main__':
    rows = [['north', 3, 4, 8], ['south', 10, 20, 30], ['east', 1, 1, 2]]
    with Pool(2) as pool:
        for line in pool.map(summarise, rows):
            print(line)
