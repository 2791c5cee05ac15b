"""The calls that run a function, here or in another process, and what each gives it; and so what
a function's parameters are, when every call that reaches it agrees.

A parameter is known from its annotation or when every call that reaches the function agrees:
direct calls, Process(target=, args=), an executor's submit() and map(), a pool's apply and map
family, initializer= with initargs=, and done callbacks. functools.partial(f, a) is a call of f
with `a` first.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Iterator

from portcheck.lint.apis import CONSTRUCTORS, Kind, canonical
from portcheck.lint.classes import is_classmethod, is_static, method_of
from portcheck.lint.scopes import FunctionNode, positional_parameters
from portcheck.lint.syntax import argument
from portcheck.lint.values import (
    NONE,
    PENDING,
    UNKNOWN,
    Instance,
    Known,
    Local,
    Method,
    Obj,
    Partial,
    Ref,
    Tup,
    element,
    item_of,
    unify,
)


@dataclass(frozen=True)
class Argument:
    """Where an argument a dispatched function receives comes from."""

    node: ast.expr | None = None
    item: bool = False  # an item of what `node` is (map's iterables)
    index: int | None = None  # then that position of the item (starmap's tuples)
    known: Known | None = None  # given outright (a done callback's future)


@dataclass
class Dispatch:
    """A call that runs a function, here or in another process, with the arguments it gives it.

    how: "call" (a direct call), "process" (a Process target), "thread", "task" (an executor's or a
    pool's), "initializer", "callback" (a done callback, or a pool's callback=).
    positional is None when the arguments cannot be read (`*args`, a tuple built elsewhere);
    star_items is starmap's iterable, whose items are the positional arguments.
    """

    call: ast.Call
    function: Known
    how: str
    positional: list[Argument] | None = field(default_factory=list)
    keywords: dict[str, Argument] = field(default_factory=dict)
    star_items: ast.expr | None = None


class Dispatches:
    """The dispatches of a module's calls, and the parameters they tell; a part of Inference."""

    def parameter(self, function: FunctionNode, name: str) -> Known:
        return self._memo(("parameter", function, name), lambda: self._parameter(function, name))

    def _parameter(self, function: FunctionNode, name: str) -> Known:
        positional = positional_parameters(function)
        cls = self.method_class(function)
        if cls is not None and positional and positional[0] == name and not is_static(function):
            return Local(cls) if is_classmethod(function) else Instance(cls)
        from_calls = unify(list(self._argument_values(function, name)))
        if from_calls is not UNKNOWN:
            return from_calls
        argument = next((a for a in _all_arguments(function) if a.arg == name), None)
        if argument is not None and argument.annotation is not None:
            declared = self.annotation(argument.annotation, self.scopes.scope_at[function])
            if declared is not UNKNOWN:
                return declared
        return UNKNOWN

    def _argument_values(self, function: FunctionNode, name: str) -> Iterator[Known]:
        """What each dispatch of `function` passes as parameter `name`."""
        positional = positional_parameters(function)
        arguments = function.args
        defaults = {a.arg for a in arguments.args[len(arguments.args) - len(arguments.defaults) :]}
        defaults |= {a.arg for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is not None}
        if name not in positional and name not in {a.arg for a in arguments.kwonlyargs}:
            yield UNKNOWN  # *args or **kwargs
            return
        for dispatch in self.dispatches_of_function(function):
            resolved = self.function_of(dispatch.function)
            assert resolved is not None
            shift = resolved[1]
            index = positional.index(name) - shift if name in positional else None
            if dispatch.star_items is not None and index is not None:
                yield element(item_of(self.value(dispatch.star_items)), index)
            elif dispatch.positional is None:
                yield UNKNOWN
            elif index is not None and 0 <= index < len(dispatch.positional):
                yield self.argument_value(dispatch.positional[index])
            elif name in dispatch.keywords:
                yield self.argument_value(dispatch.keywords[name])
            elif name in defaults:
                yield NONE
            else:
                yield UNKNOWN

    def argument_value(self, given: Argument) -> Known:
        """What a dispatched function receives from `given`."""
        if given.known is not None:
            return given.known
        assert given.node is not None
        found = self.value(given.node)
        if given.item:
            found = item_of(found)
        if given.index is not None:
            found = element(found, given.index)
        return found

    def dispatches_of_function(self, function: FunctionNode) -> Iterator[Dispatch]:
        if isinstance(function, ast.Lambda):
            return
        names = {function.name}
        if function.name == "__init__":
            cls = self.method_class(function)
            if cls is not None:
                names.add(cls.name)
        for name in names:
            for call in self._calls_by_name.get(name, ()):
                for dispatch in self.dispatches(call):
                    resolved = self.function_of(dispatch.function)
                    if resolved is not None and resolved[0] is function:
                        yield dispatch

    def function_of(self, known: Known) -> tuple[FunctionNode, int] | None:
        """The function that calling `known` runs, and how many parameters it binds first (self)."""
        if isinstance(known, Local):
            if isinstance(known.node, ast.ClassDef):
                init = method_of(known.node, "__init__")
                return (init, 1) if init is not None else None
            return known.node, 0
        if isinstance(known, Method) and isinstance(known.owner, Instance):
            method = method_of(known.owner.cls, known.name)
            if method is not None:
                return method, 0 if is_static(method) else 1
        return None

    def dispatches(self, call: ast.Call) -> list[Dispatch]:
        """Every function this call runs, with what it passes to it."""
        if call in self._dispatches:
            return self._dispatches[call]
        depth = len(self._depth)
        found = [_unwrap_partial(dispatch) for dispatch in self._find_dispatches(call)]
        if self._lowest_pending >= depth:  # kept only if nothing it used is still being worked out
            self._dispatches[call] = found
        return found

    def _find_dispatches(self, call: ast.Call) -> list[Dispatch]:
        called = self.value(call.func)
        found = [Dispatch(call, called, "call", *_call_arguments(call))]
        if called is PENDING:
            return found
        if isinstance(called, Ref):
            qualname = canonical(called.qualname)
            if qualname == "multiprocessing.Process" or qualname == "threading.Thread":
                found.append(self._started(call, "process" if qualname != "threading.Thread" else "thread"))
            elif qualname in CONSTRUCTORS and CONSTRUCTORS[qualname] in (Kind.POOL, Kind.EXECUTOR):
                found.extend(self._initializer(call, CONSTRUCTORS[qualname]))
        elif isinstance(called, Method) and isinstance(called.owner, Obj):
            kind, name = called.owner.kind, called.name
            if kind is Kind.CONTEXT and name == "Process":
                found.append(self._started(call, "process"))
            elif kind is Kind.CONTEXT and name in ("Pool",):
                found.extend(self._initializer(call, Kind.POOL))
            elif kind is Kind.EXECUTOR:
                found.extend(self._executor_task(call, name))
            elif kind is Kind.POOL and not called.owner.proxied:
                found.extend(self._pool_task(call, name))
            elif kind in (Kind.FUTURE, Kind.DONE_FUTURE) and name == "add_done_callback" and call.args:
                done = Argument(known=Obj(Kind.DONE_FUTURE))
                found.append(Dispatch(call, self.value(call.args[0]), "callback", [done]))
        return found

    def _started(self, call: ast.Call, how: str) -> Dispatch:
        target = argument(call, 1, "target")
        positional, keywords = self._packed(argument(call, 3, "args"), argument(call, 4, "kwargs"))
        return Dispatch(call, self.value(target) if target is not None else UNKNOWN, how, positional, keywords)

    def _initializer(self, call: ast.Call, kind: Kind) -> list[Dispatch]:
        position = 1 if kind is Kind.POOL else 2
        initializer = argument(call, position, "initializer")
        if initializer is None:
            return []
        positional, _ = self._packed(argument(call, position + 1, "initargs"), None)
        return [Dispatch(call, self.value(initializer), "initializer", positional)]

    def _executor_task(self, call: ast.Call, name: str) -> list[Dispatch]:
        if not call.args or any(isinstance(a, ast.Starred) for a in call.args):
            return []
        function = self.value(call.args[0])
        if name == "submit":
            positional, keywords = _call_arguments(call, skip=1)
            return [Dispatch(call, function, "task", positional, keywords)]
        if name == "map":
            return [Dispatch(call, function, "task", [Argument(a, item=True) for a in call.args[1:]])]
        return []

    def _pool_task(self, call: ast.Call, name: str) -> list[Dispatch]:
        function_node = argument(call, 0, "func")
        if function_node is None:
            return []
        function = self.value(function_node)
        found = []
        if name in ("apply", "apply_async"):
            positional, keywords = self._packed(argument(call, 1, "args"), argument(call, 2, "kwds"))
            found.append(Dispatch(call, function, "task", positional, keywords))
        elif name in ("map", "map_async", "imap", "imap_unordered"):
            iterable = argument(call, 1, "iterable")
            if iterable is not None:
                found.append(Dispatch(call, function, "task", [Argument(iterable, item=True)]))
        elif name in ("starmap", "starmap_async"):
            iterable = argument(call, 1, "iterable")
            if iterable is not None:
                found.append(Dispatch(call, function, "task", None, star_items=iterable))
        for keyword in ("callback", "error_callback"):
            callback = argument(call, None, keyword)
            if callback is not None:
                found.append(Dispatch(call, self.value(callback), "callback", [Argument(known=UNKNOWN)]))
        return found

    def _packed(
        self, args: ast.expr | None, kwargs: ast.expr | None
    ) -> tuple[list[Argument] | None, dict[str, Argument]]:
        """The arguments an args tuple and a kwargs dict hold, as far as they can be read."""
        positional: list[Argument] | None = []
        if args is not None:
            packed = self.value(args)
            if isinstance(args, (ast.Tuple, ast.List)) and not any(isinstance(e, ast.Starred) for e in args.elts):
                positional = [Argument(element) for element in args.elts]
            elif isinstance(packed, Tup):
                positional = [Argument(known=item) for item in packed.items]
            else:
                positional = None
        keywords: dict[str, Argument] = {}
        if isinstance(kwargs, ast.Dict):
            for key, value in zip(kwargs.keys, kwargs.values):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    keywords[key.value] = Argument(value)
        return positional, keywords


