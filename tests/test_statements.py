"""Statements the README, docs/ and the rules once got wrong or overstated, each checked where it is
made now, and, where that is cheap, the fact itself on the Pythons here. A wrong one came back once
in a new rule's text: these keep each from coming back unseen.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest

from docs.lessons import PITFALLS
from portcheck.config import OLDEST_PYTHON
from portcheck.diagnose import CAUSES as DIAGNOSES
from portcheck.lint import lint_source
from portcheck.lint.docs import rule_docs
from portcheck.lint.rules import RULES as LINT_RULES
from portcheck.model import Interpreter
from portcheck.running import START_METHODS
from tests.support import PAIRS, ROOT, pair_names


def prose(text: str) -> str:
    """Text with its lines joined, as Markdown joins them."""
    return " ".join(text.split())


def documents() -> dict[str, str]:
    """The README and every page of docs/ (and CONTRIBUTING.md, where there is one), as prose."""
    paths = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
    return {
        path.relative_to(ROOT).as_posix(): prose(path.read_text(encoding="utf-8")) for path in paths if path.is_file()
    }


def why_of(code: str) -> str:
    return prose(next(doc.why for doc in rule_docs() if doc.code == code))


def cause_of(rule_id: str) -> str:
    return next(rule.change for rule in DIAGNOSES if rule.id == rule_id)


def message_of(code: str) -> str:
    """What the lint says on the rule's own example."""
    rule = next(rule for rule in LINT_RULES if rule.code == code)
    return next(finding.message for finding in lint_source(rule.example, "example.py") if finding.code == code)


