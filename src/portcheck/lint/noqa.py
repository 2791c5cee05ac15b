"""`# noqa` comments, read as flake8 reads them (and as ruff does, for what both accept).

`# noqa` alone silences every finding on its line; `# noqa: MPC101,MPC102` silences those codes,
and, as in flake8, any code they begin (`# noqa: MPC1`). As in flake8, a comment anywhere in a
statement continued by a backslash or a string spanning lines counts for all of its lines. ruff
also reads `#noqa` without the space, and so does this.
"""

from __future__ import annotations

import io
import re
import tokenize
from typing import Dict, FrozenSet, Optional

NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)

Silenced = Dict[int, Optional[FrozenSet[str]]]  # line -> the codes silenced there; None for all


def silenced_lines(source: str) -> Silenced:
    """Each line's `# noqa`, by line number."""
    silenced: Silenced = {}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return silenced
    first, last, directive = None, 0, None
    for token in tokens:
        if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
            continue
        first = token.start[0] if first is None else min(first, token.start[0])
        last = max(last, token.end[0])
        if token.type == tokenize.COMMENT and directive is None:
            directive = NOQA.search(token.string)
        if token.type in (tokenize.NL, tokenize.NEWLINE):
            if directive is not None:
                codes = directive.group("codes")
                found = None if codes is None else frozenset(re.split(r"[,\s]+", codes.strip(", \t")))
                for line in range(first, last + 1):
                    silenced[line] = found
            first, last, directive = None, 0, None
    return silenced


def is_silenced(silenced: Silenced, line: int, code: str) -> bool:
    if line not in silenced:
        return False
    codes = silenced[line]
    return codes is None or any(code.startswith(given) for given in codes)
