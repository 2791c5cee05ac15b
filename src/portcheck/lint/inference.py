"""What each expression of a module is known to be, worked out when a rule asks.

A name is known when every place that binds it in its scope agrees (flow-insensitive, as a reader
skims): `q = Queue()` makes q a Queue unless q is also bound to something else or something
unknown. A parameter is known from its annotation or when every call that reaches the function
agrees: direct calls, Process(target=, args=), an executor's submit() and map(), a pool's apply
and map family, initializer= with initargs=, and done callbacks. Anything that cannot be worked
out is UNKNOWN, and the rules flag nothing on an unknown object.

Names can depend on each other in a cycle (`p` is an item of `workers`, whose items are the `p`
appended). A value met again while it is being worked out counts for nothing (PENDING); a value
worked out from a PENDING one is kept only while that one is still pending, and worked out again
once the cycle is done.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Iterator

from portcheck.lint.apis import (
    ANNOTATIONS,
    CONNECTIONS,
    CONSTRUCTORS,
    CONTEXT_CONSTRUCTORS,
    MANAGER_METHODS,
    PROXY_ANNOTATIONS,
    STAR_NAMES,
    Kind,
    canonical,
)
from portcheck.lint.scopes import (
    COMPREHENSIONS,
    FUNCTIONS,
    Binding,
    FunctionNode,
    Scope,
    ScopeTree,
    positional_parameters,
)
from portcheck.lint.syntax import argument, calls_in, method_call, own_nodes, same
from portcheck.lint.values import (
    EMPTY,
    NONE,
    PENDING,
    UNKNOWN,
    Instance,
    Known,
    Local,
    Many,
    Method,
    Obj,
    Partial,
    Ref,
    Tup,
    item_of,
    unify,
)

STEP_LIMIT = 200_000  # past this many evaluations in one module, everything left is UNKNOWN
# Past this many values worked out one inside another (a name bound to a name bound to a name ..., a
# parameter given a parameter of another function ...), the next is UNKNOWN, as is what it was asked for.
# A level takes five to ten of Python's frames (60 levels took 320 on CPython's
# email/_header_value_parser.py, whose parsing functions pass values two hundred deep and ended the run
# with a RecursionError before there was a limit), so the lint stays inside the default recursion
# limit of 1,000 even when flake8 or pytest calls it from deep in theirs.
DEPTH_LIMIT = 60

PROCESS_CLASSES = frozenset(
    {
        "multiprocessing.Process",
        "multiprocessing.ForkProcess",
        "multiprocessing.SpawnProcess",
        "multiprocessing.ForkServerProcess",
    }
)
ENTERED_AS_ITSELF = frozenset({Kind.EXECUTOR, Kind.POOL, Kind.MANAGER, Kind.LISTENER} | CONNECTIONS)
COLLECTING = frozenset({"list", "tuple", "set", "frozenset", "sorted", "reversed", "iter"})


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


@dataclass(frozen=True)
class Children:
    """The module's functions that run in child processes, and those they call."""

    processes: set[FunctionNode]  # run in a Process
    tasks: set[FunctionNode]  # run as a pool's or an executor's task, or its initializer
    several: set[FunctionNode]  # run in several at once: targets started in a loop or twice, pools' tasks


