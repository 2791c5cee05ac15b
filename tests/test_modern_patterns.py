"""The modern programs keep the safe patterns they teach, read from their source."""

from __future__ import annotations

import ast

import pytest
from portcheck.pairs import modern_script, pair_names

# Where each blocking call takes its timeout, and its block flag where it has one: without either,
# it can wait forever. (`with lock:` also blocks without limit; it is the idiom for a lock held briefly.)
TIMEOUT_POSITION = {"join": 0, "wait": 0, "result": 0, "get": 1, "acquire": 1, "wait_for": 1}
BLOCK_POSITION = {"get": 0, "acquire": 0}
CONNECTING_CALLS = {"Listener", "Client"}  # without an authkey, anyone who connects can make you unpickle


def calls(name: str) -> list[ast.Call]:
    tree = ast.parse(modern_script(name).read_text(), filename=str(modern_script(name)))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def called_name(call: ast.Call) -> str:
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


def keywords(call: ast.Call) -> set[str | None]:
    return {keyword.arg for keyword in call.keywords}


def argument(call: ast.Call, position: int | None, keyword: str) -> ast.expr | None:
    for given in call.keywords:
        if given.arg == keyword:
            return given.value
    if position is not None and position < len(call.args):
        return call.args[position]
    return None


def is_constant(node: ast.expr | None, value: object) -> bool:
    return isinstance(node, ast.Constant) and node.value is value


def is_bounded(call: ast.Call) -> bool:
    name = called_name(call)
    first = call.args[0] if call.args else None
    if name == "get" and first is not None and not isinstance(getattr(first, "value", None), bool):
        return True  # a mapping's get(key), or a pool result's get(timeout): not Queue.get(block)
    timeout = argument(call, TIMEOUT_POSITION[name], "timeout")
    block = argument(call, BLOCK_POSITION.get(name), "block") or argument(call, None, "blocking")
    return is_constant(block, False) or (timeout is not None and not is_constant(timeout, None))


@pytest.mark.parametrize("name", pair_names())
def test_every_blocking_call_is_bounded(name: str) -> None:
    unbounded = [
        f"line {call.lineno}: .{called_name(call)}()"
        for call in calls(name)
        if called_name(call) in TIMEOUT_POSITION and not is_bounded(call)
    ]
    assert not unbounded, f"modern/{name}.py waits without a timeout at {', '.join(unbounded)}"


@pytest.mark.parametrize("name", pair_names())
def test_no_connection_without_an_authkey(name: str) -> None:
    open_ended = [
        f"line {call.lineno}: {called_name(call)}()"
        for call in calls(name)
        if called_name(call) in CONNECTING_CALLS and "authkey" not in keywords(call)
    ]
    assert not open_ended, f"modern/{name}.py connects without an authkey at {', '.join(open_ended)}"


@pytest.mark.parametrize(
    ("source", "bounded"),
    [
        ("p.join()", False),
        ("p.join(TIMEOUT)", True),
        ("p.join(timeout=None)", False),
        ("q.get(True)", False),
        ("q.get(True, 1)", True),
        ("q.get(block=False)", True),
        ("q.get(False)", True),
        ("lock.acquire()", False),
        ("lock.acquire(timeout=1)", True),
        ("condition.wait_for(ready)", False),
        ("condition.wait_for(ready, 1)", True),
        ("future.result()", False),
        ("event.wait(None)", False),
        ("lock.acquire(blocking=False)", True),
        ("q.get(block=True)", False),
        ("os.environ.get('X')", True),
        ("options.get(key, None)", True),
        ("async_result.get(5)", True),
    ],
)
def test_what_counts_as_bounded(source: str, bounded: bool) -> None:
    call = ast.parse(source).body[0].value  # type: ignore[attr-defined]
    assert is_bounded(call) is bounded
