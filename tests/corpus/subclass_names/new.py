import multiprocessing
import time


class Worker(multiprocessing.Process):

    def run(self):
        print(f'In {self.name}')
        time.sleep(0.1)


if __name__ == '__main__':
    jobs = []
    for i in range(5):
        p = Worker()
        jobs.append(p)
        p.start()
    for j in jobs:
        j.join()
    print('All workers finished')
