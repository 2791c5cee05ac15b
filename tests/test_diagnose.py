"""Every diagnosis rule, on observations written by hand: no program runs, no Python 2.7.

Each case is two observations and what the comparison's diagnoses must name: the rules, in the
order of the lines they explain, "no-known-cause" for lines no rule explains. Each rule has a
case where it must fire and a near miss where it must not: a rule fires on the difference its
change makes, never on a resemblance.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from portcheck import chance, diagnose
from portcheck.diagnose import CAUSES, NO_KNOWN_CAUSE, Cause, Context, across_start_methods
from portcheck.diagnose.docs import causes_markdown
from portcheck.model import Observation, Policy, Port, Result, Verdict
from portcheck.normalise import transcript
from portcheck.verdict import compare
from tests.support import CHILD_1, CHILD_2, CHILD_3, MAIN, observed

ROOT = Path(__file__).resolve().parent.parent
PAIR = Policy(learn=False)  # a pair of this repository: no learned relaxation hides a dict's order
OWN = Policy()  # one's own scripts


def old(*lines: str | tuple[str, str | None], **given: object) -> Observation:
    return observed(*lines, label="old.py on Python 2.7", python="2.7.18", **given)  # type: ignore[arg-type]


def new(
    *lines: str | tuple[str, str | None], method: str = "fork", python: str = "3.13.0", **given: object
) -> Observation:
    label = f"new.py on Python {python[:4]} under {method}"
    return observed(*lines, label=label, python=python, **given)  # type: ignore[arg-type]


def crash(*lines: str, exception: str, method: str = "fork") -> Observation:
    """A port that printed `lines`, then died of `exception`."""
    traceback = ("err: Traceback (most recent call last):", '  err:   File "new.py", line 9, in <module>')
    return new(*lines, traceback[0], f"err: {exception}", exit_code=1, method=method)


def failed_assertion(source: str) -> tuple[str, ...]:
    """What a port's failed `assert` prints: its traceback, with the line that failed."""
    frame = ('err:   File "new.py", line 14, in <module>', f"err:     {source}")
    return ("err: Traceback (most recent call last):", *frame, "err: AssertionError")


# a child of the port's, under spawn, given the lock of a main process that ended without joining it
SEMAPHORE_GONE = (
    "err: Traceback (most recent call last):",
    'err:   File "/usr/lib/python3.13/multiprocessing/synchronize.py", line 115, in __setstate__',
    "err:     self._semlock = _multiprocessing.SemLock._rebuild(*state)",
    "err: FileNotFoundError: [Errno 2] No such file or directory",
)
# the operator module's names as a manager exposes them (CPython's mp_newtype.py), on Python 2.7 and on 3.13
OPERATOR_2 = (
    *("abs", "add", "and_", "attrgetter", "concat", "contains", "countOf", "delitem", "delslice", "div", "eq"),
    *("floordiv", "ge", "getitem", "getslice", "gt", "iadd", "iand", "iconcat", "idiv", "ifloordiv", "ilshift"),
    *("imod", "imul", "index", "indexOf", "inv", "invert", "ior", "ipow", "irepeat", "irshift", "isCallable"),
    *("isMappingType", "isNumberType", "isSequenceType", "is_", "is_not", "isub", "itemgetter", "itruediv"),
    *("ixor", "le", "lshift", "lt", "methodcaller", "mod", "mul", "ne", "neg", "not_", "or_", "pos", "pow"),
    *("repeat", "rshift", "sequenceIncludes", "setitem", "setslice", "sub", "truediv", "truth", "xor"),
)
OPERATOR_3 = (
    *("abs", "add", "and_", "attrgetter", "call", "concat", "contains", "countOf", "delitem", "eq", "floordiv"),
    *("ge", "getitem", "gt", "iadd", "iand", "iconcat", "ifloordiv", "ilshift", "imatmul", "imod", "imul"),
    *("index", "indexOf", "inv", "invert", "ior", "ipow", "irshift", "is_", "is_not", "isub", "itemgetter"),
    *("itruediv", "ixor", "le", "length_hint", "lshift", "lt", "matmul", "methodcaller", "mod", "mul", "ne"),
    *("neg", "not_", "or_", "pos", "pow", "rshift", "setitem", "sub", "truediv", "truth", "xor"),
)

MPGEN_TESTS = "/work/ports2/mpgen_tests/new/multiprocessing_generator/tests.py"
UTCNOW_DEPRECATED = (
    "datetime.datetime.utcnow() is deprecated and scheduled for removal in a future version. Use timezone-aware"
    " objects to represent datetimes in UTC: datetime.datetime.now(datetime.UTC)."
)

UNITTEST_OK = ("err: ......", f"err: {'-' * 70}", "err: Ran 6 tests in 8.100s", "err: ", "err: OK")
TESTS = {
    "test_exception": "Exceptions are passed to the outer generator",
    "test_finite": "A finite list is fetched in a transparent way",
}


def unittest_errors(*exceptions: str) -> Observation:
    """The port's run of two of multiprocessing_generator's tests under spawn, as unittest reports them, each
    ending in one of `exceptions` (the first one's for the rest)."""
    lines = ["err: .EEEEE"]
    for number, (test, docstring) in enumerate(TESTS.items()):
        exception = exceptions[min(number, len(exceptions) - 1)]
        lines += [f"err: {'=' * 70}", f"err: ERROR: {test} (multiprocessing_generator.tests.{test})"]
        lines += [f"err: {docstring}", f"err: {'-' * 70}", "err: Traceback (most recent call last):"]
        lines += ['err:   File "/app/multiprocessing_generator/__init__.py", line 41, in __enter__']
        lines += ["err:     self.process.start()", f"err: {exception}", "err: "]
    lines += [f"err: {'-' * 70}", "err: Ran 6 tests in 0.157s", "err: ", "err: FAILED (errors=5)"]
    return new(*lines, exit_code=1, method="spawn")


def vamei_roles(main: int) -> dict[int, str]:
    return {main: MAIN, main + 1: CHILD_1, main + 2: CHILD_2}


