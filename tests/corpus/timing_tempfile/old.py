import datetime
import multiprocessing
import os
import shutil
import tempfile
import time


def write_part(args):
    directory, n = args
    path = os.path.join(directory, 'part-%d.txt' % n)
    f = open(path, 'w')
    f.write('part %d\n' % n * 100)
    f.close()
    return os.path.getsize(path)


if __name__ == '__main__':
    start = time.time()
    print 'run started at', datetime.datetime.now()
    workdir = tempfile.mkdtemp(prefix='parts-')
    print 'working in', workdir
    pool = multiprocessing.Pool(2)
    sizes = pool.map(write_part, [(workdir, n) for n in range(4)])
    pool.close()
    pool.join()
    print 'wrote %d files, %d bytes' % (len(sizes), sum(sizes))
    shutil.rmtree(workdir)
    print 'took %.3f seconds' % (time.time() - start)
