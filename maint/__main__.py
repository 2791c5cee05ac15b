"""python3 -m maint COMMAND: the maintenance commands (see maint/__init__.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from maint import results, shown, soak, syntax
from portcheck.cli import OneLineErrors
from portcheck.model import ToolError
from portcheck.running import let_programs_see_ctrl_c, show_undecodable_bytes_escaped


def at_least_one(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = OneLineErrors(prog="python3 -m maint", description="this repository's maintenance commands")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("syntax", help="compile every legacy program with Python 2.7")
    results_parser = commands.add_parser("results", help="merge results files into one")
    results_parser.add_argument("out", type=Path, metavar="OUT")
    results_parser.add_argument(
        "files", type=Path, nargs="+", metavar="FILE", help="a results file, or a directory of them"
    )
    results_parser.add_argument(
        "--else", dest="otherwise", type=Path, metavar="FILE", help="the results to use where FILE... holds none"
    )
    commands.add_parser("sample", help="write the report of this Python to docs/report.txt, for README.md")
    commands.add_parser("example", help="write the example code base's report to tests/codebase/report.txt")
    soak_parser = commands.add_parser("soak", help="make every comparison many times under load and count failures")
    soak_parser.add_argument("names", nargs="*", metavar="NAME")
    soak_parser.add_argument("--repeat", type=at_least_one, default=10, help="runs of each (default 10)")
    soak_parser.add_argument("--jobs", type=at_least_one, default=8, help="runs at once (default 8)")
    soak_parser.add_argument("--corpus", action="store_true", help="soak the corpus of other people's programs")
    arguments = parser.parse_args(argv)
    show_undecodable_bytes_escaped()
    let_programs_see_ctrl_c()
    try:
        if arguments.command == "results":
            return results.merge(arguments.out, arguments.files, arguments.otherwise)
        if arguments.command == "example":
            return shown.example()
        if arguments.command == "sample":
            return shown.sample()
        if arguments.command == "soak" and arguments.corpus:
            return soak.soak_corpus(arguments.names, arguments.repeat, arguments.jobs)
        if arguments.command == "soak":
            return soak.soak(arguments.names, arguments.repeat, arguments.jobs)
        return syntax.syntax()
    except ToolError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