def vamei_main(pid: int) -> tuple[tuple[str, str], ...]:
    """What the main process of Vamei's thread-against-process example prints at its top level."""
    return ((f"out: Main: {pid}", MAIN), (f"out: thread {pid}", MAIN), (f"out: thread {pid}", MAIN))


def vamei_child(pid: int, role: str) -> tuple[tuple[str, str], ...]:
    """A child of its port under spawn: the top level again, then the refusal to start processes there."""
    refusal = (
        "err: Traceback (most recent call last):",
        "err: RuntimeError: ",
        "err:         An attempt has been made to start a new process before the",
        "err:         current process has finished its bootstrapping phase.",
    )
    return ((f"out: Main: {pid}", role), (f"out: thread {pid}", role), *((line, role) for line in refusal))


@dataclass(frozen=True)
class Case:
    name: str
    legacy: Observation
    modern: Observation
    rules: tuple[str, ...]  # what the diagnoses name, in the order of the lines they explain
    policy: Policy = field(default_factory=lambda: PAIR)


UNKNOWN = (NO_KNOWN_CAUSE,)

CASES = [
    # true-division
    Case("true division", old("out: average: 4"), new("out: average: 4.6"), ("true-division",)),
    Case(
        "true division to a whole float", old("out: halves [1, 2]"), new("out: halves [1.0, 2.0]"), ("true-division",)
    ),
    Case("true division below zero floors", old("out: -4"), new("out: -3.5"), ("true-division",)),
    Case("true division, formatted", old("out: mean 3.00"), new("out: mean 3.50"), ("true-division",)),
    Case("true division, thousands", old("out: 100,000 each"), new("out: 100,000.0 each"), ("true-division",)),
    Case("near miss: a float that floors elsewhere", old("out: average: 4"), new("out: average: 5.5"), UNKNOWN),
    Case("near miss: an int becomes another int", old("out: average: 4"), new("out: average: 5"), UNKNOWN),
    Case(
        "true division raised in the port",
        old("out: first half: [1, 2]"),
        crash(exception="TypeError: slice indices must be integers or None or have an __index__ method"),
        ("true-division",),
    ),
    Case(
        "near miss: an int where a str was needed",
        old("out: ok"),
        crash("out: ok", exception="TypeError: 'int' object cannot be interpreted as a string"),
        UNKNOWN,
    ),
    # print-softspace
    Case("a space after a tab", old("out: squares:\t9"), new("out: squares:\t 9"), ("print-softspace",)),
    Case("a space more at the end", old("out: counting: 1 2 3"), new("out: counting: 1 2 3 "), ("print-softspace",)),
    Case(
        "a space at the start, after a newline in an item",
        old("out: header", "out: body"),
        new("out: header", "out:  body"),
        ("print-softspace",),
    ),
    Case(
        "the issue's worker pool: a space more on each line, in another order",
        old(*((f"out: \tjob {n} done", child) for n, child in ((1, CHILD_1), (2, CHILD_2), (3, CHILD_3)))),
        new(*((f"out: \t job {n} done", child) for n, child in ((2, CHILD_2), (3, CHILD_3), (1, CHILD_1)))),
        ("print-softspace",),
        OWN,
    ),
    Case(
        "the issue's worker pool, which worker ran each task left to chance as the comparison leaves it",
        old(
            *(
                (f"out: \tProcess-{n} says that mul({n}, 7) = {7 * n}", child)
                for n, child in ((1, CHILD_1), (2, CHILD_2))
            )
        ),
        new(
            *(
                (f"out: \t Process-{3 - n} says that mul({n}, 7) = {7 * n}", child)
                for n, child in ((1, CHILD_2), (2, CHILD_1))
            )
        ),
        ("print-softspace",),
        OWN,
    ),
    Case(
        "near miss: for a pair, which worker ran a task is no chance",
        old("out: \tProcess-1 says that mul(1, 7) = 7"),
        new("out: \t Process-2 says that mul(1, 7) = 7"),
        UNKNOWN,
    ),
    Case(
        "a line read as the comparison read it: --vary applied",
        old("out: took 0.2 s, average 3"),
        new("out: took 0.4 s, average 3.5"),
        ("true-division",),
        Policy(vary=(r"took [\d.]+ s",)),
    ),
    Case(
        "a trailing comma's line split in the port",
        old("out: working... done", "out: bye"),
        new("out: working...", "out: done", "out: bye"),
        ("print-softspace",),
    ),
    Case("near miss: two spaces after a tab", old("out: squares:\t9"), new("out: squares:\t  9"), UNKNOWN),
    Case("near miss: a space inside a word", old("out: total:9"), new("out: total: 9"), UNKNOWN),
    Case(
        "near miss: a line split at a comma",
        old("out: a,b", "out: end"),
        new("out: a", "out: b", "out: end"),
        UNKNOWN,
    ),
    # print-tuple
    Case("print (a, b)", old("out: ('total', 3)"), new("out: total 3"), ("print-tuple",)),
    Case("print ()", old("out: ()"), new("out: "), ("print-tuple",)),
    Case("print (a, b) of unicode", old("out: (u'caf\\xe9', 3L)"), new("out: café 3"), ("print-tuple",)),
    Case("near miss: items joined otherwise", old("out: ('total', 3)"), new("out: total, 3"), UNKNOWN),
    Case("near miss: a one-item tuple", old("out: ('total',)"), new("out: total"), UNKNOWN),
    # lazy-iterator-printed
    Case("map printed", old("out: [2, 4, 6]"), new("out: <map object at 0x7f3a2c1e5f40>"), ("lazy-iterator-printed",)),
    Case(
        "zip printed",
        old("out: pairs: [(1, 'a'), (2, 'b')]"),
        new("out: pairs: <zip object at 0x7f3a2c1e5f40>"),
        ("lazy-iterator-printed",),
    ),
    Case("range printed", old("out: [0, 1, 2]"), new("out: range(0, 3)"), ("lazy-iterator-printed",)),
    Case("xrange printed", old("out: xrange(1, 4)"), new("out: range(1, 4)"), ("lazy-iterator-printed",)),
    Case(
        "dict keys printed, in another order",
        old("out: keys ['b', 'a']"),
        new("out: keys dict_keys(['a', 'b'])"),
        ("lazy-iterator-printed",),
    ),
    Case("near miss: another range", old("out: [0, 1, 2]"), new("out: range(0, 4)"), UNKNOWN),
    Case("near miss: other keys", old("out: keys ['b', 'c']"), new("out: keys dict_keys(['a', 'b'])"), UNKNOWN),
    Case(
        "near miss: a generator was a generator on Python 2",
        old("out: [2, 4]"),
        new("out: <generator object <genexpr> at 0x7f3a2c1e5f40>"),
        UNKNOWN,
    ),
    # lazy-iterator-used-as-list
    Case(
        "a map indexed",
        old("out: first: 2"),
        crash(exception="TypeError: 'map' object is not subscriptable"),
        ("lazy-iterator-used-as-list",),
    ),
    Case(
        "near miss: an int indexed",
        old("out: first: 2"),
        crash(exception="TypeError: 'int' object is not subscriptable"),
        UNKNOWN,
    ),
    # bytes-repr
    Case("bytes printed", old("out: HELLO WORLD"), new("out: b'HELLO WORLD'"), ("bytes-repr",)),
    Case("bytes in a list", old("out: ['ab', 'c']"), new("out: [b'ab', b'c']"), ("bytes-repr",)),
    Case("near miss: other bytes", old("out: HELLO"), new("out: b'HELLO WORLD'"), UNKNOWN),
    # bytes-str-mixed
    Case(
        "bytes and str mixed",
        old("out: sent 5 bytes"),
        crash(exception="TypeError: can't concat str to bytes"),
        ("bytes-str-mixed",),
    ),
    Case(
        "near miss: an int and a str mixed, as on Python 2",
        old("out: sent 5 bytes"),
        crash(exception="TypeError: unsupported operand type(s) for +: 'int' and 'str'"),
        UNKNOWN,
    ),
    # unicode-repr
    Case("u'' strings", old("out: [u'alice', u'bob']"), new("out: ['alice', 'bob']"), ("unicode-repr",)),
    Case("non-ASCII text", old("out: ['caf\\xc3\\xa9']"), new("out: ['café']"), ("unicode-repr",)),
    Case("near miss: other text", old("out: [u'alice']"), new("out: ['alicia']"), UNKNOWN),
    # long-suffix
    Case("L suffixes", old("out: sizes [4096L, 65536L]"), new("out: sizes [4096, 65536]"), ("long-suffix",)),
    Case("near miss: another number", old("out: sizes [4096L]"), new("out: sizes [4097]"), UNKNOWN),
    # float-str
    Case("12 digits", old("out: ratio 0.333333333333"), new("out: ratio 0.3333333333333333"), ("float-str",)),
    Case("near miss: fewer digits", old("out: ratio 0.333333333333"), new("out: ratio 0.3333333"), UNKNOWN),
    # vamei's queue example: print "%s(get):%s(put):%s" % (..., time.time()), each a reading of its own run
    Case(
        "time.time() in full",
        old("out: 20(get):12(put):<now>"),
        new("out: 20(get):12(put):<now, in full>"),
        ("float-str",),
    ),
    Case(
        "time.time() in full, from another worker",
        old("out: 4242(get):4243(put):<now>", roles={4241: MAIN, 4242: CHILD_1, 4243: CHILD_2}),
        new("out: 5001(get):5003(put):<now, in full>", roles={5000: MAIN, 5001: CHILD_1, 5003: CHILD_3}),
        ("float-str",),
        OWN,
    ),
    Case(
        "near miss: the pids differ too",
        old("out: 20(get):12(put):<now>"),
        new("out: 21(get):12(put):<now, in full>"),
        UNKNOWN,
    ),
    # round-half-even
    Case("round(2.5)", old("out: 2.5 rounds to 3.0"), new("out: 2.5 rounds to 2"), ("round-half-even",)),
    Case("round(0.125, 2)", old("out: share 0.13"), new("out: share 0.12"), ("round-half-even",)),
    Case("round(-2.5)", old("out: -3.0"), new("out: -2"), ("round-half-even",)),
    Case("near miss: to an odd digit", old("out: share 0.14"), new("out: share 0.13"), UNKNOWN),
    Case("near miss: away from zero in the port", old("out: share 0.12"), new("out: share 0.13"), UNKNOWN),
    # round-returns-int
    Case("round() returns an int", old("out: pages 4.0"), new("out: pages 4"), ("round-returns-int",)),
    Case("near miss: another int", old("out: pages 4.0"), new("out: pages 6"), UNKNOWN),
    # dict-order
    Case(
        "a dict in another order",
        old("out: {'pear': 2, 'apple': 1}"),
        new("out: {'apple': 1, 'pear': 2}"),
        ("dict-order",),
    ),
    Case(
        "a dict's lines in another order, by one process",
        old(("out: pear: 2", MAIN), ("out: apple: 1", MAIN), ("out: fig: 5", MAIN), ("out: done", MAIN)),
        new(("out: apple: 1", MAIN), ("out: fig: 5", MAIN), ("out: pear: 2", MAIN), ("out: done", MAIN)),
        ("dict-order",),
    ),
    Case(
        "a dict's lines in another order, their own scripts (the diff shows none)",
        old(("out: pear: 2", MAIN), ("out: apple: 1", MAIN), ("out: done", MAIN)),
        new(("out: apple: 1", MAIN), ("out: pear: 2", MAIN), ("out: done", MAIN)),
        ("dict-order",),
        OWN,
    ),
    Case(
        "near miss: a value changed", old("out: {'pear': 2, 'apple': 1}"), new("out: {'apple': 1, 'pear': 3}"), UNKNOWN
    ),
    Case(
        "near miss: lines in another order within one process, of two shapes (the diff shows none)",
        old(("out: pear: 2", MAIN), ("out: total 3", MAIN)),
        new(("out: total 3", MAIN), ("out: pear: 2", MAIN)),
        UNKNOWN,
        OWN,
    ),
    Case(
        "near miss: lines in another order, by two processes",
        old(("out: pear: 2", CHILD_1), ("out: apple: 1", CHILD_2), ("out: done", MAIN)),
        new(("out: apple: 1", CHILD_2), ("out: pear: 2", CHILD_1), ("out: done", MAIN)),
        UNKNOWN,
    ),
    Case(
        "near miss: lines of two shapes in another order",
        old(("out: pear: 2", MAIN), ("out: total 3", MAIN)),
        new(("out: total 3", MAIN), ("out: pear: 2", MAIN)),
        UNKNOWN,
    ),
    # set-order
    Case("a set", old("out: seen set(['b', 'a'])"), new("out: seen {'a', 'b'}"), ("set-order",)),
    Case("a frozenset", old("out: frozenset([3, 1])"), new("out: frozenset({1, 3})"), ("set-order",)),
    Case("near miss: another set", old("out: seen set(['b', 'a'])"), new("out: seen {'a', 'c'}"), UNKNOWN),
    # type-repr
    Case("a type", old("out: <type 'exceptions.ValueError'>"), new("out: <class 'ValueError'>"), ("type-repr",)),
    Case("a long's type", old("out: <type 'long'>"), new("out: <class 'int'>"), ("type-repr",)),
    Case("near miss: another type", old("out: <type 'int'>"), new("out: <class 'float'>"), UNKNOWN),
    # renamed-exception
    Case(
        "IOError with its errno",
        old("err: IOError: [Errno 2] No such file or directory: 'in.txt'"),
        new("err: FileNotFoundError: [Errno 2] No such file or directory: 'in.txt'"),
        ("renamed-exception",),
    ),
    Case(
        "IOError", old("out: caught IOError: read-only"), new("out: caught OSError: read-only"), ("renamed-exception",)
    ),
    Case(
        "near miss: another errno's subclass",
        old("err: IOError: [Errno 2] No such file or directory: 'in.txt'"),
        new("err: PermissionError: [Errno 2] No such file or directory: 'in.txt'"),
        UNKNOWN,
    ),
    Case("near miss: another exception", old("err: ValueError: bad"), new("err: TypeError: bad"), UNKNOWN),
    # changed-message
    Case(
        "an argument count",
        old("err: TypeError: work() takes exactly 2 arguments (1 given)"),
        new("err: TypeError: work() missing 1 required positional argument: 'n'"),
        ("changed-message",),
    ),
    Case(
        "a method's argument count",
        old("err: TypeError: run() takes exactly 1 argument (2 given)"),
        new("err: TypeError: Job.run() takes 1 positional argument but 2 were given"),
        ("changed-message",),
    ),
    Case(
        "a missing module, renamed and reworded",
        old("err: ImportError: No module named yaml"),
        new("err: ModuleNotFoundError: No module named 'yaml'"),
        ("renamed-exception", "changed-message"),
    ),
    Case(
        "a suggestion added",
        old("err: NameError: global name 'totl' is not defined"),
        new("err: NameError: name 'totl' is not defined. Did you mean: 'total'?"),
        ("changed-message",),
    ),
    Case(
        "near miss: another function",
        old("err: TypeError: work() takes exactly 2 arguments (1 given)"),
        new("err: TypeError: rest() missing 1 required positional argument: 'n'"),
        UNKNOWN,
    ),
    Case(
        "near miss: another count",
        old("err: TypeError: work() takes exactly 3 arguments (1 given)"),
        new("err: TypeError: work() missing 1 required positional argument: 'n'"),
        UNKNOWN,
    ),
    # mixed-type-ordering
    Case(
        "None sorted among ints",
        old("out: smallest: None"),
        crash(exception="TypeError: '<' not supported between instances of 'int' and 'NoneType'"),
        ("mixed-type-ordering",),
    ),
    Case(
        "near miss: another TypeError",
        old("out: smallest: None"),
        crash(exception="TypeError: 'NoneType' object is not iterable"),
        UNKNOWN,
    ),
    # python2-only-name
    Case(
        "iteritems",
        old("out: 3 words"),
        crash(exception="AttributeError: 'dict' object has no attribute 'iteritems'"),
        ("python2-only-name",),
    ),
    Case(
        "the Queue module",
        old("out: 3 words"),
        crash(exception="ModuleNotFoundError: No module named 'Queue'"),
        ("python2-only-name",),
    ),
    Case(
        "near miss: a name of the program's own",
        old("out: 3 words"),
        crash(exception="NameError: name 'wordcount' is not defined"),
        UNKNOWN,
    ),
    # process-repr-parent
    Case(
        "a Process printed",
        old("out: <Process(fetcher, stopped[1])>", roles={10: MAIN, 11: CHILD_1}),
        new("out: <Process name='fetcher' pid=21 parent=20 stopped exitcode=1>", roles={20: MAIN, 21: CHILD_1}),
        ("process-repr-parent",),
    ),
    Case(
        "a daemonic Process killed",
        old("out: <Process(Process-1, stopped[SIGTERM] daemon)>"),
        new("out: <Process name='Process-1' pid=21 parent=20 stopped exitcode=-SIGTERM daemon>"),
        ("process-repr-parent",),
    ),
    Case(
        "near miss: another status",
        old("out: <Process(fetcher, started)>"),
        new("out: <Process name='fetcher' pid=21 parent=20 stopped exitcode=0>"),
        UNKNOWN,
    ),
    # pool-worker-name
    Case(
        "a pool worker's name",
        old("out: PoolWorker-1 squared 3"),
        new("out: ForkPoolWorker-2 squared 3"),
        ("pool-worker-name",),
    ),
    Case(
        "an executor's worker's name under spawn",
        old("out: Process-1 squared 3"),
        new("out: SpawnProcess-1 squared 3", method="spawn"),
        ("pool-worker-name",),
    ),
    Case(
        "near miss: another start method's name",
        old("out: PoolWorker-1 squared 3"),
        new("out: SpawnPoolWorker-1 squared 3"),
        UNKNOWN,
    ),
    # sys-exit-none-in-child
    Case(
        "sys.exit() in a child",
        old("out: worker exit code: 1"),
        new("out: worker exit code: 0"),
        ("sys-exit-none-in-child",),
    ),
    Case(
        "near miss: on Python 3.8 it is still 1",
        old("out: worker exit code: 1"),
        new("out: worker exit code: 0", python="3.8.18"),
        UNKNOWN,
    ),
    Case("near miss: not an exit code", old("out: workers busy: 1"), new("out: workers busy: 0"), UNKNOWN),
    Case("near miss: another exit code", old("out: worker exit code: 2"), new("out: worker exit code: 0"), UNKNOWN),
    # unpicklable-under-spawn
    Case(
        "a lambda target under spawn",
        old("out: sum computed in child: 45", "out: child exit code: 0"),
        crash(exception="AttributeError: Can't get local object 'main.<locals>.<lambda>'", method="spawn"),
        ("unpicklable-under-spawn",),
    ),
    Case(
        "a thread lock under forkserver",
        old("out: done"),
        crash(exception="TypeError: cannot pickle '_thread.lock' object", method="forkserver"),
        ("unpicklable-under-spawn",),
    ),
    Case(
        "near miss: under fork nothing is pickled",
        old("out: done"),
        crash(exception="TypeError: cannot pickle '_thread.lock' object"),
        UNKNOWN,
    ),
    # unguarded-main-under-spawn
    Case(
        "no main guard, under spawn",
        old("out: {'Apple': 0.7}"),
        new(
            "err: Traceback (most recent call last):",
            "err: RuntimeError: ",
            "err:         An attempt has been made to start a new process before the",
            "err:         current process has finished its bootstrapping phase.",
            exit_code=1,
            method="spawn",
        ),
        ("unguarded-main-under-spawn",),
    ),
    Case(
        "near miss: another RuntimeError under spawn",
        old("out: {'Apple': 0.7}"),
        crash(exception="RuntimeError: dictionary changed size during iteration", method="spawn"),
        UNKNOWN,
    ),
    Case(
        "no main guard: the children print the top level's lines again, and die (Vamei's thread against process)",
        old(
            *vamei_main(100),
            ("out: ('process', 101)", CHILD_1),
            ("out: ('process', 102)", CHILD_2),
            roles=vamei_roles(100),
        ),
        new(
            *vamei_main(200),
            *vamei_child(201, CHILD_1),
            *vamei_child(202, CHILD_2),
            method="spawn",
            roles=vamei_roles(200),
        ),
        ("unguarded-main-under-spawn",),
    ),
    Case(
        "near miss: a child's line of a shape the main process never printed",
        old(*vamei_main(100), ("out: ('process', 101)", CHILD_1), roles=vamei_roles(100)),
        new(
            *vamei_main(200),
            *vamei_child(201, CHILD_1),
            ("out: worker 201 gave up", CHILD_1),
            method="spawn",
            roles=vamei_roles(200),
        ),
        ("unguarded-main-under-spawn", NO_KNOWN_CAUSE),
    ),
    # lock-into-task
    Case(
        "a lock passed into a task",
        old("out: Hello Num: 0"),
        crash(exception="RuntimeError: Lock objects should only be shared between processes through inheritance"),
        ("lock-into-task",),
    ),
    Case(
        "near miss: another RuntimeError",
        old("out: Hello Num: 0"),
        crash(exception="RuntimeError: cannot join current thread"),
        UNKNOWN,
    ),
    # getppid-under-forkserver
    Case(
        "os.getppid() under forkserver",
        old("out: Parent Process ID# 100", roles={100: MAIN, 101: CHILD_1}),
        new("out: Parent Process ID# 207", roles={200: MAIN, 201: CHILD_1, 207: "<helper pid>"}, method="forkserver"),
        ("getppid-under-forkserver",),
    ),
    Case(
        "near miss: under spawn",
        old("out: Parent Process ID# 100", roles={100: MAIN, 101: CHILD_1}),
        new("out: Parent Process ID# 207", roles={200: MAIN, 201: CHILD_1, 207: "<helper pid>"}, method="spawn"),
        UNKNOWN,
    ),
    Case(
        "near miss: the original named a child",
        old("out: Parent Process ID# 101", roles={100: MAIN, 101: CHILD_1}),
        new("out: Parent Process ID# 207", roles={200: MAIN, 201: CHILD_1, 207: "<helper pid>"}, method="forkserver"),
        UNKNOWN,
    ),
    # mp-main-name: the info() of multiprocessing's documentation, and a manager's object, under spawn
    Case(
        "a child's module name under spawn",
        old("out: function f", "out: module name: __main__", "out: hello bob"),
        new("out: function f", "out: module name: __mp_main__", "out: hello bob", method="spawn"),
        ("mp-main-name",),
    ),
    Case(
        "a manager's object under forkserver",
        old("out: <__main__.Foo object at 0x7f52ec8ef110>"),
        new("out: <__mp_main__.Foo object at 0x7f8811e07380>", method="forkserver"),
        ("mp-main-name",),
    ),
    Case(
        "near miss: __mp_main__ under fork is no start method's doing",
        old("out: module name: __main__"),
        new("out: module name: __mp_main__"),
        UNKNOWN,
    ),
    Case(
        "near miss: another module's name under spawn",
        old("out: module name: __main__"),
        new("out: module name: worker", method="spawn"),
        UNKNOWN,
    ),
    # unjoined-children-at-exit: the Lock example of multiprocessing's documentation starts ten children, never joins
    Case(
        "children started, never joined, under spawn",
        old("out: hello world 0", "out: hello world 1", "out: hello world 2"),
        new(*SEMAPHORE_GONE, *SEMAPHORE_GONE, method="spawn"),
        ("unjoined-children-at-exit",),
    ),
    Case(
        "near miss: the lock's semaphore gone under fork",
        old("out: hello world 0", "out: hello world 1", "out: hello world 2"),
        new(*SEMAPHORE_GONE),
        UNKNOWN,
    ),
    Case(
        "near miss: a file of the program's own not found under spawn",
        old("out: 3 lines read"),
        crash(exception="FileNotFoundError: [Errno 2] No such file or directory: 'input.txt'", method="spawn"),
        UNKNOWN,
    ),
    Case(
        "near miss: no such file, raised by no semaphore, under spawn",
        old("out: 3 lines read"),
        crash(exception="FileNotFoundError: [Errno 2] No such file or directory", method="spawn"),
        UNKNOWN,
    ),
    # pool-repr: CPython's mp_pool.py prints 'pool = %s' % pool
    Case(
        "a Pool printed",
        old("out: pool = <multiprocessing.pool.Pool object at 0x7fa6162c3150>"),
        new("out: pool = <multiprocessing.pool.Pool state=RUN pool_size=4>"),
        ("pool-repr",),
    ),
    Case(
        "near miss: a ThreadPool where a Pool was",
        old("out: pool = <multiprocessing.pool.Pool object at 0x7fa6162c3150>"),
        new("out: pool = <multiprocessing.pool.ThreadPool state=RUN pool_size=4>"),
        UNKNOWN,
    ),
    # changed-module-names: CPython's mp_newtype.py serves the operator module from a manager
    Case(
        "operator's names, and calls of what Python 3 removed",
        old(
            "out: op.add(23, 45) = 68",
            "out: op.getslice(range(10), 2, 6) = [2, 3, 4, 5]",
            "out: op.repeat(range(5), 3) = [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4]",
            f"out: op._exposed_ = {OPERATOR_2!r}",
        ),
        new("out: op.add(23, 45) = 68", f"out: op._exposed_ = {OPERATOR_3!r}"),
        ("changed-module-names",),
    ),
    Case(
        "near miss: a listing that lost a name operator kept",
        old(f"out: op._exposed_ = {OPERATOR_2!r}"),
        new(f"out: op._exposed_ = {tuple(name for name in OPERATOR_3 if name != 'add')!r}"),
        UNKNOWN,
    ),
    Case(
        "near miss: a call the port could still make, not printed",
        old("out: op.add(23, 45) = 68", "out: op.pow(2, 94) = 19807040628566084398385987584L"),
        new("out: op.add(23, 45) = 68"),
        UNKNOWN,
    ),
    # renamed-exception, where Python 3 names the program subprocess did not find
    Case(
        "a program not found by subprocess",
        old("err: OSError: [Errno 2] No such file or directory"),
        new("err: FileNotFoundError: [Errno 2] No such file or directory: 'nosuchcommand'"),
        ("renamed-exception",),
    ),
    Case(
        "near miss: another file named",
        old("err: IOError: [Errno 2] No such file or directory: 'a.txt'"),
        new("err: FileNotFoundError: [Errno 2] No such file or directory: 'b.txt'"),
        UNKNOWN,
    ),
    # bytes-str-mixed, a str given to a ctypes char (rpi-metro-display: Array(ctypes.c_char, sys.argv[3]))
    Case(
        "a str into a shared char array",
        old("out: showing station A01"),
        crash(exception="TypeError: one character bytes, bytearray or integer expected"),
        ("bytes-str-mixed",),
    ),
    Case(
        "near miss: an int wanted, a str given, as on Python 2",
        old("out: showing station A01"),
        crash(exception="TypeError: an integer is required"),
        UNKNOWN,
    ),
    # float-str against a format spec the port changed
    Case("near miss: a format spec, not str()", old("out: total: 6.0"), new("out: total: 6.00"), UNKNOWN),
    # bytes-item-is-int: a GDB remote packet's checksum, sum(ord(c) for c in data), over bytes
    Case(
        "ord() of an item of bytes",
        old("out: $qSupported#37"),
        crash(exception="TypeError: ord() expected string of length 1, but int found"),
        ("bytes-item-is-int",),
    ),
    Case(
        "near miss: ord() of two characters",
        old("out: $qSupported#37"),
        crash(exception="TypeError: ord() expected a character, but string of length 2 found"),
        UNKNOWN,
    ),
    # text-mode-read: a word count, print lines, words, chars, of a file with Windows line ends
    Case("a file read in text mode", old("out: 3 12 60"), new("out: 3 12 57"), ("text-mode-read",)),
    Case(
        "a binary file read in text mode",
        old("out: 4096 bytes"),
        crash(exception="UnicodeDecodeError: 'utf-8' codec can't decode byte 0xd0 in position 24: invalid start byte"),
        ("text-mode-read",),
    ),
    Case(
        "a file read in text mode, its lines said",
        old("out: 60 bytes, 3 lines"),
        new("out: 57 bytes, 3 lines"),
        ("text-mode-read",),
    ),
    Case("near miss: fewer by a count not shown", old("out: 3 12 60"), new("out: 3 12 58"), UNKNOWN),
    Case(
        "near miss: fewer by a number that counts no lines",
        old("out: worker 3 processed 10 items"),
        new("out: worker 3 processed 7 items"),
        UNKNOWN,
    ),
    Case(
        "near miss: two numbers fewer (multiprocess's workers example, which worker took which task)",
        old("out: \tProcess-2 says that plus(6, 8) = 14"),
        new("out: \t Process-2 says that plus(4, 8) = 12"),
        UNKNOWN,
    ),
    Case(
        "near miss: text that cannot be written, not read",
        old("out: caf\xc3\xa9"),
        crash(exception="UnicodeEncodeError: 'ascii' codec can't encode character '\\xe9' in position 3"),
        UNKNOWN,
    ),
    # range-compared-with-list
    Case(
        "a list compared with a range",
        old("out: all 10 results arrived"),
        new(*failed_assertion("assert sorted(results) == range(10)"), exit_code=1),
        ("range-compared-with-list",),
    ),
    Case(
        "near miss: an assertion about other things",
        old("out: all 10 results arrived"),
        new(*failed_assertion("assert len(results) == 10"), exit_code=1),
        UNKNOWN,
    ),
    # new-warning: multiprocessing_generator's own tests (2017), run by unittest on Python 3.13
    Case(
        "a deprecation warning new on Python 3, splitting unittest's progress",
        old("err: ......"),
        new(
            f"err: .....{MPGEN_TESTS}:57: DeprecationWarning: {UTCNOW_DEPRECATED}",
            "err:   t1 = datetime.datetime.utcnow()",
            f"err: {MPGEN_TESTS}:63: DeprecationWarning: {UTCNOW_DEPRECATED}",
            "err:   t2 = datetime.datetime.utcnow()",
            "err: .",
        ),
        ("new-warning",),
    ),
    Case(
        "near miss: a warning of the program's own",
        old("err: ......"),
        new(f"err: .....{MPGEN_TESTS}:57: UserWarning: slow test", "err:   warnings.warn('slow test')", "err: ."),
        UNKNOWN,
    ),
    # a crash reported by unittest: multiprocessing_generator's tests under spawn, its target a closure
    Case(
        "a crash in every test, as unittest reports it",
        old(*UNITTEST_OK),
        unittest_errors("AttributeError: Can't get local object 'ParallelGenerator.__init__.<locals>.wrapped'"),
        ("unpicklable-under-spawn",),
    ),
    Case(
        "near miss: a test that failed otherwise is the port's own",
        old(*UNITTEST_OK),
        unittest_errors(
            "AttributeError: Can't get local object 'ParallelGenerator.__init__.<locals>.wrapped'",
            "AssertionError: 3 != 4",
        ),
        ("unpicklable-under-spawn", NO_KNOWN_CAUSE),
    ),
    # several at once, and what no rule knows
    Case(
        "u'' keys, L values, another order",
        old("out: {u'pear': 2L, u'apple': 1L}"),
        new("out: {'apple': 1, 'pear': 2}"),
        ("unicode-repr", "long-suffix", "dict-order"),
    ),
    Case(
        "a change of the port's own beside a known one",
        old("out: average: 4", "out: items: 5"),
        new("out: average: 4.6", "out: items: 6"),
        ("true-division", NO_KNOWN_CAUSE),
    ),
    Case("a port's own bug", old("out: processed 10 items"), new("out: processed 9 items"), UNKNOWN),
    Case(
        "a port that hangs",
        old("out: started", "out: done"),
        new("out: started", exit_code=None),
        UNKNOWN,
    ),
]


