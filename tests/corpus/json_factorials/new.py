import json
import math
from multiprocessing import Pool

JOBS = '[{"name": "small", "n": 5}, {"name": "large", "n": 25}]'


def factorial(job):
    return job['name'], math.factorial(job['n'])


if __name__ == '__main__':
    jobs = json.loads(JOBS)
    with Pool(2) as pool:
        results = pool.map(factorial, jobs)
    print(results)
