"""Other people's kind of programs and their ports (tests/corpus/): the verdict a careful person gives, every run.

Each case says what a careful person would say of the pair, and why (expected.toml). The tool is
run on it as a user runs it: the installed `portcheck` command, from a copy of the case outside
the clone, standing where the case says (its own directory, a subdirectory, or elsewhere with
absolute paths), under fork, spawn and forkserver; its verdicts are read from its --json.
`tox -e soak` runs them many times.
"""

from __future__ import annotations

import pytest

from maint.corpus import CorpusCase, corpus_cases, wrong_corpus_verdict

CASES = corpus_cases()
RUNS = [
    pytest.param(case, place, id=f"{case.name}-{place}" if len(case.stand_in) > 1 else case.name)
    for case in CASES
    if not case.soak_only  # races, and paths another case takes: the soak runs them, twenty times
    for place in case.stand_in
]


def test_the_corpus_covers_what_people_bring() -> None:
    verdicts = [case.verdict for case in CASES]
    assert len(CASES) >= 30
    assert {"identical", "equivalent", "different"} <= set(verdicts)


@pytest.mark.usefixtures("python2", "converter")
@pytest.mark.parametrize(("case", "place"), RUNS)
def test_the_verdict_is_the_careful_persons(case: CorpusCase, place: str) -> None:
    wrong = wrong_corpus_verdict(case, place)
    if wrong:
        pytest.fail(wrong, pytrace=False)