class Inference:
    """One module's answers: each worked out when a rule first asks, and kept."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.scopes = ScopeTree(tree)
        self.nodes = self.scopes.nodes  # every node of the module, in ast.walk's order
        self.calls = [node for node in self.nodes if isinstance(node, ast.Call)]  # every call, in that order
        self._done: dict[Any, Known] = {}
        self._depth: dict[Any, int] = {}
        self._lowest_pending = _NEVER
        self._provisional: dict[Any, tuple[Known, int]] = {}
        self._provisional_keys: dict[int, list[Any]] = {}  # by the depth of the value they wait for
        self.steps = 0  # values worked out so far, against STEP_LIMIT
        self._calls_by_name = _index_calls(self.calls)
        self._class_attributes = {
            node: _attribute_bindings(node) for node in self.nodes if isinstance(node, ast.ClassDef)
        }
        self._dispatches: dict[ast.Call, list[Dispatch]] = {}
        self._children: Children | None = None
        self._process_classes: dict[ast.ClassDef, bool] = {}

    # Memory, with cycles -------------------------------------------------------------------------

    def _memo(self, key: Any, compute: Callable[[], Known]) -> Known:
        if key in self._done:
            return self._done[key]
        if key in self._depth:
            self._lowest_pending = min(self._lowest_pending, self._depth[key])
            return PENDING
        if key in self._provisional:
            # Worked out from a value still pending, which still is: the same answer, the same taint.
            result, pending = self._provisional[key]
            self._lowest_pending = min(self._lowest_pending, pending)
            return result
        self.steps += 1
        depth = len(self._depth)
        if self.steps > STEP_LIMIT or depth >= DEPTH_LIMIT:
            return UNKNOWN
        self._depth[key] = depth
        try:
            result = compute()
        finally:
            del self._depth[key]
        if self._lowest_pending >= depth:  # nothing it used is still being worked out
            result = UNKNOWN if result is PENDING else result
            self._done[key] = result
            self._lowest_pending = _NEVER
            self._forget_provisional(depth)
        else:
            self._provisional[key] = (result, self._lowest_pending)
            self._provisional_keys.setdefault(self._lowest_pending, []).append(key)
        return result

    def _forget_provisional(self, depth: int) -> None:
        """Drop what was worked out from values pending at `depth` or deeper: they are known now."""
        for pending in [pending for pending in self._provisional_keys if pending >= depth]:
            for key in self._provisional_keys.pop(pending):
                del self._provisional[key]

    # Expressions -----------------------------------------------------------------------------------

    def value(self, node: ast.expr) -> Known:
        """What `node` is known to be."""
        return self._memo(node, lambda: self._evaluate(node))

    def kind(self, node: ast.expr) -> Obj | None:
        """The object `node` is, if it is one the rules know."""
        found = self.value(node)
        return found if isinstance(found, Obj) else None

    def method_calls(self, kind: Kind, names: Collection[str]) -> Iterator[tuple[ast.Call, ast.expr, str, Obj]]:
        """Each call of a method named in `names` on an object of `kind`, in the whole module: the call,
        what it is called on, the method's name, and the object."""
        for call in self.calls:
            method = method_call(call)
            if method is None or method[1] not in names:
                continue
            owner = self.kind(method[0])
            if owner is not None and owner.kind is kind:
                yield call, method[0], method[1], owner

    def _evaluate(self, node: ast.expr) -> Known:
        if isinstance(node, ast.Name):
            return self.lookup(node.id, self.scopes.scope_at[node])
        if isinstance(node, ast.Attribute):
            return self._attribute(self.value(node.value), node.attr)
        if isinstance(node, ast.Call):
            return self._call(self.value(node.func), node)
        if isinstance(node, ast.Constant):
            return NONE if node.value is None else UNKNOWN
        if isinstance(node, ast.Tuple):
            if any(isinstance(element, ast.Starred) for element in node.elts):
                return UNKNOWN
            return Tup(tuple(self.value(element) for element in node.elts))
        if isinstance(node, (ast.List, ast.Set)):
            if any(isinstance(element, ast.Starred) for element in node.elts):
                return UNKNOWN
            return Many(unify([self.value(element) for element in node.elts])) if node.elts else Many(EMPTY)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            return Many(self.value(node.elt))
        if isinstance(node, ast.Subscript):
            return self._subscript(self.value(node.value), node.slice)
        if isinstance(node, ast.IfExp):
            return unify([self.value(node.body), self.value(node.orelse)])
        if isinstance(node, ast.NamedExpr):
            return self.value(node.value)
        if isinstance(node, ast.BinOp):
            return self._binary(node)
        if isinstance(node, ast.Lambda):
            return Local(node)
        return UNKNOWN

    def _attribute(self, owner: Known, name: str) -> Known:
        if owner is PENDING:
            return PENDING
        if isinstance(owner, Ref):
            return Ref(canonical(f"{owner.qualname}.{name}"))
        if isinstance(owner, Instance):
            if _method_of(owner.cls, name) is not None:
                return Method(owner, name)
            return self.class_attribute(owner.cls, name)
        if isinstance(owner, (Obj, Many, Local)):
            return Method(owner, name)
        return UNKNOWN

    def _subscript(self, owner: Known, index: ast.expr) -> Known:
        if owner is PENDING:
            return PENDING
        if isinstance(owner, Many):
            return owner if isinstance(index, ast.Slice) else item_of(owner)
        if isinstance(owner, Tup) and isinstance(index, ast.Constant) and isinstance(index.value, int):
            position = index.value
            if -len(owner.items) <= position < len(owner.items):
                return owner.items[position]
        return UNKNOWN

    def _binary(self, node: ast.BinOp) -> Known:
        left = self.value(node.left)
        if isinstance(node.op, ast.Mult) and isinstance(left, Many):
            return left  # [q] * n
        if isinstance(node.op, ast.Add):
            right = self.value(node.right)
            if isinstance(left, Many) and isinstance(right, Many):
                return unify([left, right])
        return UNKNOWN

    def _call(self, function: Known, call: ast.Call) -> Known:
        if function is PENDING:
            return PENDING
        if isinstance(function, Ref):
            return self._call_ref(canonical(function.qualname), call)
        if isinstance(function, Method):
            return self._call_method(function, call)
        if isinstance(function, Local):
            if isinstance(function.node, ast.ClassDef):
                if self.is_process_class(function.node):
                    return Obj(Kind.PROCESS, call=call)
                return Instance(function.node)
            return self.returned(function.node)
        return UNKNOWN

    def _call_ref(self, qualname: str, call: ast.Call) -> Known:
        if qualname == "multiprocessing.Pipe":
            return _pipe(call)
        if qualname in CONSTRUCTORS:
            return _made(CONSTRUCTORS[qualname], call)
        first = call.args[0] if call.args else None
        if qualname == "functools.partial" and first is not None:
            return Partial(self.value(first), call)
        if qualname == "concurrent.futures.as_completed":
            return Many(Obj(Kind.DONE_FUTURE))
        if qualname == "concurrent.futures.wait" and first is not None:
            return Tup((Many(Obj(Kind.DONE_FUTURE)), Many(item_of(self.value(first)))))
        if qualname == "multiprocessing.connection.wait" and first is not None:
            waited = item_of(self.value(first))
            ready = Obj(Kind.READY_CONNECTION) if isinstance(waited, Obj) and waited.kind in CONNECTIONS else UNKNOWN
            return Many(ready)
        if qualname == "multiprocessing.active_children":
            return Many(Obj(Kind.PROCESS))
        if qualname == "itertools.repeat" and first is not None:
            return Many(self.value(first))
        if qualname == "builtins.enumerate" and first is not None:
            return Many(Tup((UNKNOWN, item_of(self.value(first)))))
        if qualname == "builtins.zip" and call.args:
            return Many(Tup(tuple(item_of(self.value(argument)) for argument in call.args)))
        if qualname.startswith("builtins.") and qualname[len("builtins.") :] in COLLECTING:
            return Many(item_of(self.value(first))) if first is not None else Many(EMPTY)
        return UNKNOWN

    def _call_method(self, method: Method, call: ast.Call) -> Known:
        owner, name = method.owner, method.name
        if isinstance(owner, Instance):
            function = _method_of(owner.cls, name)
            return self.returned(function) if function is not None else UNKNOWN
        if isinstance(owner, Many):
            return item_of(owner) if name == "pop" else UNKNOWN
        if not isinstance(owner, Obj):
            return UNKNOWN
        kind = owner.kind
        if kind is Kind.CONTEXT:
            if name == "Pipe":
                return _pipe(call)
            if name in CONTEXT_CONSTRUCTORS:
                return _made(CONTEXT_CONSTRUCTORS[name], call)
        elif kind is Kind.MANAGER and name in MANAGER_METHODS:
            return Obj(MANAGER_METHODS[name], proxied=True, call=call)
        elif kind is Kind.POOL and name in ("apply_async", "map_async", "starmap_async"):
            return Obj(Kind.ASYNC_RESULT, owner.proxied, call)
        elif kind is Kind.EXECUTOR and name == "submit":
            return Obj(Kind.FUTURE, call=call)
        elif kind in (Kind.VALUE, Kind.ARRAY) and not owner.proxied and name == "get_lock":
            return Obj(Kind.RLOCK, call=call)
        elif kind is Kind.LISTENER and name == "accept":
            return Obj(Kind.REMOTE_CONNECTION, call=call)
        return UNKNOWN

    def returned(self, function: FunctionNode) -> Known:
        """What a function defined in the module returns, when every return agrees."""
        return self._memo(("returns", function), lambda: self._returned(function))

    def _returned(self, function: FunctionNode) -> Known:
        if isinstance(function, ast.Lambda):
            return self.value(function.body)
        returned = []
        for node in own_nodes(function):
            if isinstance(node, (ast.Yield, ast.YieldFrom)):
                return UNKNOWN
            if isinstance(node, ast.Return):
                returned.append(UNKNOWN if node.value is None else self.value(node.value))
        return unify(returned)

    # Names ------------------------------------------------------------------------------------------

    def lookup(self, name: str, scope: Scope) -> Known:
        start = scope
        current: Scope | None = scope
        while current is not None:
            if current.is_class and current is not start:
                current = current.parent
                continue
            if name in current.global_names:
                current = self.scopes.module_scope
            if name in current.bindings:
                return self.name_value(current, name)
            current = current.parent
        for module in self.scopes.module_scope.star_imports:
            if name in STAR_NAMES.get(canonical(module), ()):
                return Ref(canonical(f"{module}.{name}"))
        return Ref(f"builtins.{name}")

    def name_value(self, scope: Scope, name: str) -> Known:
        return self._memo((id(scope), name), lambda: self._name_value(scope, name))

    def _name_value(self, scope: Scope, name: str) -> Known:
        bindings = scope.bindings[name]
        for binding in bindings:
            if binding.how == "annotation":
                declared = self.annotation(binding.node, scope)  # type: ignore[arg-type]
                if declared is not UNKNOWN:
                    return declared
        return unify([self._bound(binding) for binding in bindings if binding.how != "annotation"])

    def _bound(self, binding: Binding) -> Known:
        how, node = binding.how, binding.node
        if how == "value":
            found = self.value(node)  # type: ignore[arg-type]
        elif how == "iterate":
            found = _item_or_nothing(self.value(node))  # type: ignore[arg-type]
        elif how == "enter":
            found = self.value(node)  # type: ignore[arg-type]
            if not (isinstance(found, Obj) and found.kind in ENTERED_AS_ITSELF):
                found = UNKNOWN if found is not PENDING else PENDING
        elif how == "import":
            return UNKNOWN if binding.qualname.startswith(".") else Ref(canonical(binding.qualname))
        elif how == "define":
            return Local(node)  # type: ignore[arg-type]
        elif how == "parameter":
            return self.parameter(node, binding.qualname)  # type: ignore[arg-type]
        elif how == "append":
            return Many(self.value(node))  # type: ignore[arg-type]
        elif how == "augmented":
            assert isinstance(node, ast.AugAssign)
            added = self.value(node.value)
            return added if isinstance(node.op, ast.Add) and isinstance(added, Many) else UNKNOWN
        else:
            return UNKNOWN
        for index in binding.path:
            found = _element(found, index)
        return found

    def annotation(self, node: ast.expr, scope: Scope) -> Known:
        """What an annotation declares, if it names an object the rules know."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                return UNKNOWN
        if isinstance(node, ast.Subscript):
            outer = self._annotation_name(node.value, scope)
            if isinstance(outer, Ref) and outer.qualname in ("typing.Optional", "typing.Union"):
                inner = node.slice.value if type(node.slice).__name__ == "Index" else node.slice  # type: ignore[attr-defined]
                options = inner.elts if isinstance(inner, ast.Tuple) else [inner]
                return unify([self.annotation(option, scope) for option in options])
            node = node.value
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return unify([self.annotation(node.left, scope), self.annotation(node.right, scope)])
        if isinstance(node, ast.Constant) and node.value is None:
            return NONE
        named = self._annotation_name(node, scope)
        if isinstance(named, Local) and isinstance(named.node, ast.ClassDef):
            return Obj(Kind.PROCESS) if self.is_process_class(named.node) else Instance(named.node)
        if not isinstance(named, Ref):
            return UNKNOWN
        qualname = canonical(named.qualname)
        if qualname in PROCESS_CLASSES:
            return Obj(Kind.PROCESS)
        if qualname in ANNOTATIONS:
            return Obj(ANNOTATIONS[qualname])
        if qualname in PROXY_ANNOTATIONS:
            return Obj(PROXY_ANNOTATIONS[qualname], proxied=True)
        if qualname in CONSTRUCTORS and CONSTRUCTORS[qualname] is not Kind.CONTEXT:
            return Obj(CONSTRUCTORS[qualname])
        return UNKNOWN

    def _annotation_name(self, node: ast.expr, scope: Scope) -> Known:
        # A parsed string's nodes are not in the module, so names are looked up by hand.
        if isinstance(node, ast.Name):
            return self.lookup(node.id, scope)
        if isinstance(node, ast.Attribute):
            return self._attribute(self._annotation_name(node.value, scope), node.attr)
        return UNKNOWN

    # Parameters and the calls that reach them -----------------------------------------------------

    def parameter(self, function: FunctionNode, name: str) -> Known:
        return self._memo(("parameter", function, name), lambda: self._parameter(function, name))

    def _parameter(self, function: FunctionNode, name: str) -> Known:
        positional = positional_parameters(function)
        cls = self.method_class(function)
        if cls is not None and positional and positional[0] == name and not _is_static(function):
            return Local(cls) if _is_classmethod(function) else Instance(cls)
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
                yield _element(item_of(self.value(dispatch.star_items)), index)
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
            found = _element(found, given.index)
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
                init = _method_of(known.node, "__init__")
                return (init, 1) if init is not None else None
            return known.node, 0
        if isinstance(known, Method) and isinstance(known.owner, Instance):
            method = _method_of(known.owner.cls, known.name)
            if method is not None:
                return method, 0 if _is_static(method) else 1
        return None

    def dispatches(self, call: ast.Call) -> list[Dispatch]:
        """Every function this call runs, with what it passes to it."""
        if call in self._dispatches:
            return self._dispatches[call]
        depth = len(self._depth)
        found = [_unwrap_partial(self, dispatch) for dispatch in self._find_dispatches(call)]
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

    # Classes ----------------------------------------------------------------------------------------

    def method_class(self, function: FunctionNode) -> ast.ClassDef | None:
        """The class `function` is a method of, if it is defined in a class body."""
        parent = self.scopes.parent.get(function)
        return parent if isinstance(parent, ast.ClassDef) and not isinstance(function, ast.Lambda) else None

    def is_process_class(self, cls: ast.ClassDef) -> bool:
        if cls not in self._process_classes:
            self._process_classes[cls] = False  # a class cycle makes no process class
            self._process_classes[cls] = any(self._makes_processes(base) for base in cls.bases)
        return self._process_classes[cls]

    def _makes_processes(self, base: ast.expr) -> bool:
        known = self.value(base)
        if isinstance(known, Ref):
            return canonical(known.qualname) in PROCESS_CLASSES
        if isinstance(known, Method) and isinstance(known.owner, Obj):
            return known.owner.kind is Kind.CONTEXT and known.name == "Process"
        return isinstance(known, Local) and isinstance(known.node, ast.ClassDef) and self.is_process_class(known.node)

    def attribute_bindings(self, cls: ast.ClassDef) -> dict[str, list[Binding]]:
        """Every place that binds an attribute of `cls`'s instances, or a name in its body, by name."""
        return self._class_attributes[cls]

    def class_attribute(self, cls: ast.ClassDef, name: str) -> Known:
        """What `self.name` is in `cls`'s methods, when every assignment to it agrees."""
        return self._memo(("attribute", cls, name), lambda: self._class_attribute(cls, name))

    def _class_attribute(self, cls: ast.ClassDef, name: str) -> Known:
        bindings = self._class_attributes[cls].get(name)
        if not bindings:
            for base in cls.bases:
                known = self.value(base)
                if isinstance(known, Local) and isinstance(known.node, ast.ClassDef):
                    return self.class_attribute(known.node, name)
            return UNKNOWN
        return unify([self._bound(binding) for binding in bindings])

    # Functions that run in a child process ----------------------------------------------------------

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
                    run = _method_of(node, "run")
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


