"""Rules on state shared between processes: a shared Value's updates, and a manager's proxies."""

from __future__ import annotations

import ast
from typing import Iterator

from portcheck.lint.apis import INHERITED_ONLY, LOCKS, Kind
from portcheck.lint.inference import Inference
from portcheck.lint.rules.base import Flagged, Rule
from portcheck.lint.scopes import FUNCTIONS
from portcheck.lint.syntax import calls_in, dotted, method_call, own_nodes, same, statements_before
from portcheck.lint.values import UNKNOWN, Obj


def held_lock(module: Inference, node: ast.AST) -> bool:
    """Whether `node` runs with a lock held: inside `with` a lock (or something that may be one),
    or after an `acquire()` in its block or a block around it."""
    child: ast.AST = node
    for ancestor in module.scopes.ancestors(node):
        if isinstance(ancestor, FUNCTIONS):
            break
        if isinstance(ancestor, (ast.With, ast.AsyncWith)) and any(
            _may_be_lock(module, item.context_expr) for item in ancestor.items
        ):
            return True
        if isinstance(ancestor, ast.If) and child in ancestor.body and _acquires(ancestor.test):
            return True  # if lock.acquire(): ...
        child = ancestor
    for statement in statements_before(node, module.scopes):
        for call in calls_in(statement):
            method = method_call(call)
            if method is not None and method[1] == "acquire":
                return True
    return False


def _acquires(test: ast.expr) -> bool:
    return any((method := method_call(call)) is not None and method[1] == "acquire" for call in calls_in(test))


def _may_be_lock(module: Inference, node: ast.expr) -> bool:
    method = method_call(node)
    if method is not None and method[1] == "get_lock":
        return True
    if isinstance(node, ast.Call):
        return False  # open(...), a pool, a manager: made here, and not a lock the rules know
    owner = module.kind(node)
    if owner is not None:
        return owner.kind in LOCKS
    return module.value(node) is UNKNOWN  # `with self.lock:` that the lint cannot see: give it the benefit


class ValueUpdateWithoutLock(Rule):
    """Finds `counter.value += ...` on a shared `Value` with no lock held.

    Also `counter.value = counter.value + ...`, and the same on a manager's `Value`.

    It must be made where other processes can make it at the same time: in a function that runs
    in several child processes at once (a pool's task, a `Process` target started in a loop and
    not joined in the same pass, or started from several places).

    Left alone: an update inside `with counter.get_lock():`, inside `with` any lock (a `Condition`
    that every writer holds will do), after an `acquire()` or inside `if lock.acquire():`, on a `RawValue` or a
    `Value(..., lock=False)`, which a program shares knowingly, if at all; and updates made by
    the parent or a single child, since whether they overlap cannot be read from the code.
    """

    code = "MPC301"
    name = "value-update-without-lock"
    pitfall = 12
    pair = "shared_counter"
    why = """\
A `Value`'s own lock guards each read of `.value` and each write separately, not the two together:
two processes can both read 0 and both write 1, and one update is lost, on every Python.
`shared_counter` forces it. Hold the value's lock around the whole update."""
    example = """\
from multiprocessing import Process, Value


def add(counter, times):
    for _ in range(times):
        counter.value += 1


if __name__ == "__main__":
    counter = Value("i", 0)
    workers = [Process(target=add, args=(counter, 1000)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(10)
    print(counter.value)
"""
    instead = """\
from multiprocessing import Process, Value


def add(counter, times):
    for _ in range(times):
        with counter.get_lock():
            counter.value += 1


if __name__ == "__main__":
    counter = Value("i", 0)
    workers = [Process(target=add, args=(counter, 1000)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(10)
    print(counter.value)
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        updates = [(node, found) for node in module.nodes if (found := self._updated(module, node))]
        several = module.children().several
        for node, (target, owner) in updates:
            if module.scopes.enclosing_function(node) not in several or held_lock(module, node):
                continue
            name = dotted(target.value) or "value"
            if owner.proxied:
                yield (
                    node,
                    (
                        f"`{name}.value` is read, then written: another process can update it in between; "
                        "hold a manager's Lock around the update"
                    ),
                )
            else:
                yield (
                    node,
                    (
                        f"`{name}.value` is read, then written, each under its own lock: an update can be lost; "
                        f"hold `with {name}.get_lock():` around it"
                    ),
                )

    def _updated(self, module: Inference, node: ast.AST) -> tuple[ast.Attribute, Obj] | None:
        """The `x.value` of a shared Value that `node` reads and writes back, and the Value, if it does."""
        target = self._read_and_written(node)
        if target is None:
            return None
        owner = module.kind(target.value)
        return (target, owner) if owner is not None and owner.kind is Kind.VALUE else None

    def _read_and_written(self, node: ast.AST) -> ast.Attribute | None:
        if isinstance(node, ast.AugAssign):
            target = node.target
            if isinstance(target, ast.Attribute) and target.attr == "value":
                return target
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Attribute) and target.attr == "value":
                reads = [n for n in ast.walk(node.value) if isinstance(n, ast.Attribute) and n.attr == "value"]
                if any(same(read.value, target.value) for read in reads):
                    return target
        return None


MUTATORS = frozenset(
    {
        "append",
        "extend",
        "insert",
        "remove",
        "pop",
        "popitem",
        "clear",
        "update",
        "add",
        "discard",
        "setdefault",
        "sort",
        "reverse",
        "__setitem__",
        "__delitem__",
        "__iadd__",
    }
)
CONTAINER_PROXIES = frozenset({Kind.DICT_PROXY, Kind.LIST_PROXY})
PROXIES = CONTAINER_PROXIES | {Kind.NAMESPACE_PROXY}


class NestedProxyMutation(Rule):
    """Finds a change made to a copy fetched from a manager's proxy, which the manager never sees.

    That is `shared[key].append(x)`, `shared[key][k] = v`, `shared[key].attribute = v`,
    `namespace.items.append(x)`, where `shared` is a `Manager().dict()` or `.list()` and
    `namespace` a `Manager().Namespace()`; and `entry = shared[key]` then `entry[k] += 1` in a
    function that never stores anything into `shared`.

    Left alone: a module that stores proxies inside proxies (`shared[key] = manager.list()`), for
    which such a change does reach the manager (3.6+).
    """

    code = "MPC302"
    name = "nested-proxy-mutation"
    pitfall = 13
    pair = "manager_dict"
    why = """\
