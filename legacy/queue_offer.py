"""Queue: a child puts a message on a multiprocessing Queue, the parent gets it.

Article: the "Queue" example, lines 1-8 (adapted from the Python 2 multiprocessing docs).
Restored: the indentation, lost from every listing of the repost (each line is a numbered item
    flush left); each block is indented four spaces under the line that opens it, the only reading
    that parses.
Fixed: the parent now joins the child, as the docs' version does; the article's version leaves
    the join to multiprocessing's exit handler, which hides the child's fate from the program.
"""
from multiprocessing import Process, Queue


def offer(queue):
    queue.put("Hello World")


if __name__ == '__main__':
    q = Queue()
    p = Process(target=offer, args=(q,))
    p.start()
    print q.get()
    p.join()
