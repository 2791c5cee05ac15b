"""Pipe: a child sends a message through one end of a Pipe, the parent receives it at the other.

Article: the "Pipes" example, lines 1-9 (adapted from the Python 2 multiprocessing docs).
Restored: the indentation, lost from every listing of the repost (each line is a numbered item
    flush left); each block is indented four spaces under the line that opens it, the only reading
    that parses.
Fixed: the parent now joins the child, as the docs' version does; the article's version leaves
    the join to multiprocessing's exit handler, which hides the child's fate from the program.
"""
from multiprocessing import Process, Pipe


def send(conn):
    conn.send("Hello World")
    conn.close()


if __name__ == '__main__':
    parent_conn, child_conn = Pipe()
    p = Process(target=send, args=(child_conn,))
    p.start()
    print parent_conn.recv()
    p.join()