A proxy forwards only its own operations to the manager's process. `shared[key]` fetches a copy of
the value into this process, and `.append(x)` changes the copy: the manager's value is unchanged,
and nothing says so. Fetch the value, change it, and store it back under its key (with a manager's
Lock around the three if several processes do it)."""
    example = """\
from multiprocessing import Manager, Process


def log(shared, item):
    shared["log"].append(item)


if __name__ == "__main__":
    with Manager() as manager:
        shared = manager.dict()
        shared["log"] = []
        p = Process(target=log, args=(shared, "appended"))
        p.start()
        p.join(10)
        print(shared["log"])
"""
    instead = """\
from multiprocessing import Manager, Process


def log(shared, item):
    entries = shared["log"]
    entries.append(item)
    shared["log"] = entries


if __name__ == "__main__":
    with Manager() as manager:
        shared = manager.dict()
        shared["log"] = []
        p = Process(target=log, args=(shared, "appended"))
        p.start()
        p.join(10)
        print(shared["log"])
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        if self._nests_proxies(module):
            return
        for node in module.nodes:
            for changed in self._changed(node):
                proxy = self._proxy_of(module, changed)
                if proxy is not None:
                    yield (
                        node,
                        (
                            f"this changes a copy of `{proxy}`'s value in this process, not the manager's: "
                            "fetch it, change it, and store it back"
                        ),
                    )
                    break

    def _changed(self, node: ast.AST) -> list[ast.expr]:
        """The containers `node` changes in place."""
        method = method_call(node)
        if method is not None:
            return [method[0]] if method[1] in MUTATORS else []
        if isinstance(node, (ast.Assign, ast.Delete)):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        else:
            return []
        return [target.value for target in targets if isinstance(target, (ast.Subscript, ast.Attribute))]

    def _proxy_of(self, module: Inference, container: ast.expr) -> str | None:
        """The proxy that `container` was fetched from (`shared` for `shared[key]`, and for `d` after
        `d = shared[key]` when the function never stores into `shared`), if it was."""
        if isinstance(container, ast.Name):
            return self._alias_of(module, container)
        if isinstance(container, ast.Subscript):
            owner = module.kind(container.value)
            if owner is not None and owner.kind in CONTAINER_PROXIES:
                return dotted(container.value) or owner.kind.value
        elif isinstance(container, ast.Attribute):
            owner = module.kind(container.value)
            if owner is not None and owner.kind is Kind.NAMESPACE_PROXY:
                return dotted(container.value) or owner.kind.value
        return None

    def _alias_of(self, module: Inference, name: ast.Name) -> str | None:
        """`d = shared[key]` is every binding of `d` in its scope, and nothing in the function stores into
        `shared` (`shared[key] = d`, `shared.update(...)`): the proxy `d` is a forgotten copy of."""
        scope = module.scopes.scope_at.get(name)
        bindings = scope.bindings.get(name.id, []) if scope is not None else []
        fetched = [binding.node for binding in bindings if binding.how == "value" and not binding.path]
        if not bindings or len(fetched) != len(bindings):
            return None
        proxies = {self._proxy_of(module, node) if isinstance(node, ast.Subscript) else None for node in fetched}
        if len(proxies) != 1 or None in proxies:
            return None
        source = fetched[0].value  # type: ignore[union-attr]
        function = module.scopes.enclosing_function(name) or module.tree
        for node in own_nodes(function) if function is not module.tree else module.nodes:
            stored = [t.value for t in getattr(node, "targets", []) if isinstance(t, ast.Subscript)]
            method = method_call(node)
            if method is not None and method[1] in MUTATORS:
                stored.append(method[0])
            if any(same(target, source) for target in stored):
                return None
        return proxies.pop()

    def _nests_proxies(self, module: Inference) -> bool:
        """Whether the module stores a proxy in a proxy (or in what a proxy is made from)."""
        for node in module.nodes:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Subscript) for t in node.targets):
                held = [node.value]  # shared[key] = manager.list()
            elif isinstance(node, ast.Call) and self._stores(module, node):
                held = [*node.args, *(keyword.value for keyword in node.keywords)]
            else:
                continue
            for expression in held:
                if any(isinstance(n, ast.expr) and self._is_proxy(module.kind(n)) for n in ast.walk(expression)):
                    return True
        return False

    def _stores(self, module: Inference, call: ast.Call) -> bool:
        """Whether `call` makes a proxy from its arguments, or puts them in one."""
        made = module.kind(call)
        if made is not None and made.call is call and made.kind in PROXIES:
            return True
        method = method_call(call)
        return method is not None and method[1] in MUTATORS and self._is_proxy(module.kind(method[0]))

    def _is_proxy(self, owner: Obj | None) -> bool:
        return owner is not None and (owner.proxied or owner.kind in PROXIES)


