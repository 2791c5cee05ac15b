"""Run a script as __main__ under a chosen start method, as `python script.py` would run it.

    python3 launcher.py SCRIPT START_METHOD [ARGUMENT ...]

run_path makes the script sys.modules["__main__"] with its own __file__, so spawn and forkserver
children import it by path as __mp_main__, exactly as for a script run directly. A script that
calls set_start_method() itself may ask for the method it runs under; asking for another one
would make the run a lie, so it stops at once (os._exit: an except clause cannot swallow it)
saying which method to compare it under.

Runs on Python 3.4 and later, for the ports people bring: no f-strings, no annotations.
"""

import multiprocessing
import os
import runpy
import sys


def main():
    script, chosen = sys.argv[1:3]
    multiprocessing.set_start_method(chosen)

    def set_start_method(method, force=False):
        if method != chosen:
            sys.stderr.write(
                "the script asks for the %r start method in a run under %r: compare it with "
                "--start-methods %s\n" % (method, chosen, method)
            )
            sys.stderr.flush()
            os._exit(2)

    multiprocessing.set_start_method = set_start_method
    sys.argv[:] = [script] + sys.argv[3:]
    sys.path[0] = os.path.dirname(script)
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
