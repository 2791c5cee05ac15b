"""Soaks: the same comparisons many times, several at once, counting the verdicts that are not what the
data says (the pairs') or what a careful person gives (the corpus's)."""

from __future__ import annotations

import os
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from maint import ROOT
from maint.corpus import corpus_cases, wrong_corpus_verdict
from portcheck.engine import execute
from portcheck.model import Result
from portcheck.plan import Request, plan


def soak(names: list[str], repeat: int, jobs: int) -> int:
    """Make the report's comparisons `repeat` times, `jobs` runs at once; count what fails, per pair and column."""
    os.environ.pop("PORTCHECK_CACHE", None)  # every legacy run made again: its variation is what is soaked
    planned = plan(Request(names=tuple(names), directory=ROOT, jobs=jobs))
    failures: Counter[tuple[str, str]] = Counter()
    runs: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], Result] = {}
    for _ in range(repeat):
        for result in execute(planned):
            column = f"{result.kind} {result.start_method}"
            runs[result.name, column] += 1
            if result.fails:
                failures[result.name, column] += 1
                first.setdefault((result.name, column), result)
    print(f"soak: {repeat} runs of each, {jobs} at once, on Python {planned.python3.release}; failures/runs")
    for (name, column), count in sorted(runs.items()):
        if failures[name, column]:
            print(f"  {name:<20} {column:<20} {failures[name, column]}/{count}")
    total = sum(failures.values())
    print(f"{total} failures in {sum(runs.values())} comparisons")
    for result in first.values():
        print(f"{result.name} ({result.kind}, {result.start_method}): {result.verdict}; {result.note}")
        for line in result.diff:
            print(f"  {line.mark}{line.text}  {line.note}")
    return 1 if total else 0


def soak_corpus(names: list[str], repeat: int, jobs: int) -> int:
    os.environ.pop("PORTCHECK_CACHE", None)  # every legacy run made again: its variation is what is soaked
    cases = [case for case in corpus_cases() if not names or case.name in names]
    work = [(case, place) for case in cases for place in case.stand_in for _ in range(repeat)]
    wrong: Counter[str] = Counter()
    reports: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for (case, _), report in zip(work, pool.map(lambda item: wrong_corpus_verdict(*item), work)):
            if report:
                wrong[case.name] += 1
                reports.setdefault(case.name, report)
    python = sys.version.split()[0]
    print(f"soak --corpus: {repeat} runs of each of {len(cases)} cases, {jobs} at once, on Python {python}")
    for case in cases:
        print(f"  {case.name:<24} {case.verdict:<11} wrong {wrong[case.name]}/{repeat * len(case.stand_in)}")
    print(f"{sum(wrong.values())} wrong verdicts in {len(work)} runs")
    for report in reports.values():
        print(report)
    return 1 if wrong else 0
