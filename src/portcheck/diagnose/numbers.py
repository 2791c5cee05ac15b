"""Numbers: true division, str() of a float, round(), and long ints."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from portcheck.clock import NOW, NOW_IN_FULL, PYTHON2_STR_DIGITS
from portcheck.diagnose.cause import Cause, Context, changed, crash_pattern
from portcheck.diagnose.text import aligned_numbers, numbers_apart


def is_int(number: str) -> bool:
    return re.fullmatch(r"-?\d+(?:,\d{3})*", number) is not None


def value(number: str) -> float:
    return float(number.replace(",", ""))


def decimals(number: str) -> int:
    return len(number.partition(".")[2]) if "e" not in number.lower() else -1


def floors_to(old: str, new: str) -> bool:
    """Python 2's floored quotient `old` against Python 3's true quotient `new`: 3 / 3.5, 1 / 1.0, and
    formatted alike, 3.00 / 3.50 (a float made from an int quotient)."""
    if is_int(new):
        return False
    if is_int(old):
        return math.floor(value(new)) == value(old) and ("," in old) <= ("," in new)
    whole = re.fullmatch(r"-?[\d,]+\.(0+)", old)
    return bool(whole) and decimals(new) == decimals(old) and math.floor(value(new)) == value(old)


def true_division(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    return aligned_numbers(legacy, modern, floors_to)


TRUE_DIVISION = Cause(
    "true-division",
    change="`/` on two ints is true division on Python 3 (7 / 2 == 3.5) where Python 2 floored (3)",
    fix="write `//` where the floor is meant (2to3 leaves `/` as it is); keep `/` where the fraction is",
    matches=(
        "A `-` line and a `+` line that are the same except that numbers n of the legacy line are floats"
        " that floor to n in the modern one (`3` against `3.5`, `1` against `1.0`, `-4` against `-3.5`, also"
        " formatted: `3.00` against `3.50`, `100,000` against `100,000.0`). Also a traceback of the port's"
        " that a float raises where an int is needed (`'float' object cannot be interpreted as an integer`,"
        " `list indices must be integers or slices, not float`). Not a float that floors to another number,"
        " nor an int in the port where the original printed a float."
    ),
    example=("-out: average length: 4", "+out: average length: 4.6"),
    rewrite=true_division,
    crash=crash_pattern(
        r"TypeError: 'float' object cannot be interpreted as an integer",
        r"TypeError: (?:list|tuple|string|str) indices must be integers(?: or slices)?, not float",
        r"TypeError: slice indices must be integers or None or have an __index__ method",
        r"TypeError: can't multiply sequence by non-int of type 'float'",
        r"TypeError: integer argument expected, got float",
    ),
)


def python2_str(number: float) -> str:
    """str(number) as Python 2 wrote it: 12 significant digits, ".0" kept on a whole number."""
    text = f"{number:.{PYTHON2_STR_DIGITS}g}"
    return text + ".0" if re.fullmatch(r"-?\d+", text) else text


def float_str(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """The port's line with each float that Python 3's str() wrote written as Python 2's str() writes the same
    float: the lines are then alike where the original printed that float (0.333333333333), or where chance
    varies the number and only the digits were left (a time: 0.0304911136627 against 0.04702568054199219)."""
    if NOW_IN_FULL in modern and NOW in legacy:  # time.time(), each side's a reading of its own run (clock.py)
        return [(legacy, modern.replace(NOW_IN_FULL, NOW))]  # alike, or alike but for chance (search.py)
    old, new = numbers_apart(legacy), numbers_apart(modern)
    if len(old) != len(new) or old[::2] != new[::2]:
        return []
    rebuilt = [
        python2_str(float(number)) if index % 2 and in_full(number) else number for index, number in enumerate(new)
    ]
    return [(legacy, "".join(rebuilt))] if rebuilt != list(new) else []


def in_full(number: str) -> bool:
    """A float as only Python 3's str() writes it: its shortest repr, more digits than Python 2's str() kept."""
    if is_int(number) or "," in number:
        return False
    try:
        return repr(float(number)) == number and python2_str(float(number)) != number
    except ValueError:
        return False


FLOAT_STR = Cause(
    "float-str",
    change="str() of a float has 12 significant digits on Python 2, the shortest repr (up to 17) on Python 3",
    fix="format floats where their digits matter (`'%.12g' % x`, `f'{x:.6f}'`)",
    matches=(
        "A number of the legacy line that is the port's float written with 12 significant digits"
        " (`0.333333333333` against `0.3333333333333333`), the port's as Python 3's str() writes it; or, where"
        " both sides' runs vary the number by chance (a time taken), the port's written in full where the"
        " original's had 12 digits. Not another number, nor a number a format spec wrote (`6.0` against `6.00`"
        " is a format that changed)."
        " A `time.time()` the run printed is `<now>` as Python 2's str() wrote it, `<now, in full>` as Python 3's"
        " does (clock.py): those two, the rest of the lines alike, are this change too."
    ),
    example=("-out: ratio: 0.333333333333", "+out: ratio: 0.3333333333333333"),
    rewrite=float_str,
)


def rounded_half_to_even(old: str, new: str) -> bool:
    """Python 2's round() (half away from zero, a float) against Python 3's (half to even): 3.0 / 2,
    -3.0 / -2, 0.13 / 0.12 (round(0.125, 2))."""
    try:
        before, after = Decimal(old), Decimal(new)
    except InvalidOperation:
        return False
    if re.fullmatch(r"-?\d+\.0", old) and re.fullmatch(r"-?\d+", new):
        unit = Decimal(1)
    elif decimals(old) == decimals(new) and decimals(old) > 0:
        unit = Decimal(1).scaleb(-decimals(old))
    else:
        return False
    even = int(new.replace("-", "").replace(".", "")[-1]) % 2 == 0
    same_sign = (before < 0) == (after < 0) or after == 0
    return even and same_sign and abs(before) - abs(after) == unit


def round_half_even(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    return aligned_numbers(legacy, modern, rounded_half_to_even)


ROUND_HALF_EVEN = Cause(
    "round-half-even",
    change="round() rounds halves to even on Python 3 (round(2.5) == 2) and away from zero on Python 2 (3.0)",
    fix="use decimal.Decimal(x).quantize(..., rounding=ROUND_HALF_UP) where halves must go up",
    matches=(
        "A legacy number that is one unit of its last place further from zero than the port's, the port's"
        " last digit even (`3.0` against `2`, `0.13` against `0.12`)."
    ),
    example=("-out: 2.5 rounds to 3.0", "+out: 2.5 rounds to 2"),
    rewrite=round_half_even,
)


def int_for_float(old: str, new: str) -> bool:
    return re.fullmatch(r"-?\d+", new) is not None and old == f"{new}.0"


def round_returns_int(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    return aligned_numbers(legacy, modern, int_for_float)


ROUND_RETURNS_INT = Cause(
    "round-returns-int",
    change="round(x), math.floor(x) and math.ceil(x) return an int on Python 3 and a float on Python 2",
    fix="format the number where the old output is expected (`'%.1f' % round(x)`)",
    matches="A legacy number `n.0` where the port prints the int `n`.",
    example=("-out: pages: 4.0", "+out: pages: 4"),
    rewrite=round_returns_int,
)


def long_suffix(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    return changed([(re.sub(r"(?<![\w.])(-?\d+)L(?!\w)", r"\1", legacy), modern)], legacy, modern)


LONG_SUFFIX = Cause(
    "long-suffix",
    change="Python 2's long ints show an L in their repr (in a list, a dict, %r); Python 3 has one int, no L",
    fix="nothing to fix: the value is the same; print str(n) where the old output is parsed",
    matches="A legacy line whose numbers ending in `L` are the port's numbers without it.",
    example=("-out: sizes: [4096L, 65536L]", "+out: sizes: [4096, 65536]"),
    rewrite=long_suffix,
)