# Helpers ----------------------------------------------------------------------------------------------

_NEVER = 1 << 30


def _made(kind: Kind, call: ast.Call) -> Obj:
    if kind in (Kind.VALUE, Kind.ARRAY):
        lock = argument(call, None, "lock")
        if isinstance(lock, ast.Constant) and lock.value is False:
            return Obj(Kind.RAW_VALUE if kind is Kind.VALUE else Kind.RAW_ARRAY, call=call)
    return Obj(kind, call=call)


def _pipe(call: ast.Call) -> Tup:
    duplex = argument(call, 0, "duplex")
    one_way = isinstance(duplex, ast.Constant) and duplex.value is False
    second = Kind.SEND_ONLY_CONNECTION if one_way else Kind.CONNECTION
    return Tup((Obj(Kind.CONNECTION, call=call), Obj(second, call=call)))


def _element(found: Known, index: int) -> Known:
    if found is PENDING:
        return PENDING
    if isinstance(found, Tup):
        return found.items[index] if index < len(found.items) else UNKNOWN
    return UNKNOWN


def _item_or_nothing(found: Known) -> Known:
    """The item of a loop's iterable; an empty list binds nothing, so it says nothing."""
    if found is PENDING:
        return PENDING
    if isinstance(found, Many) and found.item is EMPTY:
        return NONE
    return item_of(found)


