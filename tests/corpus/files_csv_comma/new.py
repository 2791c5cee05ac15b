import multiprocessing


def process_chunk(args):
    idx, numbers = args
    total = sum(numbers)
    return idx, len(numbers), total


if __name__ == '__main__':
    data = list(range(1, 101))
    chunks = [(i, data[i * 25:(i + 1) * 25]) for i in range(4)]

    with multiprocessing.Pool(2) as pool:
        results = pool.map(process_chunk, chunks)

    with open('log.txt', 'a') as log:
        for idx, count, total in results:
            log.write('chunk %d: %d numbers, total %d\n' % (idx, count, total))
        log.write('run finished: %d chunks\n' % len(results))

    with open('summary.txt', 'w') as out:
        out.write('chunk total\n')
        for idx, count, total in results:
            out.write('%d,%d\n' % (idx, total))

    print('processed %d chunks, grand total %d' % (len(results), sum(r[2] for r in results)))
    print('wrote summary.txt, appended to log.txt')
