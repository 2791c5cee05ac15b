"""Total sales per region, one worker per region."""
import sys
from multiprocessing import Pool

from common import read_sales


def total(item):
    region, amounts = item
    return region, sum(amounts)


if __name__ == '__main__':
    by_region = {}
    for region, amount in read_sales(sys.argv[1]):
        by_region.setdefault(region, []).append(amount)
    pool = Pool(3)
    for region, amount in sorted(pool.map(total, by_region.items())):
        print '%-6s %5d' % (region, amount)
    pool.close()
    pool.join()
