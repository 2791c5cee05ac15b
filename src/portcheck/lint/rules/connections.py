"""Rules on connections between processes that are not parent and child: Listener and Client."""

from __future__ import annotations

import ast
from typing import Iterator

from portcheck.lint.apis import canonical
from portcheck.lint.inference import Inference
from portcheck.lint.rules.base import Flagged, Rule
from portcheck.lint.scopes import FUNCTIONS
from portcheck.lint.syntax import argument, has_unpacked_arguments, is_constant, method_call
from portcheck.lint.values import Ref

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
