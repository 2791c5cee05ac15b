"""Every executor program whose task never ends ends it itself, within its own TIMEOUT, and says so.

Leaving `with ProcessPoolExecutor()` joins the workers without a timeout, so a bounded result()
alone would raise and then wait for the stuck task for ever. The README states the rule the
programs follow to leave early (pitfall 7); this test holds every one of them to it. The
programs are found by reading modern/: each that calls ProcessPoolExecutor(), with its task
functions, the functions it passes to submit() or map(). Each task then starts by sleeping a
minute, TIMEOUT is cut to one second, and the program runs under every start method where its
pair applies on this Python: it must exit 1 by itself, well before the minute is over, saying
that its timeout ran out, and leave no process behind.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from portcheck.interpreters import this_python
from portcheck.model import Program
from portcheck.observe import observe
from portcheck.running import START_METHODS
from tests.support import PAIRS, modern_script, pair_names

STUCK = "__import__('time').sleep(60)"  # a task that never ends, as far as the program can tell
SHORT_TIMEOUT = (re.compile(r"^TIMEOUT = \d+\b", re.MULTILINE), "TIMEOUT = 1")
HARNESS_TIMEOUT = 20  # seconds: far beyond the program's own one second, far short of the stuck task


def called_name(call: ast.Call) -> str:
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


def task_functions(tree: ast.Module) -> list[ast.FunctionDef]:
    """The module's functions that the program hands to an executor's submit() or map()."""
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    handed = {
        call.args[0].id
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        and called_name(call) in ("submit", "map")
        and call.args
        and isinstance(call.args[0], ast.Name)
    }
    return [functions[name] for name in sorted(handed) if name in functions]


def executor_programs() -> dict[str, list[str]]:
    """Each modern program that uses ProcessPoolExecutor, with the names of its task functions."""
    found = {}
    for name in pair_names():
        tree = ast.parse(modern_script(name).read_text())
        if any(isinstance(node, ast.Call) and called_name(node) == "ProcessPoolExecutor" for node in ast.walk(tree)):
            found[name] = [function.name for function in task_functions(tree)]
    return found


EXECUTOR_PROGRAMS = executor_programs()


def with_stuck_tasks(name: str, directory: Path) -> Path:
    """modern/NAME.py with TIMEOUT cut to one second and each task function starting with a long sleep."""
    source = modern_script(name).read_text()
    pattern, short = SHORT_TIMEOUT
    assert pattern.search(source), f"modern/{name}.py has no module-level TIMEOUT = <seconds>"
    lines = pattern.sub(short, source, count=1).splitlines(keepends=True)
    for function in task_functions(ast.parse(source)):
        first = function.body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and len(function.body) > 1:
            first = function.body[1]  # after the docstring
        lines[first.lineno - 1] = " " * first.col_offset + STUCK + "\n" + lines[first.lineno - 1]
    path = directory / f"{name}.py"
    path.write_text("".join(lines))
    return path


def test_the_executor_programs_are_found_with_their_tasks() -> None:
    """Found from the AST, and each with a task to make stuck: every program that starts an executor."""
    starting = {name for name in pair_names() if "ProcessPoolExecutor(" in modern_script(name).read_text()}
    assert set(EXECUTOR_PROGRAMS) == starting
    assert all(EXECUTOR_PROGRAMS.values())


@pytest.mark.every_python
@pytest.mark.parametrize("start_method", START_METHODS)
@pytest.mark.parametrize("name", sorted(EXECUTOR_PROGRAMS))
def test_a_stuck_task_is_ended_by_the_program_itself(name: str, start_method: str, tmp_path: Path) -> None:
    settings = PAIRS.settings(name)
    if not settings.applies(sys.version_info[:2], start_method):
        pytest.skip(f"{name} does not apply under {start_method} on this Python: {settings.not_applicable}")
    script = with_stuck_tasks(name, tmp_path)
    program = Program(name, this_python(), tmp_path, script, start_method=start_method, timeout=HARNESS_TIMEOUT)
    run = observe(program)
    stderr = "\n".join(line.text for line in run.lines if line.stream == "err")
    assert not run.timed_out, f"modern/{name}.py waited for its stuck task until the harness killed it:\n{stderr}"
    assert run.exit_code == 1, stderr
    assert any(line.endswith("within 1 s") for line in stderr.splitlines()), stderr
    assert run.leftovers == 0, f"{run.leftovers} process(es) left running:\n{stderr}"
