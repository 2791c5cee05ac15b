"""Measure multiprocessing primitives on the interpreter that runs this file; print JSON.

    python probe.py ROUNDS SCALE START_METHOD [START_METHOD ...]

Runs unchanged on Python 2.7 and 3 (so no f-strings and no annotations). For each measure it
takes ROUNDS samples; SCALE multiplies the work per sample (1 for a real run, small for --quick).
Each sample is seconds per operation, so a lower number is better everywhere. Python 2.7
knows only fork, so there the start method is a name, not a choice.
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


def noop(*_):
    return None


def echo(queue_in, queue_out):
    for item in iter(queue_in.get, None):
        queue_out.put(item)


def produce(queue, count):
    for number in range(count):
        queue.put(number)


def send_all(conn, payload, count):
    for _ in range(count):
        conn.send_bytes(payload)
    conn.close()


def per_op(function, count):
    start = clock()
    function(count)
    return (clock() - start) / count


def process_start_join(ctx, count):
    for _ in range(count):
        process = ctx.Process(target=noop)
        process.start()
        process.join()


def queue_round_trip(ctx, count):
    requests, replies = ctx.Queue(), ctx.Queue()
    process = ctx.Process(target=echo, args=(requests, replies))
    process.start()
    requests.put(0)
    replies.get()  # the child is up; time only the round trips
    start = clock()
    for number in range(count):
        requests.put(number)
        replies.get()
    elapsed = clock() - start
    requests.put(None)
    process.join()
    return elapsed / count


def queue_throughput(ctx, count):
    queue = ctx.Queue()
    process = ctx.Process(target=produce, args=(queue, count))
    process.start()
    queue.get()
    start = clock()
    for _ in range(count - 1):
        queue.get()
    elapsed = clock() - start
    process.join()
    return elapsed / (count - 1)


def pipe_throughput(ctx, size, count):
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=send_all, args=(sender, b"x" * size, count + 1))
    process.start()
    sender.close()
    receiver.recv_bytes()
    start = clock()
    for _ in range(count):
        receiver.recv_bytes()
    elapsed = clock() - start
    process.join()
    return elapsed / count


def lock_acquire_release(ctx, count):
    lock = ctx.Lock()
    start = clock()
    for _ in range(count):
        lock.acquire()
        lock.release()
    return (clock() - start) / count


def pool_apply(ctx, count):
    pool = ctx.Pool(1)
    pool.apply(noop)
    start = clock()
    for _ in range(count):
        pool.apply(noop)
    elapsed = clock() - start
    pool.close()
    pool.join()
    return elapsed / count


def executor_submit_result(ctx, count):
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as executor:
        executor.submit(noop).result()
        start = clock()
        for _ in range(count):
            executor.submit(noop).result()
        return (clock() - start) / count


def fork_waitpid(count):
    for _ in range(count):
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)


def os_pipe_throughput(size, count):
    read_end, write_end = os.pipe()
    payload = b"x" * size
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        for _ in range(count):
            view = memoryview(payload)
            while view:
                view = view[os.write(write_end, view) :]
        os._exit(0)
    os.close(write_end)
    start = clock()
    remaining = size * count
    while remaining:
        remaining -= len(os.read(read_end, MIB))
    elapsed = clock() - start
    os.waitpid(pid, 0)
    os.close(read_end)
    return elapsed / count


def times(base, scale, least):
    return max(least, int(base * scale))


def context(method):
    if hasattr(multiprocessing, "get_context"):
        return multiprocessing.get_context(method)
    return multiprocessing  # Python 2.7: fork only


def measures(method, scale):
    ctx = context(method)
    found = {
        "process start + join": lambda: per_op(lambda n: process_start_join(ctx, n), times(20, scale, 2)),
        "Queue round trip": lambda: queue_round_trip(ctx, times(2000, scale, 10)),
        "Queue small message": lambda: queue_throughput(ctx, times(20000, scale, 10)),
        "Pipe 100 B message": lambda: pipe_throughput(ctx, 100, times(20000, scale, 10)),
        "Pipe 1 MiB message": lambda: pipe_throughput(ctx, MIB, times(100, scale, 2)),
        "Pool.apply round trip": lambda: pool_apply(ctx, times(1000, scale, 10)),
    }
    if sys.version_info[0] >= 3:
        found["executor submit -> result"] = lambda: executor_submit_result(ctx, times(1000, scale, 10))
    return found


def floors(scale):
    return {
        "Lock acquire + release": lambda: lock_acquire_release(multiprocessing, times(200000, scale, 1000)),
        "floor: os.fork + waitpid": lambda: per_op(fork_waitpid, times(100, scale, 2)),
        "floor: os.pipe 1 MiB": lambda: os_pipe_throughput(MIB, times(200, scale, 2)),
    }


def sample(measure, rounds):
    return [measure() for _ in range(rounds)]


def main():
    rounds, scale, methods = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
    results = {}
    for method in methods:
        for name, measure in measures(method, scale).items():
            results["%s|%s" % (name, method)] = sample(measure, rounds)
    for name, measure in floors(scale).items():
        results["%s|-" % name] = sample(measure, rounds)
    version = "%d.%d.%d" % sys.version_info[:3]
    json.dump({"python": version, "executable": sys.executable, "samples": results}, sys.stdout)


if __name__ == "__main__":
    main()
