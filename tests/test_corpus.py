"""Other people's kind of programs and their ports (tests/corpus/): the verdict a careful person gives, every run.

Each case says what a careful person would say of the pair, and why (expected.toml). The tool is
run on it as a user runs it, under fork, spawn and forkserver; `tox -e soak` runs them many times.
"""

from __future__ import annotations

import sys

import pytest

from portcheck.maintenance import CorpusCase, corpus_cases, wrong_corpus_verdict

CASES = corpus_cases()


def test_the_corpus_covers_what_people_bring() -> None:
    verdicts = [case.verdict for case in CASES]
    assert len(CASES) >= 15
    assert {"identical", "equivalent", "different"} <= set(verdicts)


@pytest.mark.usefixtures("python2")
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_the_verdict_is_the_careful_persons(case: CorpusCase) -> None:
    wrong = wrong_corpus_verdict(case, sys.executable)
    if wrong:
        pytest.fail(wrong, pytrace=False)
