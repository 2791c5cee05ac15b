import subprocess
from multiprocessing import Pool


def run(word):
    return subprocess.check_output(['echo', word]).strip()


if __name__ == '__main__':
    with Pool(2) as pool:
        outputs = pool.map(run, ['alpha', 'beta'])
    for output in outputs:
        print('echoed:', output)
    print('all:', outputs)
