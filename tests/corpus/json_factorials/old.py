import json
import math
from multiprocessing import Pool

JOBS = '[{"name": "small", "n": 5}, {"name": "large", "n": 25}]'


def factorial(job):
    return job['name'], math.factorial(job['n'])


if __name__ == '__main__':
    jobs = json.loads(JOBS)
    pool = Pool(2)
    results = pool.map(factorial, jobs)
    pool.close()
    pool.join()
    print results