def run(python: str, code: str) -> str:
    done = subprocess.run(
        [python, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


# 1. Python 2.7's Listener had no `authenticate=` (bpo-31965: the old 2.x documentation was wrong)


def test_mpc501_does_not_say_python2_authenticated_by_default() -> None:
    why = why_of("MPC501")
    assert not re.search(r"f[ae]l+s? back", why), why
    assert "2.7 raises `TypeError` on `Listener(address, authenticate=True)`" in why


def test_python27_has_no_authenticate_parameter(python2: Interpreter) -> None:
    printed = run(
        python2.executable,
        """
        from multiprocessing.connection import Listener
        try:
            Listener(authenticate=True)
        except TypeError as e:
            print(e)
        """,
    )
    assert printed == "__init__() got an unexpected keyword argument 'authenticate'\n"


# 2. .pre-commit-config.yaml calls what exists, over what the lint env covers


def hooks() -> list[dict[str, str]]:
    """Each hook of .pre-commit-config.yaml, its keys as written (read without a YAML library)."""
    found: list[dict[str, str]] = []
    for line in (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8").splitlines():
        key = re.match(r"^\s*(- )?(id|entry|files|language): (.*)$", line)
        if key and key.group(1):
            found.append({})
        if key:
            found[-1][key.group(2)] = key.group(3)
    return found


def test_each_pre_commit_hook_calls_what_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    local = [hook for hook in hooks() if hook.get("language") == "system"]
    assert local, hooks()
    for hook in local:
        words = hook["entry"].split()
        if words[0].startswith(".venv/"):
            assert "-m venv .venv" in readme, f"{hook['id']} runs {words[0]}, which the README's set-up does not make"
        module = words[words.index("-m") + 1].replace(".", "/")
        assert (ROOT / f"{module}.py").is_file() or (ROOT / module / "__main__.py").is_file(), hook
    for hook in hooks():
        for top in re.findall(r"\^\(?([\w|]+)\)?/", hook.get("files", "")):
            assert all((ROOT / name).is_dir() for name in top.split("|")), hook


def test_the_ruff_hooks_cover_the_tool_and_its_tests() -> None:
    ruff = [hook for hook in hooks() if hook["id"].startswith("ruff")]
    assert {hook["id"] for hook in ruff} == {"ruff-check", "ruff-format"}
    for hook in ruff:
        for path in ("src/portcheck/cli.py", "tests/test_lint.py", "modern/pipe_eof.py"):
            assert re.search(hook.get("files", ""), path), (hook, path)


# 3. A set comes in hash order on every Python; a dict in insertion order from 3.7


@pytest.mark.every_python
def test_a_set_of_ints_iterates_in_hash_order_a_dict_in_insertion_order() -> None:
    added = [40, 3, 17, 1, 9]
    numbers: set[int] = set()
    for number in added:
        numbers.add(number)
    assert list(numbers) != added  # [1, 3, 40, 9, 17] on 3.8 to 3.13
    assert list(dict.fromkeys(added)) == added


def test_dict_order_does_not_say_a_set_comes_in_insertion_order() -> None:
    cause = cause_of("dict-order")
    assert not re.search(r"\bset\b[^;]*insertion order", cause), cause
    assert "a loop over a set, in hash order on both" in cause


# 4. A pool's tasks are pickled under every start method; a Process's target only under spawn and forkserver


def test_a_pools_task_is_pickled_under_fork_a_process_target_is_not() -> None:
    printed = run(
        sys.executable,
        """
        import multiprocessing
        context = multiprocessing.get_context("fork")
        process = context.Process(target=lambda: None)
        process.start()
        process.join(10)
        print("process", process.exitcode)
        with context.Pool(1) as pool:
            try:
                pool.map(lambda n: n, [1], chunksize=1)
            except Exception as exc:
                print("pool", type(exc).__name__)
        """,
    )
    assert printed.splitlines()[0] == "process 0"
    assert printed.splitlines()[1] in ("pool AttributeError", "pool PicklingError"), printed


def test_unpicklable_under_spawn_does_not_say_a_pools_tasks_are_pickled_only_there() -> None:
    cause = cause_of("unpicklable-under-spawn")
    assert "a pool's tasks are under every start method" in cause
    assert not re.search(r"spawn and forkserver[^:]*pool's tasks[^:]*, are pickled", cause), cause


# 5. range() can be indexed and measured; map, filter and zip cannot; dict views cannot be indexed


def test_what_python3_lazy_objects_refuse() -> None:
    assert range(5)[2] == 2
    assert len(range(5)) == 5
    assert len({"a": 1}.keys()) == 1
    for refused in (
        lambda: map(str, [1])[0],  # type: ignore[index]
        lambda: len(zip([1], [2])),  # type: ignore[arg-type]
        lambda: {"a": 1}.keys()[0],  # type: ignore[index]
    ):
        with pytest.raises(TypeError):
            refused()


def test_lazy_iterator_used_as_list_says_which_refuses_what() -> None:
    cause = cause_of("lazy-iterator-used-as-list")
    assert "indexing them" not in cause, cause
    assert "indexing a map, filter, zip or dict view" in cause
    assert "len() of a map, filter or zip" in cause


# 6. The README's front door: the same thing, apart from what a pair declares, wherever a pair applies


def test_the_readme_opening_names_what_does_not_apply_and_what_is_declared() -> None:
    opening = prose((ROOT / "README.md").read_text(encoding="utf-8").split("```", 1)[0])
    declared = [name for name in pair_names() if PAIRS.settings(name).differences]
    assert declared
    assert "declares" in opening, opening
    for name in pair_names():
        settings = PAIRS.settings(name)
        if settings.python == OLDEST_PYTHON and tuple(settings.start_methods) == START_METHODS:
            continue
        where = opening.partition(f"`{name}`")[2][:60]
        assert ".".join(map(str, settings.python)) in where, f"the README's opening does not say where {name} applies"
        if tuple(settings.start_methods) != START_METHODS:
            assert " or ".join(settings.start_methods) in where, f"the README's opening: {name}'s start methods"


# 7. tox and Python 2.7: what this project's tox can do, not what "tox 4" can


def test_the_docs_say_why_27_is_not_a_tox_env_for_the_tox_this_project_needs() -> None:
    minimum = re.search(r"^\s*tox>=([\d.]+)$", (ROOT / "tox.ini").read_text(encoding="utf-8"), re.MULTILINE)
    assert minimum, "tox.ini requires no tox version"
    said = {name: text for name, text in documents().items() if "Python 2.7 is run directly, not through tox" in text}
    assert said, "no document says why Python 2.7 is not a tox env"
    for name, text in said.items():
        assert "tox 4 cannot" not in text, name
        assert f"tox {minimum.group(1)} or later" in text, name


# 8. Speed: "busy" is held to no bound its own figures break


def test_no_busy_figure_breaks_the_bound_stated_beside_it() -> None:
    for name, text in documents().items():
        figures = [
            float(figure)
            for found in re.findall(r"\bbusy ((?:\d+\.\d+(?:, | and )?)+)", text)
            for figure in re.findall(r"\d+\.\d+", found)
        ]
        bound = re.search(r'"busy" is [^.]*? at most (\d+(?:\.\d+)?)', text)
        if bound and figures:
            assert max(figures) <= float(bound.group(1)), f"{name}: busy {max(figures)}, held to at most {bound[1]}"


# 9. MPC205: the max_tasks_per_child hang on every 3.11 and 3.12, and on 3.13 and 3.14 before July 2026


def test_mpc205_names_the_pythons_pitfall_10_names() -> None:
    pitfall = prose(PITFALLS[10 - 1].text)
    assert "Every 3.11 and 3.12 has the bug, and so does every 3.13 and 3.14 before the fix" in pitfall
    for said in (why_of("MPC205"), message_of("MPC205")):
        assert "3.13.0" not in said, said
        assert re.search(r"every (Python )?3\.11 and 3\.12, and on 3\.13 and 3\.14 before", said), said
