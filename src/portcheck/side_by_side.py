"""A legacy program and its modern program side by side, aligned function by function, each change classified.

Both programs define the same top-level names in the same order; the modern one may add helpers
and moves the `if __name__ == "__main__":` body into `main()`. `align()` cuts each source into
top-level blocks (the module docstring, imports and constants, each `def`/`class`, the `__main__`
body), pairs the blocks by name, then pairs the lines within each block with `difflib`.

Each row gets one of these changes:

- ``same``: the same line on both sides (indentation aside);
- ``common``: a change made in every pair, which hides the lesson if it is shown as loudly as the
  rest: type annotations, ``from __future__ import annotations``, the ``main()`` move, the
  ``print`` statement become a ``print()`` call, a %-format become an f-string giving the same
  text, quoting, import order and blank lines. Two lines are "the same but for a common change"
  when their syntax trees are equal once those changes are undone (`canonical()`);
- ``changed``: a line of the legacy program replaced in substance;
- ``removed`` / ``added``: a line only one side has;
- ``doc``: docstrings, which say different things on each side by design.

Pure functions of the two sources: no Sphinx, no terminal. `render_text()` is the terminal view.
"""

from __future__ import annotations

import ast
import difflib
import io
import re
import textwrap
import tokenize
from dataclasses import dataclass

CHANGES = SAME, COMMON, CHANGED, REMOVED, ADDED, DOC = "same", "common", "changed", "removed", "added", "doc"
SUBSTANCE = frozenset({CHANGED, REMOVED, ADDED})

PAIRING_RATIO = 0.5  # how alike two lines of a replaced run must be to show as one line changed
MIN_WIDTH = 60  # render_text refuses less; below about 140 columns, callers should prefer a plain diff
MARKS = {SAME: " ", COMMON: "~", CHANGED: "!", REMOVED: "-", ADDED: "+", DOC: " "}

MAIN_IF = re.compile(r"""^if\s+__name__\s*==\s*(['"])__main__\1\s*:""")
MAIN_DEF = re.compile(r"^def\s+main\s*\(\s*\)\s*(->\s*[^:]+)?:")
DEF = re.compile(r"^(?:async\s+)?(def|class)\s+(\w+)")
STRING_START = re.compile(r"""^[rRbBuUfF]{0,2}(['"])""")
PRINT_STATEMENT = re.compile(r"^print(?![\w(])(?:\s*>>\s*([^,]+),)?\s*(.*?)\s*$")
PERCENT_FIELD = re.compile(r"%(?:(%)|([sdira]))")
PERCENT_ANY = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?[a-zA-Z%]")


@dataclass(frozen=True)
class SourceLine:
    """A line of a program's source, as the side-by-side view shows it (model.Line is a line of what a run did)."""

    number: int  # 1-based, in its own file
    text: str


@dataclass(frozen=True)
class Row:
    legacy: SourceLine | None
    modern: SourceLine | None
    change: str  # one of CHANGES
    why: str = ""  # for COMMON: which common change


@dataclass(frozen=True)
class Block:
    key: str  # what pairs the two sides: "docstring", "top", "def NAME", "class NAME", "main", "entry"
    title: str
    rows: tuple[Row, ...]

    @property
    def substance(self) -> int:
        """How many rows of this block changed in substance."""
        return sum(row.change in SUBSTANCE for row in self.rows)


@dataclass(frozen=True)
class _Segment:
    key: str
    first: int  # index of its first line
    lines: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Cutting a source into top-level blocks


def _statement_starts(source: str) -> list[int]:
    """0-based indexes of the lines where a top-level statement starts (decorators included)."""
    lines = source.splitlines()
    try:
        starts = []
        depth, at_start = 0, True
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.INDENT:
                depth += 1
            elif token.type == tokenize.DEDENT:
                depth -= 1
            elif token.type == tokenize.NEWLINE:
                at_start = True
            elif token.type in (tokenize.NL, tokenize.COMMENT, tokenize.ENDMARKER, tokenize.ENCODING):
                continue
            elif at_start:
                if depth == 0:
                    starts.append(token.start[0] - 1)
                at_start = False
    except (tokenize.TokenError, IndentationError, SyntaxError):
        # Not tokenizable by this Python (some Python 2 forms): column 0 is close enough.
        starts = [i for i, line in enumerate(lines) if line[:1] not in ("", " ", "\t", "#", ")", "]", "}")]
    merged: list[int] = []
    for start in starts:  # a decorator belongs to what it decorates
        if merged and lines[merged[-1]].lstrip().startswith("@") and start > merged[-1]:
            continue
        merged.append(start)
    return merged


