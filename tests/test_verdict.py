"""Every normalisation and relaxation rule, on observations written by hand: no program runs, no Python 2.7.

Each case is two observations, a policy, the legacy program's own other runs where the rule
needs them, and what the comparison must say: its verdict, and words its reasons must hold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import pytest

from portcheck import chance
from portcheck.model import Difference, Observation, Policy, Port, Verdict
from portcheck.normalise import transcript
from portcheck.publish import json as json_results
from portcheck.verdict import compare, crash_of
from tests.support import CHILD_1, CHILD_2, CHILD_3, MAIN, observed

PAIR = Policy(learn=False)  # a pair of this repository: only what is declared
OWN = Policy()  # one's own scripts: the learned relaxations too


@dataclass(frozen=True)
class Case:
    rule: str
    legacy: Observation
    modern: Observation
    verdict: Verdict
    said: tuple[str, ...] = ()  # words the result's declarations, relaxations, diff or hint must hold
    policy: Policy = field(default_factory=Policy)
    legacy_reruns: tuple[Observation, ...] = ()
    port_reruns: tuple[Observation, ...] = ()


def racing(order: list[tuple[str, str]]) -> Observation:
    return observed(*order, roles={10: MAIN, 11: CHILD_1, 12: CHILD_2, 13: CHILD_3})


CASES = [
    Case("the same lines", observed("out: hello"), observed("out: hello"), Verdict.IDENTICAL),
    Case(
        "pids become roles by creation order",
        observed("out: parent pid 100, child pid 101", roles={100: MAIN, 101: CHILD_1}),
        observed("out: parent pid 200, child pid 201", roles={200: MAIN, 201: CHILD_1}),
        Verdict.IDENTICAL,
        policy=PAIR,
    ),
    Case(
        "a bare number equal to a pid is read as the pid",
        observed("out: [100] started", roles={100: MAIN}),
        observed("out: [200] started", roles={200: MAIN}),
        Verdict.IDENTICAL,
    ),
    Case(
        "a value that happens to equal a pid still matches itself",
        observed("out: worker 5000 squared 18 is 324", roles={5000: CHILD_1, 4990: MAIN}),
        observed("out: worker 7000 squared 18 is 324", roles={7000: CHILD_1, 324: CHILD_3, 6990: MAIN}),
        Verdict.IDENTICAL,
        policy=PAIR,
    ),
    Case(
        "a pid replaced by a constant is a difference",
        observed("out: [100] started", roles={100: MAIN}),
        observed("out: [4242] started", roles={200: MAIN}),
        Verdict.DIFFERENT,
        ("-out: [100] started", "+out: [4242] started"),
    ),
    Case(
        "the main process is not a child",
        observed("out: printed by 100", roles={100: MAIN, 101: CHILD_1}),
        observed("out: printed by 201", roles={200: MAIN, 201: CHILD_1}),
        Verdict.DIFFERENT,
    ),
    Case(
        "memory addresses",
        observed("out: <object at 0x7f0012345678>"),
        observed("out: <object at 0x55aa87654321>"),
        Verdict.IDENTICAL,
        policy=PAIR,
    ),
    Case(
        "the run's own scratch directory and script name",
        observed(
            "out: wrote /tmp/run-a/out.txt with old.py", substitutions=(("/tmp/run-a", "<dir>"), ("old.py", "<script>"))
        ),
        observed(
            "out: wrote /tmp/run-b/out.txt with new.py", substitutions=(("/tmp/run-b", "<dir>"), ("new.py", "<script>"))
        ),
        Verdict.IDENTICAL,
    ),
    Case(
        "traceback frames are not compared",
        observed(
            "err: Traceback (most recent call last):",
            'err:   File "old.py", line 4, in <module>',
            "err: ValueError: bad",
            exit_code=1,
        ),
        observed(
            "err: Traceback (most recent call last):",
            'err:   File "/tmp/x/new.py", line 9, in <module>',
            "err:     check(42)",
            "err:     ^^^^^^^^^",
            "err: ValueError: bad",
            exit_code=1,
        ),
        Verdict.IDENTICAL,
        policy=PAIR,
    ),
    Case(
        "Python 3's report of a worker's traceback is dropped",
        observed("err: Traceback (most recent call last):", "err: ValueError: bad", exit_code=1),
        observed(
            'err: multiprocessing.pool.RemoteTraceback: """',
            "err: Traceback (most recent call last):",
            "err: ValueError: bad",
            'err: """',
            "err: ",
            "err: The above exception was the direct cause of the following exception:",
            "err: ",
            "err: Traceback (most recent call last):",
            "err: ValueError: bad",
            exit_code=1,
        ),
        Verdict.IDENTICAL,
    ),
    Case(
        "a declared difference applies to the legacy text",
        observed("out: IOError: connection is read-only"),
        observed("out: OSError: connection is read-only"),
        Verdict.DECLARED,
        ("'IOError: connection is' -> 'OSError: connection is'",),
        policy=Policy(
            differences=(Difference("IOError: connection is", "OSError: connection is", "PEP 3151"),), learn=False
        ),
    ),
    Case(
        "a declared difference that no line shows is a difference",
        observed("out: fine"),
        observed("out: fine"),
        Verdict.DIFFERENT,
        policy=Policy(differences=(Difference("IOError", "OSError", "PEP 3151"),), learn=False),
    ),
    Case(
        "declared streams: the order between them is open",
        observed("out: waiter 1: woke", "out: waiter 2: woke", "out: done"),
        observed("out: waiter 2: woke", "out: waiter 1: woke", "out: done"),
        Verdict.IDENTICAL,
        policy=Policy(streams=(r"^waiter (\d): ",), learn=False),
    ),
    Case(
        "declared streams keep their own order",
        observed("out: tick 1", "out: tick 2"),
        observed("out: tick 2", "out: tick 1"),
        Verdict.DIFFERENT,
        policy=Policy(streams=(r"^tick",), learn=False),
    ),
    Case(
        "--vary applies to the text as printed",
        observed("out: [worker 4242] done", roles={4242: CHILD_1}),
        observed("out: [worker 77] done"),
        Verdict.EQUIVALENT,
        ("--vary",),
        policy=Policy(vary=(r"\[worker \d+\]",)),
    ),
    Case(
        "--unordered lets its lines come in any order",
        observed("out: apple: 1", "out: pear: 2", "out: total: 3"),
        observed("out: pear: 2", "out: apple: 1", "out: total: 3"),
        Verdict.EQUIVALENT,
        ("--unordered",),
        policy=Policy(unordered=(r"^\w+: \d$",)),
    ),
    Case(
        "a dict printed in another order",
        observed("out: counts {'b': 2, 'a': 1}"),
        observed("out: counts {'a': 1, 'b': 2}"),
        Verdict.EQUIVALENT,
        ("hash order",),
    ),
    Case(
        "no learned relaxation for a pair",
        observed("out: counts {'b': 2, 'a': 1}"),
        observed("out: counts {'a': 1, 'b': 2}"),
        Verdict.DIFFERENT,
        policy=PAIR,
    ),
    Case(
        "another worker of the same kind",
        observed("out: Process-1 computed square(3) = 9", "out: Process-3 computed cube(2) = 8"),
        observed("out: Process-2 computed square(3) = 9", "out: Process-1 computed cube(2) = 8"),
        Verdict.EQUIVALENT,
        ("worker",),
    ),
    Case(
        "a worker of another kind is a difference",
        observed("out: PoolWorker-1 done"),
        observed("out: ForkPoolWorker-1 done"),
        Verdict.DIFFERENT,
    ),
    Case(
        "which pool worker scored which name",
        racing([("out: [11] scoring alice", CHILD_1), ("out: [12] scoring bob", CHILD_2), ("out: total 2", MAIN)]),
        racing([("out: [12] scoring alice", CHILD_2), ("out: [12] scoring bob", CHILD_2), ("out: total 2", MAIN)]),
        Verdict.EQUIVALENT,
        ("which worker ran a task",),
    ),
    Case(
        "the order between processes",
        racing([("out: one", CHILD_1), ("out: two", CHILD_2), ("out: end", MAIN)]),
        racing([("out: two", CHILD_2), ("out: one", CHILD_1), ("out: end", MAIN)]),
        Verdict.EQUIVALENT,
        ("each process's own lines in their order",),
    ),
    Case(
        "one worker did in order what two workers of the port did at once",
        racing([("out: [11] scoring a", CHILD_1), ("out: [11] scoring b", CHILD_1), ("out: total", MAIN)]),
        racing([("out: [12] scoring b", CHILD_2), ("out: [11] scoring a", CHILD_1), ("out: total", MAIN)]),
        Verdict.EQUIVALENT,
        ("each process's own lines in their order",),
    ),
    Case(
        "the order within one process",
        racing([("out: one", CHILD_1), ("out: two", CHILD_1)]),
        racing([("out: two", CHILD_1), ("out: one", CHILD_1)]),
        Verdict.DIFFERENT,
        ("--unordered",),
    ),
    Case(
        "a lost line among lines that may reorder",
        racing([("out: worker 1 done", CHILD_1), ("out: worker 2 done", CHILD_2)]),
        racing([("out: worker 2 done", CHILD_2)]),
        Verdict.DIFFERENT,
        ("-out: worker 1 done",),
    ),
    Case(
        "a field the legacy runs vary in varies whole",
        observed("out: took 0.251 seconds"),
        observed("out: took 1.219 seconds"),
        Verdict.EQUIVALENT,
        ("legacy program's own 3 runs", "and between the port's own 3", "~out: took 1.219 seconds"),
        legacy_reruns=(observed("out: took 0.263 seconds"), observed("out: took 0.258 seconds")),
        port_reruns=(observed("out: took 1.301 seconds"), observed("out: took 1.187 seconds")),
    ),
    Case(
        "a time the port prints with more digits than str() of a float on Python 2 is a changed format, not chance",
        observed("out: took 0.0304911136627 seconds"),
        observed("out: took 0.04702568054199219 seconds"),
        Verdict.DIFFERENT,
        ("-out: took 0.0304911136627 seconds", "+out: took 0.04702568054199219 seconds"),
        legacy_reruns=(observed("out: took 0.120226860046 seconds"), observed("out: took 0.135792016983 seconds")),
        port_reruns=(observed("out: took 0.0822253227233 seconds"), observed("out: took 0.08332872390747 seconds")),
    ),
    Case(
        "a value the original printed needs no run of the port to vary",
        observed("out: w0 handled 9 items"),
        observed("out: w0 handled 10 items"),
        Verdict.EQUIVALENT,
        ("legacy program's own 3 runs",),
        legacy_reruns=(observed("out: w0 handled 11 items"), observed("out: w0 handled 10 items")),
    ),
    Case(
        "a field the original varies in and the port never does, at a value the original never printed",
        observed("out: w0 handled 9 items"),
        observed("out: w0 handled 0 items"),
        Verdict.DIFFERENT,
        ("the original printed 9, 11, 10 in its 3 runs; the port 0, 0, 0 in its 3",),
        legacy_reruns=(observed("out: w0 handled 11 items"), observed("out: w0 handled 10 items")),
        port_reruns=(observed("out: w0 handled 0 items"), observed("out: w0 handled 0 items")),
    ),
    Case(
        "a field only the port varies in: a race only the port shows",
        observed("out: counter 4000"),
        observed("out: counter 3000"),
        Verdict.DIFFERENT,
        ("the port printed 3000, 4000, 4000 in its 3 runs, the original never varied there in its 3",),
        legacy_reruns=(observed("out: counter 4000"), observed("out: counter 4000")),
        port_reruns=(observed("out: counter 4000"), observed("out: counter 4000")),
    ),
    Case(
        "a line only the port prints, varying between its runs, is a difference, not a race",
        observed("out: counter 4000", "out: sum 45"),
        observed("out: counter 4000", "err: OSError: [Errno 9] Bad file descriptor: 7"),
        Verdict.DIFFERENT,
        ("+err: OSError: [Errno 9] Bad file descriptor: 7",),
        legacy_reruns=(observed("out: counter 4000", "out: sum 45"), observed("out: counter 4000", "out: sum 45")),
        port_reruns=(
            observed("out: counter 4000", "err: OSError: [Errno 9] Bad file descriptor: 8"),
            observed("out: counter 4000", "err: OSError: [Errno 9] Bad file descriptor: 9"),
        ),
    ),
    Case(
        "a field both sides race in",
        observed("out: counter 4000"),
        observed("out: counter 3000"),
        Verdict.EQUIVALENT,
        ("and between the port's own 3",),
        legacy_reruns=(observed("out: counter 3998"), observed("out: counter 4000")),
        port_reruns=(observed("out: counter 4000"), observed("out: counter 3999")),
    ),
    Case(
        "a value the legacy runs never varied is still a difference",
        observed("out: took 0.251 seconds", "out: sum 45"),
        observed("out: took 1.219 seconds", "out: sum 46"),
        Verdict.DIFFERENT,
        ("+out: sum 46",),
        legacy_reruns=(observed("out: took 0.263 seconds", "out: sum 45"),),
    ),
    Case(
        "lines of a shape that moved between the legacy runs",
        observed("out: result 1", "out: result 2", "out: result 3", "out: done"),
        observed("out: result 3", "out: result 1", "out: result 2", "out: done"),
        Verdict.EQUIVALENT,
        ("an order the legacy program's own runs also showed",),
        legacy_reruns=(observed("out: result 2", "out: result 1", "out: result 3", "out: done"),),
    ),
    Case(
        "what a relaxation accepts is marked beside what was printed",
        racing([("out: [11] scoring alice", CHILD_1), ("out: took 0.2 s", MAIN)]),
        racing([("out: [12] scoring ALICE", CHILD_2), ("out: took 1.3 s", MAIN)]),
        Verdict.DIFFERENT,
        ("+out: [12] scoring ALICE", "~out: took 1.3 s", "legacy printed 'out: took 0.2 s'"),
        legacy_reruns=(racing([("out: [11] scoring alice", CHILD_1), ("out: took 0.4 s", MAIN)]),),
        port_reruns=(racing([("out: [12] scoring ALICE", CHILD_2), ("out: took 1.1 s", MAIN)]),),
    ),
    Case(
        "a number of lines that varies between both sides' runs",
        observed("out: produced 12", "out: produced 80", "out: produced 3", "out: done"),
        observed("out: produced 5", "out: produced 61", "out: done"),
        Verdict.EQUIVALENT,
        ("'out: produced <varies>' 3, 1, 4 times in the original's 3 runs", "-out: produced 3 count"),
        legacy_reruns=(observed("out: produced 44", "out: done"), observed(*["out: produced 7"] * 4, "out: done")),
        port_reruns=(observed("out: produced 9", "out: done"), observed(*["out: produced 1"] * 3, "out: done")),
    ),
    Case(
        "a number of lines the original varied in and the port's runs repeat outside it",
        observed("out: produced 12", "out: produced 80", "out: done"),
        observed(*["out: produced 5"] * 6, "out: done"),
        Verdict.DIFFERENT,
        ("'out: produced <varies>': the original printed it 2, 1, 3 times in its 3 runs; the port 6, 6, 6",),
        legacy_reruns=(observed("out: produced 44", "out: done"), observed(*["out: produced 7"] * 3, "out: done")),
        port_reruns=(observed(*["out: produced 9"] * 6, "out: done"), observed(*["out: produced 2"] * 6, "out: done")),
    ),
    Case(
        "a count and a time that both vary, as in a benchmark that doubles its loop until it takes long enough",
        observed("out: 16384 items in 0.161 s"),
        observed("out: 4096 items in 0.2 s"),
        Verdict.EQUIVALENT,
        ("and between the port's own 3",),
        legacy_reruns=(observed("out: 16384 items in 0.143 s"), observed("out: 8192 items in 0.18 s")),
        port_reruns=(observed("out: 4096 items in 0.3 s"), observed("out: 2048 items in 0.19 s")),
    ),
    Case(
        "a number of lines only the port's runs vary, where the original's three printed the same",
        observed("out: produced 12", "out: produced 80", "out: done"),
        observed("out: produced 5", "out: done"),
        Verdict.DIFFERENT,
        ("'out: produced <varies>': the port printed 1 lines, 3 lines, 2 lines in its 3 runs", "a race only the port"),
        legacy_reruns=(observed("out: produced 44", "out: produced 7", "out: done"),) * 2,
        port_reruns=(observed(*["out: produced 9"] * 3, "out: done"), observed(*["out: produced 2"] * 2, "out: done")),
    ),
    Case(
        "a line lost where the original's runs always print the same number",
        observed("out: worker 1 done", "out: worker 2 done", "out: worker 3 done", "out: all done"),
        observed("out: worker 2 done", "out: worker 1 done", "out: all done"),
        Verdict.DIFFERENT,
        ("-out: worker 3 done",),
        legacy_reruns=(observed("out: worker 2 done", "out: worker 3 done", "out: worker 1 done", "out: all done"),),
    ),
    Case(
        "items of a list in the order they arrived, reordered by the original's own runs",
        observed("out: 30 [0, 16, 4, 1, 9]"),
        observed("out: 30 [16, 9, 4, 0, 1]"),
        Verdict.EQUIVALENT,
        ("items of a list or tuple that came in another order",),
        legacy_reruns=(observed("out: 30 [0, 4, 16, 1, 9]"), observed("out: 30 [0, 16, 4, 1, 9]")),
    ),
    Case(
        "a list with an item lost, whatever its order",
        observed("out: 30 [0, 16, 4, 1, 9]"),
        observed("out: 14 [9, 4, 1, 0]"),
        Verdict.DIFFERENT,
        ("+out: 14 [9, 4, 1, 0]",),
        legacy_reruns=(observed("out: 30 [0, 4, 16, 1, 9]"), observed("out: 30 [0, 16, 4, 1, 9]")),
    ),
    Case(
        "items only the port's runs reorder",
        observed("out: ['a', 'b', 'c']"),
        observed("out: ['c', 'a', 'b']"),
        Verdict.DIFFERENT,
        ("a race only the port shows",),
        legacy_reruns=(observed("out: ['a', 'b', 'c']"), observed("out: ['a', 'b', 'c']")),
        port_reruns=(observed("out: ['b', 'c', 'a']"), observed("out: ['a', 'b', 'c']")),
    ),
    Case("another exit code", observed(exit_code=0), observed(exit_code=3), Verdict.DIFFERENT, ("+exit code: 3",)),
    Case(
        "a hang where the original ends",
        observed("out: hello"),
        observed("out: hello", exit_code=None),
        Verdict.DIFFERENT,
        ("+exit code: none, killed after its 30 s timeout", "hung"),
    ),
    Case(
        "a process left behind",
        observed("out: done"),
        observed("out: done", leftovers=2),
        Verdict.DIFFERENT,
        ("+leftover processes killed: 2",),
    ),
    Case(
        "a file written differently",
        observed("file: out.csv: 1 2"),
        observed("file: out.csv: 1,2"),
        Verdict.DIFFERENT,
        ("-file: out.csv: 1 2", "+file: out.csv: 1,2"),
    ),
]


SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "docs" / "results.schema.json").read_text())
VALIDATOR = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.rule)
def test_rule(case: Case) -> None:
    noise = None
    if case.legacy_reruns:
        runs = [case.legacy, *case.legacy_reruns]
        noise = chance.noise_of([[entry.key for entry in transcript(run, case.policy, True).entries] for run in runs])
    if noise and case.port_reruns:
        runs = [case.modern, *case.port_reruns]
        noise = noise.with_port([[entry.key for entry in transcript(run, case.policy, False).entries] for run in runs])
    result = compare("case", Port.MODERN, case.legacy, case.modern, case.policy, noise)
    told = [f"{d.said} ({d.lines}): {d.why}" for d in result.declared]
    told += list(result.evidence)
    told += [relaxation.reason for relaxation in result.relaxed]
    told += [f"{line.mark}{line.text} {line.note}" for line in result.diff]
    told += [result.hint, *result.crashes]
    assert result.verdict is case.verdict, "\n".join(told)
    if "not a race" in case.rule:
        assert not any("a race only the port shows" in line for line in told), "\n".join(told)
    for words in case.said:
        assert any(words in line for line in told), f"{words!r} not in:\n" + "\n".join(told)
    VALIDATOR.validate(json_results.document([result]))  # every rule's result is one the schema admits


