"""Rules on connections between processes that are not parent and child: Listener and Client."""

from __future__ import annotations

import ast
from typing import Iterator

from portcheck.lint.apis import Kind, canonical
from portcheck.lint.inference import Inference
from portcheck.lint.rules.base import Flagged, Rule
from portcheck.lint.scopes import FUNCTIONS
from portcheck.lint.syntax import argument, has_unpacked_arguments, is_constant, method_call
from portcheck.lint.values import Local, Ref

# Where each takes its authkey: Listener(address, family, backlog, authkey), Client(address, family, authkey).
AUTHKEY_POSITION = {"multiprocessing.connection.Listener": 3, "multiprocessing.connection.Client": 2}


# What a test wraps around a call it expects to fail.
RAISES = frozenset({"assertRaises", "assertRaisesRegex", "raises"})


def expected_to_raise(module: Inference, call: ast.Call) -> bool:
    """Whether `call` is inside `with self.assertRaises(...):` or `with pytest.raises(...):`."""
    for ancestor in module.scopes.ancestors(call):
        if isinstance(ancestor, FUNCTIONS):
            return False
        if isinstance(ancestor, ast.With):
            for item in ancestor.items:
                method = method_call(item.context_expr)
                if method is not None and method[1] in RAISES:
                    return True
    return False


class ConnectionWithoutAuthkey(Rule):
    """Finds `multiprocessing.connection.Listener()` or `Client()` without an `authkey`.

    `authkey=None` is the same.

    Left alone: a call inside `with self.assertRaises(...):` or `with pytest.raises(...):`, a test
    that the call fails.
    """

    code = "MPC501"
    name = "connection-without-authkey"
    why = """\
Without an authkey a `Listener` authenticates no one: anyone who can reach its address may connect,
and `recv()` unpickles whatever they send, which can run any code. So it was on Python 2.7 too:
neither 2.7 nor any Python 3 has an `authenticate=` parameter (Python 2's documentation described one
that used the process's own authkey, but 2.7 raises `TypeError` on `Listener(address,
authenticate=True)`; bpo-31965). A program without an authkey was as open before its port as after
it, and the port is the time to close it. It comes from the project's own checks, which held the
modern programs to it before this lint replaced them."""
    example = """\
from multiprocessing.connection import Listener


def serve(address):
    with Listener(address) as listener:
        with listener.accept() as conn:
            if conn.poll(10):
                print(conn.recv())
"""
    instead = """\
import os
from multiprocessing.connection import Listener


def serve(address):
    with Listener(address, authkey=os.environb[b"SERVICE_KEY"]) as listener:
        with listener.accept() as conn:
            if conn.poll(10):
                print(conn.recv())
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        for call in module.calls:
            function = module.value(call.func)
            if not isinstance(function, Ref) or canonical(function.qualname) not in AUTHKEY_POSITION:
                continue
            qualname = canonical(function.qualname)
            if has_unpacked_arguments(call) or expected_to_raise(module, call):
                continue
            authkey = argument(call, AUTHKEY_POSITION[qualname], "authkey")
            if authkey is None or is_constant(authkey, None):
                name = qualname.rpartition(".")[2]
                yield (
                    call,
                    (
                        f"{name}() without an authkey authenticates no one, and recv() unpickles what anyone sends: "
                        "pass authkey="
                    ),
                )


class AuthkeyAsText(Rule):
    """Finds an `authkey` given as text: `Listener(address, authkey="secret")`, the same for
    `Client()`, `BaseManager(authkey=...)` and `current_process().authkey = "..."`.

    Left alone: bytes (`b"secret"`, `"secret".encode()`), and what the lint cannot read.
    """

    code = "MPC502"
    name = "authkey-as-text"
    why = """\
An authkey is bytes: the HMAC handshake hashes it, and a `str` raises `TypeError` ("authkey should
be a byte string") when the listener or the manager is made, or when `current_process().authkey`
is set. On Python 2 a `str` was bytes, so a port that keeps `authkey="secret"` breaks at once; the
fix is `b"secret"`, or better a key read from the environment. It comes from code others wrote
that the lint was measured on, not from a pair."""
    example = """\
from multiprocessing.connection import Listener


def serve(address):
    with Listener(address, authkey="secret") as listener:
        with listener.accept() as conn:
            if conn.poll(10):
                print(conn.recv())
"""
    instead = """\
import os
from multiprocessing.connection import Listener


def serve(address):
    with Listener(address, authkey=os.environb[b"SERVICE_KEY"]) as listener:
        with listener.accept() as conn:
            if conn.poll(10):
                print(conn.recv())
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        for call in module.calls:
            function = module.value(call.func)
            qualname = canonical(function.qualname) if isinstance(function, Ref) else ""
            if qualname in AUTHKEY_POSITION:
                authkey = argument(call, AUTHKEY_POSITION[qualname], "authkey")
            elif qualname in MANAGERS or _manager_class(module, function):
                authkey = argument(call, 1, "authkey")
            else:
                continue
            if _text(authkey):
                yield call, 'an authkey must be bytes, and a str raises TypeError: b"..." (or os.environb[...])'
        for node in module.nodes:
            if isinstance(node, ast.Assign) and _text(node.value):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr == "authkey" and _is_process(module, target):
                        yield node, 'an authkey must be bytes, and a str raises TypeError: b"..." (or os.environb[...])'


# Managers, which take an authkey second: BaseManager(address, authkey, ...).
MANAGERS = frozenset({"multiprocessing.managers.BaseManager", "multiprocessing.managers.SyncManager"})


def _manager_class(module: Inference, function: object) -> bool:
    """A class of the module made from BaseManager: `class QueueManager(BaseManager): pass`."""
    if not (isinstance(function, Local) and isinstance(function.node, ast.ClassDef)):
        return False
    for base in function.node.bases:
        found = module.value(base)
        if isinstance(found, Ref) and canonical(found.qualname) in MANAGERS:
            return True
    return False


def _text(node: ast.expr | None) -> bool:
    """A str constant, or an f-string."""
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(node, ast.JoinedStr)


def _is_process(module: Inference, target: ast.Attribute) -> bool:
    """`current_process().authkey` or `multiprocessing.current_process().authkey`, or a Process's."""
    owner = target.value
    if isinstance(owner, ast.Call):
        function = module.value(owner.func)
        return isinstance(function, Ref) and canonical(function.qualname) == "multiprocessing.current_process"
    found = module.kind(owner)
    return found is not None and found.kind is Kind.PROCESS
