"""Waits that are a worker's idle state, not a hang waiting to happen: in a daemonic worker (it
ends with its parent), in a consumer loop that a stop value ends, and in a method that only passes
a receive on (its callers are where the wait is)."""

from __future__ import annotations

import ast

from portcheck.lint.apis import Kind
from portcheck.lint.inference import Inference
from portcheck.lint.scopes import FUNCTIONS, FunctionNode
from portcheck.lint.syntax import argument, is_constant, method_call

CALLERS_DEPTH = 5  # how far up the module's own calls a daemonic thread or process is looked for
PUTS = frozenset({"put", "put_nowait", "send"})


def in_daemon_only(module: Inference, call: ast.Call) -> bool:
    """Whether `call` is in a function that runs only in daemonic processes or daemonic threads: as
    their target, as the run() of a daemonic Process subclass, or called only from such functions
    (a few calls up). A worker blocked there for ever ends with its parent."""
    function = module.scopes.enclosing_function(call)
    return function is not None and _daemonic_only(module, function, CALLERS_DEPTH)


def _daemonic_only(module: Inference, function: FunctionNode, depth: int) -> bool:
    if isinstance(function, ast.Lambda) or depth == 0:
        return False
    cls = module.method_class(function)
    if cls is not None and function.name == "run" and module.is_process_class(cls):
        flags = module.attribute_bindings(cls).get("daemon", [])
        return bool(flags) and all(is_constant(binding.node, True) for binding in flags)  # type: ignore[arg-type]
    dispatches = list(module.dispatches_of_function(function))
    return bool(dispatches) and all(_daemonic_dispatch(module, dispatch, depth) for dispatch in dispatches)


def _daemonic_dispatch(module: Inference, dispatch: object, depth: int) -> bool:
    how, made = dispatch.how, dispatch.call  # type: ignore[attr-defined]
    if how in ("process", "thread"):
        return _daemonic(module, made)
    if how == "call":
        caller = module.scopes.enclosing_function(made)
        return caller is not None and _daemonic_only(module, caller, depth - 1)
    return False


def _daemonic(module: Inference, made: ast.Call) -> bool:
    """`Process(..., daemon=True)` (or a Thread), or `p.daemon = True` on the process that call made."""
    if is_constant(argument(made, None, "daemon"), True):
        return True
    for node in module.nodes:
        if isinstance(node, ast.Assign) and is_constant(node.value, True):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "daemon":
                    process = module.kind(target.value)
                    if process is not None and process.kind is Kind.PROCESS and process.call is made:
                        return True
    return False


def sentinel_loop(module: Inference, call: ast.Call) -> bool:
    """Whether `call` takes the next item in a child's consumer loop that a stop value ends: every
    way out of the loop tests what it took (`if item is None: break`), and the module sends some
    constant (`queue.put(None)`) from outside the function. A loop that also leaves on a clock or a
    flag is not one: the wait defeats its own deadline."""
    function = module.scopes.enclosing_function(call)
    if function is None or function not in module.children().processes:
        return False
    taken = _taken(module, call)
    loop = next((a for a in module.scopes.ancestors(call) if isinstance(a, (ast.While, ast.For, *FUNCTIONS))), None)
    if not isinstance(loop, ast.While) or not is_constant(loop.test, True, 1):
        return False
    exits = [node for node in _own_loop_nodes(loop) if isinstance(node, (ast.Break, ast.Return))]
    if not exits or not all(_tests(module, exit_, loop, call, taken) for exit_ in exits):
        return False
    return any(
        (method := method_call(other)) is not None
        and method[1] in PUTS
        and len(other.args) == 1
        and isinstance(other.args[0], ast.Constant)
        and module.scopes.enclosing_function(other) is not function
        for other in module.calls
    )


def _taken(module: Inference, call: ast.Call) -> str | None:
    """The name the item is put in: `item = queue.get()`."""
    statement = module.scopes.parent.get(call)
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    return None


def _own_loop_nodes(loop: ast.While) -> list[ast.AST]:
    """The loop's nodes, not those of loops or functions inside it (whose break is their own)."""
    found, waiting = [], list(loop.body)
    while waiting:
        node = waiting.pop()
        found.append(node)
        if not isinstance(node, (ast.While, ast.For, ast.AsyncFor, *FUNCTIONS, ast.ClassDef)):
            waiting.extend(ast.iter_child_nodes(node))
    return found


