"""Compare Python 2 programs with their Python 3 ports, by what they do.

  portcheck --legacy OLD.py --modern NEW.py [OPTIONS] [-- ARGUMENTS ...]
                       your script on Python 2.7 against your port on this Python, under each
                       start method (-m PACKAGE.MODULE in place of a script runs a module)
  portcheck --legacy OLD.py [OPTIONS] [-- ARGUMENTS ...]
                       your script against its mechanical port: is 2to3 enough?
  portcheck OLD_DIR NEW_DIR [NAME ...] [OPTIONS]
                       a code base: every program of OLD_DIR (a script with a __main__ guard)
                       against the file at the same path in NEW_DIR, a row each and a summary
                       (one NAME, such as jobs/report, shows that comparison whole);
                       a portcheck.toml (or [tool.portcheck] in pyproject.toml) where you stand
                       says how each is run and what may differ (docs/porting.md)
  portcheck [NAME ...] the code base a portcheck.toml names (a clone of this repository has one):
                       every program, or those NAMEs; one NAME shows that comparison whole
  portcheck record [NAME ...]
                       where Python 2.7 is: the code base's legacy runs written to its recordings
                       directory, to commit; where it is not, a compare reads them instead
  portcheck merge OUT FILE ...
                       several --json files (shards, or one per Python) as one, and its report
  portcheck lint PATH ...
                       the pitfalls, as checks on Python 3 code (portcheck lint --help)

Options come before `--`; everything after it goes to both programs as their arguments.

Exit status: 0 when every comparison is identical, equivalent or differs only as declared (a
mechanical port: as its data expects); 1 when something differs, a port that hangs or crashes
where its original does not included (the crash said in one line on stderr); 2 on bad input,
a legacy program that hangs, or a run that could not be made (said in one line on stderr);
130 on Ctrl-C or SIGTERM, after killing every program it started; 141 when what reads its output
stops reading (`| head`), after the same.
"""

from __future__ import annotations

import argparse
import os
import re
import select
import signal
import stat
import sys
import time
from pathlib import Path
from typing import NoReturn

from portcheck import __version__
from portcheck.config import TIMEOUT_VARIABLE
from portcheck.engine import execute
from portcheck.interpreters import LEGACY_PYTHON_VARIABLE
from portcheck.model import OUTPUT_LIMIT, ToolError, exit_status
from portcheck.plan import Request, plan
from portcheck.publish import json as json_results
from portcheck.publish import text
from portcheck.running import (
    START_METHODS,
    let_programs_see_ctrl_c,
    show_undecodable_bytes_escaped,
    stop_on_signals,
)

OPTIONS_WITH_VALUES = ("--legacy", "--modern")


class OneLineErrors(argparse.ArgumentParser):
    """argparse, saying a bad command line in one line rather than usage and error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def parser() -> OneLineErrors:
    parser = OneLineErrors(
        prog="portcheck",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"portcheck {__version__}")
    parser.add_argument("names", nargs="*", metavar="NAME", help="programs of the code base, by name or path")
    parser.add_argument("--legacy", metavar="OLD.py", help="your Python 2 script (or -m MODULE)")
    parser.add_argument("--modern", metavar="NEW.py", help="your Python 3 port of it (or -m MODULE)")
    parser.add_argument("--python2", metavar="PATH", help=f"Python 2 (default: ${LEGACY_PYTHON_VARIABLE}, or found)")
    parser.add_argument("--python3", metavar="PATH", help="Python 3 for the ports (default: this one)")
    parser.add_argument("--start-methods", default=",".join(START_METHODS), metavar="M,M", help="default: %(default)s")
    parser.add_argument("--timeout", type=float, help=f"seconds for each run (default 30, or ${TIMEOUT_VARIABLE})")
    parser.add_argument(
        "--limit",
        type=float,
        default=OUTPUT_LIMIT / 2**20,
        metavar="MIB",
        help="MiB each run may print, and write to a file (default %(default)g)",
    )
    parser.add_argument(
        "--jobs", type=int, default=2 * (os.cpu_count() or 1), help="programs run at once (default %(default)s)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every comparison to FILE, as JSON")
    parser.add_argument("-q", "--quiet", action="store_true", help="only the summary line, and what fails")
    parser.add_argument("--shard", metavar="I/N", help="of a code base's programs, compare only the I-th of N parts")
    parser.add_argument(
        "--strict", action="store_true", help="leave nothing to chance: no relaxation learned from the programs' runs"
    )
    parser.add_argument(
        "--no-2to3", dest="mechanical", action="store_false", help="a code base, or --modern: no 2to3 column"
    )
    own = parser.add_argument_group("for your own scripts")
    own.add_argument("--stdin", metavar="FILE", help="give both programs FILE as standard input (- for this one's)")
    own.add_argument("--vary", action="append", default=[], metavar="REGEX", help="text that may differ (repeatable)")
    own.add_argument(
        "--unordered", action="append", default=[], metavar="REGEX", help="lines that may come in any order"
    )
    return parser


def parse(argv: list[str]) -> argparse.Namespace:
    split = argv.index("--") if "--" in argv else len(argv)
    ours, theirs = list(argv[:split]), list(argv[split + 1 :])
    for index in range(len(ours) - 2, -1, -1):  # --legacy -m pkg.main: a module, not an option
        if ours[index] in OPTIONS_WITH_VALUES and ours[index + 1] == "-m" and index + 2 < len(ours):
            ours[index : index + 3] = [f"{ours[index]}=-m {ours[index + 2]}"]
    options = parser()
    arguments = options.parse_args(ours)
    arguments.program_arguments = theirs
    for pattern in arguments.vary + arguments.unordered:
        try:
            re.compile(pattern)
        except re.error as exc:
            options.error(f"not a regular expression: {pattern!r} ({exc})")
    mistaken = [given for given in theirs if given.split("=")[0] in options._option_string_actions]
    if mistaken:
        print(
            f"note: {' '.join(mistaken)} comes after --, so it goes to the programs, not to portcheck", file=sys.stderr
        )
    return arguments


def shard_of(given: str | None) -> tuple[int, int]:
    found = re.fullmatch(r"(\d+)/(\d+)", given or "1/1")
    if not found or not 1 <= int(found.group(1)) <= int(found.group(2)):
        raise ToolError(f"--shard takes I/N with 1 <= I <= N, such as 2/4, not {given!r}")
    return int(found.group(1)), int(found.group(2))


def sides_of(arguments: argparse.Namespace) -> tuple[Path, Path] | None:
    """A code base's two directories: OLD_DIR NEW_DIR [NAME ...], or --legacy OLD_DIR --modern NEW_DIR."""
    if len(arguments.names) >= 2 and all(Path(name).is_dir() for name in arguments.names[:2]):
        return Path(arguments.names[0]), Path(arguments.names[1])
    given = [arguments.legacy, arguments.modern]
    if all(given) and all(Path(side).is_dir() for side in given):
        return Path(arguments.legacy), Path(arguments.modern)
    return None


