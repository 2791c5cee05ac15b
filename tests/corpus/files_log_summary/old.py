import multiprocessing
import time


def process_chunk(args):
    idx, numbers = args
    total = sum(numbers)
    return idx, len(numbers), total


if __name__ == '__main__':
    data = range(1, 101)
    chunks = [(i, data[i * 25:(i + 1) * 25]) for i in range(4)]

    pool = multiprocessing.Pool(2)
    results = pool.map(process_chunk, chunks)
    pool.close()
    pool.join()

    log = open('log.txt', 'a')
    for idx, count, total in results:
        log.write('chunk %d: %d numbers, total %d\n' % (idx, count, total))
    log.write('run finished: %d chunks\n' % len(results))
    log.close()

    out = open('summary.txt', 'w')
    out.write('chunk total\n')
    for idx, count, total in results:
        out.write('%d %d\n' % (idx, total))
    out.close()

    print 'processed %d chunks, grand total %d' % (len(results), sum(r[2] for r in results))
    print 'wrote summary.txt, appended to log.txt'
