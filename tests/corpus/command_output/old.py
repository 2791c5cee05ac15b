import subprocess
from multiprocessing import Pool


def run(word):
    return subprocess.check_output(['echo', word]).strip()


if __name__ == '__main__':
    pool = Pool(2)
    outputs = pool.map(run, ['alpha', 'beta'])
    pool.close()
    pool.join()
    for output in outputs:
        print 'echoed:', output
    print 'all:', outputs
