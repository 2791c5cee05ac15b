"""portcheck lint on real files (issue 33): no file ends a run or a flake8 run, a file that cannot
hold a finding costs a text scan, a file that does not parse is a diagnostic beside the other
files' findings, and columns count characters.

Each fixture is small and made here: a chain of names or an expression nested thousands deep
stands for the generated and deeply nested code of CPython's Lib.
"""

from __future__ import annotations

import ast
import json
import sys
import textwrap
import warnings
from pathlib import Path
from typing import Iterator

import pytest

from portcheck.lint import SourceError, engine, lint_source, main
from portcheck.lint.files import lint_file
from portcheck.lint.plugin import Flake8Plugin
from portcheck.lint.relevance import imports_the_packages, mentions_the_packages
from portcheck.lint.rules import RULES

GETS_FOR_EVER = """\
from multiprocessing import Queue

if __name__ == "__main__":
    q = Queue()
    q.put("hello")
    q.get()
"""
GET = "MPC101 `q.get()` can wait for ever: get(timeout=...) and handle queue.Empty"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def chain_of_names(length: int) -> str:
    """A queue bound to a name, that name to the next, `length` times: the lint's name-tracing
    once followed such a chain by recursion, one Python frame after another."""
    names = "\n".join(f"q{i + 1} = q{i}" for i in range(length))
    return (
        f"from multiprocessing import Queue\n\nq0 = Queue()\n{names}\n\n\ndef f():\n    q1.get()\n    q{length}.get()\n"
    )


def deep(function, depth: int):  # type: ignore[no-untyped-def]
    """`function()` called `depth` frames down, as flake8 or pytest call a plugin from deep in theirs."""
    return function() if depth == 0 else deep(function, depth - 1)


# No input ends a run -----------------------------------------------------------------------------


def test_a_chain_of_names_deeper_than_the_stack_is_linted() -> None:
    """What the start of the chain holds is found; its far end is past the depth the lint follows."""
    source = chain_of_names(1500)
    lines = source.splitlines()
    found = deep(lambda: lint_source(source, "chain.py"), 300)
    assert [(lines[f.line - 1].strip(), f.code) for f in found] == [("q1.get()", "MPC101")]


def test_an_expression_nested_thousands_deep_is_linted() -> None:
    total = " + ".join(["1"] * 2500)  # a left-nested tree 2,500 deep, which every Python 3.8+ parses
    source = f"import multiprocessing\n\nTOTAL = {total}\n\n\ndef f():\n    multiprocessing.Queue().get()\n"
    assert [(f.line, f.code) for f in lint_source(source, "deep.py")] == [(7, "MPC101")]


def test_an_expression_too_deep_for_the_parser_is_a_diagnostic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """100,000 terms: Python 3.11+ cannot parse it (nor run it), 3.8 to 3.10 parse it, and the lint goes through."""
    write(tmp_path, "deep.py", "import multiprocessing\nx = " + " + ".join(["1"] * 100_000) + "\n")
    status = main([str(tmp_path / "deep.py")])
    out, err = capsys.readouterr()
    assert err == ""
    if sys.version_info >= (3, 11):
        assert status == 1
        assert out.startswith(f"{tmp_path / 'deep.py'}:1:1: MPC001 nested too deeply for Python 3.")
        assert out.count("\n") == 1
    else:
        assert (status, out) == (0, "")


