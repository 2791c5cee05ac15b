import datetime
import multiprocessing
import os
import shutil
import tempfile
import time


def write_part(args):
    directory, n = args
    path = os.path.join(directory, 'part-%d.txt' % n)
    with open(path, 'w') as f:
        f.write('part %d\n' % n * 100)
    return os.path.getsize(path)


if __name__ == '__main__':
    start = time.time()
    print('run started at', datetime.datetime.now())
    workdir = tempfile.mkdtemp(prefix='parts-')
    print('working in', workdir)
    with multiprocessing.Pool(2) as pool:
        sizes = pool.map(write_part, [(workdir, n) for n in range(4)])
    print('wrote %d files, %d bytes' % (len(sizes), sum(sizes)))
    shutil.rmtree(workdir)
    print('took %.3f seconds' % (time.time() - start))
