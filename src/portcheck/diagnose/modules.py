"""Modules and names: what Python 3 removed, renamed or added."""

from __future__ import annotations

import re

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