@pytest.mark.parametrize("error", [RecursionError, MemoryError, ValueError])
def test_a_failure_of_the_lint_is_that_files_diagnostic_and_the_run_goes_on(
    error: type[Exception], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = engine.Inference

    def failing(tree: ast.Module):  # type: ignore[no-untyped-def]
        if any(isinstance(node, ast.Name) and node.id == "broken" for node in ast.walk(tree)):
            raise error("raised on purpose")
        return real(tree)

    monkeypatch.setattr(engine, "Inference", failing)
    write(tmp_path, "a.py", GETS_FOR_EVER + "broken = 1\n")
    write(tmp_path, "b.py", GETS_FOR_EVER)
    assert main([str(tmp_path), "--format", "json"]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    found = [(Path(f["path"]).name, f["line"], f["code"]) for f in json.loads(out)]
    assert found == [("a.py", 1, "MPC003"), ("b.py", 6, "MPC101")]
    assert main([str(tmp_path), "--ignore", "MPC003"]) == 1
    assert "MPC003" not in capsys.readouterr().out


def test_the_plugin_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(tree: ast.Module) -> None:
        raise RecursionError("raised on purpose")

    monkeypatch.setattr(engine, "Inference", failing)
    lines = GETS_FOR_EVER.splitlines(keepends=True)
    [(line, col, text, _)] = list(Flake8Plugin(ast.parse(GETS_FOR_EVER), "job.py", lines).run())
    assert (line, col) == (1, 0)
    assert text.startswith("MPC003 not linted: the code is nested deeper than the lint can follow")


# A file that cannot hold a finding ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "imports"),
    [
        ("import multiprocessing as mp\n", True),
        ("from multiprocessing import Pool\n", True),
        ("from multiprocessing.pool import ThreadPool\n", True),
        ("from concurrent import futures\n", True),
        ("import concurrent.futures\n", True),
        ("def f():\n    import torch.multiprocessing as mp\n", True),
        ("from torch import multiprocessing\n", True),
        ("try:\n    pass\nexcept ImportError:\n    from multiprocessing import Queue\n", True),
        ("# multiprocessing is not used here\nimport os\n", False),
        ("from . import multiprocessing\n", False),  # the project's own module
        ("import multiprocessing_helpers\n", False),
    ],
)
def test_what_counts_as_importing_the_packages(source: str, imports: bool) -> None:
    assert mentions_the_packages(source)
    assert mentions_the_packages(source.encode())
    assert imports_the_packages(ast.parse(source)) is imports


@pytest.mark.parametrize(
    ("imported", "made"),
    [
        ("import torch.multiprocessing as mp", "mp.Queue()"),
        ("from torch import multiprocessing as mp", "mp.Queue()"),
        ("import torch.multiprocessing", "torch.multiprocessing.Queue()"),
        ("from torch.multiprocessing import *", "Queue()"),
    ],
)
def test_torch_multiprocessing_is_multiprocessing(imported: str, made: str) -> None:
    source = f"{imported}\n\n\ndef f():\n    q = {made}\n    q.get()\n"
    assert [(f.line, f.code) for f in lint_source(source, "train.py")] == [(6, "MPC101")]


def test_a_file_that_names_neither_package_is_not_even_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parsing(source: str, path: str) -> None:
        raise AssertionError(f"{path} was parsed")

    monkeypatch.setattr(engine, "parse", no_parsing)
    plain = write(tmp_path, "plain.py", "import threading\n\n\ndef f(:\n")  # broken, and no business of this lint
    assert not mentions_the_packages(plain.read_bytes())
    assert lint_file(plain) == []
    assert lint_source(plain.read_text(), "plain.py") == []


def test_a_module_that_only_mentions_the_packages_is_parsed_but_not_worked_out(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_inference(tree: ast.Module) -> None:
        raise AssertionError("worked out")

    monkeypatch.setattr(engine, "Inference", no_inference)
    source = '"""Runs jobs one at a time: no multiprocessing here."""\nimport queue\nqueue.Queue().get()\n'
    assert lint_source(source, "jobs.py") == []
    lines = source.splitlines(keepends=True)
    assert list(Flake8Plugin(ast.parse(source), "jobs.py", lines).run()) == []


def test_the_plugin_passes_over_a_file_that_names_neither_package(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_lint(*arguments: object, **keywords: object) -> None:
        raise AssertionError("linted")

    monkeypatch.setattr("portcheck.lint.plugin.lint_tree", no_lint)
    source = "import threading\nthreading.Thread(target=print).join()\n"
    assert list(Flake8Plugin(ast.parse(source), "t.py", source.splitlines(keepends=True)).run()) == []


# Parse errors and unreadable files are diagnostics ------------------------------------------------


def test_a_file_that_does_not_parse_is_a_diagnostic_beside_the_other_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "typo.py", "import multiprocessing\n\nfor job in jobs\n    multiprocessing.Process(target=job)\n")
    write(tmp_path, "new.py", GETS_FOR_EVER)
    assert main([str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    [new, typo] = out.splitlines()
    assert new == f"{tmp_path / 'new.py'}:6:5: {GET}"
    # The SyntaxError's own message and place: "expected ':'" at the end of line 3 on 3.10+, 3.8 and 3.9 say less.
    assert typo.startswith(f"{tmp_path / 'typo.py'}:3:")
    assert f"MPC001 SyntaxError: {'expected' if sys.version_info >= (3, 10) else 'invalid syntax'}" in typo
    assert typo.endswith(f"(as Python {sys.version_info[0]}.{sys.version_info[1]} parses it)")
    assert "not Python 3" not in typo


def test_a_parse_error_in_json_and_sarif(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "old.py", 'import multiprocessing\nprint "hello"\n')
    assert main([str(tmp_path), "--format", "json"]) == 1
    [found] = json.loads(capsys.readouterr().out)
    assert (found["line"], found["code"], found["name"]) == (2, "MPC001", "syntax-error")
    assert found["message"].startswith("SyntaxError: Missing parentheses in call to 'print'")
    assert main([str(tmp_path), "--format", "sarif"]) == 1
    run = json.loads(capsys.readouterr().out)["runs"][0]
    [result] = run["results"]
    assert (result["ruleId"], result["level"]) == ("MPC001", "error")
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "MPC001"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": found["col"]}


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="Python 3.14 parses both")
@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("except ValueError, TypeError:", "Python 3.14's except clause naming several exceptions without parentheses"),
        ('    print(t"hello {name}")', "Python 3.14's template string"),
    ],
)
def test_syntax_of_a_newer_python_is_named(line: str, said: str) -> None:
    source = f"import multiprocessing\n\ntry:\n    name = 1\n{line}\n    pass\n"
    if line.startswith("    "):
        source = f"import multiprocessing\n\nif True:\n{line}\n"
    with pytest.raises(SourceError) as raised:
        lint_source(source, "new.py")
    assert said in raised.value.finding.message
    assert raised.value.finding.message.startswith("SyntaxError: ")


def test_a_plain_typo_says_what_python_says_and_nothing_of_versions() -> None:
    source = "import multiprocessing\n\nfor n in range(3)\n    print(n)\n"
    with pytest.raises(SyntaxError) as said:  # "expected ':'" from 3.10, "invalid syntax" before
        compile(source, "typo.py", "exec")
    with pytest.raises(SourceError) as raised:
        lint_source(source, "typo.py")
    finding = raised.value.finding
    assert (finding.line, finding.message) == (
        3,
        f"SyntaxError: {said.value.msg} (as Python {sys.version_info[0]}.{sys.version_info[1]} parses it)",
    )


def test_python_s_warnings_while_parsing_are_not_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "escape.py", 'import multiprocessing\n\nDIGITS = "\\d+"\n')  # a SyntaxWarning from 3.12
    with warnings.catch_warnings(record=True) as caught:  # as Python would print them, not as pytest keeps them
        warnings.simplefilter("always")
        assert main([str(tmp_path)]) == 0
    assert [str(warning.message) for warning in caught] == []
    assert capsys.readouterr() == ("", "")


