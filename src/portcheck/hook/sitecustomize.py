"""Loaded into every Python process of a run of your own scripts (Python 2.7 and 3), by PYTHONPATH.

It tells the harness two things, and changes nothing else a program can see:
- which process printed each line: every piece of a line written through sys.stdout or
  sys.stderr is framed as RS + pid + US + text + GS, and every newline follows such a frame
  written in the same call, so that lines that processes interleave can be put back together
  (portcheck/marks.py takes the frames off again);
- every process of the run: each one writes its pid to the file named by $PORTCHECK_PROCESSES
  as it starts (a forked child, from os.fork), with "helper" for multiprocessing's own helper
  processes (the resource tracker, the fork server), so that any pid printed can be named by
  the order in which the processes were created.
A sitecustomize that this one shadows is still loaded, after it.
"""

import os
import sys

FRAME = "\x1e%d\x1f%s\x1d"
HELPERS = (b"resource_tracker", b"semaphore_tracker", b"forkserver import main")


def _note(kind):
    try:
        fd = os.open(os.environ["PORTCHECK_PROCESSES"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, ("%d %s\n" % (os.getpid(), kind)).encode("ascii"))
        finally:
            os.close(fd)
    except (KeyError, OSError):
        pass


def _kind():
    try:
        with open("/proc/self/cmdline", "rb") as cmdline:
            command = cmdline.read()
    except (IOError, OSError):
        return "process"
    return "helper" if any(helper in command for helper in HELPERS) else "process"


class _MarkedStream(object):
    """A text stream that frames what each process writes with that process's pid."""

    def __init__(self, stream):
        self.__dict__["_stream"] = stream
        if sys.version_info[0] == 2:  # Python 2 sets a terminal's encoding only on a real file
            self.__dict__["encoding"] = _python2_encoding(stream)

    def write(self, text):
        if sys.version_info[0] == 2 and not isinstance(text, str) and self.encoding:
            text = text.encode(self.encoding)  # as Python 2's print does for unicode on a terminal
        pid = os.getpid()
        pieces = text.split("\n")
        framed = [
            FRAME % (pid, piece) if piece or index < len(pieces) - 1 else "" for index, piece in enumerate(pieces)
        ]
        return self._stream.write("\n".join(framed))

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def __setattr__(self, name, value):  # softspace, for Python 2's print statement
        setattr(self._stream, name, value)


def _python2_encoding(stream):
    given = os.environ.get("PYTHONIOENCODING")
    if given:
        return given.split(":")[0] or None
    try:
        if not stream.isatty():
            return None
        import locale

        return locale.getpreferredencoding()
    except Exception:
        return None


def _install():
    _note(_kind())
    fork = os.fork

    def marked_fork():
        pid = fork()
        if pid == 0:
            _note("process")
        return pid

    os.fork = marked_fork
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None:
            setattr(sys, name, _MarkedStream(stream))


def _load_shadowed():
    here = os.path.dirname(os.path.abspath(__file__))
    ours = sys.modules.pop("sitecustomize", None)
    saved = sys.path[:]
    sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or ".") != here]
    try:
        import sitecustomize  # noqa: F401  (the one this file shadows, if any)
    except ImportError:
        pass
    finally:
        sys.path[:] = saved
        if ours is not None:
            sys.modules["sitecustomize"] = ours


if os.environ.get("PORTCHECK_PROCESSES"):
    _install()
    _load_shadowed()
