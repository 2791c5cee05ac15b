"""Compile each file named on the command line, writing nothing; one line per file that fails.

    python compile_each.py FILE [FILE ...]

Runs unchanged on Python 2.7 and 3. compile() of bytes honours a coding cookie on both, but
Python 2 applies PEP 263's rule that a file without a cookie is ASCII only when it runs a file,
not in compile(): that rule is checked here instead.
"""

import re
import sys

COOKIE = re.compile(b"^[ \\t\\f]*#.*?coding[:=]")  # not rb"": Python 2 reads only br"", which formatters rewrite
NON_ASCII = re.compile(b"[\x80-\xff]")


def check_python2_encoding(path, source):
    lines = source.split(b"\n")
    declared = source.startswith(b"\xef\xbb\xbf") or any(COOKIE.match(line) for line in lines[:2])
    if declared:
        return
    for number, line in enumerate(lines, 1):
        found = NON_ASCII.search(line)
        if found:
            message = "Non-ASCII character %r, but no encoding declared" % found.group()
            raise SyntaxError(message, (path, number, 0, line))


def main():
    failed = 0
    for path in sys.argv[1:]:
        with open(path, "rb") as file:
            source = file.read()
        try:
            if sys.version_info[0] == 2:
                check_python2_encoding(path, source)
            compile(source, path, "exec")
        except (SyntaxError, ValueError, TypeError) as exc:  # a null byte: TypeError on 2.7, ValueError to 3.11
            line = getattr(exc, "lineno", None)
            where = path if line is None else "%s:%s" % (path, line)
            sys.stdout.write("%s: %s\n" % (where, getattr(exc, "msg", None) or exc))
            failed = 1
    sys.exit(failed)


if __name__ == "__main__":
    main()