def test_source_error_carries_the_diagnostic() -> None:
    with pytest.raises(SourceError) as raised:
        lint_source("from multiprocessing import Pool\nPool(\n", "open.py")
    assert raised.value.finding.code == "MPC001"
    assert str(raised.value).startswith("open.py:2:")


def test_a_select_still_shows_a_parse_error_and_an_ignore_hides_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "old.py", 'import multiprocessing\nprint "hello"\n')
    assert main([str(tmp_path), "--select", "MPC2"]) == 1
    assert " MPC001 SyntaxError: " in capsys.readouterr().out
    assert main([str(tmp_path), "--ignore", "MPC001"]) == 0
    assert capsys.readouterr() == ("", "")


def test_a_null_byte_is_a_diagnostic_where_it_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "nul.py", "import multiprocessing\nx = 'a\0'\n")
    assert main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{tmp_path / 'nul.py'}:2:")
    assert " MPC001 " in out


def test_a_file_that_cannot_be_decoded_is_a_diagnostic_where_the_byte_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "broken.py").write_bytes(b"import multiprocessing\nx = 'caf\xe9'\n")
    (tmp_path / "unknown.py").write_bytes(b"# -*- coding: klingon -*-\nimport multiprocessing\n")
    write(tmp_path, "new.py", GETS_FOR_EVER)
    assert main([str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    [broken, new, unknown] = out.splitlines()
    assert (
        broken
        == f"{tmp_path / 'broken.py'}:2:9: MPC002 cannot be decoded as utf-8: byte 0xe9, invalid continuation byte"
    )
    assert new == f"{tmp_path / 'new.py'}:6:5: {GET}"
    assert unknown.startswith(f"{tmp_path / 'unknown.py'}:1:1: MPC002 cannot be decoded: unknown encoding")


def test_a_file_that_cannot_be_read_is_a_diagnostic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", unreadable)
    [found] = lint_file(tmp_path / "secret.py")
    assert (found.line, found.col, found.code, found.message) == (1, 1, "MPC002", "cannot be read: Permission denied")


def test_a_folder_that_cannot_be_listed_is_a_diagnostic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "locked/job.py", GETS_FOR_EVER)
    write(tmp_path, "open/job.py", GETS_FOR_EVER)
    listed = Path.iterdir

    def iterdir(self: Path) -> Iterator[Path]:
        if self.name == "locked":  # chmod would not do: the tests may run as root
            raise PermissionError(13, "Permission denied")
        return listed(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    assert main([str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{tmp_path / 'locked'}:1:1: MPC002 cannot be read: Permission denied",
        f"{tmp_path / 'open' / 'job.py'}:6:5: {GET}",
    ]


def test_an_unknown_code_is_the_callers_mistake_not_the_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="MPC999"):
        lint_file(write(tmp_path, "job.py", GETS_FOR_EVER), select=["MPC999"])


def test_a_bad_command_line_is_still_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "old.py", 'import multiprocessing\nprint "hello"\n')
    assert main([str(tmp_path / "old.py"), str(tmp_path / "missing.py")]) == 2
    assert capsys.readouterr() == ("", f"error: {tmp_path / 'missing.py'} does not exist\n")


def test_a_path_named_under_a_folder_that_cannot_be_entered_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def is_file(self: Path) -> bool:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "is_file", is_file)
    assert main([str(tmp_path / "job.py")]) == 2
    assert capsys.readouterr() == ("", f"error: {tmp_path / 'job.py'} cannot be read: Permission denied\n")