def _tests(module: Inference, exit_: ast.AST, loop: ast.While, call: ast.Call, taken: str | None) -> bool:
    """Whether the `if` that leads to `exit_` tests the item taken."""
    for ancestor in module.scopes.ancestors(exit_):
        if ancestor is loop:
            return False
        if isinstance(ancestor, ast.If):
            names = {node.id for node in ast.walk(ancestor.test) if isinstance(node, ast.Name)}
            return (taken is not None and taken in names) or any(node is call for node in ast.walk(ancestor.test))
    return False


def passes_on(module: Inference, call: ast.Call) -> bool:
    """Whether `call` is the whole of a method: `def recv(self): return self.reader.recv()`. Such a
    method is an API, whose callers poll first or not; the wait is theirs."""
    function = module.scopes.enclosing_function(call)
    if function is None or isinstance(function, ast.Lambda):
        return False
    body = [s for s in function.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return len(body) == 1 and isinstance(body[0], (ast.Return, ast.Expr)) and body[0].value is call


def put_before_start(module: Inference, call: ast.Call) -> bool:
    """Whether `call` is a child's one `queue.get()` of a queue it was given, into which every parent
    that starts it put an item before making the process: the item is on its way before the child
    runs (`q.put(job); Process(target=work, args=(q,)).start()`)."""
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    function = module.scopes.enclosing_function(call)
    if not isinstance(receiver, ast.Name) or function is None or isinstance(function, ast.Lambda):
        return False
    parameters = [argument.arg for argument in (*function.args.posonlyargs, *function.args.args)]
    if receiver.id not in parameters or _in_loop(module, call, function):
        return False
    gets = [
        inner
        for inner in module.calls
        if (method := method_call(inner)) is not None
        and method[1] == "get"
        and isinstance(method[0], ast.Name)
        and method[0].id == receiver.id
        and module.scopes.enclosing_function(inner) is function
    ]
    dispatches = list(module.dispatches_of_function(function))
    if len(gets) != 1 or not dispatches:
        return False
    index = parameters.index(receiver.id)
    return all(_put_before(module, dispatch, index, receiver.id) for dispatch in dispatches)


def _in_loop(module: Inference, call: ast.Call, function: FunctionNode) -> bool:
    for ancestor in module.scopes.ancestors(call):
        if ancestor is function:
            return False
        if isinstance(ancestor, (ast.While, ast.For, ast.AsyncFor)):
            return True
    return False


def _put_before(module: Inference, dispatch: object, index: int, name: str) -> bool:
    how, made = dispatch.how, dispatch.call  # type: ignore[attr-defined]
    given = dispatch.positional or []  # type: ignore[attr-defined]
    keywords = dispatch.keywords  # type: ignore[attr-defined]
    source = given[index] if index < len(given) else keywords.get(name)
    if how != "process" or source is None or not isinstance(source.node, ast.Name):
        return False
    queue = source.node.id
    scope = module.scopes.enclosing_function(made)
    return any(
        (method := method_call(put)) is not None
        and method[1] in ("put", "put_nowait")
        and isinstance(method[0], ast.Name)
        and method[0].id == queue
        and put.lineno < made.lineno
        and module.scopes.enclosing_function(put) is scope
        for put in module.calls
    )


def serves_until_ended(module: Inference, call: ast.Call) -> bool:
    """Whether `call` is in a child's `while True:` loop with no way out, in a module that terminates or
    kills processes: a worker that serves until its parent ends it, idle while it waits."""
    function = module.scopes.enclosing_function(call)
    if function is None or function not in module.children().processes:
        return False
    loop = next((a for a in module.scopes.ancestors(call) if isinstance(a, (ast.While, ast.For, *FUNCTIONS))), None)
    if not isinstance(loop, ast.While) or not is_constant(loop.test, True, 1):
        return False
    if any(isinstance(node, (ast.Break, ast.Return, ast.Raise)) for node in _own_loop_nodes(loop)):
        return False
    return any(
        (method := method_call(other)) is not None
        and method[1] in ("terminate", "kill")
        and (owner := module.kind(method[0])) is not None
        and owner.kind is Kind.PROCESS
        for other in module.calls
    )
