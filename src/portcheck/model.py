"""The types every stage shares: what a run did, what may differ, and what a comparison found.

Program      one program to run: a script or a module, on one Python, under one start method
Observation  what one run did: its exit, each line with the process that printed it, the files
             it changed, the processes it left behind (observe.py makes it)
Policy       what may differ between two observations: a pair's declarations, or, for one's own
             scripts, the relaxations learned from the programs themselves (tasks.py makes it)
Task         one legacy program against its ports, each a Program, with its Policy (tasks.py makes it)
Plan         the Tasks of one command, and how to carry them out (plan.py makes it; engine.py carries it out)
Result       one comparison, immutable: the verdict, each relaxation with its reason, the diff of
             what the two programs really printed (verdict.py makes it; publish/ reads it)
Diagnosis    a known Python 2 -> 3 change that explains lines of a different result's diff, or "no
             known cause" for the lines none explains (diagnose/ makes them)
exit_status  what the Results of a command mean for its exit status
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from pathlib import Path

OUTPUT_LIMIT = 16 * 2**20  # bytes a run may print, stdout and stderr together, and write to any one file
NO_KNOWN_CAUSE = "no-known-cause"  # the rule of lines that no known Python 2 -> 3 change explains


class ToolError(Exception):
    """A problem with what the tool was asked to do, told in one line."""


class Verdict(str, enum.Enum):
    """What a comparison found, in the words the reports use."""

    IDENTICAL = "identical"
    EQUIVALENT = "equivalent"
    DECLARED = "declared differences"
    DIFFERENT = "different"
    NOT_APPLICABLE = "not applicable"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


class Port(str, enum.Enum):
    """Which port of the legacy program a result compares it with, in the words the JSON uses."""

    MODERN = "modern"  # the hand-written port
    MECHANICAL = "mechanical"  # the legacy program as 2to3 converts it

    def __str__(self) -> str:
        return self.value


ALIKE = (Verdict.IDENTICAL, Verdict.EQUIVALENT, Verdict.DECLARED)
WORST_FIRST = (
    Verdict.ERROR,
    Verdict.DIFFERENT,
    Verdict.DECLARED,
    Verdict.EQUIVALENT,
    Verdict.IDENTICAL,
    Verdict.NOT_APPLICABLE,
)


def worst(verdicts: list[Verdict]) -> Verdict:
    """The verdict that speaks for several: the worst of them; "not applicable" only if all are."""
    return next((verdict for verdict in WORST_FIRST if verdict in verdicts), Verdict.NOT_APPLICABLE)


@dataclass(frozen=True)
class Interrupt:
    """Send `signal` to the program's whole process group, as a terminal's Ctrl-C does, once a
    stdout line matches `after`."""

    after: str
    signal: str = "SIGINT"


@dataclass(frozen=True)
class Interpreter:
    """A real Python executable (a pyenv shim resolved to what it runs) and its version."""

    executable: str
    version: tuple[int, int, int]

    @property
    def release(self) -> str:
        return ".".join(map(str, self.version))

    @property
    def minor(self) -> tuple[int, int]:
        return self.version[:2]

    @property
    def label(self) -> str:
        return f"Python {self.version[0]}.{self.version[1]}"


@dataclass(frozen=True)
class Program:
    """One program to run, and how: as `python SCRIPT ARGS` (or `python -m MODULE ARGS`) runs it.

    Each run happens from `workspace`, its working directory, in the sandbox (or, without one, in a copy
    of it); a script inside `workspace` runs from there, any other where it is. `shown` names it in reports.
    """

    shown: str
    python: Interpreter
    workspace: Path
    script: Path | None = None
    module: str | None = None
    start_method: str | None = None  # None: run directly (Python 2.7), else through the launcher
    arguments: tuple[str, ...] = ()
    stdin: Path | None = None
    environment: tuple[tuple[str, str], ...] = ()
    timeout: float = 30.0
    interrupt: Interrupt | None = None
    convert: bool = False  # run its mechanical port (2to3), made for the run, instead of itself
    limit: int = OUTPUT_LIMIT  # bytes of output a run may print, and of any file it writes, before it is stopped

    @property
    def label(self) -> str:
        method = f" under {self.start_method}" if self.start_method else ""
        return f"{self.shown} on {self.python.label}{method}"


@dataclass(frozen=True)
class Line:
    """A line of what a run did: printed on stdout ("out") or stderr ("err"), or of a file it wrote ("file").

    `owner` is the role of the process that printed it (see observe.py), None when not known.
    """

    stream: str
    text: str
    owner: str | None = None

    @property
    def shown(self) -> str:
        return f"{self.stream}: {self.text}"


@dataclass(frozen=True)
class Observation:
    """What one run of a program did, as it did it: nothing here is normalised."""

    label: str
    python: str  # its release, "2.7.18"
    exit_code: int | None  # None: killed after its timeout
    timeout: float
    lines: tuple[Line, ...]  # stdout, then stderr, then the files it created, changed or deleted
    roles: tuple[tuple[int, str], ...] = ()  # every process of the run, and its role: "<main pid>", "<pid 1>", ...
    leftovers: int = 0  # processes still alive after the program's own process had exited, killed
    substitutions: tuple[tuple[str, str], ...] = ()  # paths of the run itself, and what they stand for
    seconds: float = 0.0
    source: str = "live"  # "live", "cached" (a live run made earlier by this test command) or "recorded"
    interrupted: bool = False  # whether the harness sent it the interrupt its program asks for
    stopped: str = ""  # why the run was stopped before its end, other than its timeout: a limit it passed
    started: float = 0.0  # when it started, in seconds since the epoch (0: not known, as in older recordings)

    @property
    def timed_out(self) -> bool:
        return self.exit_code is None and not self.stopped


@dataclass(frozen=True)
class Difference:
    """A difference between Python 2 and 3 that no faithful program can hide: `legacy` text becomes `modern`."""

    legacy: str
    modern: str
    why: str


@dataclass(frozen=True)
class Policy:
    """What may differ between a legacy and a modern observation.

    `streams` are normalisation: each pattern (with what its groups capture) names lines that one
    process prints in order, unsynchronised with the others, so the order between streams is open.
    `differences`, `vary` and `unordered` are declared: they apply to the text as printed. `learn`
    allows the relaxations learned from the programs themselves (relax.py); a reference whose
    programs are written to be deterministic turns it off.
    """

    streams: tuple[str, ...] = ()
    differences: tuple[Difference, ...] = ()
    vary: tuple[str, ...] = ()
    unordered: tuple[str, ...] = ()
    learn: bool = True


@dataclass(frozen=True)
class Task:
    """One legacy program against its modern port under each start method, and against its mechanical port."""

    name: str
    legacy: Program | None  # None: no Python 2.7 here, the recording stands for it
    modern: tuple[Program, ...]
    mechanical: tuple[Program, ...] = ()
    policy: Policy = field(default_factory=Policy)
    not_applicable: tuple[tuple[str, str], ...] = ()  # (start method, why) where the port does not apply
    expected: tuple[tuple[str, Verdict, str], ...] = ()  # the mechanical port's expected verdict, where it has one
    expected_diagnoses: tuple[str, ...] = ()  # the rules that explain its expected differences (diagnose/)
    recording: Path | None = None  # the legacy runs recorded on Python 2.7, for a machine without one
    inputs: tuple[tuple[str, str], ...] = ()  # what its legacy runs depend on, where they may be recorded
    mechanical_binds: bool = True  # whether the mechanical port's verdicts decide the exit status
    skip: str = ""
    sources: tuple[Path | None, Path | None] = (None, None)  # the two scripts, to show side by side
    missing: str = ""  # the program lacks its legacy or its modern side: why there is no comparison
    error: str = ""  # what makes the comparison impossible (a script that is not Python)


@dataclass(frozen=True)
class Plan:
    tasks: tuple[Task, ...]
    python2: Interpreter | None
    python3: Interpreter
    start_methods: tuple[str, ...]
    jobs: int
    code_base: bool  # several programs, a row each; else one comparison shown whole
    mechanical_note: str = ""  # why no mechanical port is made, when none is
    notes: tuple[str, ...] = ()  # what the user should know before reading the results
    not_isolated: str = ""  # why the runs happen in copies, not in the sandbox (sandbox.py); empty in it
    whole: tuple[str, ...] = ()  # every program of the code base, this shard's and the others'
    stale: tuple[str, ...] = ()  # the programs whose recordings read in place of Python 2.7 are out of date
    shard: tuple[int, int] = (1, 1)  # which part of them its tasks are: the I-th of N


@dataclass(frozen=True)
class Declaration:
    """A declaration and how many lines it applied to; one that applies to none says so."""

    said: str  # as the user or the data said it: "--vary REGEX", "'IOError' -> 'OSError'"
    why: str
    lines: int


@dataclass(frozen=True)
class Relaxation:
    """What a relaxation accepted, on how many lines, and why that is the same behaviour."""

    rule: str
    reason: str
    lines: int


@dataclass(frozen=True)
class DiffLine:
    """A line of the diff as shown: " " the same, "-" legacy only, "+" modern only, "~" accepted by a
    relaxation (shown as the modern program printed it, `note` says what the legacy one printed and why),
    "@" a hunk header."""

    mark: str
    text: str
    note: str = ""


@dataclass(frozen=True)
class Diagnosis:
    """Why lines of a result's diff differ: a rule of diagnose/, or NO_KNOWN_CAUSE for lines no rule explains."""

    rule: str  # "true-division", ...; "no-known-cause"
    lines: tuple[int, ...]  # the lines of the result's diff it explains, by their index in `diff`
    cause: str  # one line: the change from Python 2 to 3
    fix: str  # one line: what to write instead
    link: str  # where it is taught: "README.md#pitfall-1", "docs/diagnoses.md#true-division"

    def said(self) -> str:
        """As the text report says it: the cause, its rule, the fix, and where it is taught (on the site: an
        installed tool has neither the README nor docs/)."""
        if self.rule == NO_KNOWN_CAUSE:
            what = f"{len(self.lines)} line(s)" if self.lines else "the order of the lines"
            return f"no known cause for {what} [{self.rule}]"
        return f"cause: {self.cause} [{self.rule}] fix: {self.fix} see {SITE}/{site_page(self.link)}"


