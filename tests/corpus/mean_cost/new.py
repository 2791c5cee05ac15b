from multiprocessing import Pool


def cost(n):
    return n / 3.0


if __name__ == '__main__':
    with Pool(2) as pool:
        costs = pool.map(cost, [1, 2, 4])
    print('costs:', ', '.join(str(c) for c in costs))
    print('mean cost:', sum(costs) / len(costs))
