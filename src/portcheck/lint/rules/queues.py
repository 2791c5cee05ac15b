"""A rule on reading a queue: a loop that takes `empty()` to mean that no more items will come."""

from __future__ import annotations

import ast
from typing import Iterator

from portcheck.lint.apis import QUEUES
from portcheck.lint.inference import Inference
from portcheck.lint.rules.base import Flagged, Rule
from portcheck.lint.scopes import FUNCTIONS
from portcheck.lint.syntax import calls_in, exits, method_call, same


class StopsOnEmpty(Rule):
    """Finds a loop in a child process or a pool's task that stops when a multiprocessing queue is
    `empty()`: `while not q.empty(): q.get()`, or `if q.empty(): break` in a loop that gets from it.

    Left alone: such a loop in the parent (after `join()` of the processes that put, what they put has
    arrived), a manager's queue, and `get(timeout=...)` with `queue.Empty` as the end.
    """

    code = "MPC108"
    name = "stops-on-empty"
    why = """\
A multiprocessing queue's `put()` returns before the item is in the pipe: a feeder thread in the
putting process sends it later. So `empty()` in another process can be True while items are still on
their way, and a consumer that stops on it stops early and leaves them unread, at random, more often
on a loaded machine; the docs call `empty()` "not reliable". Stop on a value the producer puts last
(`None`), or on `get(timeout=...)` raising `queue.Empty`. It comes from code others wrote that the
lint was measured on, not from a pair."""
    example = """\
from multiprocessing import Process, Queue


def consume(tasks):
    while not tasks.empty():
        print(tasks.get())


if __name__ == "__main__":
    tasks = Queue()
    for n in range(100):
        tasks.put(n)
    worker = Process(target=consume, args=(tasks,))
    worker.start()
    worker.join(10)
"""
    instead = """\
from multiprocessing import Process, Queue

TIMEOUT = 10


def consume(tasks):
    while (item := tasks.get(timeout=TIMEOUT)) is not None:
        print(item)


if __name__ == "__main__":
    tasks = Queue()
    for n in range(100):
        tasks.put(n)
    tasks.put(None)
    worker = Process(target=consume, args=(tasks,))
    worker.start()
    worker.join(TIMEOUT)
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        children = module.children()
        in_children = children.processes | children.tasks
        for node in module.nodes:
            if not isinstance(node, ast.While):
                continue
            function = module.scopes.enclosing_function(node)
            if function is None or function not in in_children:
                continue
            if any(True for _ in self._stopping_queues(module, node)):
                yield (
                    node,
                    (
                        "empty() can be True while items put by another process are still on their way: "
                        "stop on a value put last (None), or on get(timeout=...) raising queue.Empty"
                    ),
                )

    def _stopping_queues(self, module: Inference, loop: ast.While) -> Iterator[ast.expr]:
        """The multiprocessing queues the loop both gets from and stops on when empty()."""
        tests = [loop.test]
        for node in ast.walk(loop):
            if isinstance(node, ast.If) and node.body and exits(node.body[-1]) and not self._nested(module, node, loop):
                tests.append(node.test)
        for test in tests:
            for call in calls_in(test):
                method = method_call(call)
                if method is None or method[1] not in ("empty", "qsize"):
                    continue
                owner = module.kind(method[0])
                if owner is None or owner.proxied or owner.kind not in QUEUES:
                    continue
                if any(
                    (got := method_call(inner)) is not None
                    and got[1] in ("get", "get_nowait")
                    and same(got[0], method[0])
                    for inner in calls_in(loop)
                ):
                    yield method[0]

    def _nested(self, module: Inference, node: ast.AST, loop: ast.While) -> bool:
        """Whether `node` is in a loop or function inside `loop` (its break is not this loop's)."""
        for ancestor in module.scopes.ancestors(node):
            if ancestor is loop:
                return False
            if isinstance(ancestor, (ast.While, ast.For, ast.AsyncFor, *FUNCTIONS)):
                return True
        return False