SITE = "https://multiprocessing-twins.github.io/multiprocessing-twins"  # [project.urls] Documentation


def site_page(link: str) -> str:
    """A link into the repository's documents ("README.md#pitfall-1", "docs/diagnoses.md#true-division") as the
    site's page that shows the same ("pitfalls.html#pitfall-1", "diagnoses.html#true-division")."""
    page = re.sub(r"^(?:README|docs/pitfalls)\.md#pitfall-", "pitfalls.html#pitfall-", link)
    return re.sub(r"^docs/([\w-]+)\.md#", r"\1.html#", page)


@dataclass(frozen=True)
class Result:
    """One comparison: a legacy observation against a modern one (or why there is none), and the verdict."""

    name: str  # the pair, or the program
    kind: Port
    python: str  # the modern side's Python release
    start_method: str
    verdict: Verdict
    legacy: Observation | None = None
    modern: Observation | None = None
    declared: tuple[Declaration, ...] = ()
    relaxed: tuple[Relaxation, ...] = ()
    diff: tuple[DiffLine, ...] = ()
    hint: str = ""  # for a difference of order only: the declaration that would accept it
    note: str = ""  # why it was not compared: not applicable, or the error
    crashes: tuple[str, ...] = ()  # one line per crash behind a difference
    expected: Verdict | None = None  # for a mechanical port: the verdict its data expects
    expected_why: str = ""
    findings: tuple[str, ...] = field(default=())  # what the lint finds in a mechanical port
    binds: bool = True  # whether it decides the run's exit status (a code base's 2to3 column only informs)
    diagnoses: tuple[Diagnosis, ...] = ()  # for "different": the known cause of each difference, or none
    expected_diagnoses: tuple[str, ...] = ()  # for a mechanical port expected to differ: the rules its data names
    evidence: tuple[str, ...] = ()  # for "different": what both sides' own runs showed where chance did not explain it

    @property
    def diagnosed(self) -> tuple[str, ...]:
        """The rules its diagnoses name, in order, "no-known-cause" included."""
        return tuple(dict.fromkeys(diagnosis.rule for diagnosis in self.diagnoses))

    @property
    def as_expected(self) -> bool:
        if self.expected is None:
            return True
        if self.verdict is not self.expected:
            return False
        # a port expected to differ must differ for the reasons its data names, and for no other
        return not self.expected_diagnoses or set(self.diagnosed) == set(self.expected_diagnoses)

    @property
    def fails(self) -> bool:
        """Whether this result makes the run fail: a difference nobody expected, or an error."""
        if not self.binds:
            return False
        if self.verdict is Verdict.ERROR:
            return True
        if self.expected is not None:
            return not self.as_expected
        return self.verdict is Verdict.DIFFERENT


def exit_status(results: list[Result]) -> int:
    """2 when a comparison could not be made, 1 when one fails, else 0 (the command's --help says so)."""
    if any(result.verdict is Verdict.ERROR for result in results):
        return 2
    return 1 if any(result.fails for result in results) else 0
