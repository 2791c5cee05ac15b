"""The module's functions that run in child processes: those handed to a Process or a pool, and
those they call."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from portcheck.lint.classes import method_of
from portcheck.lint.dispatches import Dispatch
from portcheck.lint.scopes import COMPREHENSIONS, FUNCTIONS, FunctionNode
from portcheck.lint.syntax import argument, calls_in, method_call, own_nodes, same
from portcheck.lint.values import Local


@dataclass(frozen=True)
class Children:
    """The module's functions that run in child processes, and those they call."""

    processes: set[FunctionNode]  # run in a Process
    tasks: set[FunctionNode]  # run as a pool's or an executor's task, or its initializer
    several: set[FunctionNode]  # run in several at once: targets started in a loop or twice, pools' tasks


class ChildFunctions:
    """Which functions run in child processes; a part of Inference."""

    def children(self) -> Children:
        """The module's functions that run in child processes: those handed over (Process targets,
        run() of Process subclasses, pool tasks and initializers) and the module's functions they
        call, directly or through self."""
        if self._children is None:
            process_roots: dict[FunctionNode, int] = {}  # how many processes start it, at most
            task_roots: set[FunctionNode] = set()
            several_tasks: set[FunctionNode] = set()  # those of pools with more than one worker
            for node in self.nodes:
                if isinstance(node, ast.Call):
                    for dispatch in self.dispatches(node):
                        resolved = self.function_of(dispatch.function)
                        if resolved is None:
                            continue
                        if dispatch.how == "process":
                            process_roots[resolved[0]] = process_roots.get(resolved[0], 0) + self._starts(node)
                        elif dispatch.how in ("task", "initializer"):
                            task_roots.add(resolved[0])
                            if not self._one_worker(dispatch):
                                several_tasks.add(resolved[0])
                elif isinstance(node, ast.ClassDef) and self.is_process_class(node):
                    run = method_of(node, "run")
                    if run is not None:
                        process_roots[run] = process_roots.get(run, 0) + sum(
                            self._starts(call)
                            for call in self._calls_by_name.get(node.name, ())
                            if self.value(call.func) == Local(node)
                        )
            several = {function for function, count in process_roots.items() if count > 1} | several_tasks
            self._children = Children(
                self._reached(set(process_roots)), self._reached(task_roots), self._reached(several)
            )
        return self._children

    def _one_worker(self, dispatch: Dispatch) -> bool:
        """Whether the pool or executor that runs a task has a single worker: Pool(1), max_workers=1."""
        made: ast.Call | None = dispatch.call
        if dispatch.how != "initializer":
            method = method_call(dispatch.call)
            owner = self.kind(method[0]) if method is not None else None
            made = owner.call if owner is not None else None
        if made is None:
            return False
        size = argument(made, 0, "processes") or argument(made, 0, "max_workers")
        return isinstance(size, ast.Constant) and size.value == 1

    def _starts(self, call: ast.Call) -> int:
        """How many processes a call that makes one runs at once: 1, or 2 for "several" in a loop.

        A process made in a loop and joined in the same pass (`p = Process(...); p.start();
        p.join()`) runs alone.
        """
        assigned = self.scopes.parent.get(call)
        name = assigned.targets[0] if isinstance(assigned, ast.Assign) and len(assigned.targets) == 1 else None
        for ancestor in self.scopes.ancestors(call):
            if isinstance(ancestor, (ast.For, ast.AsyncFor, ast.While, *COMPREHENSIONS)):
                joined = name is not None and any(
                    (method := method_call(inner)) is not None and method[1] == "join" and same(method[0], name)
                    for inner in calls_in(ancestor)
                )
                return 1 if joined else 2
            if isinstance(ancestor, FUNCTIONS):
                break
        return 1

    def _reached(self, roots: set[FunctionNode]) -> set[FunctionNode]:
        reached = set(roots)
        waiting = list(roots)
        while waiting:
            function = waiting.pop()
            for node in own_nodes(function):
                if isinstance(node, ast.Call):
                    resolved = self.function_of(self.value(node.func))
                    if resolved is not None and resolved[0] not in reached:
                        reached.add(resolved[0])
                        waiting.append(resolved[0])
        return reached
