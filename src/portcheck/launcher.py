"""Run a script or a module as __main__ under a chosen start method, as `python script.py` would run it.

    python3 launcher.py START_METHOD SCRIPT [ARGUMENT ...]
    python3 launcher.py START_METHOD -m MODULE [ARGUMENT ...]

runpy makes the program sys.modules["__main__"] with its own __file__ (and __spec__ for a module),
so spawn and forkserver children import it as __mp_main__, exactly as for a program run directly;
sys.path[0] is the script's own directory, or the working directory for a module. A program that
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
    chosen = sys.argv[1]
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
    if sys.argv[2] == "-m":
        module = sys.argv[3]
        sys.argv[:] = [module] + sys.argv[4:]  # run_module puts the module's path here, as -m does
        sys.path[0] = os.getcwd()
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    else:
        script = sys.argv[2]
        sys.argv[:] = sys.argv[2:]
        sys.path[0] = os.path.dirname(os.path.abspath(script))
        runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
