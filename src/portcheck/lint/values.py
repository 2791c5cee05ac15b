"""What the lint can know an expression to be. Anything else is UNKNOWN, and no rule flags it."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Union

from portcheck.lint.apis import Kind


@dataclass(frozen=True)
class Ref:
    """A module, class or function reached through an import: "multiprocessing.Process"."""

    qualname: str


@dataclass(frozen=True)
class Obj:
    """An object of a kind the rules know; `call` is where it was made, when that is one place."""

    kind: Kind
    proxied: bool = False  # made by a manager: it pickles, and it waits as threading's objects do
    call: ast.Call | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Many:
    """A list, set, iterator or other collection whose items are all `item`."""

    item: Known


@dataclass(frozen=True)
class Mapping:
    """A dict whose keys are all `key` and values all `value` (`{executor.submit(f, x): x for x in xs}`)."""

    key: Known
    value: Known


@dataclass(frozen=True)
class Tup:
    """A tuple of known length, as Pipe() and futures.wait() return."""

    items: tuple[Known, ...]


@dataclass(frozen=True)
class Local:
    """A function, lambda or class defined in the module."""

    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef


@dataclass(frozen=True)
class Instance:
    """An instance of a class defined in the module (`self` in its methods)."""

    cls: ast.ClassDef


@dataclass(frozen=True)
class Method:
    """`owner.name` where owner is known: a method not yet called."""

    owner: Known
    name: str


@dataclass(frozen=True)
class Partial:
    """functools.partial(function, ...): `call` holds the arguments it binds."""

    function: Known
    call: ast.Call = field(compare=False)


class _Named:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


UNKNOWN = _Named("UNKNOWN")
NONE = _Named("NONE")  # the constant None, which says nothing of what a name is otherwise
EMPTY = _Named("EMPTY")  # the item of an empty list, which items appended later tell
PENDING = _Named("PENDING")  # still being worked out (a cycle): counts for nothing, as None does

Known = Union[Ref, Obj, Many, Mapping, Tup, Local, Instance, Method, Partial, _Named]


def unify(values: list[Known]) -> Known:
    """What every value of a name agrees on; UNKNOWN when they disagree or one is unknown.

    None says nothing (`p = None` before `p = Process(...)`), nor does a value still being worked
    out, and an empty list takes the item of the lists it is unified with. Objects of one kind made
    at different places are that kind.
    """
    if UNKNOWN in values:
        return UNKNOWN
    pending = PENDING in values
    values = [value for value in values if value is not NONE and value is not PENDING]
    if not values:
        return PENDING if pending else UNKNOWN
    if all(isinstance(value, Many) for value in values):
        items = [value.item for value in values if value.item is not EMPTY]  # type: ignore[union-attr]
        return Many(unify(items)) if items else Many(EMPTY)
    if all(isinstance(value, Mapping) for value in values):
        filled = [value for value in values if value.key is not EMPTY]  # type: ignore[union-attr]
        if not filled:
            return Mapping(EMPTY, EMPTY)
        return Mapping(unify([m.key for m in filled]), unify([m.value for m in filled]))  # type: ignore[union-attr]
    first = values[0]
    if any(value != first for value in values[1:]):
        return UNKNOWN
    if isinstance(first, Obj) and any(value.call is not first.call for value in values[1:]):  # type: ignore[union-attr]
        return Obj(first.kind, first.proxied)
    return first


def item_of(value: Known) -> Known:
    """What iterating over `value` gives."""
    if value is PENDING:
        return PENDING
    if isinstance(value, Many):
        return UNKNOWN if value.item is EMPTY else value.item
    if isinstance(value, Tup):
        return unify(list(value.items))
    if isinstance(value, Mapping):  # iterating a dict gives its keys
        return UNKNOWN if value.key is EMPTY else value.key
    return UNKNOWN


def element(found: Known, index: int) -> Known:
    if found is PENDING:
        return PENDING
    if isinstance(found, Tup):
        return found.items[index] if index < len(found.items) else UNKNOWN
    return UNKNOWN


def item_or_nothing(found: Known) -> Known:
    """The item of a loop's iterable; an empty list binds nothing, so it says nothing."""
    if found is PENDING:
        return PENDING
    if isinstance(found, Many) and found.item is EMPTY:
        return NONE
    return item_of(found)