def diagnosed(case: Case) -> Result:
    return compare("case", Port.MODERN, case.legacy, case.modern, case.policy)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_rule(case: Case) -> None:
    result = diagnosed(case)
    shown = [f"{index} {line.mark}{line.text}" for index, line in enumerate(result.diff)]
    said = [f"{d.rule} {d.lines}" for d in result.diagnoses]
    assert result.verdict is Verdict.DIFFERENT, "\n".join(shown)
    assert tuple(d.rule for d in result.diagnoses) == case.rules, "\n".join(shown + said)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_every_difference_is_diagnosed_and_nothing_else(case: Case) -> None:
    """Each line only one program printed is in a diagnosis, "no known cause" at worst; no other line is."""
    result = diagnosed(case)
    differences = {index for index, line in enumerate(result.diff) if line.mark in "-+"}
    named = {index for diagnosis in result.diagnoses for index in diagnosis.lines}
    assert named == differences
    unknown = [d for d in result.diagnoses if d.rule == NO_KNOWN_CAUSE]
    assert all(not d.fix and not d.link for d in unknown)
    assert all(d.cause and d.fix and d.link for d in result.diagnoses if d.rule != NO_KNOWN_CAUSE)


def test_every_rule_has_a_case_and_a_near_miss() -> None:
    fired = {rule for case in CASES for rule in case.rules}
    near_misses = {case.name for case in CASES if case.name.startswith("near miss")}
    across = {rule.id for rule in CAUSES if rule.alike_under_fork}  # a task's results, read together: tested below
    assert fired | across >= set(diagnose.RULE_IDS)
    assert len(near_misses) >= len(CAUSES)


