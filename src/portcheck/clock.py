"""Clock readings: a date or a time a program printed that falls within its own run.

A program that prints `datetime.now()`, `time.ctime()`, a log record's time or `time.time()`
prints the moment it ran, which no other run can repeat. Such a reading is known by its form
(FORMS) and by its value: it must fall within the run, from its start to its end, read as local
time or as UTC, to the second it shows, give or take SLACK. It then becomes <now>. A date that a
port computes wrongly (a day off, a fixed date, another year) falls outside and still differs.

    run from 17:43:14.9 to 17:43:16.2     "run started at 2026-12-07 17:43:15.777877"  ->  "run started at <now>"
                                          "due 2026-12-08 17:43:15"                   ->  unchanged
"""

from __future__ import annotations

import calendar
import re
import time

NOW = "<now>"
# time.time() as Python 3's str() and either's repr() print it, 16 or 17 digits: Python 2's str() gave 12
# (1796685160.03), so a port printing 1796685160.3332076 printed the moment with another format
NOW_IN_FULL = "<now, in full>"
PYTHON2_STR_DIGITS = 12  # str() of a float on Python 2 (chance and diagnosis read floats by it too)
SLACK = 2.0  # seconds: a reading rounded down to its second, or taken as the run starts or ends
DAY = 86400
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FRACTION = r"(?:[.,](?P<fraction>\d{1,9}))?"
FORMS = (
    # datetime's str() and isoformat(), logging's asctime: 2026-12-07 17:43:15.777877, 2026-12-07T17:43:15,123
    re.compile(
        rf"(?<!\d)(?P<year>\d{{4}})-(?P<month>\d{{2}})-(?P<day>\d{{2}})[ T]"
        rf"(?P<hour>\d{{2}}):(?P<minute>\d{{2}}):(?P<second>\d{{2}}){_FRACTION}(?!\d)"
    ),
    # time.ctime(), datetime.ctime(), time.asctime(): Mon Dec  7 18:23:10 2026
    re.compile(
        r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?P<name>" + "|".join(MONTHS) + r") (?P<day>[ \d]\d) "
        r"(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2}) (?P<year>\d{4})\b"
    ),
    # a time of day alone, not the rest of a date: 18:23:10, 18:23:10.123 (strftime("%H:%M:%S"), datetime.time)
    re.compile(
        rf"(?<![\d:.-])(?<!\d[ T])(?P<hour>\d{{2}}):(?P<minute>\d{{2}}):(?P<second>\d{{2}}){_FRACTION}(?![\d:])"
    ),
    # time.time(): 1765130590.1234
    re.compile(r"(?<![\d.])(?P<epoch>1\d{9}(?:\.\d+)?)(?![\d.])"),
)


def readings_within(text: str, start: float, end: float) -> str:
    """`text` with every clock reading that falls between `start` and `end` (seconds since the epoch) as <now>."""
    if not start or not any(character.isdigit() for character in text):
        return text
    for form in FORMS:
        text = form.sub(
            lambda match: _reading(match) if _within(match, start - SLACK, end + SLACK) else match.group(), text
        )
    return text


def _reading(match: re.Match[str]) -> str:
    epoch = match.groupdict().get("epoch")
    digits = len(epoch.replace(".", "")) if epoch else 0
    return NOW_IN_FULL if digits > PYTHON2_STR_DIGITS else NOW


def _within(match: re.Match[str], start: float, end: float) -> bool:
    found = match.groupdict()
    if found.get("epoch"):
        return start <= float(found["epoch"]) <= end
    try:
        hour, minute, second = int(found["hour"]), int(found["minute"]), int(found["second"])
        fraction = float(f"0.{found['fraction']}") if found.get("fraction") else 0.0
        if not (hour < 24 and minute < 60 and second <= 60):
            return False
        if "year" not in found:  # a time of day: within the run's times of day, across midnight too
            of_day = hour * 3600 + minute * 60 + second + fraction
            return any(
                (of_day - first) % DAY <= end - start
                for first in (_seconds_of_day(time.localtime(start), start), _seconds_of_day(time.gmtime(start), start))
            )
        month = MONTHS.index(found["name"]) + 1 if found.get("name") else int(found["month"])
        fields = (int(found["year"]), month, int(found["day"]), hour, minute, second)
        if not (1 <= month <= 12 and 1 <= fields[2] <= 31):
            return False
        local = time.mktime((*fields, 0, 0, -1)) + fraction
        utc = calendar.timegm((*fields, 0, 0, 0)) + fraction
    except (ValueError, OverflowError):  # not a date mktime can place
        return False
    return start <= local <= end or start <= utc <= end


def _seconds_of_day(moment: time.struct_time, epoch: float) -> float:
    return moment.tm_hour * 3600 + moment.tm_min * 60 + moment.tm_sec + (epoch % 1)
