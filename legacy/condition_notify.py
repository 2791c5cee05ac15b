"""Condition: a consumer waits until the producer's notify() finds the stock it waits for.

Article: names Condition among the synchronisation primitives without describing it; this example is new.
"""
from multiprocessing import Condition, Process, Value


def consume(condition, stock):
    condition.acquire()
    while stock.value < 3:
        condition.wait()
    print "consumer: woke up to %s items in stock" % stock.value
    condition.release()


if __name__ == "__main__":
    condition = Condition()
    stock = Value('i', 0)
    consumer = Process(target=consume, args=(condition, stock))
    consumer.start()
    for _ in range(3):
        condition.acquire()
        stock.value += 1
        print "producer: stocked item %s" % stock.value
        condition.notify()
        condition.release()
    consumer.join()
