from multiprocessing import Process, Pipe


def echo(conn):
    with conn:
        while True:
            msg = conn.recv()
            if msg == 'bye':
                conn.send('bye')
                break
            conn.send(msg[::-1])


if __name__ == '__main__':
    parent_conn, child_conn = Pipe()
    p = Process(target=echo, args=(child_conn,))
    p.start()
    for word in ['hello', 'world', 'multiprocessing', 'bye']:
        parent_conn.send(word)
        print(word, '->', parent_conn.recv())
    p.join()
