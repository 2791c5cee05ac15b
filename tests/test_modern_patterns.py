"""The modern programs keep the safe patterns they teach, read from their source."""

from __future__ import annotations

import ast

import pytest

from tests.harness import example_names, modern_script

BLOCKING_CALLS = {"join", "wait", "get", "result"}  # each takes a timeout; without one it can wait forever
CONNECTING_CALLS = {"Listener", "Client"}  # without an authkey, anyone who connects can make you unpickle


def calls(name: str) -> list[ast.Call]:
    tree = ast.parse(modern_script(name).read_text(), filename=str(modern_script(name)))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def called_name(call: ast.Call) -> str:
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


def keywords(call: ast.Call) -> set[str | None]:
    return {keyword.arg for keyword in call.keywords}


@pytest.mark.parametrize("name", example_names())
def test_every_blocking_call_is_bounded(name: str) -> None:
    unbounded = [
        f"line {call.lineno}: .{called_name(call)}()"
        for call in calls(name)
        if called_name(call) in BLOCKING_CALLS and not call.args and "timeout" not in keywords(call)
    ]
    assert not unbounded, f"modern/{name}.py waits without a timeout at {', '.join(unbounded)}"


@pytest.mark.parametrize("name", example_names())
def test_no_connection_without_an_authkey(name: str) -> None:
    open_ended = [
        f"line {call.lineno}: {called_name(call)}()"
        for call in calls(name)
        if called_name(call) in CONNECTING_CALLS and "authkey" not in keywords(call)
    ]
    assert not open_ended, f"modern/{name}.py connects without an authkey at {', '.join(open_ended)}"