# Columns in characters ----------------------------------------------------------------------------

ACCENTED = """\
from multiprocessing import Queue

if __name__ == "__main__":
    q = Queue()
    q.put("Grüße, 世界")
    café = "ü"; q.get()
"""


def test_columns_count_characters_in_text_json_and_sarif(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = write(tmp_path, "accented.py", ACCENTED)
    # `q.get()` starts at the 17th character of its line, after 18 bytes of UTF-8 (ast's col_offset).
    assert ast.parse(ACCENTED).body[1].body[3].value.col_offset == 18  # type: ignore[attr-defined]
    assert [(f.line, f.col) for f in lint_source(ACCENTED, "accented.py")] == [(6, 17)]
    assert main([str(script)]) == 1
    assert capsys.readouterr().out == f"{script}:6:17: {GET}\n"
    assert main([str(script), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)[0]["col"] == 17
    assert main([str(script), "--format", "sarif"]) == 1
    run = json.loads(capsys.readouterr().out)["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["results"][0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 6, "startColumn": 17}


def test_the_plugin_gives_columns_in_characters() -> None:
    lines = ACCENTED.splitlines(keepends=True)
    [(line, col, _, _)] = list(Flake8Plugin(ast.parse(ACCENTED), "accented.py", lines).run())
    assert (line, col) == (6, 16)  # flake8 adds 1


def test_the_sarif_log_describes_every_code_it_can_report() -> None:
    from portcheck.lint.output import sarif

    described = [rule["id"] for rule in sarif([])["runs"][0]["tool"]["driver"]["rules"]]
    assert described == ["MPC001", "MPC002", "MPC003", *(rule.code for rule in RULES)]