def test_only_a_different_result_is_diagnosed() -> None:
    same = compare("case", Port.MODERN, old("out: 3"), new("out: 3"), PAIR)
    assert same.verdict is Verdict.IDENTICAL
    assert same.diagnoses == ()


LEGACY_ROLES = {4241: MAIN, 4242: CHILD_1}
MODERN_ROLES = {5000: MAIN, 5001: CHILD_1, 5120: "<helper pid>"}


def example_of(rule: Cause) -> Result:
    """The comparison of two runs that printed what the rule's example shows: "-" and " " lines the
    original, "+" and " " lines the port, under the example's start method and Python."""
    context: Context = rule.example_context
    sides: dict[str, list[str]] = {"-": [], "+": []}
    exit_codes = {"-": 0, "+": 0}
    for line in rule.example:
        for mark in ("-", "+") if line[0] == " " else (line[0],):
            if line[1:].startswith("exit code: "):
                exit_codes[mark] = int(line[1:].split(": ")[1])
            else:
                sides[mark].append(line[1:])
    release = ".".join(map(str, context.python)) + ".0"
    legacy = old(*sides["-"], roles=LEGACY_ROLES, exit_code=exit_codes["-"])
    modern = new(
        *sides["+"], roles=MODERN_ROLES, exit_code=exit_codes["+"], method=context.start_method, python=release
    )
    result = compare("example", Port.MODERN, legacy, modern, PAIR)
    if not rule.alike_under_fork:
        return result
    under_fork = compare("example", Port.MODERN, legacy, old(*sides["-"], roles=LEGACY_ROLES), PAIR)
    return across_start_methods([dataclasses.replace(under_fork, start_method="fork"), result])[1]


