"""python -m portcheck.diagnose > docs/diagnoses.md: the page, made from the rules (docs.py)."""

from portcheck.diagnose.docs import causes_markdown

print(causes_markdown(), end="")
