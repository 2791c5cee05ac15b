"""Modules and names: what Python 3 removed, renamed or added."""

from __future__ import annotations

import re
from typing import Sequence

from portcheck.diagnose.cause import A_CRASH, Cause, Context, crash_pattern
from portcheck.diagnose.text import items_of

PYTHON2_ONLY_NAME = Cause(
    "python2-only-name",
    change="the port uses a name Python 3 removed or renamed (xrange, unicode, dict.iteritems, the Queue module)",
    fix="use the Python 3 name (range, str, items(), queue); 2to3's fixers know them",
    matches=(
        "A traceback of the port's that ends in a `NameError` for a Python 2 builtin (`xrange`, `unicode`,"
        " `raw_input`, ...), an `AttributeError` for a method Python 3 dropped (`iteritems`, `has_key`,"
        " `next`), a module Python 3 renamed (`Queue`, `cPickle`, `urllib2`, ...), or a print statement."
    ),
    example=(
        *A_CRASH,
        "-out: 11 distinct words",
        "+err: Traceback (most recent call last):",
        "+err: AttributeError: 'dict' object has no attribute 'iteritems'",
    ),
    crash=crash_pattern(
        r"NameError: name '(?:xrange|unicode|basestring|long|raw_input|reduce|unichr|execfile|file|cmp|reload"
        r"|buffer|apply|intern|coerce|StandardError)' is not defined(?:\. Did you mean: '\w+'\?)?",
        r"AttributeError: '\w+' object has no attribute '(?:iteritems|iterkeys|itervalues|has_key|viewitems"
        r"|viewkeys|viewvalues|next|im_func|im_self|im_class|func_name|func_code|func_globals|func_defaults"
        r"|func_closure)'(?:\. Did you mean: '\w+'\?)?",
        r"(?:ModuleNotFoundError|ImportError): No module named '(?:Queue|cPickle|ConfigParser|StringIO|cStringIO"
        r"|urllib2|urlparse|httplib|Tkinter|tkMessageBox|thread|commands|SocketServer|HTMLParser|cookielib"
        r"|Cookie|xmlrpclib|SimpleXMLRPCServer|copy_reg|__builtin__|dummy_thread|anydbm|dbhash|whichdb|gdbm"
        r"|dumbdbm|md5|sha|sets|UserDict|UserList|UserString|exceptions|htmlentitydefs|robotparser"
        r"|BaseHTTPServer|SimpleHTTPServer|CGIHTTPServer|ScrolledText|Tix|ttk|popen2|mimetools|rfc822"
        r"|multifile|posixfile|new)'",
        r"ImportError: cannot import name '(?:izip|imap|ifilter|izip_longest|ifilterfalse|maketrans|letters"
        r"|lowercase|uppercase|getcwdu|quote|unquote|urlencode|urlopen|urlretrieve)'(?: from .*)?",
        r"AttributeError: module '(?:string|itertools|os|urllib|sys|time|types)' has no attribute '(?:letters"
        r"|lowercase|uppercase|maketrans|join|split|atoi|atof|atol|replace|strip|imap|izip|ifilter|izip_longest"
        r"|ifilterfalse|getcwdu|urlencode|quote|unquote|urlopen|urlretrieve|maxint|setcheckinterval|exc_clear"
        r"|clock|StringType|IntType|LongType|ListType|DictType|TupleType|UnicodeType|StringTypes)'"
        r"(?:\. Did you mean: '\w+'\?)?",
        r"SyntaxError: Missing parentheses in call to '(?:print|exec)'.*",
    ),
)


# Public names a module lost and gained from Python 2.7 to 3: what a listing of its names (dir(), a
# manager's _exposed_) shows otherwise, and calls the port cannot make.
REMOVED_NAMES = {
    "operator": frozenset(
        {
            *("delslice", "div", "getslice", "idiv", "irepeat", "isCallable", "isMappingType", "isNumberType"),
            *("isSequenceType", "repeat", "sequenceIncludes", "setslice", "__delslice__", "__div__"),
            *("__getslice__", "__idiv__", "__irepeat__", "__repeat__", "__setslice__"),
        }
    ),
}
ADDED_NAMES = {
    "operator": frozenset({"call", "imatmul", "length_hint", "matmul", "__call__", "__imatmul__", "__matmul__"}),
}
NAMES = re.compile(r"[(\[](\s*'\w+'(?:,\s*'\w+')*,?\s*)[)\]]")  # a tuple or list of names, as printed


