"""Rules on what a child process tells its parent: its exit code and its output."""

from __future__ import annotations

import ast
from typing import Iterator

from portcheck.lint.apis import LOCKS, Kind
from portcheck.lint.inference import Inference
from portcheck.lint.rules.base import Flagged, Rule
from portcheck.lint.scopes import FUNCTIONS, FunctionNode
from portcheck.lint.syntax import (
    argument,
    calls_in,
    is_constant,
    method_call,
    own_calls,
    own_nodes,
    same,
    statements_before,
)
from portcheck.lint.values import Ref

EXITS = frozenset({"sys.exit", "builtins.exit", "builtins.quit"})


def by_position(functions: set[FunctionNode]) -> list[FunctionNode]:
    return sorted(functions, key=lambda function: (function.lineno, function.col_offset))


class BareExitInChild(Rule):
    """Finds `sys.exit()` with no code in a `Process`, in a module that reads an `exitcode`.

    Also `sys.exit(None)`, `exit()` and `raise SystemExit`, in a function that runs in a `Process`:
    its target, the `run()` of a `Process` subclass, or a function of the module they call.
    """

    code = "MPC401"
    name = "bare-exit-in-child"
    pitfall = 14
    pair = "process_exit"
    why = """\
A child's `sys.exit()` with no argument gives exit code 1 on Python 2.7 and 3.8, and 0 from 3.9
(bpo-35727). A parent that checks `exitcode == 0` changes its verdict with the Python version.
Say the code you mean."""
    example = """\
import sys
from multiprocessing import Process


def work():
    sys.exit()


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join(10)
    print("ok" if p.exitcode == 0 else "failed")
"""
    instead = """\
import sys
from multiprocessing import Process


def work():
    sys.exit(0)


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join(10)
    print("ok" if p.exitcode == 0 else "failed")
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        if not any(isinstance(n, ast.Attribute) and n.attr == "exitcode" for n in module.nodes):
            return
        for function in by_position(module.children().processes):
            for call in own_calls(function):
                found = module.value(call.func)
                if isinstance(found, Ref) and found.qualname in EXITS:
                    code = argument(call, 0, "status") if call.args or call.keywords else None
                    if code is None or is_constant(code, None):
                        yield call, self.message
            for node in own_nodes(function):
                if isinstance(node, ast.Raise) and node.exc is not None and self._bare_system_exit(module, node.exc):
                    yield node, self.message

    message = (
        "exit with no code gives exit code 1 on Python 2.7 and 3.8 and 0 from 3.9, and the parent checks "
        "exitcode: say sys.exit(0), or the code you mean"
    )

    def _bare_system_exit(self, module: Inference, raised: ast.expr) -> bool:
        if isinstance(raised, ast.Call):
            if raised.args and not is_constant(raised.args[0], None):
                return False
            raised = raised.func
        found = module.value(raised)
        return isinstance(found, Ref) and found.qualname == "builtins.SystemExit"


class PrintUnderLockWithoutFlush(Rule):
    """Finds a child's `print()` under a lock without `flush=True`.

    That is a print to stdout while a multiprocessing lock is held (`with lock:`, or between
    `acquire()` and `release()`), in a function that runs in several child processes at once: a
    pool's task, or a `Process` target started in a loop (and not joined in the same pass) or
    from several places.

    Left alone: a print followed by `sys.stdout.flush()` while the lock is still held, a print to
    another file (stderr is line-buffered from 3.9), a module that rebinds `print`, a lock held by
    a single child or by the one worker of `Pool(1)`, which has no other child's output to keep
    its own apart from, a lock each child makes for itself, and a `Semaphore` that lets more than
    one holder in, which keeps no output apart at all.
    """

    code = "MPC402"
    name = "print-under-lock-without-flush"
    pitfall = 4
    pair = "lock_print"
    why = """\
When stdout is a pipe or a file, as under a supervisor, in CI or in `| tee`, it is block-buffered:
a child's line reaches it when the child flushes or exits, after the lock was released, so the
lock serialises nothing and lines interleave or come out of order. Flush while the lock is held."""
    example = """\
from multiprocessing import Lock, Process