def request_of(arguments: argparse.Namespace) -> Request:
    methods = tuple(dict.fromkeys(method.strip() for method in arguments.start_methods.split(",") if method.strip()))
    if not methods:
        raise ToolError(f"no start method given; choose from {', '.join(START_METHODS)}")
    unknown = [method for method in methods if method not in START_METHODS]
    if unknown:
        raise ToolError(f"unknown start method: {', '.join(unknown)}; choose from {', '.join(START_METHODS)}")
    if arguments.jobs < 1:
        raise ToolError(f"--jobs must be 1 or more, not {arguments.jobs}")
    if arguments.json and not arguments.json.parent.is_dir():  # said now, not once every program has run
        raise ToolError(f"--json: no directory {arguments.json.parent} to write {arguments.json.name} in")
    if not arguments.limit > 0:
        raise ToolError(f"--limit must be more than 0 MiB, not {arguments.limit:g}")
    sides = sides_of(arguments)
    given_directories = sides is not None and arguments.legacy is None
    return Request(
        names=tuple(arguments.names[2:] if given_directories else () if sides else arguments.names),
        legacy=None if sides else arguments.legacy,
        modern=None if sides else arguments.modern,
        python2=arguments.python2,
        python3=arguments.python3,
        start_methods=methods,
        timeout=arguments.timeout,
        limit=int(arguments.limit * 2**20),
        jobs=arguments.jobs,
        stdin=arguments.stdin,
        vary=tuple(arguments.vary),
        unordered=tuple(arguments.unordered),
        arguments=tuple(arguments.program_arguments),
        sides=sides,
        shard=shard_of(arguments.shard),
        strict=arguments.strict,
        mechanical=arguments.mechanical,
    )


def input_left_unread(stdin: int = 0) -> str:
    """A note when this process's standard input holds data (a file, or a pipe that has been written to) that
    no program will read: `cat app.log | portcheck ...` gives the programs nothing without --stdin -."""
    try:
        mode = os.fstat(stdin).st_mode
        if stat.S_ISREG(mode):
            waiting = os.fstat(stdin).st_size > os.lseek(stdin, 0, os.SEEK_CUR)
        elif stat.S_ISFIFO(mode):
            # data or an end already there; nothing else reads this input, so reading a byte takes nothing away
            waiting = bool(select.select([stdin], [], [], 0)[0]) and os.read(stdin, 1) != b""
        else:
            return ""  # a terminal, /dev/null, or none
    except OSError:
        return ""
    if not waiting:
        return ""
    return "note: your standard input goes to no program: give --stdin - to give it to both (--stdin FILE for a file)"


def compare_and_report(arguments: argparse.Namespace) -> int:
    started = time.monotonic()
    request = request_of(arguments)
    planned = plan(request)
    unread = "" if arguments.stdin else input_left_unread()
    for note in (*planned.notes, unread) if unread else planned.notes:
        print(note, file=sys.stderr)
    shown = text.Live(planned, started, quiet=arguments.quiet)
    results = execute(planned, shown.row, shown.progress.done)
    shown.close(results)
    if arguments.json:
        run = json_results.run_of(list(planned.whole), planned.python3.release, planned.shard)
        json_results.write(results, arguments.json, run)
    return exit_status(results)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["lint"]:
        from portcheck import lint

        return lint.main(argv[1:])
    if argv[:1] == ["record"]:
        from portcheck import record

        return record.main(argv[1:])
    if argv[:1] == ["merge"]:
        from portcheck import merge

        return merge.main(argv[1:])
    show_undecodable_bytes_escaped()
    let_programs_see_ctrl_c()
    arguments = parse(argv)
    try:
        os.getcwd()
    except FileNotFoundError:
        print("error: the directory you stand in no longer exists", file=sys.stderr)
        return 2
    try:
        return compare_and_report(arguments)
    except ToolError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        raise  # what reads the output has gone: console_main ends quietly
    except OSError as exc:  # the machine's, not the programs': a full disk, a file that cannot be read
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; every program it had started was killed", file=sys.stderr)
        return 130


def console_main() -> NoReturn:
    """The installed `portcheck` command, and `python3 -m portcheck`."""
    stop_on_signals()
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # what reads the output has gone: say nothing more, as a program killed by SIGPIPE says nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 128 + signal.SIGPIPE
    sys.exit(status)