def _is_loose(line: str) -> bool:
    """A line between statements: blank, or a comment at column 0."""
    return not line.strip() or line.startswith("#")


def _segments(source: str) -> list[_Segment]:
    lines = source.splitlines()
    starts = _statement_starts(source)
    if not starts:
        return [_Segment("top", 0, tuple(lines))] if lines else []
    bounds = [*starts, len(lines)]
    cuts = [0]
    for end in bounds[1:-1]:  # trailing blank lines and comments go with the statement after them
        while end > cuts[-1] + 1 and _is_loose(lines[end - 1]):
            end -= 1
        cuts.append(end)
    cuts.append(len(lines))
    segments = []
    for number, (first, last) in enumerate(zip(cuts, cuts[1:])):
        code = lines[starts[number]].lstrip()
        while code.startswith("@"):
            code = next((line.lstrip() for line in lines[starts[number] + 1 :] if not line.startswith("@")), "")
            break
        match = DEF.match(code)
        if number == 0 and STRING_START.match(code):
            key = "docstring"
        elif match:
            key = f"{match.group(1)} {match.group(2)}"
        elif MAIN_IF.match(code):
            key = "entry"
        else:
            key = "top"
        segments.append(_Segment(key, first, tuple(lines[first:last])))
    # consecutive imports and constants make one block
    grouped: list[_Segment] = []
    for segment in segments:
        if grouped and segment.key == grouped[-1].key == "top":
            grouped[-1] = _Segment("top", grouped[-1].first, grouped[-1].lines + segment.lines)
        else:
            grouped.append(segment)
    return grouped


def _keyed(segments: list[_Segment], legacy: bool) -> list[_Segment]:
    """The `__main__` body of the legacy side and the modern `def main()` share the key "main"."""
    names = {segment.key for segment in segments}
    out = []
    for segment in segments:
        key = segment.key
        if (legacy and key == "entry" and "def main" not in names) or (not legacy and key == "def main"):
            key = "main"
        out.append(_Segment(key, segment.first, segment.lines))
    return out


# ---------------------------------------------------------------------------------------------
# What a line means once the common changes are undone


def _print_call(code: str) -> str:
    """Python 2's print statement as the print() call that prints the same."""
    match = PRINT_STATEMENT.match(code)
    if not match or code.startswith("print("):
        return code
    target, rest = match.groups()
    arguments = []
    end = ""
    if rest.endswith(",") and not rest.endswith(",,"):
        rest, end = rest[:-1], 'end=" "'
    if rest:
        arguments.append(rest)
    if end:
        arguments.append(end)
    if target:
        arguments.append(f"file={target.strip()}")
    return f"print({', '.join(arguments)})"


def _parse(code: str) -> ast.Module | None:
    """`code`, one line, parsed as well as a line alone can be."""
    candidates = [code]
    if code.endswith(":"):
        candidates.append(f"{code} pass")
        candidates.append(f"if 0: pass\n{code} pass")  # elif, else
        candidates.append(f"try: pass\n{code} pass")  # except, finally
        candidates.append("try: pass\nfinally: pass" if code == "try:" else code)
    for candidate in candidates:
        try:
            return ast.parse(candidate)
        except (SyntaxError, ValueError):
            continue
    return None


def _percent_to_fstring(node: ast.BinOp) -> ast.AST:
    """`"text %s" % (x,)` as the f-string `f"text {x}"`, when it gives the same text; else as it is."""
    template = node.left.value  # type: ignore[attr-defined]
    values = list(node.right.elts) if isinstance(node.right, ast.Tuple) else [node.right]
    if any(isinstance(value, ast.Starred) for value in values):
        return node
    if len(PERCENT_ANY.findall(template)) != len(PERCENT_FIELD.findall(template)):
        return node  # widths, precisions, named fields: not a plain substitution
    parts: list[ast.expr] = []
    position = 0
    for match in PERCENT_FIELD.finditer(template):
        parts.append(ast.Constant(template[position : match.start()], kind=None))
        position = match.end()
        if match.group(1):
            parts.append(ast.Constant("%", kind=None))
            continue
        if not values:
            return node
        conversion = {"r": ord("r"), "a": ord("a")}.get(match.group(2), -1)
        parts.append(ast.FormattedValue(values.pop(0), conversion, None))
    if values:
        return node
    parts.append(ast.Constant(template[position:], kind=None))
    return ast.JoinedStr(parts)


