"""`portcheck record [NAME ...]`: each legacy program of the code base run on Python 2.7, its runs written to
the configuration's recordings directory, to commit, so that a machine without Python 2.7 (a CI runner)
compares the ports with them (recordings.py says what one holds).
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from portcheck import recordings
from portcheck.cli import OneLineErrors
from portcheck.engine import MOST_RUNS, finished
from portcheck.interpreters import HOW_TO_GIVE_PYTHON2
from portcheck.model import ToolError
from portcheck.observe import observe
from portcheck.plan import Request, plan


def parser() -> OneLineErrors:
    parser = OneLineErrors(prog="portcheck record", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="programs of the code base (default: every one)")
    parser.add_argument("--python2", metavar="PATH", help="Python 2.7 (default: $LEGACY_PYTHON, or found)")
    parser.add_argument(
        "--jobs", type=int, default=2 * (os.cpu_count() or 1), help="runs at once (default %(default)s)"
    )
    return parser


def main(argv: list[str]) -> int:
    arguments = parser().parse_args(argv)
    try:
        return record(Request(names=tuple(arguments.names), python2=arguments.python2, jobs=max(1, arguments.jobs)))
    except ToolError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def record(request: Request) -> int:
    planned = plan(dataclasses.replace(request, start_methods=("fork",), mechanical=False))
    if planned.python2 is None:
        raise ToolError(f"no Python 2.7 found to record with: {HOW_TO_GIVE_PYTHON2}")
    if any(task.recording is None for task in planned.tasks):
        raise ToolError('the configuration names no directory to record in: add recordings = "recordings" to it')
    failed = 0
    with ThreadPoolExecutor(max_workers=request.jobs) as pool:
        for task in planned.tasks:
            assert task.recording is not None
            if task.legacy is None or task.skip or task.error:
                print(f"{task.name}: not recorded ({task.skip or task.error or task.missing})")
                continue
            started = time.monotonic()
            count = MOST_RUNS if task.policy.learn else 1  # as many as chance may ask of the original
            runs = finished([pool.submit(observe, task.legacy, number) for number in range(1, count + 1)])
            if len(runs) < count:
                print(f"{task.name}: not recorded: {count - len(runs)} of its {count} runs hung or were stopped")
                failed = 1
                continue
            recordings.write(task.recording, runs, task.inputs)
            seconds = time.monotonic() - started
            print(f"{task.name}: {count} run(s) recorded in {task.recording} ({seconds:.1f} s)")
    return failed