def _call_arguments(call: ast.Call, skip: int = 0) -> tuple[list[Argument] | None, dict[str, Argument]]:
    keywords = {given.arg: Argument(given.value) for given in call.keywords if given.arg is not None}
    if any(isinstance(argument, ast.Starred) for argument in call.args):
        return None, keywords
    return [Argument(argument) for argument in call.args[skip:]], keywords


def _unwrap_partial(dispatch: Dispatch) -> Dispatch:
    """A dispatch of functools.partial(f, a) is one of f, with `a` before the arguments given."""
    function = dispatch.function
    if not isinstance(function, Partial):
        return dispatch
    bound, bound_keywords = _call_arguments(function.call, skip=1)
    positional = None if bound is None or dispatch.positional is None else bound + dispatch.positional
    star_items = dispatch.star_items if not bound else None
    if dispatch.star_items is not None and bound:
        positional = None  # starmap over a partial: the positions no longer line up simply
    return Dispatch(
        dispatch.call,
        function.function,
        dispatch.how,
        positional,
        {**bound_keywords, **dispatch.keywords},
        star_items,
    )


def _all_arguments(function: FunctionNode) -> list[ast.arg]:
    arguments = function.args
    return [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]


def _terminal_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call) and _terminal_name(node.func) == "partial" and node.args:
        return _terminal_name(node.args[0])
    return None


def index_calls(calls: list[ast.Call]) -> dict[str, list[ast.Call]]:
    """Each call under the names it calls or hands on, so a function's dispatches are found by its name."""
    index: dict[str, list[ast.Call]] = {}
    for node in calls:
        named = {_terminal_name(node.func)}
        named.update(_terminal_name(argument) for argument in node.args)
        named.update(_terminal_name(keyword.value) for keyword in node.keywords)
        for name in named:
            if name is not None:
                index.setdefault(name, []).append(node)
    return index
