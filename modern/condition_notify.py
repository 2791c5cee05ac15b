"""Condition: a consumer waits until the producer's notify() finds the stock it waits for.

Python 3: wait_for(predicate, timeout) (3.3+) is the loop around wait() that Python 2 code writes
by hand, bounded, and it returns whether the predicate came true.
"""

from __future__ import annotations

import sys
from multiprocessing import Condition, Process, Value, synchronize
from multiprocessing.sharedctypes import Synchronized

TIMEOUT = 10  # seconds


def consume(condition: synchronize.Condition, stock: Synchronized[int]) -> None:
    with condition:
        if not condition.wait_for(lambda: stock.value >= 3, timeout=TIMEOUT):
            sys.exit(f"no stock within {TIMEOUT} s")
        print(f"consumer: woke up to {stock.value} items in stock")


def main() -> None:
    condition = Condition()
    stock = Value("i", 0)
    consumer = Process(target=consume, args=(condition, stock), daemon=True)
    consumer.start()
    for _ in range(3):
        with condition:
            stock.value += 1
            print(f"producer: stocked item {stock.value}")
            condition.notify()
    consumer.join(TIMEOUT)
    if consumer.exitcode != 0:
        sys.exit(f"consume() exited with {consumer.exitcode}")


if __name__ == "__main__":
    main()
