"""What each expression of a module is known to be, worked out when a rule asks.

A name is known when every place that binds it in its scope agrees (flow-insensitive, as a reader
skims): `q = Queue()` makes q a Queue unless q is also bound to something else or something
unknown. Parameters are known from the calls that reach them (dispatches.py), attributes of the
module's classes from their assignments (classes.py), and which functions run in child processes
is child_functions.py's. Anything that cannot be worked out is UNKNOWN, and the rules flag nothing
on an unknown object.

Names can depend on each other in a cycle (`p` is an item of `workers`, whose items are the `p`
appended). A value met again while it is being worked out counts for nothing (PENDING); a value
worked out from a PENDING one is kept only while that one is still pending, and worked out again
once the cycle is done.
"""

from __future__ import annotations

import ast
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
from portcheck.lint.child_functions import ChildFunctions, Children
from portcheck.lint.classes import PROCESS_CLASSES, Classes, method_of
from portcheck.lint.dispatches import Argument, Dispatch, Dispatches, index_calls
from portcheck.lint.scopes import Binding, FunctionNode, Scope, ScopeTree
from portcheck.lint.syntax import argument, method_call, own_nodes
from portcheck.lint.values import (
    EMPTY,
    NONE,
    PENDING,
    UNKNOWN,
    Instance,
    Known,
    Local,
    Many,
    Mapping,
    Method,
    Obj,
    Partial,
    Ref,
    Tup,
    element,
    item_of,
    item_or_nothing,
    unify,
)

__all__ = ["PROCESS_CLASSES", "Argument", "Children", "Dispatch", "Inference"]

STEP_LIMIT = 200_000  # past this many evaluations in one module, everything left is UNKNOWN
# Past this many values worked out one inside another (a name bound to a name bound to a name ..., a
# parameter given a parameter of another function ...), the next is UNKNOWN, as is what it was asked for.
# A level takes five to ten of Python's frames (60 levels took 320 on CPython's
# email/_header_value_parser.py, whose parsing functions pass values two hundred deep and ended the run
# with a RecursionError before there was a limit), so the lint stays inside the default recursion
# limit of 1,000 even when flake8 or pytest calls it from deep in theirs.
DEPTH_LIMIT = 60

ENTERED_AS_ITSELF = frozenset({Kind.EXECUTOR, Kind.POOL, Kind.MANAGER, Kind.LISTENER} | CONNECTIONS)
# Annotations of collections whose items are all one kind: `processes: list[BaseProcess]`.
COLLECTION_ANNOTATIONS = frozenset(
    {
        *(f"builtins.{name}" for name in ("list", "set", "frozenset")),
        *(f"typing.{name}" for name in ("List", "Set", "FrozenSet", "Sequence", "Iterable", "Collection")),
        *(f"collections.abc.{name}" for name in ("Sequence", "Iterable", "Collection")),
    }
)
ADDING = ("append", "extend")  # bindings that add items to a list the name already is
COLLECTING = frozenset({"list", "tuple", "set", "frozenset", "sorted", "reversed", "iter"})


