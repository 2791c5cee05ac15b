"""Rules on starting work in other processes: what can be sent there, and when it may be started."""

from __future__ import annotations

import ast
from typing import Iterator

from portcheck.lint.apis import INHERITED_ONLY, Kind, canonical
from portcheck.lint.inference import Dispatch, Inference
from portcheck.lint.rules.base import Flagged, Rule
from portcheck.lint.scopes import FUNCTIONS, FunctionNode
from portcheck.lint.syntax import (
    argument,
    calls_in,
    is_constant,
    method_call,
    own_calls,
    runs_at_import,
    under_main_guard,
)
from portcheck.lint.values import Known, Many, Obj, Ref, Tup, item_of


def fork_only(module: Inference) -> bool:
    """Whether the module sets the fork start method for everything it starts."""
    for call in module.calls:
        function = module.value(call.func)
        sets_start_method = isinstance(function, Ref) and canonical(function.qualname).endswith(".set_start_method")
        if sets_start_method and is_constant(argument(call, 0, "method"), "fork"):
            return True
    return False


def forked_by(module: Inference, call: ast.Call) -> bool:
    """Whether `call` is made on a context from get_context("fork")."""
    method = method_call(call)
    if method is None:
        return False
    owner = module.kind(method[0])
    return (
        owner is not None
        and owner.kind is Kind.CONTEXT
        and owner.call is not None
        and is_constant(argument(owner.call, 0, "method"), "fork")
    )


def passed(module: Inference, dispatch: Dispatch) -> Iterator[Known]:
    """Everything a dispatch sends: each argument, each item of map's iterables, and what they hold."""
    sources = [*(dispatch.positional or []), *dispatch.keywords.values()]
    found = [module.argument_value(source) for source in sources]
    if dispatch.star_items is not None:
        found.append(item_of(module.value(dispatch.star_items)))
    waiting = list(found)
    for _ in range(3):  # a tuple of lists of queues is as deep as anyone goes
        deeper = []
        for known in waiting:
            yield known
            if isinstance(known, Tup):
                deeper.extend(known.items)
            elif isinstance(known, Many):
                deeper.append(known.item)
        waiting = deeper


class InheritedOnlyInTask(Rule):
    """Finds a multiprocessing lock, queue or shared value passed to a process pool's task.

    That is a `Lock`, `RLock`, `Semaphore`, `Condition`, `Event`, `Barrier`, `Queue`,
    `JoinableQueue`, `SimpleQueue`, `Value` or `Array`, given as an argument of `submit()`,
    `apply()` or `apply_async()`, in the iterables of `map()` and `starmap()`, or bound by
    `functools.partial`.

    Left alone: the same objects given to `Process(args=...)` or to `initializer=` with
    `initargs=` (they are handed over as the process starts, which is allowed), and a manager's
    proxies (`Manager().Lock()`, `Manager().Queue()`), which pickle.
    """

    code = "MPC201"
    name = "sync-object-in-task"
    pitfall = 3
    pair = "lock_print"
    why = """\
A pool pickles each task's arguments and sends them to a worker that is already running. These
objects refuse that: "Lock objects should only be shared between processes through inheritance",
says the `RuntimeError`, raised in the parent by `apply()` or `map()`, and by an executor's
`result()`. The fix is to hand the object to each worker once, as it starts, with `initializer=`
and `initargs=`, which works under every start method; or to use a `Manager`'s version of it."""
    example = """\
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Lock


def work(lock, num):
    with lock:
        print(f"Hello Num: {num}", flush=True)


if __name__ == "__main__":
    lock = Lock()
    with ProcessPoolExecutor(max_workers=4) as executor:
        for num in range(20):
            executor.submit(work, lock, num)
"""
    instead = """\
import sys
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Lock, active_children

TIMEOUT = 10
lock = None  # each worker's, set by share_lock() as the worker starts


def share_lock(shared):
    global lock
    lock = shared


def work(num):
    with lock:
        print(f"Hello Num: {num}", flush=True)


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=4, initializer=share_lock, initargs=(Lock(),)) as executor:
        try:
            list(executor.map(work, range(20), timeout=TIMEOUT))
        except futures.TimeoutError:
            for worker in active_children():
                worker.terminate()
            sys.exit(f"the tasks did not finish within {TIMEOUT} s")
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        for call in module.calls:
            for dispatch in module.dispatches(call):
                if dispatch.how != "task":
                    continue
                for known in passed(module, dispatch):
                    if isinstance(known, Obj) and known.kind in INHERITED_ONLY and not known.proxied:
                        yield (
                            call,
                            (
                                f"a multiprocessing {known.kind.value} cannot be pickled into a pool task "
                                "(RuntimeError): give it to each worker with initializer= and initargs=, "
                                "or use a Manager's"
                            ),
                        )
                        break


class UnguardedStart(Rule):
    """Finds processes started when the module is imported, outside `if __name__ == "__main__":`.

    That is a `Process` started, a `Pool` or a `Manager()` made, work submitted to a process pool,
    or a call of a function of the module that does any of these.

    Left alone: a program that sets the fork start method for everything (`set_start_method("fork")`),
    and processes made by a `get_context("fork")` context.
    """

    code = "MPC203"
    name = "unguarded-start"
    pair = "process_sleeper"
    why = """\
