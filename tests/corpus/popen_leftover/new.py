import subprocess
from multiprocessing import Process


def convert(name):
    print('converting', name)
    subprocess.Popen(['sleep', '30'])
    print('done', name)


if __name__ == '__main__':
    jobs = [Process(target=convert, args=(n,)) for n in ['a.png', 'b.png']]
    for j in jobs:
        j.start()
        j.join()
    print('all conversions finished')