@pytest.mark.parametrize("rule", CAUSES, ids=lambda rule: rule.id)
def test_the_page_shows_what_each_rule_explains(rule: Cause) -> None:
    """Each rule's example on docs/diagnoses.md is what it explains, alone: the page cannot show a wrong one."""
    result = example_of(rule)
    differences = tuple(index for index, line in enumerate(result.diff) if line.mark in "-+")
    assert differences
    assert [(d.rule, d.lines) for d in result.diagnoses] == [(rule.id, differences)]


def test_rule_ids_are_kebab_case_and_links_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in CAUSES:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", rule.id), rule.id
        page, _, anchor = rule.link.partition("#")
        assert page in ("README.md", "docs/diagnoses.md")
        assert f'id="{anchor}"' in (readme if page == "README.md" else causes_markdown())


def test_docs_page_is_current() -> None:
    page = (ROOT / "docs" / "diagnoses.md").read_text(encoding="utf-8")
    assert page == causes_markdown(), "docs/diagnoses.md is stale: python -m portcheck.diagnose > docs/diagnoses.md"


def test_a_mechanical_port_differs_for_the_reasons_its_data_names() -> None:
    legacy = old("out: Parent Process ID# 100", roles={100: MAIN, 101: CHILD_1})
    modern = new("out: Parent Process ID# 207", roles={200: MAIN, 207: "<helper pid>"}, method="forkserver")
    result = compare("sleeper", Port.MECHANICAL, legacy, modern, PAIR)
    expected = Result(**{**result.__dict__, "expected": Verdict.DIFFERENT, "expected_why": "os.getppid()"})
    named = Result(**{**expected.__dict__, "expected_diagnoses": ("getppid-under-forkserver",)})
    other = Result(**{**expected.__dict__, "expected_diagnoses": ("true-division",)})
    assert expected.as_expected
    assert named.as_expected
    assert not other.as_expected
    assert other.fails


