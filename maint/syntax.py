"""The legacy programs compiled by Python 2.7, writing nothing (tox -e lint and the pre-commit hook run it).
Their recordings are made as a user's are: `portcheck record [NAME ...]`."""

from __future__ import annotations

from maint import ROOT
from portcheck import config
from portcheck.interpreters import require_python2, syntax_errors


def legacy_syntax_errors() -> list[str]:
    """One line per legacy file that Python 2.7 cannot compile."""
    legacy = config.load(ROOT / config.FILE_NAME).legacy
    assert legacy is not None
    return syntax_errors(require_python2(), sorted(legacy.glob("*.py")))


def syntax() -> int:
    errors = legacy_syntax_errors()
    for error in errors:
        print(error)
    if not errors:
        print("every legacy program compiles on Python 2.7")
    return 1 if errors else 0
