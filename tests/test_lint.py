"""portcheck lint: each rule flags what it says and leaves the safe idioms alone; the command, the
output formats, `# noqa`, the flake8 plugin, the rules' page, and the 2to3 ports of legacy/.

A case is a program; each line that must be flagged ends with `# flagged: CODE[, CODE]`, and
every other line must not be. A case is checked against every rule, so a case for one rule also
shows that the others stay quiet on it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from portcheck.lint import SourceError, lint_source, main
from portcheck.lint.docs import rule_docs, rules_markdown
from portcheck.lint.plugin import Flake8Plugin
from portcheck.lint.rules import RULES
from tests.support import PAIRS, ROOT, pair_names
from tests.test_lint_files import chain_of_names

MARK = re.compile(r"#.*\bflagged: (?P<codes>[A-Z0-9, ]+)$")


def marked(source: str) -> set[tuple[int, str]]:
    found = set()
    for number, line in enumerate(source.splitlines(), 1):
        match = MARK.search(line)
        if match:
            found.update((number, code.strip()) for code in match.group("codes").split(","))
    return found


def flagged(source: str, select: list[str] | None = None) -> set[tuple[int, str]]:
    return {(finding.line, finding.code) for finding in lint_source(source, "case.py", select=select or ())}


OPT_IN = [rule.code for rule in RULES if rule.opt_in]


def check(source: str) -> None:
    """The default rules, and the opt-in ones that the case marks a line for, flag what is marked."""
    source = textwrap.dedent(source)
    expected = marked(source)
    opted = {code for _, code in expected if code in OPT_IN}
    found = flagged(source, [rule.code for rule in RULES if not rule.opt_in or rule.code in opted])
    lines = source.splitlines()
    missed = [f"line {n}: {code} not flagged: {lines[n - 1].strip()}" for n, code in sorted(expected - found)]
    wrong = [f"line {n}: {code} flagged: {lines[n - 1].strip()}" for n, code in sorted(found - expected)]
    assert not missed + wrong, "\n".join(missed + wrong)


# Cases, by rule ---------------------------------------------------------------------------------------

UNBOUNDED_WAIT = [
    """\
    import multiprocessing as mp
    from multiprocessing import Barrier, Condition, Lock, Queue, SimpleQueue


    def main():
        q = Queue()
        q.get()  # flagged: MPC101
        q.get(True)  # flagged: MPC101
        q.get(block=True)  # flagged: MPC101
        q.get(True, None)  # flagged: MPC101
        q.get(timeout=None)  # flagged: MPC101
        q.get(True, 1)
        q.get(False)
        q.get(block=False)
        q.get(timeout=5)
        q.get_nowait()
        if not q.empty():
            q.get()
        options = {"key": 1}
        options.get("key")
        options.get("key", None)
        lock = Lock()
        lock.acquire()  # flagged: MPC101
        lock.acquire(timeout=1)
        lock.acquire(False)
        lock.acquire(block=False)
        with lock:
            pass
        event = mp.Event()
        event.wait()  # flagged: MPC101
        event.wait(None)  # flagged: MPC101
        event.wait(0.5)
        condition = Condition()
        with condition:
            condition.wait()  # flagged: MPC101
            condition.wait_for(lambda: True)  # flagged: MPC101
            condition.wait_for(lambda: True, 1)
            condition.wait(timeout=1)
        SimpleQueue().get()  # flagged: MPC101
        Barrier(2).wait()  # flagged: MPC101
        Barrier(2, timeout=5).wait()


    if __name__ == "__main__":
        main()
    """,
    """\
    import multiprocessing
    from multiprocessing import Pool


    def work(n):
        return n


    def main():
        workers = []
        for n in range(3):
            p = multiprocessing.Process(target=work, args=(n,))
            p.start()
            workers.append(p)
        for p in workers:
            p.join()  # flagged: MPC105
        for p in workers:
            p.join(10)
        workers[0].join()  # flagged: MPC105
        doomed = multiprocessing.Process(target=work, args=(0,))
        doomed.start()
        doomed.terminate()
        doomed.join()
        with Pool(2) as pool:
            result = pool.apply_async(work, (1,))
            result.get()  # flagged: MPC101
            result.wait()  # flagged: MPC101
            result.get(5)
            if result.ready():
                result.get()
            pool.map(work, range(3))
            squares = pool.map_async(work, range(3))
            print(squares.get(timeout=10))
        pool.join()


    if __name__ == "__main__":
        main()
    """,
    """\
    from concurrent import futures
    from concurrent.futures import ProcessPoolExecutor, as_completed


    def work(n):
        return n


    def main():
        with ProcessPoolExecutor() as executor:
            future = executor.submit(work, 1)
            future.result()  # flagged: MPC105
            future.exception()  # flagged: MPC105
            if future.done():
                future.result()
            tasks = [executor.submit(work, n) for n in range(3)]
            futures.wait(tasks)  # flagged: MPC105
            futures.wait(tasks, timeout=10)
            for done in as_completed(tasks):  # flagged: MPC105
                done.result()
            done, not_done = futures.wait(tasks, timeout=10)
            for finished in done:
                finished.result()
            for pending in not_done:
                pending.result()  # flagged: MPC105
            print([task.result() for task in tasks])  # all done: futures.wait(tasks) waited


    def after_waiting(executor):
        future = executor.submit(work, 1)
        futures.wait([future])  # flagged: MPC105
        future.exception()
        future.result()
        tasks = [executor.submit(work, n) for n in range(3)]
        futures.wait(tasks, return_when=futures.ALL_COMPLETED)  # flagged: MPC105
        print([task.result() for task in tasks], tasks[0].result())
        for task in tasks:
            task.result()
        bounded = [executor.submit(work, n) for n in range(3)]
        futures.wait(bounded, timeout=1)
        for task in bounded:
            task.result()  # flagged: MPC105
        first = [executor.submit(work, n) for n in range(3)]
        futures.wait(first, return_when=futures.FIRST_COMPLETED)  # flagged: MPC105
        first[0].result()  # flagged: MPC105


    if __name__ == "__main__":
        main()
        with ProcessPoolExecutor() as executor:
            after_waiting(executor)
    """,
    # Threads, thread pools and queue.Queue wait the same way, but are not this lint's business.
    """\
    import queue
    import threading
    from concurrent.futures import ThreadPoolExecutor
    from multiprocessing.pool import ThreadPool


    def work():
        return 1


    def main():
        q = queue.Queue()
        q.get()
        t = threading.Thread(target=work)
        t.start()
        t.join()
        threading.Event().wait()
        with ThreadPoolExecutor() as executor:
            executor.submit(work).result()
        with ThreadPool(2) as pool:
            pool.apply_async(work).get()
    """,
    # Parameters are known from the calls that reach them, from annotations, and through self.
    """\
    from __future__ import annotations

    import multiprocessing as mp
    from multiprocessing import Process, Queue, queues


    def consume(tasks):
        while True:
            item = tasks.get()  # a daemonic consumer: it ends with its parent
            if item is None:
                break


    def lookup(table, key):
        return table.get(key)


    def unknown(q):
        return q.get()


    def typed(q: queues.Queue[int]) -> int:
        return q.get()  # flagged: MPC101


    def quoted(q: "mp.Queue") -> int:
        return q.get()  # flagged: MPC101


    class Service:
        def __init__(self):
            self.results = Queue()
            self.cache = {}

        def wait(self):
            self.cache.get("x")
            return self.results.get()  # flagged: MPC101


    def main():
        tasks = Queue()
        Process(target=consume, args=(tasks,), daemon=True).start()
        lookup({"a": 1}, "a")
        context = mp.get_context("spawn")
        spawned = context.Queue()
        spawned.get()  # flagged: MPC101
        with mp.Manager() as manager:
            shared = manager.Queue()
            shared.get()  # flagged: MPC101
            lock = manager.Lock()
            lock.acquire(blocking=False)
            lock.acquire(timeout=-1)  # flagged: MPC101
            lock.acquire(timeout=1)


    if __name__ == "__main__":
        main()
    """,
]

RECV_WITHOUT_POLL = [
    """\
    import sys
    from multiprocessing import Pipe, Process
    from multiprocessing.connection import wait


    def child(conn):
        while True:
            message = conn.recv()  # flagged: MPC102
            if message is None:
                break


    def polite(conn):
        while conn.poll(1):
            conn.recv()


    def main():
        parent, child_end = Pipe()
        Process(target=child, args=(child_end,)).start()
        Process(target=polite, args=(child_end,), daemon=True).start()
        parent.recv()  # flagged: MPC102
        parent.recv_bytes()  # flagged: MPC102
        if parent.poll(1):
            parent.recv()
        message = parent.recv() if parent.poll(1) else None
        for ready in wait([parent], timeout=1):
            ready.recv()
        receiver, sender = Pipe(duplex=False)
        try:
            sender.recv()
        except OSError:
            pass
        if not receiver.poll(1):
            sys.exit("nothing within 1 s")
        print(receiver.recv(), message)


    if __name__ == "__main__":
        main()
    """,
    """\
    from multiprocessing.connection import Client


    def ask(address):
        with Client(address, authkey=b"secret") as conn:
            conn.send("ping")
            ready = conn.poll(5)
            return conn.recv() if ready else None
    """,
]

JOINABLE_QUEUE_JOIN = [
    """\
    import threading
    from multiprocessing import JoinableQueue, Manager, Queue


    def main():
        tasks = JoinableQueue()
        tasks.join()  # flagged: MPC103
        joiner = threading.Thread(target=tasks.join, daemon=True)
        joiner.start()
        joiner.join(10)
        plain = Queue()
        plain.close()
        plain.join_thread()
        with Manager() as manager:
            manager.JoinableQueue().join()  # flagged: MPC103


    if __name__ == "__main__":
        main()
    """,
]

EXECUTOR_LEFT_WAITING = [
    """\
    import concurrent.futures
    import multiprocessing
    import os
    import sys
    from concurrent.futures import ProcessPoolExecutor, as_completed


    def work(n):
        return n


    def give_up(executor):
        for worker in multiprocessing.active_children():
            worker.terminate()


    def main():
        with ProcessPoolExecutor(max_workers=2) as executor:
            executor.submit(work, 1).result(timeout=5)  # flagged: MPC104
            future = executor.submit(work, 2)
            try:
                future.result(timeout=5)  # flagged: MPC104
            except concurrent.futures.TimeoutError:
                print("too slow")
            try:
                future.result(timeout=5)  # flagged: MPC104
            except TimeoutError:
                sys.exit("too slow")
            list(executor.map(work, range(3), timeout=5))  # bounded as map can be: not flagged
            for done in as_completed([future], timeout=5):  # flagged: MPC104
                done.result(timeout=0)
            try:
                future.result(timeout=5)
            except concurrent.futures.TimeoutError:
                give_up(executor)
                sys.exit("too slow")
            try:
                list(executor.map(work, range(3), timeout=5))
            except Exception:
                os._exit(1)
            try:
                future.result(timeout=5)
            finally:
                for worker in multiprocessing.active_children():
                    worker.kill()
            done, not_done = concurrent.futures.wait([future], timeout=5)
        unmanaged = ProcessPoolExecutor()
        unmanaged.submit(work, 3).result(timeout=5)
        unmanaged.shutdown(wait=False, cancel_futures=True)


    if __name__ == "__main__":
        main()
    """,
]

SYNC_OBJECT_IN_TASK = [
    """\
    import functools
    import itertools
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
    from multiprocessing import Lock, Manager, Pool, Process, Queue, Value


    def work(*args):
        return args


    def share(*args):
        pass


    def main():
        lock, queue, counter = Lock(), Queue(), Value("i", 0)
        with ProcessPoolExecutor(initializer=share, initargs=(lock, queue)) as executor:
            executor.submit(work, lock).result(timeout=0)  # flagged: MPC201
            executor.submit(work, 1).result(timeout=0)
            list(executor.map(work, itertools.repeat(counter, 3)))  # flagged: MPC201
        with Pool(2, share, (lock,)) as pool:
            pool.apply_async(work, (queue,)).get(1)  # flagged: MPC201
            pool.apply_async(work, (1, 2)).get(1)
            pool.map(work, [queue, queue])  # flagged: MPC201
            pool.starmap(work, [(lock, n) for n in range(3)])  # flagged: MPC201
            pool.map(functools.partial(work, lock), range(3))  # flagged: MPC201
            pool.map(functools.partial(work, 1), range(3))
        Process(target=work, args=(lock, queue, counter)).start()
        with Manager() as manager:
            with ProcessPoolExecutor() as executor:
                executor.submit(work, manager.Lock(), manager.Queue()).result(timeout=0)
        with ThreadPoolExecutor() as threads:
            threads.submit(work, lock, queue).result()


    if __name__ == "__main__":
        main()
    """,
]

UNPICKLABLE_TARGET = [
    """\
    import threading
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import Pool, Process


    def work(n=0):
        return n


    square = lambda n: n * n  # noqa: E731


    class Counter:
        def __init__(self):
            self.count = 0

        def add(self, n):
            return self.count + n


    class Guarded:
        def __init__(self):
            self.lock = threading.Lock()

        def add(self, n):
            return n


    class Pickles:
        def __init__(self):
            self.lock = threading.Lock()

        def __getstate__(self):
            return {}

        def add(self, n):
            return n


    def main():
        def nested(n=0):
            return n

        Process(target=lambda: None).start()  # flagged: MPC202
        Process(target=nested).start()  # flagged: MPC202
        Process(target=work).start()
        with Pool(2, initializer=lambda: None) as pool:  # flagged: MPC202
            pool.map(square, range(3))  # flagged: MPC202
            pool.map(work, range(3))
            pool.map(Counter().add, range(3))
            pool.map(Guarded().add, range(3))  # flagged: MPC202
            pool.map(Pickles().add, range(3))
        with ProcessPoolExecutor() as executor:
            executor.submit(nested).result(timeout=0)  # flagged: MPC202
            executor.submit(work).result(timeout=0)


    if __name__ == "__main__":
        main()
    """,
    # A program that forks everything may give a Process any target; a pool still pickles its tasks.
    """\
    import multiprocessing
    from multiprocessing import Pool, Process


    def main():
        multiprocessing.set_start_method("fork")
        Process(target=lambda: None).start()
        with Pool(2) as pool:
            pool.map(lambda n: n, range(3))  # flagged: MPC202


    if __name__ == "__main__":
        main()
    """,
    """\
    import multiprocessing


    def main():
        forked = multiprocessing.get_context("fork")
        forked.Process(target=lambda: None).start()
        spawned = multiprocessing.get_context("spawn")
        spawned.Process(target=lambda: None).start()  # flagged: MPC202


    if __name__ == "__main__":
        main()
    """,
]

UNGUARDED_START = [
    """\
    from multiprocessing import Process


    def work():
        print("working")


    p = Process(target=work)
    p.start()  # flagged: MPC203
    p.join(10)
    """,
    """\
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import Manager, Pool


    def square(n):
        return n * n


    def main():
        with Pool(2) as pool:
            print(pool.map(square, range(3)))


    def helper():
        return main()


    with Pool(2) as pool:  # flagged: MPC203
        print(pool.map(square, range(3)))
    manager = Manager()  # flagged: MPC203
    executor = ProcessPoolExecutor()
    executor.submit(square, 2)  # flagged: MPC203, MPC107
    helper()  # flagged: MPC203
    """,
    """\
    from multiprocessing import Pool


    def square(n):
        return n * n


    def main():
        with Pool(2) as pool:
            print(pool.map(square, range(3)))


    if __name__ != "__main__":
        pass
    else:
        main()
    if __name__ == "__main__":
        main()
    """,
    """\
    import multiprocessing
    from multiprocessing import Process

    multiprocessing.set_start_method("fork")
    Process(target=print).start()
    """,
]

GETPPID_IN_CHILD = [
    """\
    import os
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import Process
    from os import getppid


    def describe():
        return os.getppid()  # flagged: MPC204


    def sleeper():
        print(describe(), getppid())  # flagged: MPC204


    def task(n):
        return os.getppid()  # flagged: MPC204


    class Worker(Process):
        def run(self):
            print(os.getppid())  # flagged: MPC204


    def main():
        print(os.getppid())
        Process(target=sleeper).start()
        Worker().start()
        with ProcessPoolExecutor() as executor:
            executor.submit(task, 1).result(timeout=0)


    if __name__ == "__main__":
        main()
    """,
]

MAX_TASKS = [
    """\
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor


    def square(n):
        return n * n


    def main():
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_tasks_per_child=2, mp_context=context) as executor:
            list(executor.map(square, range(6)))  # flagged: MPC205
            executor.submit(square, 1).result(timeout=0)
        with ProcessPoolExecutor(max_tasks_per_child=2) as fresh:  # flagged: MPC206
            fresh.submit(square, 1).result(timeout=0)
        with ProcessPoolExecutor(2, context, max_tasks_per_child=2) as positional:
            positional.submit(square, 1).result(timeout=0)
        with ProcessPoolExecutor(max_tasks_per_child=None) as unlimited:
            list(unlimited.map(square, range(6)))


    if __name__ == "__main__":
        main()
    """,
]

VALUE_UPDATE = [
    """\
    import threading
    from multiprocessing import Lock, Manager, Process, RawValue, Value


    def add(counter, lock, raw, unlocked, times):
        for _ in range(times):
            counter.value += 1  # flagged: MPC301
            counter.value = counter.value + 1  # flagged: MPC301
            counter.value = 5
            with counter.get_lock():
                counter.value += 1
            with lock:
                counter.value += 1
            raw.value += 1
            unlocked.value += 1
        lock.acquire()  # released in its block: the spelled-out `with lock:`
        counter.value += 1
        lock.release()


    class Holder:
        def __init__(self, counter):
            self.counter = counter
            self.guard = threading.Lock()

        def bump(self):
            with self.guard:
                self.counter.value += 1


    def unknown(thing):
        thing.value += 1


    def main():
        counter = Value("i", 0)
        args = (counter, Lock(), RawValue("i", 0), Value("i", 0, lock=False), 10)
        workers = [Process(target=add, args=args) for _ in range(2)]
        for w in workers:
            w.start()
        with Manager() as manager:
            shared = manager.Value("i", 0)
            shared.value += 1
            tally = [Process(target=count, args=(shared,)) for _ in range(2)]
            for t in tally:
                t.start()


    def count(shared):
        shared.value += 1  # flagged: MPC301


    if __name__ == "__main__":
        main()
    """,
    # One writer at a time loses nothing: the parent, then one child at a time. (When a single child
    # and its parent write, whether they do at once cannot be read from the code: left alone too.)
    """\
    from multiprocessing import Process, Value


    def bump(counter):
        counter.value += 1


    def main():
        counter = Value("i", 0)
        for _ in range(3):
            counter.value += 1
            child = Process(target=bump, args=(counter,))
            child.start()
            child.join(10)
        print(counter.value)


    if __name__ == "__main__":
        main()
    """,
]

NESTED_PROXY = [
    """\
    from multiprocessing import Manager, Process


    def log(shared, item):
        shared["log"].append(item)  # flagged: MPC302
        shared["log"][0] = item  # flagged: MPC302
        entries = shared["log"]
        entries.append(item)
        shared["log"] = entries
        shared.update(done=True)


    def note(namespace):
        namespace.items.append(1)  # flagged: MPC302
        namespace.status = "noted"


    def main():
        plain = {"log": []}
        plain["log"].append(1)
        with Manager() as manager:
            shared = manager.dict()
            listing = manager.list([[1]])
            listing[0].append(2)  # flagged: MPC302
            namespace = manager.Namespace()
            for target, args in ((log, (shared, "x")), (note, (namespace,))):
                Process(target=target, args=args).start()
            log(shared, "y")
            note(namespace)


    if __name__ == "__main__":
        main()
    """,
    # Proxies stored in proxies (3.6+) forward changes made through them.
    """\
    from multiprocessing import Manager


    def main():
        with Manager() as manager:
            shared = manager.dict()
            shared["log"] = manager.list()
            shared["log"].append(1)


    if __name__ == "__main__":
        main()
    """,
]

BARE_EXIT = [
    """\
    import sys
    from multiprocessing import Process


    def stop():
        sys.exit()  # flagged: MPC401


    def work(code):
        if code is None:
            stop()
        if code == 1:
            raise SystemExit  # flagged: MPC401
        if code == 2:
            sys.exit(None)  # flagged: MPC401
        if code == 3:
            sys.exit("failed")
        sys.exit(0)


    def main():
        p = Process(target=work, args=(None,))
        p.start()
        p.join(10)
        if p.exitcode != 0:
            sys.exit()


    if __name__ == "__main__":
        main()
    """,
    # No exit code is read, so none can change a verdict.
    """\
    import sys
    from multiprocessing import Process


    def work():
        sys.exit()


    if __name__ == "__main__":
        p = Process(target=work)
        p.start()
        p.join(10)
    """,
]

PRINT_UNDER_LOCK = [
    """\
    import sys
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import BoundedSemaphore, Lock, Process, Semaphore

    lock = None


    def share(shared):
        global lock
        lock = shared


    def task(n):
        with lock:
            print(n)  # flagged: MPC402
            print(n, flush=True)
            print(n, file=sys.stderr)
        with lock:
            print(n)
            sys.stdout.flush()


    def report(shared, n):
        shared.acquire()
        print(n)  # flagged: MPC402
        shared.release()
        print(n)


    def single(shared):
        with shared:
            print("only one child holds it")


    def limited(three, one, bounded):
        with three:
            print("three at a time keep nothing apart")
        with one:
            print("one at a time")  # flagged: MPC402
        with bounded:
            print("one at a time")  # flagged: MPC402


    own = None


    def make_own():
        global own
        own = Lock()


    def alone(n):
        with own:
            print(n)


    def solo(n):
        with lock:
            print(n)


    def main():
        shared = Lock()
        with ProcessPoolExecutor(initializer=share, initargs=(shared,)) as executor:
            list(executor.map(task, range(4)))
        with ProcessPoolExecutor(max_workers=1, initializer=share, initargs=(shared,)) as one:
            one.submit(solo, 1).result(timeout=0)
        with ProcessPoolExecutor(initializer=make_own) as executor:
            list(executor.map(alone, range(4)))
        workers = [Process(target=report, args=(shared, n)) for n in range(4)]
        workers.append(Process(target=single, args=(shared,)))
        semaphores = (Semaphore(3), Semaphore(), BoundedSemaphore(1))
        workers += [Process(target=limited, args=semaphores) for _ in range(2)]
        for w in workers:
            w.start()


    if __name__ == "__main__":
        main()
    """,
]

AUTHKEY = [
    """\
    from multiprocessing.connection import Client, Listener
    from multiprocessing.connection import Listener as Server


    def serve(address, key):
        with Listener(address) as listener:  # flagged: MPC501
            listener.accept().close()
        Server(address, authkey=None).close()  # flagged: MPC501
        Client(address).close()  # flagged: MPC501
        Listener(address, authkey=key).close()
        Listener(address, None, 1, key).close()
        Client(address, None, key).close()
        Client(address, authkey=key).close()
    """,
    """\
    class Listener:
        pass


    def listen():
        return Listener()
    """,
]

# What a maintainer would not change (issue 33): a daemonic consumer's get(), the spelled-out `with lock:`,
# a result once it is done, and what leaves no doubt that it is done.
UNBOUNDED_WAIT_DONE = """\
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from multiprocessing import Pool, Process, Queue


    def square(n):
        return n * n


    def consumer(tasks, results):
        while True:
            item = tasks.get()
            if item is None:
                break
            results.put(square(item))


    def drain(tasks):
        while True:
            item = tasks.get()  # flagged: MPC101
            if item is None:
                return


    class Printer(Process):
        def __init__(self, lines):
            super().__init__()
            self.lines = lines
            self.daemon = True

        def run(self):
            for line in iter(self.lines.get, None):
                print(line)
            self.lines.get()


    def locked(lock, counter):
        lock.acquire()
        try:
            counter.value += 1
        finally:
            lock.release()
        try:
            lock.acquire()
            counter.value -= 1
        finally:
            lock.release()
        lock.acquire()  # released in its block: the spelled-out `with lock:`
        counter.value += 1
        lock.release()
        lock.acquire()  # flagged: MPC101
        counter.value += 1
        if counter.value > 10:
            lock.release()


    def main():
        tasks, results = Queue(), Queue()
        for _ in range(2):
            Process(target=consumer, args=(tasks, results), daemon=True).start()
        worker = Process(target=drain, args=(tasks,))
        worker.start()
        Printer(Queue()).start()
        Process(target=locked, args=(multiprocessing.Lock(), multiprocessing.Value("i", 0))).start()
        with ProcessPoolExecutor() as executor:
            future = executor.submit(square, 3)
            squares = [executor.submit(square, n) for n in range(4)]
        print(future.result(), [f.result() for f in squares])
        executor = ProcessPoolExecutor()
        late = executor.submit(square, 4)
        early = late.result()  # flagged: MPC105
        executor.shutdown()
        print(late.result(), early)
        with ProcessPoolExecutor() as executor:
            pending = [executor.submit(square, n) for n in range(4)]
            for done in as_completed(pending):  # flagged: MPC105
                print(done.result())
            print([p.result() for p in pending])
            first = [executor.submit(square, n) for n in range(4)]
            for done in as_completed(first):  # flagged: MPC105
                break
            print([f.result() for f in first])  # flagged: MPC105
        with Pool(2) as pool:
            result = pool.apply_async(square, (2,))
            waited = pool.apply_async(square, (3,))
            early = result.get()  # flagged: MPC101
            waited.wait()  # flagged: MPC101
            print(waited.get(), early)
            pool.close()
            pool.join()
            print(result.get())


    if __name__ == "__main__":
        main()
    """

# A Listener's or a Client's connection raises EOFError when its peer closes or dies: no own copy of the
# other end keeps it waiting, as a Pipe()'s does.
RECV_REMOTE = """\
    from multiprocessing import Pipe, Process
    from multiprocessing.connection import Client, Listener


    def serve(address, key):
        with Listener(address, authkey=key) as listener:
            with listener.accept() as conn:
                while True:
                    try:
                        message = conn.recv()
                    except EOFError:
                        break
                    conn.send(message)


    def ask(address, key):
        with Client(address, authkey=key) as conn:
            conn.send("ping")
            return conn.recv()


    def child(conn):
        conn.send("hello")


    if __name__ == "__main__":
        parent_end, child_end = Pipe()
        Process(target=child, args=(child_end,), daemon=True).start()
        print(parent_end.recv())  # flagged: MPC102
    """

# pickle saves an instance's __dict__: what its class holds does not travel with it.
UNPICKLABLE_CLASS_ATTRIBUTE = """\
    import threading
    from multiprocessing import Pool


    class Downloader:
        lock = threading.Lock()

        def fetch(self, url):
            with self.lock:
                return url


    class Uploader:
        def __init__(self):
            self.lock = threading.Lock()

        def send(self, url):
            with self.lock:
                return url


    if __name__ == "__main__":
        with Pool(2) as pool:
            print(pool.map(Downloader().fetch, ["a", "b"]))
            print(pool.map(Uploader().send, ["a", "b"]))  # flagged: MPC202
    """

# A test that a Listener refuses what it is given is not a Listener anyone connects to.
AUTHKEY_IN_TESTS = """\
    import unittest
    from multiprocessing.connection import Client, Listener


    class ListenerTest(unittest.TestCase):
        def test_bad_family(self):
            with self.assertRaises(ValueError):
                Listener(("localhost", 0), family="AF_UNKNOWN")
            with self.assertRaisesRegex(OSError, "refused"):
                Client(("localhost", 1))

        def test_serves(self):
            with Listener(("localhost", 0)) as listener:  # flagged: MPC501
                self.assertTrue(listener.address)
    """

# The opt-in rules: a join, and a pool's blocking calls; executor.map with a timeout is bounded.
OPT_IN_WAITS = [
    """\
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import Pool, Process


    def square(n):
        return n * n


    if __name__ == "__main__":
        p = Process(target=square, args=(2,))
        p.start()
        p.join()  # flagged: MPC105
        p.join(10)
        p.terminate()
        p.join()
        with Pool(2) as pool:
            pool.map(square, range(4))  # flagged: MPC106
            pool.imap_unordered(square, range(4))  # flagged: MPC106
            pool.apply(square, (3,))  # flagged: MPC106
            pool.map_async(square, range(4)).get(10)
        with ProcessPoolExecutor() as executor:
            list(executor.map(square, range(4)))  # flagged: MPC106
            list(executor.map(square, range(4), timeout=60))
    """,
]

# Tracing (issue 33): a fallback import in `except`, futures in a dict comprehension, a list extended,
# `timeout = None` above, and a list name reused for threads, then processes.
TRACED = """\
    import sys
    import threading
    from concurrent.futures import ProcessPoolExecutor, as_completed

    try:
        import multiprocessing
    except ImportError:
        import multiprocessing.dummy as multiprocessing
        multiprocessing = False


    def fetch(url):
        return url


    def gather(urls):
        with ProcessPoolExecutor() as executor:
            future_to_url = {executor.submit(fetch, url): url for url in urls}
            for future in as_completed(future_to_url):  # flagged: MPC105
                print(future_to_url[future], future.result())
            for future in as_completed(future_to_url, timeout=10):  # flagged: MPC104
                print(future.result())
            pending = []
            pending.extend(executor.submit(fetch, url) for url in urls)
            return [f.result() for f in pending]  # flagged: MPC105


    def consume(queue, patience):
        timeout = None
        item = queue.get(timeout=timeout)  # flagged: MPC101
        wait = 5
        return item, queue.get(timeout=wait), queue.get(timeout=patience)


    def start_all():
        jobs = []
        for n in range(2):
            job = threading.Thread(target=print, args=(n,))
            jobs.append(job)
            job.start()
        for job in jobs:
            job.join()
        jobs = []
        for n in range(2):
            job = multiprocessing.Process(target=print, args=(n,))
            jobs.append(job)
            job.start()
        for job in jobs:
            job.join()  # flagged: MPC105
        consume(multiprocessing.Queue(), None)


    if __name__ == "__main__":
        gather(sys.argv[1:])
        start_all()
    """

# An argument is pickled with the task: `partial(work, base=self)` pickles self, and self's pool with it.
UNPICKLABLE_ARGUMENT = """\
    import functools
    from multiprocessing import Pool


    def work(item, base):
        return item * base.factor


    class Runner:
        def __init__(self, factor):
            self.factor = factor
            self.pool = Pool(2)

        def run(self, items):
            return self.pool.map(functools.partial(work, base=self), items)  # flagged: MPC202


    class Settings:
        def __init__(self, factor):
            self.factor = factor


    def run(items):
        with Pool(2) as pool:
            return pool.map(functools.partial(work, base=Settings(2)), items)


    if __name__ == "__main__":
        print(Runner(2).run([1, 2]), run([1, 2]))
    """

# A copy under another name: `d = shared[k]` then `d["x"] += 1` changes only the copy, unless it is stored back.
PROXY_ALIAS = """\
    from multiprocessing import Manager, Process


    def count(shared, word):
        stats = shared["stats"]
        stats[word] += 1  # flagged: MPC302
        stats.setdefault("seen", 0)  # flagged: MPC302


    def count_and_store(shared, word):
        stats = shared["stats"]
        stats[word] += 1
        shared["stats"] = stats


    def local_only(word):
        stats = {"hello": 0}
        stats[word] += 1


    if __name__ == "__main__":
        with Manager() as manager:
            shared = manager.dict(stats={"hello": 0})
            counting = Process(target=count, args=(shared, "hello"))
            counting.start()
            counting.join(10)
            count_and_store(shared, "hello")
            local_only("hello")
    """

# Shapes from code others wrote (issue 33's second study): a consumer loop a stop value ends, one that also
# has a deadline, a daemonic thread's serve loop, a pass-through recv(), and `if lock.acquire():`.
IDLE_WAITS = """\
    import threading
    import time
    from multiprocessing import Lock, Pipe, Process, Queue, Value


    def listener(queue):
        while True:
            record = queue.get()
            if record is None:
                break
            print(record)


    def timed(queue):
        started = time.monotonic()
        while True:
            if time.monotonic() - started > 15:
                break
            item = queue.get()  # flagged: MPC101
            if item is None:
                break


    class Channel:
        def __init__(self, reader):
            self.reader = reader

        def recv(self):
            return self.reader.recv()

        def poll(self, timeout):
            return self.reader.poll(timeout)


    class Supervised:
        def __init__(self):
            self.parent_conn, self.child_conn = Pipe()

        def pong(self):
            self.child_conn.recv()
            self.child_conn.send(b"pong")

        def always_pong(self):
            while True:
                self.pong()

        def target(self):
            threading.Thread(target=self.always_pong, daemon=True).start()


    def job(total, lock):
        if lock.acquire():  # flagged: MPC101
            total.value += 1
            lock.release()


    if __name__ == "__main__":
        queue = Queue()
        Process(target=listener, args=(queue,)).start()
        Process(target=timed, args=(queue,)).start()
        queue.put(None)
        reader, writer = Pipe()
        channel = Channel(reader)
        if channel.poll(5):
            print(channel.recv())
        Supervised().target()
        total, lock = Value("i", 0), Lock()
        for _ in range(2):
            Process(target=job, args=(total, lock)).start()
    """

AUTHKEY_AS_TEXT = """\
    import multiprocessing
    import os
    from multiprocessing.connection import Client, Listener
    from multiprocessing.managers import BaseManager


    class QueueManager(BaseManager):
        pass


    def serve(address, name):
        with Listener(address, authkey="secret") as listener:  # flagged: MPC502
            listener.accept().close()
        Client(address, authkey=f"key-{name}").close()  # flagged: MPC502
        Client(address, authkey="secret".encode()).close()
        Client(address, authkey=os.environb[b"KEY"]).close()
        manager = QueueManager(address=address, authkey="abc")  # flagged: MPC502
        manager.connect()
        BaseManager(address, b"abc").connect()
        multiprocessing.current_process().authkey = "secret"  # flagged: MPC502
        multiprocessing.current_process().authkey = b"secret"
        options = {}
        options["authkey"] = "not a process"
    """

INHERITED_ONLY_IN_PROXY = """\
    import multiprocessing
    from multiprocessing import Lock, Manager, Queue


    def main():
        with Manager() as manager:
            shared = manager.dict()
            shared["lock"] = Lock()  # flagged: MPC303
            shared["pair"] = (Queue(), 1)  # flagged: MPC303
            shared["own"] = manager.Lock()
            shared["plain"] = {"lock": None}
            jobs = manager.list()
            jobs.append(multiprocessing.Event())  # flagged: MPC303
            jobs.append(manager.Event())
            settings = manager.Namespace()
            settings.lock = Lock()  # flagged: MPC303
            settings.name = "jobs"
            locks = manager.dict(main=multiprocessing.RLock())  # flagged: MPC303
            local = {"lock": Lock()}
            print(locks, local)


    if __name__ == "__main__":
        main()
    """

DROPPED_RESULT = """\
    import logging
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import Pool
    from multiprocessing.pool import ThreadPool


    def store(n):
        return n


    def report(future):
        logging.info("done: %s", future)


    def main(numbers):
        with Pool(2) as pool:
            pool.apply_async(store, (1,))  # flagged: MPC107
            pool.apply_async(store, (2,), callback=print)  # flagged: MPC107
            pool.apply_async(store, (3,), error_callback=logging.error)
            [pool.apply_async(store, (n,)) for n in numbers]  # flagged: MPC107
            pool.map_async(store, numbers)  # flagged: MPC107
            kept = pool.apply_async(store, (4,))
            pool.map(store, numbers)
            pool.close()
            pool.join()
            print(kept.get(0))
        with ThreadPool(2) as threads:
            threads.apply_async(store, (5,))
        with ProcessPoolExecutor() as executor:
            executor.submit(store, 6)  # flagged: MPC107
            executor.map(store, numbers)  # flagged: MPC107
            executor.submit(store, 7).add_done_callback(report)
            futures = []
            futures.append(executor.submit(store, 8))
            print(list(executor.map(store, numbers, timeout=10)))
        print([future.result() for future in futures])


    if __name__ == "__main__":
        main([1, 2, 3])
    """

FORK_ONLY_STATE = """\
    import argparse
    import mmap
    from multiprocessing import Pool, Process

    shared = mmap.mmap(-1, 4096)
    backed = mmap.mmap(3, 4096)
    LIMIT = 10
    cache = None


    def init(value):
        global cache
        cache = value


    def scale(n):
        return n * options.factor + LIMIT + cache  # flagged: MPC207


    def write(offset):
        shared[offset] = 1  # flagged: MPC207
        print(backed[offset], len(options.name))  # flagged: MPC207


    def local(n, factor=2):
        options = n
        return options * factor


    if __name__ == "__main__":
        parser = argparse.ArgumentParser()
        parser.add_argument("--factor", type=int, default=2)
        options = parser.parse_args()
        with Pool(2, initializer=init, initargs=(1,)) as pool:
            print(pool.map_async(scale, range(4)).get(10), pool.map_async(local, range(4)).get(10))
        writer = Process(target=write, args=(0,))
        writer.start()
        writer.join(10)
    """

FORK_CONTEXT = """\
    import multiprocessing


    def scale(n):
        return n * factor


    if __name__ == "__main__":
        factor = 10
        with multiprocessing.get_context("fork").Pool(2) as pool:
            print(pool.map_async(scale, range(4)).get(10))
    """

STOPS_ON_EMPTY = """\
    import queue
    from multiprocessing import Lock, Manager, Process, Queue


    def worker(tasks, lock):
        while not tasks.empty():  # flagged: MPC108
            with lock:
                print(tasks.get(timeout=1))


    def checker(tasks):
        while True:  # flagged: MPC108
            if tasks.empty():
                break
            print(tasks.get(timeout=1))


    def patient(tasks):
        while True:
            try:
                item = tasks.get(timeout=5)
            except queue.Empty:
                break
            print(item)


    def proxied(shared):
        while not shared.empty():
            print(shared.get(timeout=1))


    if __name__ == "__main__":
        tasks, lock = Queue(), Lock()
        for n in range(100):
            tasks.put(n)
        with Manager() as manager:
            workers = [
                Process(target=worker, args=(tasks, lock)),
                Process(target=checker, args=(tasks,)),
                Process(target=patient, args=(tasks,)),
                Process(target=proxied, args=(manager.Queue(),)),
            ]
            for w in workers:
                w.start()
            for w in workers:
                w.join(10)
        results = []
        while not tasks.empty():
            results.append(tasks.get(timeout=1))
    """

# A child's one get() of what its parent put before making it: the item is on its way before the child runs.
PUT_BEFORE_START = """\
    from multiprocessing import Process, Queue


    def work(jobs, results):
        job = jobs.get()
        results.put(job * 2)


    def late(results):
        return results.get()  # flagged: MPC101


    if __name__ == "__main__":
        jobs, results = Queue(), Queue()
        jobs.put(21)
        worker = Process(target=work, args=(jobs, results))
        worker.start()
        other = Process(target=late, args=(results,))
        other.start()
    """

# Workers that serve until their parent terminates them, and one that nothing ends.
SERVES_UNTIL_ENDED = """\
    from multiprocessing import Pipe, Process, Queue


    def reader(queue):
        while True:
            print(queue.get())


    def slave(connection):
        while True:
            block = connection.recv()
            connection.send(block * 2)


    if __name__ == "__main__":
        queue = Queue()
        parent_end, child_end = Pipe()
        workers = [Process(target=reader, args=(queue,)), Process(target=slave, args=(child_end,))]
        for worker in workers:
            worker.start()
        queue.put("hello")
        parent_end.send(21)
        if parent_end.poll(10):
            print(parent_end.recv())
        for worker in workers:
            worker.terminate()
    """

SERVES_FOR_EVER = """\
    from multiprocessing import Process, Queue


    def executor(jobs):
        while True:
            print(jobs.get())  # flagged: MPC101


    if __name__ == "__main__":
        jobs = Queue()
        Process(target=executor, args=(jobs,)).start()
        jobs.put("job")
    """

# A function that returns a nested function: what it returns is not a module-level function either.
UNPICKLABLE_CLOSURE = """\
    from multiprocessing import Process


    def closure(func):
        def inner(*args):
            return print(func(*args))

        return inner


    def plain(func):
        return func


    def add(x, y):
        return x + y


    if __name__ == "__main__":
        wrapped = closure(add)
        p = Process(target=wrapped, args=(7, 7))  # flagged: MPC202
        p.start()
        p.join(10)
        q = Process(target=plain(add), args=(7, 7))
        q.start()
        q.join(10)
    """

# Collections known from their annotations.
ANNOTATED_COLLECTIONS = """\
    from typing import Sequence
    from multiprocessing import Queue
    from multiprocessing.process import BaseProcess


    def stop(processes: list[BaseProcess], queues: Sequence[Queue], pairs: tuple[Queue, int]) -> None:
        for process in processes:
            process.join()  # flagged: MPC105
        for queue in queues:
            queue.get()  # flagged: MPC101
        for pair in pairs:
            pair.get()
    """

CASES = {
    "MPC101": [*UNBOUNDED_WAIT, UNBOUNDED_WAIT_DONE, TRACED, IDLE_WAITS, PUT_BEFORE_START, SERVES_FOR_EVER],
    "MPC102": [*RECV_WITHOUT_POLL, RECV_REMOTE, SERVES_UNTIL_ENDED],
    "MPC103": JOINABLE_QUEUE_JOIN,
    "MPC104": EXECUTOR_LEFT_WAITING,
    "MPC105": [*OPT_IN_WAITS, ANNOTATED_COLLECTIONS],
    "MPC107": [DROPPED_RESULT],
    "MPC108": [STOPS_ON_EMPTY],
    "MPC106": OPT_IN_WAITS,
    "MPC201": SYNC_OBJECT_IN_TASK,
    "MPC202": [*UNPICKLABLE_TARGET, UNPICKLABLE_CLASS_ATTRIBUTE, UNPICKLABLE_ARGUMENT, UNPICKLABLE_CLOSURE],
    "MPC203": UNGUARDED_START,
    "MPC204": GETPPID_IN_CHILD,
    "MPC205": MAX_TASKS,
    "MPC206": MAX_TASKS,
    "MPC207": [FORK_ONLY_STATE, FORK_CONTEXT],
    "MPC301": VALUE_UPDATE,
    "MPC302": [*NESTED_PROXY, PROXY_ALIAS],
    "MPC303": [INHERITED_ONLY_IN_PROXY],
    "MPC401": BARE_EXIT,
    "MPC402": PRINT_UNDER_LOCK,
    "MPC501": [*AUTHKEY, AUTHKEY_IN_TESTS],
    "MPC502": [AUTHKEY_AS_TEXT],
}
ALL_CASES = [case for cases in {id(c): c for c in CASES.values()}.values() for case in cases]


@pytest.mark.parametrize("source", ALL_CASES, ids=lambda source: textwrap.dedent(source).splitlines()[-3].strip()[:40])
def test_flags_what_is_marked_and_nothing_else(source: str) -> None:
    check(source)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_each_rule_is_proven_both_ways(rule: type) -> None:
    """Each rule has cases that it must flag, and lines beside them that it must not."""
    cases = [textwrap.dedent(source) for source in CASES[rule.code]]
    assert any((rule.code in {code for _, code in marked(source)}) for source in cases)
    assert any(len(source.splitlines()) > len([c for _, c in marked(source) if c == rule.code]) for source in cases)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_the_documented_example_is_flagged_and_what_to_write_instead_is_not(rule: type) -> None:
    every_rule = [r.code for r in RULES]
    example = {finding.code for finding in lint_source(rule.example, "example.py", select=[*OPT_IN, rule.code])}
    assert rule.code in example
    assert example <= {rule.code, *OPT_IN}, "the example shows one default rule"
    assert lint_source(rule.instead, "instead.py", select=every_rule) == []


# The API ---------------------------------------------------------------------------------------------


def test_lint_source_gives_sorted_frozen_findings() -> None:
    source = "from multiprocessing import Process, Queue\np = Process(target=print)\np.start()\nQueue().get()\n"
    findings = lint_source(source, "app/jobs.py")
    assert findings == sorted(findings)
    first = findings[0]
    assert (first.path, first.line, first.col, first.code) == ("app/jobs.py", 3, 1, "MPC203")
    assert str(findings[1]).startswith("app/jobs.py:4:1: MPC101 `Queue.get()` can wait for ever")
    with pytest.raises(AttributeError):
        first.line = 1  # type: ignore[misc]


def test_names_that_depend_on_each_other_are_worked_out_once_each() -> None:
    """Forty globals, each computed from the next two: worked out again and again, this would be
    exponential and stop at the step limit, with everything after it unknown."""
    import ast

    from portcheck.lint.inference import STEP_LIMIT, Inference

    names = [f"v{i}" for i in range(40)]
    updates = [f"    {a} = {b} + {c}" for a, b, c in zip(names, names[1:] + names[:1], names[2:] + names[:2])]
    source = "from multiprocessing import Queue\nq = Queue()\n\n\ndef step():\n    global " + ", ".join(names)
    module = Inference(ast.parse(source + "\n" + "\n".join(updates) + "\n    q.get()\n"))
    for name in names:
        module.lookup(name, module.scopes.module_scope)
    assert module.steps < STEP_LIMIT // 40
    assert [
        finding.code for finding in lint_source(source + "\n" + "\n".join(updates) + "\n    q.get()\n", "x.py")
    ] == ["MPC101"]


def test_source_that_does_not_parse_raises_what_python_says_and_where() -> None:
    with pytest.raises(SourceError, match=r"^old\.py:2:\d+: SyntaxError: Missing parentheses in call to 'print'"):
        lint_source('import multiprocessing\nprint "hello"\n', "old.py")


def test_select_and_ignore_take_codes_and_their_beginnings() -> None:
    source = textwrap.dedent(UNBOUNDED_WAIT[1])
    codes = {finding.code for finding in lint_source(source, "x.py")}
    assert codes == {"MPC101"}
    assert lint_source(source, "x.py", ignore=["MPC1"]) == []
    assert lint_source(source, "x.py", select=["MPC2"]) == []
    assert lint_source(source, "x.py", select=["MPC101"]) == lint_source(source, "x.py")
    with pytest.raises(ValueError, match="MPC999"):
        lint_source(source, "x.py", select=["MPC999"])


@pytest.mark.parametrize(
    ("comment", "silenced"),
    [
        ("# noqa", True),
        ("# noqa: MPC101", True),
        ("# NOQA:MPC101", True),
        ("#noqa: MPC101", True),
        ("# noqa: E501,MPC101", True),
        ("# noqa: E501 MPC101", True),
        ("# noqa: MPC1", True),
        ("# noqa: MPC102", False),
        ("# noqa: E501", False),
        ("# no qa", False),
    ],
)
def test_noqa_on_the_line(comment: str, silenced: bool) -> None:
    source = f"from multiprocessing import Queue\n\n\ndef f():\n    Queue().get()  {comment}\n"
    assert (lint_source(source, "x.py") == []) is silenced


def test_noqa_covers_a_statement_continued_by_backslash_as_in_flake8() -> None:
    source = "from multiprocessing import Queue\n\n\ndef f():\n    x = Queue().get() + \\\n        1  # noqa: MPC101\n"
    assert lint_source(source, "x.py") == []
    unsilenced = source.replace("  # noqa: MPC101", "")
    assert [finding.code for finding in lint_source(unsilenced, "x.py")] == ["MPC101"]


# The 2to3 ports of legacy/ --------------------------------------------------------------------------

# What the mechanical port of each legacy program is flagged for (2to3 changes no wait): each pair's
# `about.lint_2to3` in portcheck.toml. Mostly the unbounded gets and waits of Python 2 code, the recv()
# without poll() of the pipe examples, JoinableQueue.join(), and process_sleeper's os.getppid() in the
# child (pitfall 1).
LEGACY_PORTS = {name: PAIRS.programs[name].about["lint_2to3"] for name in pair_names()}


@pytest.mark.parametrize("name", sorted(LEGACY_PORTS))
def test_the_2to3_port_of_each_legacy_program(name: str) -> None:
    pytest.importorskip("fissix")
    from portcheck.mechanical import mechanical_port, read_source

    legacy = ROOT / "legacy" / f"{name}.py"
    port = mechanical_port(read_source(legacy, f"legacy/{name}.py"), f"{name}.py")
    findings = lint_source(port, f"{name}.py")
    assert [finding.code for finding in findings] == LEGACY_PORTS[name], "\n".join(map(str, findings))


def test_the_ports_keep_what_the_pairs_fixed() -> None:
    """A closer look at three ports: what is flagged is the Python 2 code the modern program fixed."""
    pytest.importorskip("fissix")
    from portcheck.mechanical import mechanical_port, read_source

    def port_findings(name: str) -> list[tuple[str, str]]:
        legacy = ROOT / "legacy" / f"{name}.py"
        port = mechanical_port(read_source(legacy, name), f"{name}.py")
        lines = port.splitlines()
        return [(f.code, lines[f.line - 1].strip()) for f in lint_source(port, f"{name}.py")]

    assert port_findings("queue_offer") == [("MPC101", "print(q.get())")]
    assert ("MPC204", 'print("Parent Process ID# %s" % (os.getppid()))') in port_findings("process_sleeper")
    assert ("MPC103", "tasks.join()") in port_findings("joinable_queue")


# The command -----------------------------------------------------------------------------------------


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GETS_FOR_EVER = """\
from multiprocessing import Queue

