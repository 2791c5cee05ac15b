"""Queue.put/get with block and timeout: queue.Full on a full bounded queue, queue.Empty on an empty one.

Python 3: the exceptions live in the queue module (Python 2's Queue module), and time.monotonic()
measures the wait without jumping with the wall clock.
"""

from __future__ import annotations

import queue
import time
from multiprocessing import Queue, queues
from typing import Any, Callable

TIMEOUT = 0.5


def timed(call: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    start = time.monotonic()
    try:
        call(*args, **kwargs)
    except (queue.Empty, queue.Full) as exc:
        waited = time.monotonic() - start >= 0.9 * TIMEOUT
        return f"{type(exc).__name__} {'after the timeout' if waited else 'at once'}"
    return "no exception"


def main() -> None:
    q: queues.Queue[str] = Queue(maxsize=1)
    q.put("only item")
    print(f"put(block=False) on a full queue: {timed(q.put, 'one more', block=False)}")
    print(f"put(timeout={TIMEOUT}) on a full queue: {timed(q.put, 'one more', timeout=TIMEOUT)}")
    try:
        q.put("one more", blocked=False)  # type: ignore[call-arg]
    except TypeError:
        print("put(blocked=False): TypeError, the keyword is block")
    print(f"get(timeout=1): {q.get(timeout=1)}")
    print(f"get(block=False) on an empty queue: {timed(q.get, block=False)}")
    print(f"get(timeout={TIMEOUT}) on an empty queue: {timed(q.get, timeout=TIMEOUT)}")


if __name__ == "__main__":
    main()
