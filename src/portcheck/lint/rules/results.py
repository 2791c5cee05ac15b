"""A rule on a task's outcome: a result dropped where it is made, so the task's exception is never seen."""

from __future__ import annotations

import ast
from typing import Iterator

from portcheck.lint.apis import Kind
from portcheck.lint.inference import Inference
from portcheck.lint.rules.base import Flagged, Rule
from portcheck.lint.syntax import argument, method_call

# What hands a task over and returns the only way to see how it ended.
POOL_ASYNC = frozenset({"apply_async", "map_async", "starmap_async"})


class DroppedResult(Rule):
    """Finds a task whose result is dropped where it is made: `pool.apply_async(...)`,
    `map_async()` or `starmap_async()` without `error_callback=`, and a process pool's
    `executor.submit(...)` or `executor.map(...)`, each a statement of its own (or the items of a
    list comprehension that is one).

    Left alone: a result kept (`result = pool.apply_async(...)`, `futures.append(executor.submit(...))`),
    `error_callback=` given, and `executor.submit(...).add_done_callback(...)`.
    """

    code = "MPC107"
    name = "dropped-result"
    why = """\
A pool runs a task in another process and keeps what it raised in the `AsyncResult` or `Future` it
returned: `get()` or `result()` raises it there, and nowhere else. Drop that object and a task that
fails leaves no trace, no traceback and no exit status; a `callback=` runs only on success.
`error_callback=` is called with the exception; a kept future can be read, or given
`add_done_callback()`. It comes from code others wrote that the lint was measured on, not from a
pair."""
    example = """\
from multiprocessing import Pool


def store(n):
    if n == 3:
        raise ValueError(n)


if __name__ == "__main__":
    with Pool(2) as pool:
        for n in range(5):
            pool.apply_async(store, (n,))
        pool.close()
        pool.join()
"""
    instead = """\
import sys
from multiprocessing import Pool

TIMEOUT = 10


def store(n):
    if n == 3:
        raise ValueError(n)


if __name__ == "__main__":
    with Pool(2) as pool:
        results = [pool.apply_async(store, (n,)) for n in range(5)]
        for result in results:
            try:
                result.get(TIMEOUT)
            except ValueError as exc:
                sys.exit(f"store() failed: {exc!r}")
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        for node in module.nodes:
            if not isinstance(node, ast.Expr):
                continue
            made = node.value
            if isinstance(made, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
                made = made.elt
            message = self._dropped(module, made)
            if message:
                yield made, message

    def _dropped(self, module: Inference, call: ast.expr) -> str | None:
        method = method_call(call)
        if method is None:
            return None
        owner = module.kind(method[0])
        if owner is None:
            return None
        name = method[1]
        if owner.kind is Kind.POOL and name in POOL_ASYNC and argument(call, None, "error_callback") is None:  # type: ignore[arg-type]
            return (
                f"the AsyncResult of {name}() is dropped: an exception in the task is never seen; "
                "keep it and get() it, or pass error_callback="
            )
        if owner.kind is Kind.EXECUTOR and name in ("submit", "map"):
            kept = "Future" if name == "submit" else "iterator of results"
            return f"the {kept} of {name}() is dropped: an exception in the task is never seen; keep it and read it"
        return None
