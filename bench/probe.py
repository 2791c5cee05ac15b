"""Measure multiprocessing primitives on the interpreter that runs this file; print JSON.

    python probe.py ROUNDS BUDGET START_METHOD [START_METHOD ...]

Runs unchanged on Python 2.7 and 3 (so no f-strings and no annotations). Each measure sets up
once (its helper process, pool or executor started and warmed up), finds how many operations
fill BUDGET seconds, then times ROUNDS batches of that many. Each sample is seconds per
operation, so a lower number is better everywhere. Python 2.7 knows only fork, so there the
start method is a name, not a choice.
"""

from __future__ import division, print_function

import json
import multiprocessing
import os
import sys
import time

try:
    from time import perf_counter as clock
except ImportError:  # Python 2.7
    clock = time.time

MIB = 1024 * 1024
PIPE_CAPACITY = 64 * 1024  # Linux's default: reading more at once only allocates more


def noop(*_):
    return None


def echo(requests, replies):
    for item in iter(requests.get, None):
        replies.put(item)


def produce(control, queue):
    for count in iter(control.get, None):
        for number in range(count):
            queue.put(number)


def send_all(control, conn, size):
    payload = b"x" * size
    for count in iter(control.recv, None):
        for _ in range(count):
            conn.send_bytes(payload)


def write_all(control, write_end, size):
    payload = b"x" * size
    for count in iter(lambda: os.read(control, 16), b""):
        for _ in range(int(count)):
            view = memoryview(payload)
            while view:
                view = view[os.write(write_end, view) :]


def timed(operations):
    """A batch runner: batch(count) does count operations and returns the seconds they took."""

    def batch(count):
        start = clock()
        operations(count)
        return clock() - start

    return batch


def process_start_join(ctx):
    def operations(count):
        for _ in range(count):
            process = ctx.Process(target=noop)
            process.start()
            process.join()

    yield timed(operations)


def queue_round_trip(ctx):
    requests, replies = ctx.Queue(), ctx.Queue()
    helper = ctx.Process(target=echo, args=(requests, replies))
    helper.start()

    def operations(count):
        for number in range(count):
            requests.put(number)
            replies.get()

    yield timed(operations)
    requests.put(None)
    helper.join()


def streamed(ctx, target, args, ask, take, helpers_ends=()):
    """A helper process, target(*args), that sends as many items as ask(count) asks for, until
    ask(None); an operation receives one with take(). `helpers_ends` are the ends only the helper
    uses: closed here once it has started."""
    helper = ctx.Process(target=target, args=args)
    helper.start()
    for end in helpers_ends:
        end.close()

    def operations(count):
        ask(count)
        for _ in range(count):
            take()

    yield timed(operations)
    ask(None)
    helper.join()


def queue_throughput(ctx):
    control, queue = ctx.Queue(), ctx.Queue()
    return streamed(ctx, produce, (control, queue), control.put, queue.get)


def pipe_throughput(ctx, size):
    control_in, control = ctx.Pipe(duplex=False)
    receiver, sender = ctx.Pipe(duplex=False)
    return streamed(ctx, send_all, (control_in, sender, size), control.send, receiver.recv_bytes, (sender,))


def pool_apply(ctx):
    pool = ctx.Pool(1)
    yield timed(lambda count: [pool.apply(noop) for _ in range(count)])
    pool.close()
    pool.join()


def executor_submit_result(ctx):
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as executor:
        yield timed(lambda count: [executor.submit(noop).result() for _ in range(count)])


def lock_acquire_release(ctx):
    lock = ctx.Lock()

    def operations(count):
        for _ in range(count):
            lock.acquire()
            lock.release()

    yield timed(operations)


def fork_waitpid():
    def operations(count):
        for _ in range(count):
            pid = os.fork()
            if pid == 0:
                os._exit(0)
            os.waitpid(pid, 0)

    yield timed(operations)


def os_pipe_throughput(size):
    control_in, control = os.pipe()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(control)
        os.close(read_end)
        write_all(control_in, write_end, size)
        os._exit(0)
    os.close(control_in)
    os.close(write_end)

    def operations(count):
        os.write(control, b"%15d\n" % count)
        remaining = size * count
        while remaining:
            remaining -= len(os.read(read_end, PIPE_CAPACITY))

    yield timed(operations)
    os.close(control)
    os.waitpid(pid, 0)
    os.close(read_end)


def context(method):
    if hasattr(multiprocessing, "get_context"):
        return multiprocessing.get_context(method)
    return multiprocessing  # Python 2.7: fork only


def measures(method):
    ctx = context(method)
    found = [
        ("process start + join", lambda: process_start_join(ctx)),
        ("Queue round trip", lambda: queue_round_trip(ctx)),
        ("Queue small message", lambda: queue_throughput(ctx)),
        ("Pipe 100 B message", lambda: pipe_throughput(ctx, 100)),
        ("Pipe 1 MiB message", lambda: pipe_throughput(ctx, MIB)),
        ("Pool.apply round trip", lambda: pool_apply(ctx)),
    ]
    if sys.version_info[0] >= 3:
        found.append(("executor submit -> result", lambda: executor_submit_result(ctx)))
    return found


def start_method_free():
    return [
        ("Lock acquire + release", lambda: lock_acquire_release(multiprocessing)),
        ("floor: os.fork + waitpid", fork_waitpid),
        ("floor: os.pipe 1 MiB", lambda: os_pipe_throughput(MIB)),
    ]


def sample(setup, rounds, budget):
    """Set up once, size a batch to fill the budget, and return seconds per operation for each round."""
    steps = setup()
    batch = next(steps)
    batch(1)  # warm-up: the first operation also waits for the helper to start
    count, elapsed = 1, batch(1)
    while elapsed < budget / 2:
        count *= max(2, min(100, int(budget / max(elapsed, 1e-9) / 2)))
        elapsed = batch(count)
    count = max(1, int(count * budget / elapsed))
    samples = [batch(count) / count for _ in range(rounds)]
    for _ in steps:  # tear down
        pass
    return samples


def main():
    rounds, budget, methods = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
    # The floors first: fork gets slower as this process grows, so measure them while it is smallest.
    plan = [(name, "-", setup) for name, setup in start_method_free()]
    plan += [(name, method, setup) for method in methods for name, setup in measures(method)]
    results = [
        {"measure": name, "start method": method, "samples": sample(setup, rounds, budget)}
        for name, method, setup in plan
    ]
    version = "%d.%d.%d" % sys.version_info[:3]
    json.dump({"python": version, "executable": sys.executable, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
