"""The relaxations for one's own scripts, on transcripts alone: no program runs, no Python 2.7 needed."""

from __future__ import annotations

from portcheck.equivalence import Declared, judge, noise_of
from portcheck.transcript import Verdict


def out(*lines: str) -> list[tuple[str, None]]:
    return [("exit code: 0", None), *((f"out: {line}", None) for line in lines)]


def test_a_number_that_varies_between_legacy_runs_varies_whole() -> None:
    """Legacy runs that differ only in the digits after "0." must not pin the "0.": a loaded port takes 1.2 s."""
    legacy_runs = [out("took 0.251 seconds"), out("took 0.263 seconds"), out("took 0.258 seconds")]
    judgement = judge(legacy_runs[0], out("took 1.219 seconds"), Declared(), noise_of(legacy_runs))
    assert judgement.verdict is Verdict.EQUIVALENT


def test_a_value_the_legacy_runs_never_varied_is_still_a_difference() -> None:
    legacy_runs = [out("took 0.251 seconds", "sum 45"), out("took 0.263 seconds", "sum 45")]
    judgement = judge(legacy_runs[0], out("took 1.219 seconds", "sum 46"), Declared(), noise_of(legacy_runs))
    assert judgement.verdict is Verdict.DIFFERENT
