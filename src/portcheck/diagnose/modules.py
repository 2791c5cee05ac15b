"""Modules and names: what Python 3 removed or renamed."""

from __future__ import annotations

from portcheck.diagnose.cause import A_CRASH, Cause, crash_pattern

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
