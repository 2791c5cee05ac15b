"""A rule on what a child finds in its module: only what importing the module makes, under spawn and forkserver."""

from __future__ import annotations

import ast
from typing import Iterator

from portcheck.lint.apis import canonical
from portcheck.lint.inference import Inference
from portcheck.lint.rules.base import Flagged, Rule
from portcheck.lint.rules.starting import fork_only
from portcheck.lint.scopes import FunctionNode
from portcheck.lint.syntax import argument, is_constant, own_nodes, runs_at_import, under_main_guard
from portcheck.lint.values import Ref


class ForkOnlyState(Rule):
    """Finds a function run in a child process or a pool's worker that reads a global made only under
    `if __name__ == "__main__":`, or an anonymous `mmap.mmap(-1, ...)` made when the module is
    imported.

    Left alone: a global also bound outside the guard (a default, or one an `initializer=` sets with
    `global`), what is passed as an argument, and a module that sets the fork start method for
    everything or makes its processes with `get_context("fork")`.
    """

    code = "MPC207"
    name = "fork-only-state"
    why = """\
Under spawn and forkserver a child does not inherit the parent's memory: it imports the module
afresh, as `__mp_main__`, so the `if __name__ == "__main__":` block does not run there. A global set
only in that block does not exist in the child (`NameError`), and an anonymous mmap made at import
is a new, empty mapping in each child, not the parent's. Such a program works under fork only: on
Linux until Python 3.14, whose default is forkserver, and never on macOS or Windows. Pass the value
to the child as an argument (or through `initializer=`/`initargs=`), and share memory through
`multiprocessing.shared_memory` or a file-backed mmap. It comes from code others wrote that the lint
was measured on, not from a pair."""
    example = """\
from multiprocessing import Pool


def scale(n):
    return n * factor


if __name__ == "__main__":
    factor = 10
    with Pool(2) as pool:
        print(pool.map_async(scale, range(4)).get(10))
"""
    instead = """\
from functools import partial
from multiprocessing import Pool


def scale(n, factor):
    return n * factor


if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map_async(partial(scale, factor=10), range(4)).get(10))
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        children = module.children()
        run_in_children = children.processes | children.tasks
        if not run_in_children or fork_only(module) or self._forks(module):
            return
        for function in sorted(run_in_children, key=lambda f: f.lineno):
            yield from self._reads(module, function)

    def _reads(self, module: Inference, function: FunctionNode) -> Iterator[Flagged]:
        name = getattr(function, "name", "the lambda")
        seen: set[str] = set()
        for node in own_nodes(function):
            if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)) or node.id in seen:
                continue
            bindings = self._global_bindings(module, node)
            if not bindings:
                continue
            seen.add(node.id)
            if all(self._under_guard(module, binding.node) for binding in bindings):
                yield (
                    node,
                    (
                        f'`{node.id}` is set only under `if __name__ == "__main__":`, which a child started by spawn '
                        f"or forkserver does not run: {name}() fails there; pass it as an argument"
                    ),
                )
            elif any(self._anonymous_mmap(module, binding.node) for binding in bindings):
                yield (
                    node,
                    (
                        f"`{node.id}` is an anonymous mmap made at import: under spawn or forkserver each child "
                        "maps a new one; share a multiprocessing.shared_memory block or a file-backed mmap"
                    ),
                )

    def _global_bindings(self, module: Inference, node: ast.Name) -> list:  # type: ignore[type-arg]
        """The module's bindings of a name the function reads as a global, if it does."""
        scope = module.scopes.scope_at.get(node)
        while scope is not None and scope is not module.scopes.module_scope:
            if node.id in scope.bindings and not scope.is_class:
                return []
            scope = scope.parent
        return module.scopes.module_scope.bindings.get(node.id, [])

    def _under_guard(self, module: Inference, value: ast.AST | None) -> bool:
        """Whether a binding's statement runs only as a script (an import has no node: not known)."""
        return value is not None and under_main_guard(value, module.scopes)

    def _anonymous_mmap(self, module: Inference, value: ast.AST | None) -> bool:
        if not isinstance(value, ast.Call) or not runs_at_import(value, module.scopes):
            return False
        if under_main_guard(value, module.scopes):
            return False
        function = module.value(value.func)
        return (
            isinstance(function, Ref)
            and canonical(function.qualname) == "mmap.mmap"
            and is_constant(argument(value, 0, "fileno"), -1)
        )

    def _forks(self, module: Inference) -> bool:
        """Whether the module makes a fork context: its processes may all be forked."""
        for call in module.calls:
            function = module.value(call.func)
            context = isinstance(function, Ref) and canonical(function.qualname) == "multiprocessing.get_context"
            if context and is_constant(argument(call, 0, "method"), "fork"):
                return True
        return False
