"""A module's scopes, and every place that binds a name in each, as Python's own rules place them.

Nothing is evaluated here: a Binding records the syntax that binds a name (an assignment's value,
a loop's iterable, an import, a parameter), for inference.py to read when a rule asks.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import Iterator, Tuple, Union

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]
ScopeNode = Union[ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.expr]
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


@dataclass(frozen=True)
class Binding:
    """One place that binds a name.

    how: "value" (node is the value assigned), "iterate" (node is the iterable looped over),
    "enter" (node is a `with` item's context expression), "import" (qualname), "define" (node is
    the def or class), "parameter" (node is the function, name the parameter), "append" (node is
    the value appended to the list), "extend" (node is what the list is extended with), "annotation"
    (node is an annotation), "unknown".
    path: for unpacking, the indexes into the value, outermost first.
    line: the line of the statement that binds it.
    until: for an assignment to the name alone, the last line of the block it is in (for a loop's
    or a with's target, of the loop or the with): the bindings before it no longer reach the code
    after it up to there. 0 for the others.
    fallback: made in an `except` handler (`except ImportError: multiprocessing = None`): what the
    name is when the rest failed.
    """

    how: str
    node: ast.AST | None = None
    path: tuple[int, ...] = ()
    qualname: str = ""
    line: int = 0
    until: int = 0
    fallback: bool = False


@dataclass
class Scope:
    node: ScopeNode
    parent: Scope | None
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    global_names: set[str] = field(default_factory=set)
    nonlocal_names: set[str] = field(default_factory=set)
    star_imports: list[str] = field(default_factory=list)  # modules imported with `from M import *`

    @property
    def is_class(self) -> bool:
        return isinstance(self.node, ast.ClassDef)

    @property
    def is_comprehension(self) -> bool:
        return isinstance(self.node, COMPREHENSIONS)

    def bind(self, name: str, binding: Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)


class ScopeTree:
    """Every scope of a module, the scope each node is in, and each node's parent."""

    def __init__(self, module: ast.Module) -> None:
        self.module_scope = Scope(module, None)
        self.scope_at: dict[ast.AST, Scope] = {}
        self.scope_of_node: dict[ast.AST, Scope] = {module: self.module_scope}  # for scope-making nodes
        self.parent: dict[ast.AST, ast.AST] = {}
        # Every node, in ast.walk's order: walked once here, for the rules to go through without walking again.
        self.nodes: list[ast.AST] = _walk(module, self.parent)
        self._visit(module)
        self._move_globals()

    # Where a node is --------------------------------------------------------------------------------

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        while node in self.parent:
            node = self.parent[node]
            yield node

    def enclosing_function(self, node: ast.AST) -> FunctionNode | None:
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, FUNCTIONS):
                return ancestor
        return None

    def function_scope(self, function: FunctionNode) -> Scope:
        return self.scope_of_node[function]

    # Building ---------------------------------------------------------------------------------------

    def _visit(self, module: ast.Module) -> None:
        """Put every node in its scope and bind every name, in the order of the source.

        A stack of what is left, not recursion: an expression nested thousands deep (a generated sum,
        a long chain of attributes) parses, and must not end the lint with a RecursionError.
        """
        waiting = list(reversed(_statements(module.body, self.module_scope)))
        while waiting:
            node, scope, is_statement = waiting.pop()
            if is_statement:
                self._bind_statement(node, scope)  # type: ignore[arg-type]
            waiting.extend(reversed(self._open(node, scope)))

    def _open(self, node: ast.AST, scope: Scope) -> list[_Task]:
        """Put `node` in `scope`, opening a scope if it makes one; what is in it is left to do, in order."""
        if isinstance(node, FUNCTIONS):
            return self._function(node, scope)
        if isinstance(node, ast.ClassDef):
            return self._class(node, scope)
        if isinstance(node, COMPREHENSIONS):
            return self._comprehension(node, scope)
        self.scope_at[node] = scope
        if isinstance(node, ast.NamedExpr):
            self._bind_target(node.target, self._walrus_scope(scope), Binding("value", node.value, line=node.lineno))
        return [(child, scope, isinstance(child, ast.stmt)) for child in ast.iter_child_nodes(node)]

    def _in_handler(self, node: ast.stmt, scope: Scope) -> bool:
        """Whether a statement is in an except handler of its scope."""
        for ancestor in self.ancestors(node):
            if ancestor is scope.node:
                return False
            if isinstance(ancestor, ast.ExceptHandler):
                return True
        return False

    def _block_end(self, node: ast.stmt) -> int:
        """The last line of the block (a body, an else, a handler's body ...) that `node` is in."""
        parent = self.parent.get(node)
        for name in ("body", "orelse", "finalbody"):
            block = getattr(parent, name, None)
            if isinstance(block, list) and node in block:
                return block[-1].end_lineno or node.lineno
        return node.end_lineno or node.lineno

    def _bind_statement(self, node: ast.stmt, scope: Scope) -> None:
        at = {"line": node.lineno, "fallback": self._in_handler(node, scope)}
        whole = node.end_lineno or node.lineno  # a loop's or a with's target, up to its end
        if isinstance(node, ast.Assign):
            until = self._block_end(node) if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) else 0
            for target in node.targets:
                self._bind_target(target, scope, Binding("value", node.value, until=until, **at))  # type: ignore[arg-type]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            scope.bind(node.target.id, Binding("annotation", node.annotation, **at))  # type: ignore[arg-type]
            if node.value is not None:
                until = self._block_end(node)
                scope.bind(node.target.id, Binding("value", node.value, until=until, **at))  # type: ignore[arg-type]
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            scope.bind(node.target.id, Binding("augmented", node, **at))  # type: ignore[arg-type]
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            until = whole if isinstance(node.target, ast.Name) else 0
            self._bind_target(node.target, scope, Binding("iterate", node.iter, until=until, **at))  # type: ignore[arg-type]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    until = whole if isinstance(item.optional_vars, ast.Name) else 0
                    binding = Binding("enter", item.context_expr, until=until, **at)  # type: ignore[arg-type]
                    self._bind_target(item.optional_vars, scope, binding)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    scope.bind(alias.asname, Binding("import", qualname=alias.name, **at))  # type: ignore[arg-type]
                else:
                    top_name = alias.name.partition(".")[0]
                    scope.bind(top_name, Binding("import", qualname=top_name, **at))  # type: ignore[arg-type]
        elif isinstance(node, ast.ImportFrom):
            module = ("." * node.level) + (node.module or "")
            for alias in node.names:
                if alias.name == "*":
                    scope.star_imports.append(module)
                else:
                    imported = Binding("import", qualname=f"{module}.{alias.name}", **at)  # type: ignore[arg-type]
                    scope.bind(alias.asname or alias.name, imported)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scope.bind(node.name, Binding("define", node, **at))  # type: ignore[arg-type]
        elif isinstance(node, ast.Global):
            scope.global_names.update(node.names)
        elif isinstance(node, ast.Nonlocal):
            scope.nonlocal_names.update(node.names)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            for handler in node.handlers:  # type: ignore[attr-defined]
                if handler.name:
                    scope.bind(handler.name, Binding("unknown", line=handler.lineno))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            self._bind_append(node.value, scope)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    scope.bind(target.id, Binding("unknown", line=node.lineno))
        elif type(node).__name__ == "Match":
            for name in _names_bound_by_match(node):
                scope.bind(name, Binding("unknown", line=node.lineno))

    def _bind_append(self, call: ast.Call, scope: Scope) -> None:
        """`workers.append(p)`: the list's items are what is appended."""
        function = call.func
        if (
            isinstance(function, ast.Attribute)
            and function.attr in ("append", "add", "extend")
            and isinstance(function.value, ast.Name)
            and len(call.args) == 1
            and not call.keywords
        ):
            how = "append" if function.attr in ("append", "add") else "extend"
            scope.bind(function.value.id, Binding(how, call.args[0], line=call.lineno))

    def _bind_target(self, target: ast.expr, scope: Scope, binding: Binding) -> None:
        if isinstance(target, ast.Name):
            scope.bind(target.id, binding)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for index, element in enumerate(target.elts):
                if isinstance(element, ast.Starred):
                    self._bind_target(element.value, scope, Binding("unknown", line=binding.line))
                else:
                    self._bind_target(element, scope, replace(binding, path=(*binding.path, index), until=0))
        # attributes and subscripts bind no name

    def _walrus_scope(self, scope: Scope) -> Scope:
        while scope.is_comprehension and scope.parent is not None:
            scope = scope.parent
        return scope

    def _function(self, node: FunctionNode, scope: Scope) -> list[_Task]:
        inner = Scope(node, scope)
        self.scope_of_node[node] = inner
        self.scope_at[node] = scope
        arguments = node.args
        # Defaults, decorators and annotations belong to the enclosing scope.
        outside = [*arguments.defaults, *[d for d in arguments.kw_defaults if d is not None]]
        if not isinstance(node, ast.Lambda):
            outside.extend(node.decorator_list)
            if node.returns is not None:
                outside.append(node.returns)
        for argument in _all_arguments(arguments):
            self.scope_at[argument] = inner
            if argument.annotation is not None:
                outside.append(argument.annotation)
            inner.bind(argument.arg, Binding("parameter", node, qualname=argument.arg, line=node.lineno))
        self.scope_at[arguments] = inner
        tasks: list[_Task] = [(expression, scope, False) for expression in outside]
        if isinstance(node, ast.Lambda):
            return [*tasks, (node.body, inner, False)]
        return tasks + _statements(node.body, inner)

    def _class(self, node: ast.ClassDef, scope: Scope) -> list[_Task]:
        inner = Scope(node, scope)
        self.scope_of_node[node] = inner
        self.scope_at[node] = scope
        outside: list[_Task] = [(e, scope, False) for e in [*node.bases, *node.keywords, *node.decorator_list]]
        return outside + _statements(node.body, inner)

    def _comprehension(self, node: ast.expr, scope: Scope) -> list[_Task]:
        inner = Scope(node, scope)
        self.scope_of_node[node] = inner
        self.scope_at[node] = scope
        tasks: list[_Task] = []
        generators: list[ast.comprehension] = node.generators  # type: ignore[attr-defined]
        for index, generator in enumerate(generators):
            # The first iterable is evaluated where the comprehension is; the rest inside it.
            tasks.append((generator.iter, scope if index == 0 else inner, False))
            self._bind_target(generator.target, inner, Binding("iterate", generator.iter, line=generator.iter.lineno))
            tasks.append((generator.target, inner, False))
            tasks.extend((condition, inner, False) for condition in generator.ifs)
            self.scope_at[generator] = inner
        for element in ("elt", "key", "value"):
            if hasattr(node, element):
                tasks.append((getattr(node, element), inner, False))
        return tasks

    def _move_globals(self) -> None:
        """A name declared global in a function is bound in the module's scope."""
        for scope in list(self.scope_of_node.values()):
            for name in scope.global_names:
                for binding in scope.bindings.pop(name, []):
                    self.module_scope.bind(name, binding)


