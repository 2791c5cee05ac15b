import multiprocessing
import time


def daemon():
    p = multiprocessing.current_process()
    print('Starting:', p.name, p.pid, flush=True)
    time.sleep(2)
    print('Exiting :', p.name, p.pid, flush=True)


def non_daemon():
    p = multiprocessing.current_process()
    print('Starting:', p.name, p.pid, flush=True)
    print('Exiting :', p.name, p.pid, flush=True)


if __name__ == '__main__':
    d = multiprocessing.Process(name='daemon', target=daemon, daemon=True)
    n = multiprocessing.Process(name='non-daemon', target=non_daemon, daemon=False)

    d.start()
    time.sleep(1)
    n.start()