def names_listed(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """Both lines, when each lists a module's names and the two lists differ only by the names that module
    lost and gained from Python 2.7 to 3 (each list in its own order otherwise)."""
    old, new = NAMES.search(legacy), NAMES.search(modern)
    if (
        not old
        or not new
        or (legacy[: old.start()], legacy[old.end() :]) != (modern[: new.start()], modern[new.end() :])
    ):
        return []
    before = [item.strip("'") for item in items_of(old.group(1)) if item]
    after = [item.strip("'") for item in items_of(new.group(1)) if item]
    lost, gained = set(before) - set(after), set(after) - set(before)
    kept = [name for name in before if name not in lost] == [name for name in after if name not in gained]
    for module, removed in REMOVED_NAMES.items():
        if (lost or gained) and kept and lost <= removed and gained <= ADDED_NAMES[module]:
            return [(modern, modern)]
    return []


CHANGED_MODULE_NAMES = Cause(
    "changed-module-names",
    change=(
        "some modules' public names changed from Python 2 to 3: `operator` lost `getslice`, `setslice`,"
        " `delslice`, `repeat`, `div`, `isCallable`, `sequenceIncludes` and the `is...Type` checks, and gained"
        " `matmul` (3.5), `length_hint` (3.4) and `call` (3.11)"
    ),
    fix="use what Python 3 has: `seq[a:b]` for getslice, `operator.mul(seq, n)` for repeat, `truediv` or `floordiv`",
    matches=(
        "A listing of `operator`'s names (`dir()`, a manager's `_exposed_`) that differs from the legacy one"
        " only by those names, the others in the same order; and a legacy line the port has no line for that"
        " shows a call of one of the removed functions (`op.getslice(range(10), 2, 6) = [2, 3, 4, 5]`): the"
        " port cannot make it. Not a listing that lost or gained another name."
    ),
    example=(
        "-out: op._exposed_ = ('add', 'div', 'getslice', 'mul', 'repeat', 'sub')",
        "+out: op._exposed_ = ('add', 'matmul', 'mul', 'sub')",
    ),
    rewrite=names_listed,
    gone=re.compile(
        r"\.(?:getslice|setslice|delslice|irepeat|idiv|isCallable|sequenceIncludes|isMappingType|isNumberType"
        r"|isSequenceType)\(|\b(?:operator|op)\.(?:repeat|div)\("
    ),
)


WARNING = re.compile(
    r"^err: ([.EFsxu]*)\S.*:\d+: (?:DeprecationWarning|PendingDeprecationWarning|FutureWarning|SyntaxWarning): .+$"
)
PROGRESS = re.compile(r"^err: ([.EFsxu]+)$")  # a test runner's progress: a character a test


def new_warnings(lines: Sequence[tuple[str, str]]) -> list[int]:
    """The port's warnings of what Python 3 deprecated (`file:line: DeprecationWarning: ...`, and the source
    line shown under each); and a test runner's progress line that they split, where the pieces are the
    legacy line."""
    explained = []
    for position, (mark, form) in enumerate(lines):
        if mark == "+" and WARNING.match(form):
            explained.append(position)
            shown = position + 1 < len(lines) and lines[position + 1][0] == "+"
            if shown and lines[position + 1][1].startswith("err:  "):
                explained.append(position + 1)
    if not explained:
        return []
    split = [position for position, (mark, form) in enumerate(lines) if PROGRESS.match(form)]
    legacy = "".join(PROGRESS.match(lines[position][1]).group(1) for position in split if lines[position][0] == "-")
    pieces = [WARNING.match(lines[position][1]).group(1) for position in explained if WARNING.match(lines[position][1])]
    pieces += [PROGRESS.match(lines[position][1]).group(1) for position in split if lines[position][0] == "+"]
    if legacy and "".join(pieces) == legacy:
        explained += split
    return sorted(explained)


NEW_WARNING = Cause(
    "new-warning",
    change=(
        "Python 3 warns of what it deprecated (`datetime.utcnow()` in 3.12, an invalid escape sequence such as"
        " `'\\d'`), and shows DeprecationWarning in `__main__` (3.7) and under unittest, where Python 2 was silent"
    ),
    fix="use what the warning names instead (`datetime.now(timezone.utc)`, a raw string `r'\\d'`)",
    matches=(
        "A `+` line on stderr `file:line: DeprecationWarning: ...` (PendingDeprecationWarning, FutureWarning,"
        " SyntaxWarning) and the source line Python shows under it, with no legacy line; and a test runner's"
        " progress line (`......`) that the warnings split, where its pieces make the legacy one. Not a"
        " warning of the program's own (`UserWarning`), nor one both print."
    ),
    example=(
        "-err: ......",
        (
            "+err: ...../app/tests.py:57: DeprecationWarning: datetime.datetime.utcnow() is deprecated and"
            " scheduled for removal in a future version. Use timezone-aware objects to represent datetimes in"
            " UTC: datetime.datetime.now(datetime.UTC)."
        ),
        "+err:   t1 = datetime.datetime.utcnow()",
        "+err: .",
    ),
    run=new_warnings,
)
