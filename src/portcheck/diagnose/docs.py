"""The rules' documentation as the Markdown page docs/diagnoses.md.

    python -m portcheck.diagnose > docs/diagnoses.md      (after changing a rule)

The tests check that docs/diagnoses.md is what this makes, so the page cannot go stale.
"""

from __future__ import annotations

from typing import Sequence

from portcheck.diagnose import CAUSES, Cause
from portcheck.model import Diagnosis
from portcheck.running import START_METHODS

INTRODUCTION = """\
# Why a port prints something else: the diagnoses

When portcheck's verdict is "different", each line of its diff that only one program printed is
matched against the changes from Python 2 to 3 that are known to make it. Under the diff, the report
names each cause, its rule and the fix, one line each (`--json FILE` says which lines each explains):

```console
$ portcheck --legacy old.py --modern new.py
...
new.py on Python 3.13 under fork: different
  (- old.py on Python 2.7, + new.py)
   exit code: 0
   out: total length: 23
  -out: average length: 4
  +out: average length: 4.6
  {TRUE_DIVISION}
```

A rule names a cause only when the lines differ exactly as that change makes them differ: a
number that floors to the original's is true division, a number that does not is not. Lines no
rule explains are said to have **no known cause**: a bug of the port, or a change no rule knows
yet. A pair of lines may show several changes at once (`{u'a': 1L}` against `{'a': 1}`: unicode-repr
and long-suffix); each rule named was needed to explain it.

`--json FILE` writes them as `"diagnoses"` of each result (docs/results-schema.md), and a
code base's data states the differences it expects of a mechanical port by the same names
(`mechanical = { expect = ..., why = ..., diagnoses = [...] }` in portcheck.toml).

| rule | cause |
|---|---|
"""


def cause_markdown(rule: Cause) -> str:
    """One rule's section of the page."""
    lines = [f'## <a id="{rule.id}"></a>{rule.id}', "", f"**Cause.** {rule.change}.", ""]
    lines += [f"**Matches.** {rule.matches}", "", "```diff", *rule.example, "```", ""]
    where = ", ".join(rule.start_methods) if rule.start_methods != START_METHODS else ""
    since = f"Python {rule.python[0]}.{rule.python[1]} and later" if rule.python > (3, 0) else ""
    limits = " and ".join(part for part in (f"under {where}" if where else "", since) if part)
    lines += [f"**Fix.** {rule.fix}.", ""]
    if limits:
        lines += [f"Applies {limits}.", ""]
    if rule.readme:
        number = rule.readme.rsplit("-", 1)[-1]
        lines += [f"Taught by [pitfall {number}](../README.md#{rule.readme}) of the README.", ""]
    return "\n".join(lines)


def causes_markdown(rules: Sequence[Cause] = CAUSES) -> str:
    """The page docs/diagnoses.md: what the diagnoses are, a table of the rules, then each rule."""
    true_division = next(rule for rule in CAUSES if rule.id == "true-division")
    sample = Diagnosis(true_division.id, (2, 3), true_division.change, true_division.fix, true_division.link).said()
    table = "".join(f"| [{rule.id}](#{rule.id}) | {rule.change} |\n" for rule in rules)
    introduction = INTRODUCTION.replace("{TRUE_DIVISION}", sample)
    return introduction + table + "\n" + "\n".join(cause_markdown(rule) for rule in rules)