def test_many_lines_are_diagnosed_quickly() -> None:
    """A long diff of lines no rule explains is still diagnosed, in bounded time."""
    legacy = old(*(f"out: line {n} of the original" for n in range(400)))
    modern = new(*(f"out: line {n} of the port" for n in range(400)))
    result = compare("case", Port.MODERN, legacy, modern, PAIR)
    assert [d.rule for d in result.diagnoses] == [NO_KNOWN_CAUSE]


def test_a_rule_left_out_names_nothing_and_its_lines_stay_unexplained(monkeypatch: pytest.MonkeyPatch) -> None:
    result = compare("case", Port.MODERN, old("out: a", "out: b"), new("out: a", "out:  b"), PAIR)
    assert [d.rule for d in result.diagnoses] == ["print-softspace"]
    only = [rule for rule in CAUSES if rule.id == "true-division"]
    monkeypatch.setattr(diagnose, "CAUSES", tuple(only))
    again = compare("case", Port.MODERN, old("out: a", "out: b"), new("out: a", "out:  b"), PAIR)
    assert [d.rule for d in again.diagnoses] == [NO_KNOWN_CAUSE]


def results_of_deco_free(fork: Observation, spawn: Observation, **spawned: object) -> list[Result]:
    """deco's free-function example: the parent appends 210 to a module's list after import, a pool task prints it."""
    original = old("out: [90, 210]")
    return [
        compare("free", Port.MODERN, original, fork, PAIR),
        dataclasses.replace(compare("free", Port.MODERN, original, spawn, PAIR), **spawned),
    ]


