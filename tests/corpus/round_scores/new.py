from multiprocessing import Pool


def mean(scores):
    return sum(scores) / float(len(scores))


if __name__ == '__main__':
    teams = [[2, 3], [4, 5], [7, 8, 9]]
    with Pool(2) as pool:
        means = pool.map(mean, teams)
    for team, value in enumerate(means):
        print('team %d: mean %s, rounded %s' % (team, value, round(value)))
