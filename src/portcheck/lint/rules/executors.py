"""A rule on process pools: a timeout that bounds nothing, since leaving the pool's block waits anyway."""

from __future__ import annotations

import ast
from typing import Iterator

from portcheck.lint.apis import Kind, canonical
from portcheck.lint.inference import Inference
from portcheck.lint.rules.base import Flagged, Rule
from portcheck.lint.syntax import argument, calls_in, is_constant, method_call, own_calls
from portcheck.lint.values import Obj, Ref, item_of

# What ends a process pool's workers, so that leaving `with` has nothing left to wait for.
ENDS_WORKERS = frozenset({"terminate", "kill", "terminate_workers", "kill_workers"})
CATCHES_TIMEOUT = frozenset(
    {"concurrent.futures.TimeoutError", "builtins.TimeoutError", "builtins.Exception", "builtins.BaseException"}
)
CALL_DEPTH = 20  # how deep into the module's own functions a call that ends the workers is looked for


class ExecutorLeftWaiting(Rule):
    """Finds a timeout inside `with ProcessPoolExecutor()` that leaves the block with the task running.

    The timeouts are a future's `result(timeout=)` and `exception(timeout=)`, and
    `as_completed(..., timeout=)`, when their `TimeoutError` leaves the block, or is handled inside
    it, without ending the workers first.

    Left alone: a timeout handled inside the block by terminating or killing the workers, by
    `os._exit()`, or by a function of the module that does; `result(timeout=0)`, which a finished
    future answers at once; and `executor.map(..., timeout=)`. When map's timeout runs out it
    cancels every task not yet started, so leaving the block waits only for those running then;
    flagging the bounded call while the same call without a timeout, which can wait for ever, is
    left alone by default (it is the opt-in MPC106's) would push code the wrong way.
    """

    code = "MPC104"
    name = "executor-left-waiting"
    pitfall = 7
    pair = "process_sleeper"
    why = """\
Leaving `with ProcessPoolExecutor()` calls `shutdown(wait=True)`, which waits for every running
task without a timeout. When `result(timeout=)` gives up on a stuck task, the `TimeoutError` (or the
`sys.exit()` that reports it) leaves the block, and the block then waits for that same task: the
timeout bounded nothing. Terminate the workers before the block is left (Python 3.14 adds
`terminate_workers()`)."""
    example = """\
from concurrent.futures import ProcessPoolExecutor
import time


def sleeper(seconds):
    time.sleep(seconds)


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1) as executor:
        child = executor.submit(sleeper, 0.5)
        child.result(timeout=10)
"""
    instead = """\
import multiprocessing
import sys
import time
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor

TIMEOUT = 10


def sleeper(seconds):
    time.sleep(seconds)


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1) as executor:
        child = executor.submit(sleeper, 0.5)
        try:
            child.result(timeout=TIMEOUT)
        except futures.TimeoutError:
            for worker in multiprocessing.active_children():
                worker.terminate()
            sys.exit(f"sleeper() did not finish within {TIMEOUT} s")
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        for node in module.nodes:
            if not isinstance(node, (ast.With, ast.AsyncWith)):
                continue
            if not any(self._executor(module, item.context_expr) for item in node.items):
                continue
            for statement in node.body:
                for call in calls_in(statement):
                    if self._timed_wait(module, call) and not self._handled(module, call, node):
                        yield (
                            call,
                            (
                                "if this timeout runs out, leaving `with ProcessPoolExecutor()` still waits for the "
                                "task: terminate the workers before the block is left"
                            ),
                        )

    def _executor(self, module: Inference, node: ast.expr) -> bool:
        owner = module.kind(node)
        return owner is not None and owner.kind is Kind.EXECUTOR

    def _timed_wait(self, module: Inference, call: ast.Call) -> bool:
        method = method_call(call)
        if method is not None:
            receiver, name = method
            owner = module.kind(receiver)
            if owner is None:
                return False
            if owner.kind is Kind.FUTURE and name in ("result", "exception"):
                timeout = argument(call, 0, "timeout")
                return timeout is not None and not is_constant(timeout, None, 0)
            return False
        function = module.value(call.func)
        if isinstance(function, Ref) and canonical(function.qualname) == "concurrent.futures.as_completed":
            timeout = argument(call, 1, "timeout")
            waited = module.value(call.args[0]) if call.args else None
            item = item_of(waited) if waited is not None else None
            futures = isinstance(item, Obj) and item.kind is Kind.FUTURE
            return futures and timeout is not None and not is_constant(timeout, None)
        return False

    def _handled(self, module: Inference, call: ast.Call, block: ast.AST) -> bool:
        """Whether a try inside the block catches the timeout and ends the workers before leaving."""
        child: ast.AST = call
        for ancestor in module.scopes.ancestors(call):
            if ancestor is block:
                return False
            if isinstance(ancestor, ast.Try) and child in ancestor.body:
                if any(self._ends_workers(module, statement) for statement in ancestor.finalbody):
                    return True
                for handler in ancestor.handlers:
                    if self._catches_timeout(module, handler.type):
                        return any(self._ends_workers(module, statement) for statement in handler.body)
            child = ancestor
        return False

    def _catches_timeout(self, module: Inference, caught: ast.expr | None) -> bool:
        if caught is None:
            return True
        if isinstance(caught, ast.Tuple):
            return any(self._catches_timeout(module, element) for element in caught.elts)
        found = module.value(caught)
        return isinstance(found, Ref) and canonical(found.qualname) in CATCHES_TIMEOUT

    def _ends_workers(self, module: Inference, node: ast.AST, seen: frozenset[ast.AST] = frozenset()) -> bool:
        """Whether `node` terminates or kills processes, itself or in a function of the module it calls."""
        for call in calls_in(node):
            method = method_call(call)
            if method is not None and method[1] in ENDS_WORKERS:
                return True
            function = module.value(call.func)
            if isinstance(function, Ref) and function.qualname in ("os._exit", "os.kill"):
                return True
            resolved = module.function_of(function)
            # Not deeper than CALL_DEPTH: a chain of a thousand functions would exhaust the stack.
            if resolved is not None and resolved[0] not in seen and len(seen) < CALL_DEPTH:
                called = resolved[0]
                if any(self._ends_workers(module, inner, seen | {called}) for inner in own_calls(called)):
                    return True
        return False
