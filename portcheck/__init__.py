"""portcheck: compare a Python 2 multiprocessing program with its Python 3 port, by what they do.

Modules, one job each: `running` runs one program (pty, session, killing its group);
`interpreters` finds and checks Pythons; `pairs` holds this repository's pairs, their rules
and their recordings; `transcript` normalises and compares what programs did; `comparison`
runs both sides of a pair and compares them; `cli` is the command line.
"""

__version__ = "0.2.0"


class ToolError(Exception):
    """A problem with what the tool was asked to do, told in one line."""
