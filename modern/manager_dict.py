"""Manager().dict() and Namespace: state kept by a manager's server process, shared through proxies.

Python 3: `with Manager() as manager:` shuts the manager's process down on every way out of the
block; the children are daemonic, joined with a timeout and their exit codes checked, all inside
the block, since the proxies stop working once the manager is shut down. Proxies pickle, so they
reach children under spawn and forkserver as under fork. A proxy still forwards only its own
operations: a value fetched from it is a copy, and changing the copy changes nothing shared.
"""

from __future__ import annotations

import sys
from multiprocessing import Manager, Process
from multiprocessing.managers import DictProxy, NamespaceProxy
from typing import Any, Callable

TIMEOUT = 10  # seconds


def square(shared: DictProxy[Any, Any], n: int) -> None:
    shared[n] = n * n


def set_status(namespace: NamespaceProxy, status: str) -> None:
    namespace.status = status


def append_in_place(shared: DictProxy[Any, Any], item: str) -> None:
    shared["log"].append(item)  # noqa: MPC302 (the lesson: this change is lost)


def append_and_store(shared: DictProxy[Any, Any], item: str) -> None:
    log = shared["log"]
    log.append(item)
    shared["log"] = log


def run(target: Callable[..., None], *args: Any) -> None:
    start_and_join([Process(target=target, args=args, daemon=True)])


def start_and_join(workers: list[Process]) -> None:
    for w in workers:
        w.start()
    for w in workers:
        w.join(TIMEOUT)
    if any(w.exitcode != 0 for w in workers):
        sys.exit(f"exit codes: {[w.exitcode for w in workers]}")


def main() -> None:
    with Manager() as manager:
        shared = manager.dict()
        namespace = manager.Namespace()
        namespace.status = "set by the parent"
        workers = [Process(target=square, args=(shared, n), daemon=True) for n in range(1, 5)]
        workers.append(Process(target=set_status, args=(namespace, "set by a child"), daemon=True))
        start_and_join(workers)
        print(f"dict items set by 4 children: {sorted(shared.items())}")
        print(f"namespace.status: {namespace.status}")
        shared["log"] = []
        run(append_in_place, shared, "appended in place")
        print(f"after a child's shared['log'].append(): {shared['log']}")
        run(append_and_store, shared, "appended and stored back")
        print(f"after a child stored the changed list back: {shared['log']}")


if __name__ == "__main__":
    main()
