"""Questions about the syntax alone: a call's arguments, where a statement sits, what encloses it."""

from __future__ import annotations

import ast
import re
from typing import Iterator

from portcheck.lint.scopes import FUNCTIONS, FunctionNode, ScopeTree


def argument(call: ast.Call, position: int | None, keyword: str) -> ast.expr | None:
    """The argument given for a parameter, by keyword or at its position (None when not given)."""
    for given in call.keywords:
        if given.arg == keyword:
            return given.value
    if position is None or position >= len(call.args):
        return None
    if any(isinstance(before, ast.Starred) for before in call.args[: position + 1]):
        return None  # f(*args, x): where x lands cannot be read
    return call.args[position]


def has_unpacked_arguments(call: ast.Call) -> bool:
    """`f(*args)` or `f(**kwargs)`: what reaches each parameter cannot be read."""
    return any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords)


def is_constant(node: ast.expr | None, *values: object) -> bool:
    """Whether `node` is one of these constants (a negative number is written `-N`, a UnaryOp)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        negative = node.operand.value
        return isinstance(negative, (int, float)) and not isinstance(negative, bool) and -negative in values
    return isinstance(node, ast.Constant) and any(node.value is value or node.value == value for value in values)


def same(one: ast.AST, other: ast.AST) -> bool:
    """The same expression, written the same way (`workers[0]` and `workers[0]`), read or assigned."""
    return _CONTEXT.sub("", ast.dump(one)) == _CONTEXT.sub("", ast.dump(other))


_CONTEXT = re.compile(r",? ?ctx=(Load|Store|Del)\(\)")


def dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a name or a chain of attributes, else None (a loop: a chain may be thousands long)."""
    attributes = []
    while isinstance(node, ast.Attribute):
        attributes.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(attributes)])


def method_call(node: ast.AST) -> tuple[ast.expr, str] | None:
    """(receiver, method name) of `receiver.method(...)`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.value, node.func.attr
    return None


def is_main_guard(test: ast.expr) -> bool | None:
    """True for `__name__ == "__main__"`, False for `__name__ != "__main__"`, None for anything else."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    sides = [test.left, test.comparators[0]]
    names = [side for side in sides if isinstance(side, ast.Name) and side.id == "__name__"]
    mains = [side for side in sides if is_constant(side, "__main__")]
    if not (names and mains):
        return None
    if isinstance(test.ops[0], ast.Eq):
        return True
    return False if isinstance(test.ops[0], ast.NotEq) else None


def under_main_guard(node: ast.AST, scopes: ScopeTree) -> bool:
    """Whether `node` runs only when the module is run as a script."""
    child = node
    for ancestor in scopes.ancestors(node):
        if isinstance(ancestor, ast.If):
            guard = is_main_guard(ancestor.test)
            if guard is True and child in ancestor.body:
                return True
            if guard is False and child in ancestor.orelse:
                return True
        child = ancestor
    return False


def runs_at_import(node: ast.AST, scopes: ScopeTree) -> bool:
    """Whether `node` runs when its module is imported: not inside a function, nor a lambda."""
    return not any(isinstance(ancestor, FUNCTIONS) for ancestor in scopes.ancestors(node))


def enclosing_statements(node: ast.AST, scopes: ScopeTree) -> Iterator[tuple[ast.stmt, list[ast.stmt]]]:
    """Each statement that holds `node`, innermost first, with the block it is in; up to the function."""
    child = node
    for ancestor in scopes.ancestors(node):
        if isinstance(child, ast.stmt):
            for block in _blocks(ancestor):
                if child in block:
                    yield child, block
                    break
        if isinstance(ancestor, FUNCTIONS):
            return
        child = ancestor


def statements_before(node: ast.AST, scopes: ScopeTree) -> Iterator[ast.stmt]:
    """The statements that run before `node` in its block and each block around it, nearest first."""
    for statement, block in enclosing_statements(node, scopes):
        index = block.index(statement)
        yield from reversed(block[:index])


def _blocks(node: ast.AST) -> list[list[ast.stmt]]:
    blocks = []
    for name in ("body", "orelse", "finalbody"):
        block = getattr(node, name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            blocks.append(block)
    return blocks


NESTED = (*FUNCTIONS, ast.ClassDef)  # bodies that run at another time than the code around them


def calls_in(node: ast.AST) -> Iterator[ast.Call]:
    """The calls in `node`, not counting those in functions or classes defined there."""
    waiting = [node]
    while waiting:
        current = waiting.pop()
        if isinstance(current, ast.Call):
            yield current
        for child in ast.iter_child_nodes(current):
            if not isinstance(child, NESTED):
                waiting.append(child)


def exits(statement: ast.stmt) -> bool:
    """Whether a block ending with `statement` always leaves: return, raise, continue, break, exit."""
    if isinstance(statement, (ast.Return, ast.Raise, ast.Continue, ast.Break)):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        name = dotted(statement.value.func)
        return name in ("sys.exit", "exit", "quit", "os._exit")
    return False


def own_nodes(function: FunctionNode) -> Iterator[ast.AST]:
    """Every node of a function's own body, not of the functions and classes defined in it."""
    waiting: list[ast.AST] = list(function.body) if isinstance(function.body, list) else [function.body]
    while waiting:
        node = waiting.pop()
        if isinstance(node, NESTED):  # a def or class statement of the body: its own body is not this one's
            continue
        yield node
        waiting.extend(child for child in ast.iter_child_nodes(node) if not isinstance(child, NESTED))


def own_calls(function: FunctionNode) -> Iterator[ast.Call]:
    """The calls a function makes itself."""
    return (node for node in own_nodes(function) if isinstance(node, ast.Call))