def test_a_declaration_that_matches_nothing_says_so() -> None:
    result = compare("case", Port.MODERN, observed("out: a"), observed("out: b"), Policy(vary=(r"never",)))
    assert [(d.said, d.lines) for d in result.declared] == [("--vary never", 0)]
    assert result.verdict is Verdict.DIFFERENT


def test_a_crash_says_where_it_was_raised() -> None:
    crashed = observed(
        "err: Traceback (most recent call last):",
        'err:   File "/tmp/run-x/main.py", line 9, in <module>',
        'err:   File "/tmp/run-x/helper.py", line 5, in score',
        "err: IndexError: list index out of range",
        exit_code=1,
        substitutions=(("/tmp/run-x", "<dir>"),),
    )
    assert crash_of(crashed) == (
        "new.py on Python 3.13 under fork crashed with exit code 1: IndexError: list index out of range"
        " (raised at helper.py:5 in score)"
    )


# CPython's mp_pool.py's f(x), 1.0 / (x - 5.0), mapped over range(10) by a Pool, the ZeroDivisionError uncaught
POOL_3 = "/root/.pyenv/versions/3.13.0/lib/python3.13/multiprocessing/pool.py"
WORKER_CRASH_3 = (
    "err: multiprocessing.pool.RemoteTraceback: ",
    'err: """',
    "err: Traceback (most recent call last):",
    f'err:   File "{POOL_3}", line 125, in worker',
    "err:     result = (True, func(*args, **kwds))",
    f'err:   File "{POOL_3}", line 48, in mapstar',
    "err:     return list(map(*args))",
    'err:   File "/tmp/run-x/new.py", line 4, in f',
    "err:     return 1.0 / (x - 5.0)",
    "err: ZeroDivisionError: float division by zero",
    'err: """',
    "err: ",
    "err: The above exception was the direct cause of the following exception:",
    "err: ",
    "err: Traceback (most recent call last):",
    'err:   File "/tmp/run-x/new.py", line 8, in <module>',
    "err:     print(pool.map(f, range(10)))",
    f'err:   File "{POOL_3}", line 367, in map',
    "err:     return self._map_async(func, iterable, mapstar, chunksize).get()",
    f'err:   File "{POOL_3}", line 774, in get',
    "err:     raise self._value",
    "err: ZeroDivisionError: float division by zero",
)
POOL_2 = "/root/.pyenv/versions/2.7.18/lib/python2.7/multiprocessing/pool.py"
WORKER_CRASH_2 = (
    "err: Traceback (most recent call last):",
    'err:   File "/tmp/run-x/old.py", line 8, in <module>',
    "err:     print pool.map(f, range(10))",
    f'err:   File "{POOL_2}", line 253, in map',
    "err:     return self.map_async(func, iterable, chunksize).get()",
    f'err:   File "{POOL_2}", line 572, in get',
    "err:     raise self._value",
    "err: ZeroDivisionError: float division by zero",
)


