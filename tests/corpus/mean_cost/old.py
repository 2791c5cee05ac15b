from multiprocessing import Pool


def cost(n):
    return n / 3.0


if __name__ == '__main__':
    pool = Pool(2)
    costs = pool.map(cost, [1, 2, 4])
    pool.close()
    pool.join()
    print 'costs:', ', '.join(str(c) for c in costs)
    print 'mean cost:', sum(costs) / len(costs)