def report(lock, num):
    with lock:
        print(f"Hello Num: {num}")


if __name__ == "__main__":
    lock = Lock()
    workers = [Process(target=report, args=(lock, num)) for num in range(20)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(10)
"""
    instead = """\
from multiprocessing import Lock, Process


def report(lock, num):
    with lock:
        print(f"Hello Num: {num}", flush=True)


if __name__ == "__main__":
    lock = Lock()
    workers = [Process(target=report, args=(lock, num)) for num in range(20)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(10)
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        if "print" in module.scopes.module_scope.bindings:
            return
        for function in by_position(module.children().several):
            for call in own_calls(function):
                if not self._unflushed_print(module, call):
                    continue
                region = self._locked_region(module, call)
                if region is not None and not self._flushed_in(module, region, call):
                    yield (
                        call,
                        (
                            "a child's print() under a lock without flush=True can reach a pipe or file after the "
                            "lock is released: print(..., flush=True)"
                        ),
                    )

    def _unflushed_print(self, module: Inference, call: ast.Call) -> bool:
        found = module.value(call.func)
        if not (isinstance(found, Ref) and found.qualname == "builtins.print"):
            return False
        if any(keyword.arg is None for keyword in call.keywords):
            return False
        flush = argument(call, None, "flush")
        if flush is not None and not is_constant(flush, False):
            return False
        written_to = argument(call, None, "file")
        if written_to is None or is_constant(written_to, None):
            return True
        target = module.value(written_to)
        return isinstance(target, Ref) and target.qualname == "sys.stdout"

    def _locked_region(self, module: Inference, call: ast.Call) -> list[ast.stmt] | None:
        """The statements run while a lock is held around `call`, if one is."""
        for ancestor in module.scopes.ancestors(call):
            if isinstance(ancestor, FUNCTIONS):
                break
            if isinstance(ancestor, (ast.With, ast.AsyncWith)) and any(
                self._is_lock(module, item.context_expr) for item in ancestor.items
            ):
                return ancestor.body
        for statement in statements_before(call, module.scopes):
            for acquired in calls_in(statement):
                method = method_call(acquired)
                if method is not None and method[1] == "acquire" and self._is_lock(module, method[0]):
                    region = self._until_release(module, statement, method[0])
                    if region and any(call in ast.walk(statement) for statement in region):
                        return region
                    return None  # released before the print
        return None

    def _until_release(self, module: Inference, acquiring: ast.stmt, lock: ast.expr) -> list[ast.stmt] | None:
        parent = module.scopes.parent.get(acquiring)
        for block_name in ("body", "orelse", "finalbody"):
            block = getattr(parent, block_name, None)
            if isinstance(block, list) and acquiring in block:
                following = block[block.index(acquiring) + 1 :]
                for index, statement in enumerate(following):
                    for call in calls_in(statement):
                        method = method_call(call)
                        if method is not None and method[1] == "release" and same(method[0], lock):
                            return following[: index + 1]
                return following
        return None

    def _is_lock(self, module: Inference, node: ast.expr) -> bool:
        """Whether `node` is a lock that lets one holder in at a time."""
        method = method_call(node)
        if method is not None and method[1] == "get_lock":
            return False  # a Value's lock guards the value, not the output
        owner = module.kind(node)
        if owner is None or owner.kind not in LOCKS:
            return False
        children = module.children()
        if (
            owner.call is not None
            and module.scopes.enclosing_function(owner.call) in children.processes | children.tasks
        ):
            return False  # made in the child itself (an initializer's own lock): no other process holds it
        if owner.kind in (Kind.SEMAPHORE, Kind.BOUNDED_SEMAPHORE):
            # Semaphore(3) lets three in, and was never meant to keep their output apart.
            made = owner.call
            value = None if made is None else argument(made, 0, "value")
            return made is not None and (value is None or is_constant(value, 1))
        return True

    def _flushed_in(self, module: Inference, region: list[ast.stmt], printed: ast.Call) -> bool:
        for statement in region:
            for call in calls_in(statement):
                found = module.value(call.func)
                if isinstance(found, Ref) and found.qualname == "sys.stdout.flush" and call.lineno >= printed.lineno:
                    return True
        return False