@pytest.mark.parametrize(
    ("lines", "where"),
    [
        (WORKER_CRASH_3, "(raised at new.py:4 in f in a worker, re-raised at new.py:8 in <module>)"),
        (WORKER_CRASH_2, "(raised at old.py:8 in <module>)"),  # Python 2 printed no worker's traceback
    ],
    ids=["python 3 quotes the worker's traceback", "python 2's pool re-raised it"],
)
def test_a_crash_in_a_pool_worker_says_the_programs_own_lines(lines: tuple[str, ...], where: str) -> None:
    crashed = observed(*lines, exit_code=1, substitutions=(("/tmp/run-x", "<dir>"),))
    said = crash_of(crashed)
    assert said is not None
    assert said.endswith(f"ZeroDivisionError: float division by zero {where}")


@pytest.mark.parametrize(
    ("one", "two", "also"),
    [
        ("out: took 0.251 s", "out: took 0.263 s", "out: took 1.219 s"),
        ("out: working in /tmp/parts-abc_12", "out: working in /tmp/parts-x9Yz_3", "out: working in /tmp/parts-q"),
        ("out: at 2026-11-30 05:10:55.1", "out: at 2026-11-30 05:10:56.9", "out: at 2026-11-30 05:10:59.0"),
    ],
)
def test_a_varying_field_is_any_field_of_its_kind(one: str, two: str, also: str) -> None:
    template = chance.field_template(one, two)
    assert template is not None
    assert template[0].fullmatch(also)


def test_a_varying_field_does_not_cross_kinds_or_streams() -> None:
    assert chance.field_template("out: took 0.2 s", "err: took 0.3 s") is None
    assert chance.field_template("out: 3 items", "out: three items") is None
    assert chance.field_template("out: produced 12", "out: consumed 40") is None  # two lines, not one varying
    assert chance.field_template("out: 0.25 0.31", "out: 0.27 0.30") is not None  # two timings vary
