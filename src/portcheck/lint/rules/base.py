"""What a rule is: a check over one module, and its documentation as data."""

from __future__ import annotations

import ast
import inspect
from typing import ClassVar, Iterator, Tuple

from portcheck.lint.inference import Inference

Flagged = Tuple[ast.AST, str]  # where, and the message


class Rule:
    """A rule's docstring says what it finds (Markdown); its class attributes say the rest.

    why: why it matters; example: code it flags; instead: what to write instead (code that it
    and every other rule leave alone); pitfall: the number of the README's pitfall that shows it;
    pair: the pair whose programs show it (None when it comes from elsewhere, said in `why`);
    opt_in: True for a rule that runs only when asked for by its full code (`--select MPC105`, flake8's
    `--extend-select MPC105`): what it finds is worth a look, not always a change.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    why: ClassVar[str]
    example: ClassVar[str]
    instead: ClassVar[str]
    pitfall: ClassVar[int | None] = None
    pair: ClassVar[str | None] = None
    opt_in: ClassVar[bool] = False

    @classmethod
    def what(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        """The docstring's first clause, as one line: "Finds `JoinableQueue.join()`, which takes no timeout."."""
        text = cls.what().split("\n\n")[0].replace("\n", " ")
        ends = [found for found in (text.find(": "), text.find(". ")) if found != -1]
        return (text[: min(ends)] if ends else text.rstrip(".")) + "."

    def check(self, module: Inference) -> Iterator[Flagged]:
        raise NotImplementedError
