import subprocess
from multiprocessing import Pool


def tag(word):
    out = subprocess.check_output(['echo', word]).strip()
    return out + ':done'


if __name__ == '__main__':
    pool = Pool(2)
    print pool.map(tag, ['a', 'b'])
    pool.close()
    pool.join()
