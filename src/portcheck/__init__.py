"""portcheck: compare a Python 2 multiprocessing program with its Python 3 port, by what they do.

The modules, in the order the data walks through them:

    cli          parse the command line into a Request, and dispatch
    config       read a code base's portcheck.toml (or [tool.portcheck]): each program's settings, its timeout
    plan         Request ─► Plan: the Tasks to carry out, everything checked before anything runs
                 (interpreters: the Pythons, each script compiled; mechanical: the converter)
    engine       Plan ─► Results: run, observe, compare, task by task
      running      run one program, bounded, in a session of its own (pty, killing its group)
      scratch      each run in a scratch copy of its workspace; the files it changed
      observe      a run ─► Observation: each line with its process, the files, what was left behind
      normalise    Observation ─► Transcript: what is compared, in which normal forms
      relax        what may still differ and be the same behaviour, each with its reason
      verdict      two Transcripts and a Policy ─► Result: the verdict, the relaxations, the diff
      diagnose     a different Result ─► its Diagnoses: the Python 2 → 3 change behind each difference, or none known
    publish      Results ─► text (publish.text), JSON (publish.json); the site is built from the JSON

Shared types live in model; mechanical makes 2to3's port of a program; interpreters finds the
Pythons; marks and hook/ tell which process printed what; launcher runs a program under a start
method; side_by_side aligns two programs function by function; lint checks Python 3 code for the
pitfalls. tests/maintenance.py (not in the wheel) records the legacy runs and soaks the comparisons.
"""

__version__ = "0.3.0"
