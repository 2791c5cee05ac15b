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
    enclosing_statements,
    exits,
    has_unpacked_arguments,
    is_constant,
    method_call,
    own_nodes,
    same,
    statements_before,
)
from portcheck.lint.values import Obj, Ref

# Checks that say a wait will not block: a ready result, a finished future, data in a queue or pipe.
READINESS = {
    Kind.ASYNC_RESULT: {"ready", "successful"},
    Kind.FUTURE: {"done"},
    Kind.QUEUE: {"empty", "qsize", "full"},
    Kind.JOINABLE_QUEUE: {"empty", "qsize", "full"},
    Kind.SIMPLE_QUEUE: {"empty"},
    Kind.CONNECTION: {"poll"},
}


def unbounded(call: ast.Call, wait: Wait, proxied: bool = False, module: Inference | None = None) -> bool:
    """Whether `call` can wait for ever: no timeout (or None, or a name that is None there, when
    `module` is given), and not told not to block."""
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
    if timeout is None or is_constant(timeout, None) or (module is not None and module.is_none(timeout)):
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
        # for done in as_completed(futures): ...  (no break): every one of them is done after the loop
        if isinstance(statement, ast.For) and isinstance(statement.iter, ast.Call) and statement.iter.args:
            function = module.value(statement.iter.func)
            finished = isinstance(function, Ref) and canonical(function.qualname) == "concurrent.futures.as_completed"
            breaks = any(isinstance(node, ast.Break) for node in ast.walk(statement))
            if finished and not breaks and _among(module, statement.iter.args[0], receiver, call):
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


def released_in_finally(module: Inference, call: ast.Call, receiver: ast.expr) -> bool:
    """`lock.acquire()` then `try: ... finally: lock.release()`, or the acquire first in such a try,
    or `lock.release()` later in the acquire's block: the spelled-out `with lock:`, which the rule
    leaves alone."""

    def releases(statements: list[ast.stmt]) -> bool:
        return any(
            (found := method_call(inner)) is not None and found[1] == "release" and same(found[0], receiver)
            for statement in statements
            for inner in calls_in(statement)
        )

    statement = module.scopes.parent.get(call)
    if not isinstance(statement, ast.Expr):
        return False
    for held, block in enclosing_statements(statement, module.scopes):
        index = block.index(held)
        following = block[index + 1] if index + 1 < len(block) else None
        if held is statement and isinstance(following, ast.Try) and releases(following.finalbody):
            return True
        if (
            held is statement
            and any(  # acquire() ... release() in one block, not in a branch of it
                isinstance(later, ast.Expr) and releases([later]) for later in block[index + 1 :]
            )
        ):
            return True
        parent = module.scopes.parent.get(held)
        if isinstance(parent, ast.Try) and block is parent.body and releases(parent.finalbody):
            return True
        break
    return False


def waited_before(module: Inference, call: ast.Call, receiver: ast.expr, owner: Obj) -> bool:
    """Whether an AsyncResult is ready for sure: `result.wait()` with no timeout before it, or the pool
    that made it closed and joined (`pool.close(); pool.join()` waits for every task)."""
    for statement in statements_before(call, module.scopes):
        for inner in calls_in(statement):
            method = method_call(inner)
            if method and method[1] == "wait" and same(method[0], receiver) and not (inner.args or inner.keywords):
                return True
    made = method_call(owner.call) if owner.call is not None else None
    scope = module.scopes.enclosing_function(call) or module.tree
    for inner in calls_in(scope):
        method = method_call(inner)
        if method is None or method[1] != "join" or inner.lineno >= call.lineno:
            continue
        pool = module.kind(method[0])
        if pool is not None and pool.kind is Kind.POOL and (made is None or same(made[0], method[0])):
            return True
    return False


def executor_finished_before(module: Inference, call: ast.Call, owner: Obj) -> bool:
    """Whether every task of the executor this future came from was waited for before `call`: the call
    comes after the executor's `with` block (leaving it is `shutdown(wait=True)`) or after a
    `shutdown()` that waits. When the future was made at several places, all of the scope's submit()
    calls must be so."""
    scope = module.scopes.enclosing_function(call) or module.tree
    ends: list[tuple[int, int]] = []  # (first, last) lines of what a finished wait covers
    for node in own_nodes(scope) if scope is not module.tree else module.nodes:
        if isinstance(node, (ast.With, ast.AsyncWith)) and node.end_lineno is not None:
            if node.end_lineno < call.lineno and any(_is_executor(module, i.context_expr) for i in node.items):
                ends.append((node.lineno, node.end_lineno))
        elif isinstance(node, ast.Call) and node.lineno < call.lineno:
            method = method_call(node)
            waits = method is not None and method[1] == "shutdown" and _is_executor(module, method[0])
            if waits and not is_constant(argument(node, 0, "wait"), False):
                ends.append((0, node.lineno))
    if not ends:
        return False
    if owner.call is not None:
        submits = [owner.call]
    else:
        submits = [
            node
            for node in calls_in(scope)
            if (method := method_call(node)) and method[1] == "submit" and _is_executor(module, method[0])
        ]
    return bool(submits) and all(any(first <= s.lineno <= last for first, last in ends) for s in submits)


def _is_executor(module: Inference, node: ast.expr) -> bool:
    owner = module.kind(node)
    return owner is not None and owner.kind is Kind.EXECUTOR
