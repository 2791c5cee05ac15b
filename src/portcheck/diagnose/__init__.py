"""Why a port printed something else: each difference of a "different" result, matched against the
changes from Python 2 to 3 that are known to make it, or said to have no known cause.

A result's diff (verdict.py) shows the lines only the legacy program printed ("-") and those only
its port printed ("+"). Each rule (a Cause) is one change of the language or of multiprocessing,
and says exactly what that change does to what a program prints:

- most rules rewrite a pair of lines, one "-" and one "+", undoing their change and nothing else
  (true division: each number n of the legacy line that the modern line shows as a float that
  floors to n). A pair is explained when at most MOST_RULES_PER_PAIR rules make its two lines the
  same, and each rule named was needed to (search.py);
- print-softspace also matches a run of lines that the print statement's trailing comma joined or
  split, and dict-order lines that came in another order from one loop of one process;
- crash rules match an exception the port raised and its original did not (a pickling error
  under spawn); they explain that traceback, the exit code that goes with it, and the legacy
  lines the port never reached.

Lines are matched in the forms the comparison used (normalise.py): the pair's declared
differences and --vary applied, each pid as its role, memory addresses as 0x<address>, the run's
own paths as <dir> and <script>; and what the comparison leaves to chance for one's own scripts
(which worker ran a task, a field the legacy runs varied in) is chance here too. What no rule
explains is "no known cause": a rule fires on the difference its change makes, never on a
resemblance.

The rules live by family, each `Cause(...)` beside the code that matches its lines: numbers,
printing, order, exceptions (with the table of reworded messages, messages.py), processes,
bytes_text and modules; text.py reads what was printed. docs/diagnoses.md is made from their
data (docs.py): python -m portcheck.diagnose > docs/diagnoses.md
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

from portcheck.chance import Noise
from portcheck.diagnose import bytes_text, exceptions, modules, numbers, order, printing, processes
from portcheck.diagnose.cause import Cause, Context
from portcheck.diagnose.search import Compared, Diagnoser
from portcheck.model import ALIKE, NO_KNOWN_CAUSE, Diagnosis, Policy, Result, Verdict

# The rules in the order they are tried and listed: where two explain the same lines, the first is named first.
CAUSES: tuple[Cause, ...] = (
    numbers.TRUE_DIVISION,
    printing.PRINT_SOFTSPACE,
    printing.PRINT_TUPLE,
    printing.LAZY_ITERATOR_PRINTED,
    printing.LAZY_ITERATOR_USED_AS_LIST,
    bytes_text.BYTES_REPR,
    bytes_text.BYTES_STR_MIXED,
    bytes_text.UNICODE_REPR,
    numbers.LONG_SUFFIX,
    numbers.FLOAT_STR,
    numbers.ROUND_HALF_EVEN,
    numbers.ROUND_RETURNS_INT,
    order.DICT_ORDER,
    order.SET_ORDER,
    printing.TYPE_REPR,
    exceptions.RENAMED_EXCEPTION,
    exceptions.CHANGED_MESSAGE,
    order.MIXED_TYPE_ORDERING,
    modules.PYTHON2_ONLY_NAME,
    modules.CHANGED_MODULE_NAMES,
    processes.PROCESS_REPR_PARENT,
    processes.POOL_WORKER_NAME,
    processes.SYS_EXIT_NONE_IN_CHILD,
    processes.UNPICKLABLE_UNDER_SPAWN,
    processes.UNGUARDED_MAIN_UNDER_SPAWN,
    processes.LOCK_INTO_TASK,
    processes.GETPPID_UNDER_FORKSERVER,
    processes.MP_MAIN_NAME,
    processes.POOL_REPR,
    processes.UNJOINED_AT_EXIT,
    bytes_text.BYTES_ITEM_IS_INT,
    bytes_text.TEXT_MODE_READ,
    printing.RANGE_COMPARED_WITH_LIST,
    modules.NEW_WARNING,
    processes.STATE_NOT_INHERITED,
)
RULE_IDS = tuple(cause.id for cause in CAUSES)


def diagnose(
    result: Result,
    compared: Compared,
    policy: Policy,
    noise: Noise | None = None,
    causes: Sequence[Cause] | None = None,
) -> tuple[Diagnosis, ...]:
    """The diagnoses of a "different" result: each rule that explains lines of its diff, with those lines,
    then "no known cause" for the lines none explains; () for any other verdict.

    `compared`, `policy` and `noise` are the comparison's (verdict.compare): its lines are matched in the
    forms it compared them in, and what it leaves to chance is chance here too."""
    if result.verdict is not Verdict.DIFFERENT or result.legacy is None or result.modern is None:
        return ()
    return Diagnoser(result, compared, CAUSES if causes is None else causes, policy, noise).diagnoses()


def across_start_methods(results: list[Result]) -> list[Result]:
    """A task's results with what only reading them together shows: a port whose run differs only under spawn
    and forkserver, alike under fork, without a crash, for no cause a rule names (STATE_NOT_INHERITED)."""
    rule = processes.STATE_NOT_INHERITED
    alike = {result.kind for result in results if result.start_method == "fork" and result.verdict in ALIKE}
    found = []
    for result in results:
        unknown = [d for d in result.diagnoses if d.rule == NO_KNOWN_CAUSE]
        if (
            result.kind in alike
            and result.start_method in rule.start_methods
            and result.verdict is Verdict.DIFFERENT
            and not result.crashes
            and result.legacy is not None
            and result.modern is not None
            and result.modern.exit_code == result.legacy.exit_code
            and unknown
            and len(unknown) == len(result.diagnoses)
        ):
            lines = tuple(sorted({line for diagnosis in unknown for line in diagnosis.lines}))
            named = Diagnosis(rule.id, lines, rule.change, rule.fix, rule.link)
            result = dataclasses.replace(result, diagnoses=(named,))
        found.append(result)
    return found


__all__ = ["CAUSES", "NO_KNOWN_CAUSE", "RULE_IDS", "Cause", "Compared", "Context", "across_start_methods", "diagnose"]
