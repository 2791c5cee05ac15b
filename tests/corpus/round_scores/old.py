from multiprocessing import Pool


def mean(scores):
    return sum(scores) / float(len(scores))


if __name__ == '__main__':
    teams = [[2, 3], [4, 5], [7, 8, 9]]
    pool = Pool(2)
    means = pool.map(mean, teams)
    pool.close()
    pool.join()
    for team, value in enumerate(means):
        print 'team %d: mean %s, rounded %s' % (team, value, round(value))