def _walk(module: ast.Module, parent: dict[ast.AST, ast.AST]) -> list[ast.AST]:
    """Every node, in ast.walk's order (breadth first), each child's parent put in `parent`: one pass,
    and ast.iter_child_nodes written out, since this is most of the lint's time on a large module."""
    nodes: list[ast.AST] = [module]
    append = nodes.append
    for node in nodes:  # grows as it goes
        for name in node._fields:
            field = getattr(node, name, None)
            if isinstance(field, ast.AST):
                parent[field] = node
                append(field)
            elif isinstance(field, list):
                for item in field:
                    if isinstance(item, ast.AST):
                        parent[item] = node
                        append(item)
    return nodes


_Task = Tuple[ast.AST, Scope, bool]  # a node, the scope it is in, and whether it is a statement (which binds)


def _statements(body: list[ast.stmt], scope: Scope) -> list[_Task]:
    return [(statement, scope, True) for statement in body]


def _all_arguments(arguments: ast.arguments) -> list[ast.arg]:
    found = [*arguments.posonlyargs, *arguments.args]
    if arguments.vararg:
        found.append(arguments.vararg)
    found.extend(arguments.kwonlyargs)
    if arguments.kwarg:
        found.append(arguments.kwarg)
    return found


def positional_parameters(function: FunctionNode) -> list[str]:
    arguments = function.args
    return [argument.arg for argument in [*arguments.posonlyargs, *arguments.args]]


def _names_bound_by_match(node: ast.AST) -> Iterator[str]:
    for child in ast.walk(node):
        name = getattr(child, "name", None)
        if isinstance(name, str) and type(child).__name__.startswith("Match"):
            yield name
        rest = getattr(child, "rest", None)
        if isinstance(rest, str):
            yield rest