def _call_arguments(call: ast.Call, skip: int = 0) -> tuple[list[Argument] | None, dict[str, Argument]]:
    keywords = {given.arg: Argument(given.value) for given in call.keywords if given.arg is not None}
    if any(isinstance(argument, ast.Starred) for argument in call.args):
        return None, keywords
    return [Argument(argument) for argument in call.args[skip:]], keywords


def _unwrap_partial(inference: Inference, dispatch: Dispatch) -> Dispatch:
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


def _method_of(cls: ast.ClassDef, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    for statement in cls.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name == name:
            return statement
    return None


def _decorated(function: FunctionNode, name: str) -> bool:
    if isinstance(function, ast.Lambda):
        return False
    return any(isinstance(d, ast.Name) and d.id == name for d in function.decorator_list)


def _is_static(function: FunctionNode) -> bool:
    return _decorated(function, "staticmethod")


def _is_classmethod(function: FunctionNode) -> bool:
    return _decorated(function, "classmethod")


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


def _index_calls(calls: list[ast.Call]) -> dict[str, list[ast.Call]]:
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


def _attribute_bindings(cls: ast.ClassDef) -> dict[str, list[Binding]]:
    """Every `self.name = value` in a class's methods, and every name its body binds."""
    found: dict[str, list[Binding]] = {}

    def bind(target: ast.expr, binding: Binding, owner: str | None) -> None:
        if owner is None and isinstance(target, ast.Name):
            found.setdefault(target.id, []).append(binding)
        elif (
            owner is not None
            and isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == owner
        ):
            found.setdefault(target.attr, []).append(binding)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for index, element in enumerate(target.elts):
                bind(element, Binding(binding.how, binding.node, (*binding.path, index)), owner)

    for statement in cls.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                bind(target, Binding("value", statement.value), None)
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            bind(statement.target, Binding("value", statement.value), None)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            parameters = positional_parameters(statement)
            if not parameters or _is_static(statement):
                continue
            for node in ast.walk(statement):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        bind(target, Binding("value", node.value), parameters[0])
                elif isinstance(node, ast.AnnAssign) and node.value is not None:
                    bind(node.target, Binding("value", node.value), parameters[0])
    return found