Under spawn and forkserver each child starts by importing the main module again, as
`__mp_main__`. Code at module level runs again in every child, and a child that starts a process
while it is still importing raises `RuntimeError` ("An attempt has been made to start a new process
before the current process has finished its bootstrapping phase"). spawn is the default on macOS
and Windows, forkserver on Linux from Python 3.14. Every modern program keeps its work in `main()`
under the guard; the article's `process_sleeper` already had the guard."""
    example = """\
from multiprocessing import Pool


def square(n):
    return n * n


with Pool(4) as pool:
    print(pool.map_async(square, range(10)).get(10))
"""
    instead = """\
from multiprocessing import Pool


def square(n):
    return n * n


def main():
    with Pool(4) as pool:
        print(pool.map_async(square, range(10)).get(10))


if __name__ == "__main__":
    main()
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        if fork_only(module):
            return
        starts: dict[FunctionNode, bool] = {}
        for statement in module.tree.body:
            yield from self._unguarded(module, statement, starts)

    def _unguarded(self, module: Inference, statement: ast.stmt, starts: dict[FunctionNode, bool]) -> Iterator[Flagged]:
        for call in _outermost_calls(statement):
            if not runs_at_import(call, module.scopes) or under_main_guard(call, module.scopes):
                continue
            started = self._starts(module, call, starts)
            if started:
                yield (
                    call,
                    (
                        f"{started} when the module is imported: under spawn and forkserver each child imports it "
                        'again and fails; move it under `if __name__ == "__main__":`'
                    ),
                )

    def _starts(self, module: Inference, call: ast.Call, starts: dict[FunctionNode, bool]) -> str | None:
        """What `call`, or a call inside it, starts; None if nothing."""
        for inner in calls_in(call):
            found = self._starting(module, inner)
            if found:
                return found
            resolved = module.function_of(module.value(inner.func))
            if resolved is not None and self._function_starts(module, resolved[0], starts):
                name = getattr(resolved[0], "name", "it")
                return f"{name}() starts processes"
        return None

    def _function_starts(self, module: Inference, function: FunctionNode, starts: dict[FunctionNode, bool]) -> bool:
        if function not in starts:
            starts[function] = False  # a recursive function starts nothing more by calling itself
            starts[function] = any(
                self._starting(module, call)
                or (
                    (resolved := module.function_of(module.value(call.func))) is not None
                    and self._function_starts(module, resolved[0], starts)
                )
                for call in own_calls(function)
            )
        return starts[function]

    def _starting(self, module: Inference, call: ast.Call) -> str | None:
        """What this call starts by itself, if it starts processes; None if not."""
        if forked_by(module, call):
            return None
        method = method_call(call)
        if method is not None:
            owner = module.kind(method[0])
            if owner is not None and owner.kind is Kind.PROCESS and method[1] == "start":
                return "starts a process"
            if owner is not None and owner.kind is Kind.MANAGER and method[1] == "start":
                return "starts a manager's process"
            if owner is not None and owner.kind is Kind.EXECUTOR and method[1] in ("submit", "map"):
                return "starts a process pool's workers"
        made = module.kind(call)
        if made is not None and made.call is call and not made.proxied:
            if made.kind is Kind.POOL:
                return "starts a pool's workers"
            function = module.value(call.func)
            if made.kind is Kind.MANAGER and not (
                isinstance(function, Ref) and function.qualname.endswith("SyncManager")
            ):
                return "starts a manager's process"
        return None


def _outermost_calls(statement: ast.stmt) -> Iterator[ast.Call]:
    """The calls a statement makes as it runs (a class body's included), each not inside another call."""
    waiting: list[ast.AST] = [statement]
    while waiting:
        node = waiting.pop()
        if isinstance(node, FUNCTIONS):
            continue  # its body runs when it is called
        if isinstance(node, ast.Call):
            yield node
        else:
            waiting.extend(ast.iter_child_nodes(node))


class GetppidInChild(Rule):
    """Finds `os.getppid()` in a function that runs in a child process.

    That is a `Process` target, the `run()` of a `Process` subclass, a pool's task or initializer,
    or a function of the module they call.
    """

    code = "MPC204"
    name = "getppid-in-child"
    pitfall = 1
    pair = "process_sleeper"
    why = """\
Under forkserver a child is forked by the fork server, not by your program, so its
`os.getppid()` is the fork server's pid. `multiprocessing.parent_process()` (3.8+) is the process
that started the child under all three start methods, and forkserver is Linux's default from
Python 3.14."""
    example = """\
import os
from multiprocessing import Process


def sleeper(name):
    print(f"{name}: parent process {os.getppid()}")


if __name__ == "__main__":
    child = Process(target=sleeper, args=("bob",))
    child.start()
    child.join(10)
"""
    instead = """\
import multiprocessing
from multiprocessing import Process


def sleeper(name):
    print(f"{name}: parent process {multiprocessing.parent_process().pid}")


if __name__ == "__main__":
    child = Process(target=sleeper, args=("bob",))
    child.start()
    child.join(10)
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        children = module.children()
        for function in sorted(children.processes | children.tasks, key=lambda f: (f.lineno, f.col_offset)):
            for call in own_calls(function):
                found = module.value(call.func)
                if isinstance(found, Ref) and found.qualname == "os.getppid":
                    yield (
                        call,
                        (
                            "under forkserver os.getppid() in a child is the fork server's pid: "
                            "use multiprocessing.parent_process().pid"
                        ),
                    )


def _max_tasks(call: ast.Call | None) -> bool:
    if call is None:
        return False
    limit = argument(call, None, "max_tasks_per_child")  # keyword-only
    return limit is not None and not is_constant(limit, None)


class MaxTasksMap(Rule):
    """Finds `map()` on a `ProcessPoolExecutor` made with `max_tasks_per_child=`."""

    code = "MPC205"
    name = "max-tasks-map"
    pitfall = 10
    pair = "pool_maxtasks"
    why = """\
On every Python 3.11 and 3.12, and on 3.13 and 3.14 before the fix was backported to them in July
2026, a worker that reaches its `max_tasks_per_child` while more tasks are queued is not replaced
(python/cpython#115634), so `map()` over more tasks than the limit hangs after the first few.
Submit one task at a time and wait for it, bounded."""
    example = """\
import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def square(n):
    return n * n


if __name__ == "__main__":
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, max_tasks_per_child=2, mp_context=context) as executor:
        print(list(executor.map(square, range(6))))
"""
    instead = """\
import multiprocessing
import sys
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor

TIMEOUT = 10


def square(n):
    return n * n


if __name__ == "__main__":
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, max_tasks_per_child=2, mp_context=context) as executor:
        try:
            print([executor.submit(square, n).result(timeout=TIMEOUT) for n in range(6)])
        except futures.TimeoutError:
            for worker in multiprocessing.active_children():
                worker.terminate()
            sys.exit(f"a task did not finish within {TIMEOUT} s")
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        for call, _, _, executor in module.method_calls(Kind.EXECUTOR, {"map"}):
            if _max_tasks(executor.call):
                yield (
                    call,
                    (
                        "map() on an executor with max_tasks_per_child can hang on every 3.11 and 3.12, and on 3.13 "
                        "and 3.14 before July 2026 (cpython#115634): submit one task at a time"
                    ),
                )


class MaxTasksWithoutContext(Rule):
    """Finds `ProcessPoolExecutor(max_tasks_per_child=...)` without `mp_context=`."""

    code = "MPC206"
    name = "max-tasks-without-context"
    pitfall = 10
    pair = "pool_maxtasks"
    why = """\
With `max_tasks_per_child` and no `mp_context`, the executor always uses spawn, whatever start
method the program chose with `set_start_method()`; it refuses fork outright (`ValueError`).
`mp_context=multiprocessing.get_context()` keeps the program's own start method."""
    example = """\
from concurrent.futures import ProcessPoolExecutor


def fresh_workers():
    return ProcessPoolExecutor(max_workers=1, max_tasks_per_child=2)
"""
    instead = """\
import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def fresh_workers():
    return ProcessPoolExecutor(max_workers=1, max_tasks_per_child=2, mp_context=multiprocessing.get_context())
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        for call in module.calls:
            made = module.kind(call)
            if made is None or made.kind is not Kind.EXECUTOR or made.call is not call:
                continue
            if _max_tasks(call) and argument(call, 1, "mp_context") is None:
                yield (
                    call,
                    (
                        "max_tasks_per_child= without mp_context= always uses spawn, whatever start method the "
                        "program chose: pass mp_context=multiprocessing.get_context()"
                    ),
                )
