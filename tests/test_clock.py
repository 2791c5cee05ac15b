"""Clock readings: a date or time a run printed is <now> when it falls within the run, and only then."""

from __future__ import annotations

import time

import pytest

from portcheck.clock import NOW, NOW_IN_FULL, readings_within

START = 1796668818.25  # a run of 1.5 s; readings are made from it in this machine's local time, as programs make them
END = START + 1.5


def local(form: str, moment: float = START + 0.7) -> str:
    return time.strftime(form, time.localtime(moment))


@pytest.mark.parametrize(
    "printed",
    [
        local("run started at %Y-%m-%d %H:%M:%S") + ".777877",  # str(datetime.now())
        local("%Y-%m-%dT%H:%M:%S"),  # isoformat()
        local("%Y-%m-%d %H:%M:%S") + ",123 INFO worker 3 done",  # logging's asctime
        time.ctime(START + 1),
        time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(START)),  # utcnow()
        local("stamp %H:%M:%S"),
        f"took {START + 0.3!r}",  # time.time()
    ],
)
def test_a_reading_within_the_run_is_now(printed: str) -> None:
    assert NOW in readings_within(printed, START, END)


@pytest.mark.parametrize(
    "printed",
    [
        local("due %Y-%m-%d %H:%M:%S", START + 86400),  # a day later: a port's date that is wrong still differs
        local("%Y-%m-%d %H:%M:%S", START - 3600),
        time.ctime(START - 60),
        "2026-13-45 10:00:00",  # no date at all
        "12:34:56.5 is not the time",
        "id 1765130590",  # a number of ten digits that is not now
    ],
)
def test_a_reading_outside_the_run_is_left_as_printed(printed: str) -> None:
    assert readings_within(printed, START, END) == printed


def test_a_run_whose_start_is_not_known_is_left_as_printed() -> None:
    printed = time.ctime(START)
    assert readings_within(printed, 0.0, 0.0) == printed


def test_time_time_as_python_3_prints_it_is_a_reading_in_another_format() -> None:
    """Python 2's str() of time.time() gave 12 digits, Python 3's gives them all: the same moment, printed
    differently, which is the port's change to show (vamei's queue example: 1796684642.47 against
    1796684643.458575)."""
    assert readings_within(f"put at {START + 0.5:.12g}", START, END) == f"put at {NOW}"
    assert readings_within(f"put at {START + 0.5012345!r}", START, END) == f"put at {NOW_IN_FULL}"
