"""Exceptions: renamed, or their messages worded otherwise."""

from __future__ import annotations

import errno
import re

from portcheck.diagnose.cause import Cause, Context, changed
from portcheck.diagnose.messages import ANY_LEGACY_MESSAGE, COMPILED_MESSAGES, DID_YOU_MEAN, agree

OS_ERRORS = ("IOError", "OSError", "EnvironmentError", "WindowsError", "socket.error", "select.error", "error")
ERRNO_CLASSES = {
    errno.EAGAIN: "BlockingIOError",
    errno.EALREADY: "BlockingIOError",
    errno.EINPROGRESS: "BlockingIOError",
    errno.ECHILD: "ChildProcessError",
    errno.EPIPE: "BrokenPipeError",
    errno.ESHUTDOWN: "BrokenPipeError",
    errno.ECONNABORTED: "ConnectionAbortedError",
    errno.ECONNREFUSED: "ConnectionRefusedError",
    errno.ECONNRESET: "ConnectionResetError",
    errno.EEXIST: "FileExistsError",
    errno.ENOENT: "FileNotFoundError",
    errno.EINTR: "InterruptedError",
    errno.EISDIR: "IsADirectoryError",
    errno.ENOTDIR: "NotADirectoryError",
    errno.EACCES: "PermissionError",
    errno.EPERM: "PermissionError",
    errno.ESRCH: "ProcessLookupError",
    errno.ETIMEDOUT: "TimeoutError",
}
RENAMED = {
    "ImportError": ("ModuleNotFoundError",),
    "cPickle.PicklingError": ("_pickle.PicklingError",),
    "cPickle.UnpicklingError": ("_pickle.UnpicklingError",),
    "Queue.Empty": ("_queue.Empty", "queue.Empty"),
    "Queue.Full": ("queue.Full",),
    "socket.timeout": ("TimeoutError",),
    "timeout": ("TimeoutError",),
}
NAME = re.compile(r"([A-Za-z_][\w.]*)")


def renamed(old: str, new: str, line: str) -> bool:
    if old in OS_ERRORS:
        number = re.search(r"\[Errno (\d+)\]", line)
        if number is None:
            return new == "OSError" and old != "error"
        return new == ERRNO_CLASSES.get(int(number.group(1)), "OSError")
    return new in RENAMED.get(old, ())


FILENAME = re.compile(r": '(?:[^'\\]|\\.)*'$")  # the file an OSError names, at the end of its message


def renamed_exception(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """The legacy line with each exception name Python 3 reports by another name put as that name.

    An OSError that subprocess raised for a program not found named no file on Python 2 (`[Errno 2] No
    such file or directory`); Python 3 adds the program's name: where the legacy message names none, the
    modern one is read without it."""
    named = FILENAME.search(modern)
    if named and "[Errno " in legacy and not FILENAME.search(legacy):
        modern = modern[: named.start()]
    old, new = NAME.split(legacy), NAME.split(modern)
    if len(old) != len(new):
        return []
    rebuilt, used = list(old), False
    for index in range(1, len(old), 2):
        if old[index] != new[index] and renamed(old[index], new[index], legacy):
            followed = old[index + 1][:1] if index + 1 < len(old) else ""
            if old[index] in ("timeout", "socket.timeout") and followed != ":":
                continue  # the word "timeout" is an exception only where an exception line names it
            rebuilt[index], used = new[index], True
    return [("".join(rebuilt), modern)] if used else []


RENAMED_EXCEPTION = Cause(
    "renamed-exception",
    change=(
        "Python 3 reports this exception by another name: IOError and its kin as OSError or its errno subclass"
        " (3.3), a missing module as ModuleNotFoundError (3.6)"
    ),
    fix="catch OSError (or FileNotFoundError, ...); `except ImportError` still catches ModuleNotFoundError",
    matches=(
        "A legacy line naming `IOError`, `EnvironmentError`, `socket.error` ... where the port names"
        " `OSError`, or with `[Errno N]` the subclass of that errno (`FileNotFoundError` for 2);"
        " `ImportError` against `ModuleNotFoundError`; `cPickle.PicklingError` against"
        " `_pickle.PicklingError`; `Queue.Empty` against `_queue.Empty`. A program that subprocess did not"
        " find raised `OSError: [Errno 2] No such file or directory` on Python 2, and Python 3 names it"
        " (`FileNotFoundError: [Errno 2] No such file or directory: 'nosuchcommand'`). Not a subclass"
        " another errno gives, nor a file named where the legacy line named another."
    ),
    example=(
        "-err: IOError: [Errno 2] No such file or directory: 'input.txt'",
        "+err: FileNotFoundError: [Errno 2] No such file or directory: 'input.txt'",
    ),
    rewrite=renamed_exception,
)


def changed_message(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """The modern line with its exception message worded as Python 2 worded the same failure."""
    suggestion = DID_YOU_MEAN.search(modern)
    if not suggestion and not ANY_LEGACY_MESSAGE.search(legacy):
        return []
    versions = [modern]
    if suggestion and not DID_YOU_MEAN.search(legacy):
        versions.append(modern[: suggestion.start()])  # 3.10+ suggests a name; Python 2 did not
    found = [(legacy, version) for version in versions[1:]]
    for version in versions:
        for old_pattern, new_pattern in COMPILED_MESSAGES:
            old, new = old_pattern.search(legacy), new_pattern.search(version)
            if old and new and agree(old, new):
                found.append((legacy, version[: new.start()] + old.group() + version[new.end() :]))
    return changed(found, legacy, modern)


CHANGED_MESSAGE = Cause(
    "changed-message",
    change="Python 3 words this exception's message differently (argument counts, quoted module names, ...)",
    fix="nothing to fix when the failure is the same; do not parse exception messages",
    matches=(
        "A message Python 2 and 3 word differently for the same failure, the names and numbers in it"
        " alike: `f() takes exactly 2 arguments (1 given)` against `f() missing 1 required positional"
        " argument: 'b'`, `No module named foo` against `No module named 'foo'`, `global name 'x' is not"
        " defined` against `name 'x' is not defined`, a `Did you mean: ...?` added (3.10+), and the others"
        " in MESSAGES. Not a message naming another function, name or count."
    ),
    example=(
        "-err: TypeError: work() takes exactly 2 arguments (1 given)",
        "+err: TypeError: work() missing 1 required positional argument: 'n'",
    ),
    rewrite=changed_message,
)
