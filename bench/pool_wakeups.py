"""Why Pool.apply is slower and noisier on Python 3.8+: count the worker-handler thread's wake-ups.

    python3.X bench/pool_wakeups.py

Since Python 3.8 (bpo-35493) the Pool's worker-handler thread waits on its workers' sentinels,
a change notifier, and the pipe that carries results back. A result sitting in that pipe keeps
the wait returning at once until the result-handler thread has read it, so the worker handler
spins, holding the GIL the result handler needs. This counts those wake-ups per apply. It wraps
a private method, so it is a diagnostic for the README's claim, not an example to copy.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import sys
import time

APPLIES = 200
wakeups = 0
_wait_for_updates = multiprocessing.pool.Pool._wait_for_updates


def counting_wait_for_updates(*args, **kwargs):
    global wakeups
    wakeups += 1
    return _wait_for_updates(*args, **kwargs)


def noop() -> None:
    return None


def measure(method: str) -> tuple[float, float]:
    global wakeups
    with multiprocessing.get_context(method).Pool(1) as pool:
        pool.apply(noop)
        wakeups, start = 0, time.perf_counter()
        for _ in range(APPLIES):
            pool.apply(noop)
        elapsed = time.perf_counter() - start
    return elapsed / APPLIES, wakeups / APPLIES


def main() -> None:
    multiprocessing.pool.Pool._wait_for_updates = staticmethod(counting_wait_for_updates)
    version = ".".join(map(str, sys.version_info[:2]))
    for method in ("fork", "spawn", "forkserver"):
        seconds, per_apply = measure(method)
        print(f"Python {version} {method:>10}: {seconds * 1e6:7.0f} µs per apply, {per_apply:6.1f} wake-ups per apply")


if __name__ == "__main__":
    main()