class Inference(Dispatches, Classes, ChildFunctions):
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
        self._calls_by_name = index_calls(self.calls)
        self._class_attributes: dict[ast.ClassDef, dict[str, list[Binding]]] = {}  # worked out when asked
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
            return self.lookup(node.id, self.scopes.scope_at[node], node.lineno)
        if isinstance(node, ast.Attribute):
            return self._attribute(self.value(node.value), node.attr)
        if isinstance(node, ast.Call):
            return self._call(self.value(node.func), node)
        if isinstance(node, ast.Constant):
            # None and False are what a name holds before it holds an object, or when it cannot
            # (`except ImportError: multiprocessing = False`): they say nothing of what it is otherwise.
            return NONE if node.value is None or node.value is False else UNKNOWN
        if isinstance(node, ast.DictComp):
            return Mapping(self.value(node.key), self.value(node.value))
        if isinstance(node, ast.Dict):
            if not node.keys:
                return Mapping(EMPTY, EMPTY)
            if any(key is None for key in node.keys):  # {**other}
                return UNKNOWN
            return Mapping(unify([self.value(k) for k in node.keys if k]), unify([self.value(v) for v in node.values]))
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
            if method_of(owner.cls, name) is not None:
                return Method(owner, name)
            return self.class_attribute(owner.cls, name)
        if isinstance(owner, (Obj, Many, Mapping, Local)):
            return Method(owner, name)
        return UNKNOWN

    def _subscript(self, owner: Known, index: ast.expr) -> Known:
        if owner is PENDING:
            return PENDING
        if isinstance(owner, Many):
            return owner if isinstance(index, ast.Slice) else item_of(owner)
        if isinstance(owner, Mapping):
            return UNKNOWN if owner.value is EMPTY else owner.value
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
            function = method_of(owner.cls, name)
            return self.returned(function) if function is not None else UNKNOWN
        if isinstance(owner, Many):
            return item_of(owner) if name == "pop" else UNKNOWN
        if isinstance(owner, Mapping):
            if owner.key is EMPTY:
                return UNKNOWN
            views = {"keys": Many(owner.key), "values": Many(owner.value), "items": Many(Tup((owner.key, owner.value)))}
            return views.get(name, owner.value if name in ("get", "pop", "setdefault") else UNKNOWN)
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

    def lookup(self, name: str, scope: Scope, line: int = 0) -> Known:
        """What `name` is where it is read in `scope`; at `line` (0: anywhere) of that scope's own code,
        only the bindings from the last assignment before it on (Binding.kills) count."""
        start = scope
        current: Scope | None = scope
        while current is not None:
            if current.is_class and current is not start:
                current = current.parent
                continue
            if name in current.global_names:
                current = self.scopes.module_scope
            if name in current.bindings:
                since = self._last_kill(current.bindings[name], line) if current is start else 0
                return self.name_value(current, name, since)
            current = current.parent
        for module in self.scopes.module_scope.star_imports:
            if name in STAR_NAMES.get(canonical(module), ()):
                return Ref(canonical(f"{module}.{name}"))
        return Ref(f"builtins.{name}")

    def is_none(self, node: ast.expr | None) -> bool:
        """Whether `node` is None: the constant, or a name of its own scope that only None is assigned to
        where it is read (`timeout = None` two lines above)."""
        if node is None or (isinstance(node, ast.Constant) and node.value is None):
            return node is not None
        if not isinstance(node, ast.Name):
            return False
        scope = self.scopes.scope_at.get(node)
        if scope is None or node.id not in scope.bindings or node.id in scope.global_names:
            return False
        since = self._last_kill(scope.bindings[node.id], node.lineno)
        bindings = [binding for binding in scope.bindings[node.id] if binding.line >= since]
        return all(
            binding.how == "value"
            and not binding.path
            and isinstance(binding.node, ast.Constant)
            and binding.node.value is None
            for binding in bindings
        )

    @staticmethod
    def _last_kill(bindings: list[Binding], line: int) -> int:
        if not line:
            return 0
        return max((b.line for b in bindings if b.line < line <= b.until), default=0)

    def name_value(self, scope: Scope, name: str, since: int = 0) -> Known:
        """What the bindings of `name` in `scope` agree on, those before line `since` left out."""
        return self._memo((id(scope), name, since), lambda: self._name_value(scope, name, since))

    def _name_value(self, scope: Scope, name: str, since: int) -> Known:
        bindings = [binding for binding in scope.bindings[name] if binding.line >= since]
        if any(binding.how == "import" and not binding.fallback for binding in bindings):
            bindings = [binding for binding in bindings if not binding.fallback]
        for binding in bindings:
            if binding.how == "annotation":
                declared = self.annotation(binding.node, scope)  # type: ignore[arg-type]
                if declared is not UNKNOWN:
                    return declared
        made = unify([self._bound(binding) for binding in bindings if binding.how not in ("annotation", *ADDING)])
        if isinstance(made, Obj):  # a manager's list: what is appended to it is not what it is
            return made
        return unify([self._bound(binding) for binding in bindings if binding.how != "annotation"])

    def _bound(self, binding: Binding) -> Known:
        how, node = binding.how, binding.node
        if how == "value":
            found = self.value(node)  # type: ignore[arg-type]
        elif how == "iterate":
            found = item_or_nothing(self.value(node))  # type: ignore[arg-type]
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
        elif how == "extend":
            added = self.value(node)  # type: ignore[arg-type]
            return Many(item_of(added)) if isinstance(added, (Many, Tup)) else UNKNOWN
        elif how == "augmented":
            assert isinstance(node, ast.AugAssign)
            added = self.value(node.value)
            return added if isinstance(node.op, ast.Add) and isinstance(added, Many) else UNKNOWN
        else:
            return UNKNOWN
        for index in binding.path:
            found = element(found, index)
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
            if isinstance(outer, Ref) and outer.qualname in COLLECTION_ANNOTATIONS:
                inner = node.slice.value if type(node.slice).__name__ == "Index" else node.slice  # type: ignore[attr-defined]
                if not isinstance(inner, ast.Tuple):  # list[Process]; not tuple[Process, int]
                    return Many(self.annotation(inner, scope))
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
