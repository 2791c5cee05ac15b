"""What tells a wait that can last for ever from one that cannot: its arguments, and the checks and
waits before it."""

from __future__ import annotations

import ast

from portcheck.lint.apis import Kind, Wait, canonical
from portcheck.lint.inference import Inference
from portcheck.lint.scopes import FUNCTIONS
from portcheck.lint.syntax import (
    argument,
    calls_in,
    dotted,
    exits,
    has_unpacked_arguments,
    is_constant,
    method_call,
    same,
    statements_before,
)
from portcheck.lint.values import Ref

# Checks that say a wait will not block: a ready result, a finished future, data in a queue or pipe.
READINESS = {
    Kind.ASYNC_RESULT: {"ready", "successful"},
    Kind.FUTURE: {"done"},
    Kind.QUEUE: {"empty", "qsize", "full"},
    Kind.JOINABLE_QUEUE: {"empty", "qsize", "full"},
    Kind.SIMPLE_QUEUE: {"empty"},
    Kind.CONNECTION: {"poll"},
}


def unbounded(call: ast.Call, wait: Wait, proxied: bool = False) -> bool:
    """Whether `call` can wait for ever: no timeout (or None), and not told not to block."""
    if has_unpacked_arguments(call):
        return False  # what it is given cannot be read: say nothing
    block = argument(call, wait.block, "block")
    if block is None and proxied:
        block = argument(call, None, "blocking")
    if is_constant(block, False):
        return False
    if wait.timeout is None:
        return True
    timeout = argument(call, wait.timeout, "timeout")
    if timeout is None or is_constant(timeout, None):
        return True
    # threading's acquire(), behind a manager's lock, waits for ever on timeout=-1
    return proxied and is_constant(timeout, -1)


def checked_first(module: Inference, call: ast.Call, receiver: ast.expr, methods: set[str]) -> bool:
    """Whether a check of `receiver` with one of `methods` guards `call`.

    Either an `if` or `while` around it tests it (`if conn.poll(t): conn.recv()`), or a statement
    before it does and leaves when the check fails (`if not conn.poll(t): sys.exit(...)`), or its
    result was kept before (`ready = conn.poll(t)`).
    """

    def checks(node: ast.AST) -> bool:
        return any(
            (found := method_call(c)) and found[1] in methods and same(found[0], receiver) for c in calls_in(node)
        )

    child: ast.AST = call
    for ancestor in module.scopes.ancestors(call):
        if (
            isinstance(ancestor, (ast.If, ast.While, ast.IfExp))
            and child is not ancestor.test
            and checks(ancestor.test)
        ):
            return True
        if isinstance(ancestor, FUNCTIONS):
            break
        child = ancestor
    for statement in statements_before(call, module.scopes):
        if isinstance(statement, ast.If) and checks(statement.test) and statement.body and exits(statement.body[-1]):
            return True
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and checks(statement):
            return True
    return False


def ended_before(module: Inference, call: ast.Call, receiver: ast.expr) -> bool:
    """Whether the process was terminated or killed before this join(): then it cannot wait long."""
    for statement in statements_before(call, module.scopes):
        for found in calls_in(statement):
            method = method_call(found)
            if method and method[1] in ("terminate", "kill") and same(method[0], receiver):
                return True
    # for p in workers: p.terminate()  ...  for p in workers: p.join()
    function = module.scopes.enclosing_function(call) or module.tree
    for found in calls_in(function):
        method = method_call(found)
        if method and method[1] in ("terminate", "kill") and same(method[0], receiver) and found.lineno < call.lineno:
            return True
    return False


def all_done_before(module: Inference, call: ast.Call, receiver: ast.expr) -> bool:
    """Whether `concurrent.futures.wait()` waited, with no timeout, for this future to be done."""
    for statement in statements_before(call, module.scopes):
        for waited in calls_in(statement):
            if _waits_for_all(module, waited) and _among(module, waited.args[0], receiver, call):
                return True
    return False


def _waits_for_all(module: Inference, call: ast.Call) -> bool:
    """`concurrent.futures.wait(futures)`: no timeout, and return_when ALL_COMPLETED (the default)."""
    function = module.value(call.func)
    if not (isinstance(function, Ref) and canonical(function.qualname) == "concurrent.futures.wait" and call.args):
        return False
    timeout = argument(call, 1, "timeout")
    until = argument(call, 2, "return_when")
    if until is not None:
        named = module.value(until)
        if not (isinstance(named, Ref) and named.qualname == "concurrent.futures.ALL_COMPLETED"):
            return is_constant(until, "ALL_COMPLETED")
    return timeout is None or is_constant(timeout, None)


def _among(module: Inference, futures: ast.expr, receiver: ast.expr, call: ast.Call) -> bool:
    """Whether `receiver` is one of `futures`: listed in it, indexed from it, or drawn from it by a loop."""
    if isinstance(futures, (ast.List, ast.Tuple, ast.Set)):
        return any(same(element, receiver) for element in futures.elts)
    if isinstance(receiver, ast.Subscript) and same(receiver.value, futures):
        return True
    for ancestor in module.scopes.ancestors(call):
        if isinstance(ancestor, (ast.For, ast.AsyncFor)):
            loops = [(ancestor.target, ancestor.iter)]
        elif isinstance(ancestor, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            loops = [(generator.target, generator.iter) for generator in ancestor.generators]
        else:
            continue
        if any(same(target, receiver) and same(iterable, futures) for target, iterable in loops):
            return True
    return False


def shown(receiver: ast.expr, kind: Kind, method: str) -> str:
    name = dotted(receiver)
    return f"`{name}.{method}()`" if name else f"`{kind.value}.{method}()`"