class InheritedOnlyInProxy(Rule):
    """Finds a multiprocessing lock, queue or shared value stored in a manager's proxy.

    That is `shared[key] = Lock()`, `shared.append(queue)`, `shared.update(...)`,
    `namespace.lock = Lock()`, or one given to `manager.dict()`, `.list()` or `.Namespace()`,
    where the object is a `Lock`, `RLock`, `Semaphore`, `Condition`, `Event`, `Barrier`,
    `Queue`, `Value` or `Array` made by `multiprocessing` (or held in a tuple, list or dict so
    stored).

    Left alone: the manager's own (`manager.Lock()`, `manager.Queue()`), which are proxies and
    pickle.
    """

    code = "MPC303"
    name = "inherited-only-in-proxy"
    why = """\
A proxy pickles what it is given and sends it to the manager's process. A multiprocessing lock,
queue or shared value refuses to be pickled outside a process's start ("Lock objects should only be
shared between processes through inheritance"), so the assignment raises `RuntimeError`; and if it
could be sent, the manager would hold a copy, not the parent's lock. A manager makes its own locks
and queues, whose proxies pickle. It comes from code others wrote that the lint was measured on,
not from a pair."""
    example = """\
from multiprocessing import Lock, Manager


def main():
    with Manager() as manager:
        shared = manager.dict()
        shared["lock"] = Lock()


if __name__ == "__main__":
    main()
"""
    instead = """\
from multiprocessing import Manager


def main():
    with Manager() as manager:
        shared = manager.dict()
        shared["lock"] = manager.Lock()


if __name__ == "__main__":
    main()
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        for node in module.nodes:
            for stored in self._stored(module, node):
                found = self._inherited_only(module, stored)
                if found is not None:
                    yield (
                        node,
                        (
                            f"a multiprocessing {found.kind.value} cannot be pickled into a manager "
                            f"(RuntimeError): use the manager's own, manager.{found.kind.value}()"
                        ),
                    )
                    break

    def _stored(self, module: Inference, node: ast.AST) -> list[ast.expr]:
        """What `node` puts into a proxy, or makes a proxy from."""
        if isinstance(node, ast.Assign):
            return [node.value] if any(self._into_proxy(module, target) for target in node.targets) else []
        if isinstance(node, ast.Call):
            made = module.kind(node)
            if made is not None and made.call is node and made.kind in PROXIES:
                return [*node.args, *(keyword.value for keyword in node.keywords)]
            method = method_call(node)
            if method is not None and method[1] in MUTATORS and self._is_container(module, method[0]):
                return [*node.args, *(keyword.value for keyword in node.keywords)]
        return []

    def _into_proxy(self, module: Inference, target: ast.expr) -> bool:
        if isinstance(target, ast.Subscript):
            return self._is_container(module, target.value)
        if isinstance(target, ast.Attribute):
            owner = module.kind(target.value)
            return owner is not None and owner.kind is Kind.NAMESPACE_PROXY
        return False

    def _is_container(self, module: Inference, node: ast.expr) -> bool:
        owner = module.kind(node)
        return owner is not None and owner.kind in CONTAINER_PROXIES

    def _inherited_only(self, module: Inference, stored: ast.expr) -> Obj | None:
        """The lock, queue or shared value in `stored`, itself or in a literal that holds it."""
        waiting = [stored]
        while waiting:
            node = waiting.pop()
            found = module.kind(node)
            if found is not None and not found.proxied and found.kind in INHERITED_ONLY:
                return found
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                waiting.extend(node.elts)
            elif isinstance(node, ast.Dict):
                waiting.extend(value for value in node.values if value is not None)
        return None