def test_a_difference_only_where_children_import_the_main_module_is_state_not_inherited() -> None:
    fork, spawn = across_start_methods(results_of_deco_free(new("out: [90, 210]"), new("out: [90]", method="spawn")))
    assert fork.verdict is Verdict.IDENTICAL
    differences = tuple(index for index, line in enumerate(spawn.diff) if line.mark in "-+")
    assert [(d.rule, d.lines) for d in spawn.diagnoses] == [("state-not-inherited", differences)]


@pytest.mark.parametrize(
    ("fork", "spawn", "spawned"),
    [
        (new("out: [90]"), new("out: [90]", method="spawn"), {}),  # under fork too: the porter's edit
        (new("out: [90, 210]"), new("out: [90]", method="spawn", exit_code=1), {}),  # it crashed
        (new("out: [90, 210]"), new("out: [90]", method="spawn"), {"crashes": ("new.py crashed",)}),
    ],
    ids=["different under fork as well", "another exit code", "a crash"],
)
def test_near_misses_of_state_not_inherited(fork: Observation, spawn: Observation, spawned: dict) -> None:
    results = across_start_methods(results_of_deco_free(fork, spawn, **spawned))
    assert "state-not-inherited" not in {d.rule for result in results for d in result.diagnoses}


def timed(*seconds: str, port: bool = False) -> list[Observation]:
    """multiprocess's pool example: print '\t\t%s seconds' % (time.time() - t), one observation per run."""
    made = new if port else old
    return [made(f"out: \t\t{taken} seconds") for taken in seconds]


def judged(legacy: list[Observation], port: list[Observation]) -> Result:
    policy = Policy()
    keys = lambda runs, is_legacy: [[e.key for e in transcript(run, policy, is_legacy).entries] for run in runs]  # noqa: E731
    noise = chance.noise_of(keys(legacy, True)).with_port(keys(port, False))
    return compare("ex_pool", Port.MODERN, legacy[0], port[0], policy, noise)


def test_a_varying_float_the_port_prints_in_full_is_float_str() -> None:
    result = judged(
        timed("0.0304911136627", "0.120226860046", "0.135792016983"),
        timed("0.04702568054199219", "0.08222532272338867", "0.0833287239074707", port=True),
    )
    assert result.verdict is Verdict.DIFFERENT
    assert [d.rule for d in result.diagnoses] == ["float-str"]


def test_near_miss_a_varying_float_printed_with_as_many_digits_is_chance_not_float_str() -> None:
    result = judged(
        timed("0.0304911136627", "0.120226860046", "0.135792016983"),
        timed("0.047025680542", "0.0822253227234", "0.0833287239075", port=True),
    )
    assert result.verdict is Verdict.EQUIVALENT
    assert result.diagnoses == ()
