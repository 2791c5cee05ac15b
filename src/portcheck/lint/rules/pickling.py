"""A rule on what a child process or a pool's worker is given: what cannot be pickled there."""

from __future__ import annotations

import ast
from typing import Iterator

from portcheck.lint.apis import INHERITED_ONLY, NEVER_PICKLED, canonical
from portcheck.lint.inference import Inference
from portcheck.lint.rules.base import Flagged, Rule
from portcheck.lint.rules.starting import fork_only, forked_by, passed
from portcheck.lint.scopes import FUNCTIONS
from portcheck.lint.values import Instance, Known, Local, Method, Obj, Ref

# Calls whose result cannot be pickled under any start method.
UNPICKLABLE_CALLS = {
    "threading.Lock": "a threading.Lock",
    "threading.RLock": "a threading.RLock",
    "threading.Condition": "a threading.Condition",
    "threading.Event": "a threading.Event",
    "threading.Semaphore": "a threading.Semaphore",
    "threading.BoundedSemaphore": "a threading.BoundedSemaphore",
    "threading.Thread": "a Thread",
    "builtins.open": "an open file",
    "io.open": "an open file",
    "socket.socket": "a socket",
    "sqlite3.connect": "a database connection",
}


class UnpicklableTarget(Rule):
    """Finds a `Process` target or a pool task that cannot be pickled.

    That is a lambda, a function defined inside another function, or a bound method whose
    instance cannot be pickled, given as a `Process` target, a pool's `initializer=`, or a process
    pool's task. An instance cannot be pickled when one of its attributes is a pool, an executor, a
    manager, a `threading` lock or event, an open file, a socket or a database connection; in a
    pool task, a multiprocessing lock or queue too. Only what is set on the instance (`self.x =`)
    counts: a class attribute is not pickled with the instance. Also an argument given to them
    (`functools.partial` included) that is a pool, an executor or a manager, or such an instance.

    Left alone: module-level functions, methods of classes that define their own pickling
    (`__getstate__`, `__reduce__`), and `Process` targets in a program that sets the fork start
    method for everything, or made by a `get_context("fork")` context.
    """

    code = "MPC202"
    name = "unpicklable-target"
    pair = "process_subclass"
    why = """\
Under spawn and forkserver the child is a fresh interpreter: the target and its arguments reach it
pickled, and pickle finds a function by its module and name. A lambda or a nested function has no
such name ("Can't pickle local object"), and a bound method pickles its whole instance. spawn is the
default on macOS and Windows, and forkserver on Linux from Python 3.14, so a program that works
under fork breaks there. A pool task is pickled under every start method. `process_subclass` shows
the rule at work: under spawn and forkserver its `Sleeper` object itself is pickled to the child,
so every attribute set before `start()` must pickle."""
    example = """\
from multiprocessing import Process


def main():
    def greet(name):
        print(f"hello {name}")

    p = Process(target=greet, args=("bob",))
    p.start()
    p.join(10)


if __name__ == "__main__":
    main()
"""
    instead = """\
from multiprocessing import Process


def greet(name):
    print(f"hello {name}")


def main():
    p = Process(target=greet, args=("bob",))
    p.start()
    p.join(10)


if __name__ == "__main__":
    main()
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        everything_forked = None
        for call in module.calls:
            for dispatch in module.dispatches(call):
                if dispatch.how not in ("process", "initializer", "task"):
                    continue
                task = dispatch.how == "task"
                if not task:
                    if everything_forked is None:
                        everything_forked = fork_only(module)
                    if everything_forked or forked_by(module, call):
                        continue
                where = "a pool task" if task else "a process started by spawn or forkserver"
                problem = self._problem(module, dispatch.function, task)
                if problem:
                    yield call, f"{problem} cannot be pickled into {where}: use a function defined at module level"
                    continue
                for given in passed(module, dispatch):
                    problem = self._argument_problem(module, given, task)
                    if problem:
                        yield call, f"{problem} cannot be pickled into {where}: give it only what it needs"
                        break

    def _argument_problem(self, module: Inference, given: Known, task: bool) -> str | None:
        """What makes an argument unpicklable: a pool, an executor or a manager, or an instance of the
        module's holding one (`partial(work, base=self)` where `self.pool` is a Pool)."""
        if isinstance(given, Obj) and not given.proxied and given.kind in NEVER_PICKLED:
            return f"an argument is a {given.kind.value}, which"
        if isinstance(given, Instance):
            cls = given.cls
            if any(isinstance(s, ast.FunctionDef) and s.name in PICKLING_HOOKS for s in cls.body):
                return None
            held = self._unpicklable_attribute(module, cls, task)
            if held:
                return f"an argument is a {cls.name} instance, whose {held}, and"
        return None

    def _problem(self, module: Inference, function: Known, task: bool) -> str | None:
        if isinstance(function, Local) and isinstance(function.node, ast.Lambda):
            return "a lambda"
        if isinstance(function, Local) and isinstance(function.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if any(isinstance(a, FUNCTIONS) for a in module.scopes.ancestors(function.node)):
                return f"{function.node.name}(), defined inside a function,"
            return None
        if isinstance(function, Method) and isinstance(function.owner, Instance):
            cls = function.owner.cls
            if any(isinstance(s, ast.FunctionDef) and s.name in PICKLING_HOOKS for s in cls.body):
                return None
            held = self._unpicklable_attribute(module, cls, task)
            if held:
                return f"the bound method {function.name}() pickles its {cls.name} instance, whose {held},"
        return None

    def _unpicklable_attribute(self, module: Inference, cls: ast.ClassDef, task: bool) -> str | None:
        for attribute, bindings in sorted(module.attribute_bindings(cls).items()):
            for binding in bindings:
                node = binding.node
                if binding.how != "value" or binding.path or not isinstance(node, ast.expr):
                    continue
                if module.scopes.parent.get(node) in cls.body:
                    continue  # a class attribute: pickle saves the instance's __dict__, not its class's
                if isinstance(node, ast.Lambda):
                    return f"attribute {attribute} is a lambda"
                if isinstance(node, ast.Call):
                    function = module.value(node.func)
                    if isinstance(function, Ref) and canonical(function.qualname) in UNPICKLABLE_CALLS:
                        return f"attribute {attribute} is {UNPICKLABLE_CALLS[canonical(function.qualname)]}"
                made = module.kind(node)
                if made is not None and _refuses_pickling(made, task):
                    return f"attribute {attribute} is a {made.kind.value}"
        return None


def _refuses_pickling(made: Obj, task: bool) -> bool:
    if made.proxied:
        return False
    return made.kind in NEVER_PICKLED or (task and made.kind in INHERITED_ONLY)


PICKLING_HOOKS = frozenset({"__getstate__", "__reduce__", "__reduce_ex__", "__getnewargs__"})
