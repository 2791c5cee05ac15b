"""A code base's configuration, read and checked: each mistake one line naming the file, the program and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from portcheck import config
from portcheck.model import ToolError, Verdict


def written(tmp_path: Path, text: str) -> Path:
    (tmp_path / "old").mkdir(exist_ok=True)
    (tmp_path / "new").mkdir(exist_ok=True)
    path = tmp_path / "portcheck.toml"
    path.write_text('legacy = "old"\nmodern = "new"\n' + text)
    return path


def test_every_key_a_program_can_have(tmp_path: Path) -> None:
    (tmp_path / "input.txt").write_text("3\n")
    loaded = config.load(
        written(
            tmp_path,
            """
[programs."tools/report"]
args = ["3", "4"]
stdin = "input.txt"
env = { LANG = "C" }
timeout = 12.5
python = "3.9"
start_methods = ["spawn"]
not_applicable = "needs 3.9 and spawn"
unordered = ['^\\w+: \\d+$']
vary = ['took [\\d.]+ s']
streams = ['^tick']
differences = [{ legacy = "IOError", modern = "OSError", why = "PEP 3151" }]
interrupt = { after = "^working", signal = "SIGINT" }
mechanical = { expect = { forkserver = "different" }, why = "os.getppid()", diagnoses = ["getppid-under-forkserver"] }
about = { shows = "anything the site shows" }
""",
        )
    )
    settings = loaded.settings("tools/report")
    assert settings.arguments == ("3", "4")
    assert settings.stdin == tmp_path / "input.txt"
    assert settings.environment == (("LANG", "C"),)
    assert settings.timeout == 12.5
    assert settings.applies((3, 9), "spawn")
    assert not settings.applies((3, 8), "spawn")
    assert not settings.applies((3, 9), "fork")
    assert settings.expected_mechanical("forkserver") == (Verdict.DIFFERENT, "os.getppid()")
    assert settings.expected_mechanical("fork") == (Verdict.DECLARED, "")
    assert settings.mechanical.diagnoses == ("getppid-under-forkserver",)
    assert loaded.settings("anything else") == loaded.defaults


def test_the_top_level_gives_every_program_its_defaults(tmp_path: Path) -> None:
    loaded = config.load(written(tmp_path, 'timeout = 5\nvary = ["x"]\n[programs.one]\nargs = ["1"]\n'))
    assert loaded.settings("one").timeout == 5
    assert loaded.settings("one").vary == ("x",)
    assert loaded.settings("two").timeout == 5


def test_pyproject_tool_portcheck(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.portcheck]\nlegacy = "old"\nmodern = "new"\n'
    )
    found = config.find(tmp_path)
    assert found == tmp_path / "pyproject.toml"
    assert config.load(found).legacy == tmp_path / "old"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[programs.one]\nstream = ['x']\n", "programs.one: unknown key 'stream' (known: about, args,"),
        ("colour = 1\n", "the top level: unknown key 'colour'"),
        ("[programs.one]\nargs = '3 4'\n", "programs.one: args must be a list of strings"),
        ("[programs.one]\ntimeout = -1\n", "programs.one: timeout must be a positive number of seconds"),
        ("[programs.one]\ntimeout = 'soon'\n", "programs.one: timeout must be a number of seconds"),
        ("[programs.one]\npython = '3.8.1'\n", 'programs.one: python must be a Python 3 version such as "3.8"'),
        ("[programs.one]\nstart_methods = ['thread']\n", "programs.one: start_methods: choose from fork, spawn"),
        ("[programs.one]\nstart_methods = ['spawn']\n", "programs.one: python or start_methods leave"),
        ("[programs.one]\nvary = ['(']\n", "programs.one: vary: not a regular expression: '('"),
        ("[programs.one]\nstdin = 'missing.txt'\n", "programs.one: stdin: no such file"),
        ("[programs.one]\ndifferences = [{ legacy = 'a' }]\n", "programs.one: differences[1]: lacks modern, why"),
        ("[programs.one]\nmechanical = { expect = 'different' }\n", "programs.one: mechanical.expect needs its why"),
        (
            "[programs.one]\nmechanical = { expect = { fork = 'same' }, why = 'x' }\n",
            "programs.one: mechanical.expect: fork = 'same'",
        ),
        (
            "[programs.one]\nmechanical = { expect = 'different', why = 'x', diagnoses = ['getppid'] }\n",
            "programs.one: mechanical.diagnoses: unknown rule 'getppid' (known: ",
        ),
        (
            "[programs.one]\nmechanical = { expect = 'different', why = 'x', diagnoses = 'true-division' }\n",
            "programs.one: mechanical.diagnoses must be a list of strings",
        ),
        (
            "[programs.one]\nmechanical = { expect = 'identical', why = 'x', diagnoses = ['true-division'] }\n",
            "programs.one: mechanical.diagnoses: only for a port its expect says is different",
        ),
        ("[programs.one]\ninterrupt = { after = 'x', signal = 'SIGKILL' }\n", "interrupt.signal: not a signal to send"),
        ("relax = 'yes'\n", "relax: must be true or false"),
        ("[programs\n", "not valid TOML"),
    ],
)
def test_a_wrong_key_or_value_is_one_line_naming_file_program_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = written(tmp_path, text)
    with pytest.raises(ToolError) as raised:
        config.load(path)
    said = str(raised.value)
    assert said.startswith(f"{path}: ")
    assert message in said
    assert "\n" not in said


def test_a_directory_that_is_not_there(tmp_path: Path) -> None:
    path = tmp_path / "portcheck.toml"
    path.write_text('legacy = "nowhere"\n')
    with pytest.raises(ToolError, match="legacy: no such directory"):
        config.load(path)


@pytest.mark.parametrize("key", config.KEYS, ids=lambda key: key.name)
def test_each_declared_key_is_read_and_checked_by_its_kind(tmp_path: Path, key: config.Key) -> None:
    """KEYS is the one declaration: a key there is one the reader takes, and a wrong value of it is an error
    that names it."""
    wrong = '"soon"' if key.kind == "seconds" else "7"
    place = "" if key.where == config.CODE_BASE else "[programs.one]\n"
    text = f"{place}{key.name} = {wrong}\n"
    path = tmp_path / "portcheck.toml"
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    sides = "" if key.name in ("legacy", "modern") else 'legacy = "old"\nmodern = "new"\n'
    path.write_text(sides + text)
    with pytest.raises(ToolError) as raised:
        config.load(path)
    assert key.name in str(raised.value).split(f"{path}: ", 1)[1]


def test_the_documented_table_has_a_row_per_key() -> None:
    rows = config.documented().splitlines()[2:]
    assert [row.split("`")[1] for row in rows] == [key.name for key in config.KEYS]