class _UndoCommonChanges(ast.NodeTransformer):
    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
            converted = _percent_to_fstring(node)
            if isinstance(converted, ast.JoinedStr):
                return self.visit_JoinedStr(converted)
        return node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        self.generic_visit(node)
        merged: list[ast.expr] = []
        for value in node.values:
            if isinstance(value, ast.Constant) and merged and isinstance(merged[-1], ast.Constant):
                merged[-1] = ast.Constant(merged[-1].value + value.value, kind=None)
            elif not (isinstance(value, ast.Constant) and value.value == ""):
                merged.append(value)
        if len(merged) == 1 and isinstance(merged[0], ast.Constant):
            return merged[0]
        return ast.JoinedStr(merged)

    def visit_arg(self, node: ast.arg) -> ast.AST:
        node.annotation = None
        node.type_comment = None
        return node

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.AST:
        self.generic_visit(node)
        node.returns = None
        node.type_comment = None
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        return self._function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        return self._function(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        self.generic_visit(node)
        if node.value is None:
            return node
        return ast.Assign(targets=[node.target], value=node.value, type_comment=None, lineno=0)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.AST:
        node.names = sorted(node.names, key=lambda alias: (alias.name, alias.asname or ""))
        return node


def canonical(line: str, legacy: bool = False) -> str:
    """What `line` says with the common changes undone: equal for two lines that differ only by them."""
    code = line.strip()
    if not code or code.startswith("#"):
        return code
    if MAIN_IF.match(code) or MAIN_DEF.match(code):
        return "<main>"
    if legacy:
        code = _print_call(code)
    tree = _parse(code)
    if tree is None:
        return " ".join(code.split())
    return ast.dump(_UndoCommonChanges().visit(tree))


def _why_common(legacy: str, modern: str) -> str:
    """Which common change turns `legacy` into `modern` (two lines with the same canonical form)."""
    old, new = legacy.strip(), modern.strip()
    if MAIN_IF.match(old) and MAIN_DEF.match(new):
        return "main() move"
    reasons = []
    if PRINT_STATEMENT.match(old) and not old.startswith("print(") and new.startswith("print("):
        reasons.append("print()")
    if "%" in old and re.search(r"""\b[fF][rR]?['"]""", new):
        reasons.append("f-string")
    if DEF.match(new) and ("->" in new or re.search(r"\w\s*:\s*[\w\[]", new.split("(", 1)[-1])):
        reasons.append("annotations")
    if not reasons and ":" in new and "=" in new and re.match(r"^\w+\s*:", new):
        reasons.append("annotations")
    return " and ".join(reasons) or "layout"


def _why_alone(text: str, side: str, block_key: str) -> str | None:
    """If a line only one side has is a common change, which one."""
    code = text.strip()
    if not code:
        return "layout"
    if side == "modern" and re.match(r"^from\s+__future__\s+import\s+annotations\s*$", code):
        return "annotations"
    if side == "modern" and block_key == "entry":
        return "main() move"
    return None


# ---------------------------------------------------------------------------------------------
# Pairing lines


def _similarity(old: str, new: str) -> float:
    return difflib.SequenceMatcher(None, old.strip(), new.strip(), autojunk=False).ratio()


def _pair_replaced(
    old: list[SourceLine], new: list[SourceLine], key: str
) -> list[tuple[SourceLine | None, SourceLine | None]]:
    """Pair the lines of a replaced run by similarity, in order (the best monotone matching): two lines pair
    when they are similar enough to read as one line changed; a line that is a common change on its own (a
    blank line, the `__future__` import) pairs with nothing."""
    n, m = len(old), len(new)

    def similar(i: int, j: int) -> float:
        if _why_alone(old[i].text, "legacy", key) or _why_alone(new[j].text, "modern", key):
            return 0.0
        old_def, new_def = DEF.match(old[i].text.strip()), DEF.match(new[j].text.strip())
        if old_def and new_def and old_def.group(2) == new_def.group(2):
            return 1.0  # a signature changed is the same function's header
        ratio = _similarity(old[i].text, new[j].text)
        return ratio if ratio >= PAIRING_RATIO else 0.0

    table = [[similar(i, j) for j in range(m)] for i in range(n)]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            paired = score[i + 1][j + 1] + table[i][j] if table[i][j] else -1.0
            score[i][j] = max(paired, score[i + 1][j], score[i][j + 1])
    pairs: list[tuple[SourceLine | None, SourceLine | None]] = []
    i = j = 0
    while i < n and j < m:
        if table[i][j] and score[i][j] == score[i + 1][j + 1] + table[i][j]:
            pairs.append((old[i], new[j]))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            pairs.append((old[i], None))
            i += 1
        else:
            pairs.append((None, new[j]))
            j += 1
    pairs.extend((line, None) for line in old[i:])
    pairs.extend((None, line) for line in new[j:])
    return pairs


def _one_side(lines: list[SourceLine], side: str, key: str) -> list[Row]:
    rows = []
    for line in lines:
        if key == "docstring":
            change, why = DOC, ""
        else:
            why = _why_alone(line.text, side, key) or ""
            change = COMMON if why else (REMOVED if side == "legacy" else ADDED)
        rows.append(Row(line if side == "legacy" else None, line if side == "modern" else None, change, why))
    return rows


def _rows(key: str, old: list[SourceLine], new: list[SourceLine]) -> list[Row]:
    if not old:
        return _one_side(new, "modern", key)
    if not new:
        return _one_side(old, "legacy", key)
    if key == "docstring":
        return [
            Row(old[i] if i < len(old) else None, new[i] if i < len(new) else None, DOC)
            for i in range(max(len(old), len(new)))
        ]
    old_canonical = [canonical(line.text, legacy=True) for line in old]
    new_canonical = [canonical(line.text) for line in new]
    matcher = difflib.SequenceMatcher(None, old_canonical, new_canonical, autojunk=False)
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for a, b in zip(old[i1:i2], new[j1:j2]):
                if a.text.strip() == b.text.strip():
                    rows.append(Row(a, b, SAME))
                else:
                    rows.append(Row(a, b, COMMON, _why_common(a.text, b.text)))
            continue
        for a, b in _pair_replaced(old[i1:i2], new[j1:j2], key):
            if a and b:
                rows.append(Row(a, b, CHANGED))
            else:
                rows.extend(_one_side([a or b], "legacy" if a else "modern", key))  # type: ignore[list-item]
    return rows


def _title(key: str) -> str:
    if key == "docstring":
        return "module docstring"
    if key == "top":
        return "imports and constants"
    if key == "main":
        return "main: the __main__ body"
    if key == "entry":
        return 'if __name__ == "__main__"'
    return key


def align(legacy_source: str, modern_source: str) -> list[Block]:
    """The two programs cut into blocks paired by name, each row of each block classified."""
    old = _keyed(_segments(legacy_source), legacy=True)
    new = _keyed(_segments(modern_source), legacy=False)
    matcher = difflib.SequenceMatcher(None, [s.key for s in old], [s.key for s in new], autojunk=False)
    blocks: list[Block] = []

    def lines(segment: _Segment) -> list[SourceLine]:
        return [SourceLine(segment.first + k + 1, text.expandtabs()) for k, text in enumerate(segment.lines)]

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for a, b in zip(old[i1:i2], new[j1:j2]):
                blocks.append(Block(a.key, _title(a.key), tuple(_rows(a.key, lines(a), lines(b)))))
            continue
        for a in old[i1:i2]:
            blocks.append(Block(a.key, _title(a.key), tuple(_rows(a.key, lines(a), []))))
        for b in new[j1:j2]:
            blocks.append(Block(b.key, _title(b.key), tuple(_rows(b.key, [], lines(b)))))
    return blocks


def counts(blocks: list[Block]) -> dict[str, int]:
    """How many rows of each change there are."""
    total = dict.fromkeys(CHANGES, 0)
    for block in blocks:
        for row in block.rows:
            total[row.change] += 1
    return total


# ---------------------------------------------------------------------------------------------
# The terminal view

_ANSI = {COMMON: "\x1b[2m", CHANGED: "\x1b[33;1m", REMOVED: "\x1b[31m", ADDED: "\x1b[32m", DOC: "\x1b[2m"}
_RESET = "\x1b[0m"


def _cells(line: SourceLine | None, change: str, width: int) -> list[str]:
    """One side of one row, wrapped to `width` columns: a 4-column gutter, a mark, a space, code."""
    if line is None:
        return [" " * width]
    code_width = width - 6
    chunks = textwrap.wrap(
        line.text,
        code_width,
        drop_whitespace=False,
        replace_whitespace=False,
        break_on_hyphens=False,
        subsequent_indent="",
    ) or [""]
    mark = MARKS[change] if line.text.strip() else " "
    cells = [f"{line.number:>4}{mark} {chunks[0]}"]
    cells.extend(f"   {mark}: {chunk}" for chunk in chunks[1:])
    return [cell.ljust(width)[:width] for cell in cells]


def render_text(legacy_source: str, modern_source: str, width: int, *, color: bool = False) -> str:
    """The two programs side by side in `width` columns, for a terminal. Marks: `~` a change common to
    every pair, `!` changed, `-` only in legacy, `+` only in modern. Long lines wrap (continuation rows are
    marked `:`); nothing is cut off."""
    if width < MIN_WIDTH:
        raise ValueError(f"side by side needs at least {MIN_WIDTH} columns, not {width}")
    column = (width - 3) // 2
    separator = " │ "
    out = [f"{'legacy (Python 2.7)':<{column}}{separator}{'modern (Python 3)':<{column}}".rstrip()]
    for block in align(legacy_source, modern_source):
        title = f"── {block.title} "
        out.append(title + "─" * max(0, width - len(title)))
        for row in block.rows:
            left = _cells(row.legacy, row.change, column)
            right = _cells(row.modern, row.change, column)
            height = max(len(left), len(right))
            left += [" " * column] * (height - len(left))
            right += [" " * column] * (height - len(right))
            for a, b in zip(left, right):
                text = f"{a}{separator}{b}".rstrip()
                if color and row.change in _ANSI:
                    text = f"{_ANSI[row.change]}{text}{_RESET}"
                out.append(text)
    out.append("─" * width)
    out.append("~ common to every pair (annotations, main(), print(), f-strings)  ! changed  - removed  + added")
    return "\n".join(line if len(line) <= width or color else line[:width] for line in out)


_WORDS = re.compile(r"\w+|[^\w\s]")


def _words(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _WORDS.finditer(text)]


def _as_python3(line: str, legacy: bool) -> str | None:
    """`line` as Python 3 source with the common changes undone (None if a line alone does not parse)."""
    if not hasattr(ast, "unparse"):  # Python 3.8
        return None
    code = line.strip()
    if legacy:
        code = _print_call(code)
    for candidate in (code, f"{code} pass"):
        try:
            tree = ast.parse(candidate)
        except (SyntaxError, ValueError):
            continue
        return ast.unparse(_UndoCommonChanges().visit(tree)).splitlines()[0]
    return None


def _same_word(word: str) -> str:
    return '"' if word == "'" else word


def _marked_words(words: list[str], other: list[str]) -> set[int]:
    matcher = difflib.SequenceMatcher(
        None, [_same_word(w) for w in words], [_same_word(w) for w in other], autojunk=False
    )
    marked: set[int] = set()
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal":
            marked.update(range(i1, i2))
    return marked


def _mapped(text: str, spans: list[tuple[int, int]], via: str, marked_via: set[int]) -> set[int]:
    """Indexes of `spans` (words of `text`) that correspond to the marked words of `via`."""
    via_words = [via[a:b] for a, b in _words(via)]
    matcher = difflib.SequenceMatcher(
        None, [_same_word(text[a:b]) for a, b in spans], [_same_word(w) for w in via_words], autojunk=False
    )
    marked: set[int] = set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            marked.update(i1 + k for k in range(i2 - i1) if j1 + k in marked_via)
        elif tag == "replace" and any(j in marked_via for j in range(j1, j2)):
            marked.update(range(i1, i2))
    return marked


def _merged(text: str, spans: list[tuple[int, int]], marked: set[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for index in sorted(marked):
        start, end = spans[index]
        if out and not text[out[-1][1] : start].strip():
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def changed_spans(old: str, new: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The character ranges of a changed row's legacy and modern line that differ in substance.

    The two lines are compared word by word once the common changes are undone on both (where
    a line alone parses: the print statement, %-formats, annotations), so `print "n: %s" % n`
    against `print(f"n: {n}", flush=True)` marks only `, flush=True`. Otherwise the raw words.
    """
    old_spans, new_spans = _words(old), _words(new)
    old3, new3 = _as_python3(old, legacy=True), _as_python3(new, legacy=False)
    if old3 is None or new3 is None:
        old_marked = _marked_words([old[a:b] for a, b in old_spans], [new[a:b] for a, b in new_spans])
        new_marked = _marked_words([new[a:b] for a, b in new_spans], [old[a:b] for a, b in old_spans])
    else:
        old3_words = [old3[a:b] for a, b in _words(old3)]
        new3_words = [new3[a:b] for a, b in _words(new3)]
        old_marked = _mapped(old, old_spans, old3, _marked_words(old3_words, new3_words))
        new_marked = _mapped(new, new_spans, new3, _marked_words(new3_words, old3_words))
    return _merged(old, old_spans, old_marked), _merged(new, new_spans, new_marked)