if __name__ == "__main__":
    q = Queue()
    q.put("hello")
    q.get()
"""


def test_command_prints_sorted_findings_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "b.py", GETS_FOR_EVER)
    write(tmp_path, "a/inner.py", GETS_FOR_EVER)
    assert main([str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    message = "MPC101 `q.get()` can wait for ever: get(timeout=...) and handle queue.Empty"
    assert out.splitlines() == [f"{tmp_path / 'a' / 'inner.py'}:6:5: {message}", f"{tmp_path / 'b.py'}:6:5: {message}"]


def test_command_exits_0_on_clean_code_and_skips_environments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "clean.py", GETS_FOR_EVER.replace("q.get()", "q.get(timeout=10)"))
    write(tmp_path, ".venv/lib/site.py", GETS_FOR_EVER)
    write(tmp_path, "build/lib/copy.py", GETS_FOR_EVER)
    write(tmp_path, "notes.txt", GETS_FOR_EVER)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert main([str(tmp_path)]) == 0
    assert capsys.readouterr() == ("", "")


def test_command_lints_a_file_named_by_any_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = write(tmp_path, "runner", GETS_FOR_EVER)
    assert main([str(script), "--ignore", "MPC101"]) == 0
    assert main([str(script), "--select", "MPC1"]) == 1
    assert "MPC101" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["missing.py"], "error: missing.py does not exist"),
        (["--select", "MPC999", "."], "error: no rule has the code 'MPC999'"),
        (["--format", "xml", "."], "error: argument --format: invalid choice: 'xml'"),
        ([], "error: the following arguments are required: PATH"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], error: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(error)
    assert err.count("\n") == 1


def test_a_file_that_does_not_parse_is_a_finding_and_the_rest_is_still_linted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "old.py", 'from multiprocessing import Pool\nprint "hello"\n')
    write(tmp_path, "new.py", GETS_FOR_EVER)
    write(tmp_path, "nul.py", "import multiprocessing\nx = 1\0\n")
    assert main([str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{tmp_path / 'new.py'}:6:5: MPC101")
    assert lines[1].startswith(f"{tmp_path / 'nul.py'}:2:6: MPC001 ")
    assert lines[2].startswith(f"{tmp_path / 'old.py'}:2:")
    assert "MPC001 SyntaxError: Missing parentheses in call to 'print'" in lines[2]


def test_a_file_is_read_in_its_declared_encoding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + GETS_FOR_EVER.encode())
    assert main([str(latin)]) == 1
    assert ":8:5: MPC101" in capsys.readouterr().out
    broken = tmp_path / "broken.py"
    broken.write_bytes(b"import multiprocessing\nx = '\xe9'\n")
    assert main([str(broken)]) == 1
    assert capsys.readouterr().out.startswith(f"{broken}:2:6: MPC002 cannot be decoded as utf-8")


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = write(tmp_path, "job.py", GETS_FOR_EVER)
    assert main([str(script), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out) == [
        {
            "path": str(script),
            "line": 6,
            "col": 5,
            "code": "MPC101",
            "name": "unbounded-wait",
            "message": "`q.get()` can wait for ever: get(timeout=...) and handle queue.Empty",
        }
    ]
    write(tmp_path, "job.py", GETS_FOR_EVER.replace("q.get()", "q.get(timeout=1)"))
    assert main([str(script), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_sarif_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "src/job.py", GETS_FOR_EVER)
    assert main(["src", "--format", "sarif"]) == 1
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["MPC001", "MPC002", "MPC003"] + [rule.code for rule in RULES]
    assert all(rule["helpUri"].endswith(f"docs/lint.md#{rule['id'].lower()}") for rule in rules)
    [result] = run["results"]
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == "MPC101"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "src/job.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 6, "startColumn": 5}


# flake8 ----------------------------------------------------------------------------------------------


def test_the_plugin_yields_what_flake8_expects() -> None:
    import ast

    tree = ast.parse(GETS_FOR_EVER)
    [(line, col, text, kind)] = list(Flake8Plugin(tree, "job.py").run())
    assert (line, col, kind) == (6, 4, Flake8Plugin)
    assert text.startswith("MPC101 `q.get()` can wait for ever")


def test_the_plugin_imports_without_flake8() -> None:
    code = "import sys; sys.modules['flake8'] = None; import portcheck.lint.plugin; print('ok')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout == "ok\n", done.stderr


def test_flake8_runs_the_rules_and_honours_noqa(tmp_path: Path) -> None:
    pytest.importorskip("flake8")
    from importlib.metadata import entry_points

    names = (
        {entry.name for entry in entry_points().get("flake8.extension", [])}
        if sys.version_info < (3, 10)
        else {entry.name for entry in entry_points(group="flake8.extension")}
    )
    if "MPC" not in names:
        pytest.skip("portcheck is not installed with its flake8 entry point here")
    script = write(tmp_path, "job.py", GETS_FOR_EVER + "    q.get()  # noqa: MPC101\n")
    # A chain of names deeper than Python's stack, which once ended the whole flake8 run with a RecursionError.
    chain = write(tmp_path, "long_chain.py", chain_of_names(1500))
    done = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "MPC", str(script), str(chain)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout.splitlines() == [
        f"{script}:6:5: MPC101 `q.get()` can wait for ever: get(timeout=...) and handle queue.Empty",
        f"{chain}:1507:5: MPC101 `q1.get()` can wait for ever: get(timeout=...) and handle queue.Empty",
    ]
    assert done.stderr == ""
    assert done.returncode == 1


def test_flake8_leaves_the_opt_in_codes_out_unless_selected(tmp_path: Path) -> None:
    from importlib.metadata import entry_points

    names = (
        {entry.name for entry in entry_points().get("flake8.extension", [])}
        if sys.version_info < (3, 10)
        else {entry.name for entry in entry_points(group="flake8.extension")}
    )
    if "MPC" not in names:
        pytest.skip("portcheck is not installed with its flake8 entry point here")
    source = "from multiprocessing import Process\n\np = Process(target=print)\np.start()\np.join()\n"
    script = write(tmp_path, "job.py", source)

    def codes(*options: str) -> list[str]:
        command = [sys.executable, "-m", "flake8", *options, str(script)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        return [line.split()[1] for line in done.stdout.splitlines() if " MPC" in line]

    # flake8's defaults leave MPC105 out; --extend-select adds it, and so does naming MPC in --select (flake8's rule).
    assert codes() == ["MPC203"]
    assert codes("--extend-select", "MPC105") == ["MPC203", "MPC105"]


# The rules' documentation ---------------------------------------------------------------------------


def test_rule_docs_are_data() -> None:
    docs = rule_docs()
    assert [doc.code for doc in docs] == [rule.code for rule in RULES]
    assert all(re.fullmatch(r"MPC[1-9][0-9]{2}", doc.code) for doc in docs)
    assert len({doc.name for doc in docs}) == len(docs)
    for doc in docs:
        assert all((doc.what, doc.why, doc.example, doc.instead)), doc.code
        assert re.fullmatch(r"Finds [^\n]+\.", doc.summary), doc.code


def test_each_rule_comes_from_a_pitfall_or_a_pair_that_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for doc in rule_docs():
        if doc.pair is not None:
            assert (ROOT / "modern" / f"{doc.pair}.py").is_file(), doc.code
            assert (ROOT / "legacy" / f"{doc.pair}.py").is_file(), doc.code
        if doc.pitfall is not None:
            item = re.search(rf'^{doc.pitfall}\. <a id="pitfall-{doc.pitfall}"></a>(.*)$', readme, re.MULTILINE)
            assert item, f"{doc.code}: no pitfall {doc.pitfall} in README.md"
            assert f"`{doc.pair}`" in item.group(1).rpartition("Shown by")[2], f"{doc.code}: pitfall {doc.pitfall}"
    unsourced = [doc for doc in rule_docs() if doc.pitfall is None and doc.pair is None]
    assert all("comes from" in doc.why for doc in unsourced), "a rule of no pair says in `why` where it comes from"


def test_the_rules_page_is_what_the_generator_makes_now() -> None:
    page = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    assert page == rules_markdown(), "docs/lint.md is stale: python -m portcheck.lint.docs > docs/lint.md"


def test_the_rules_page_has_a_section_for_each_rule() -> None:
    page = rules_markdown()
    for rule in RULES:
        assert f"\n## {rule.code}\n" in page
        assert f"[{rule.code}](#{rule.code.lower()})" in page
