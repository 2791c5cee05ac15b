"""This repository's maintenance: the commands that make the outputs its documents show, soak its
comparisons, and merge results for the site. Run from the clone's root:

    python3 -m maint syntax               compiles every legacy program with Python 2.7, writing nothing
    python3 -m maint soak [--corpus]      makes the report's comparisons many times, several at once, and
                                          counts the verdicts that are not what the pairs' data says; with
                                          --corpus, runs the tool on tests/corpus/ as a user does
    python3 -m maint results OUT DIR ...  merges results files (--json of each test env's report) into one,
                                          for the site, saying which Pythons of the matrix it has none from
    python3 -m maint sample               writes the report of this Python to docs/report.txt (the README's)
    python3 -m maint example              writes the example code base's report to tests/codebase/report.txt

The pairs' recordings (recordings/) are made as a user's are, by the tool: `portcheck record [NAME ...]`.
Not part of the tool: the wheel holds src/portcheck/ alone, and nothing here is installed.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
