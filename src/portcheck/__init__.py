"""portcheck: compare a Python 2 multiprocessing program with its Python 3 port, by what they do.

The modules, in the order the data walks through them:

    cli          parse the command line into a Request, and dispatch (lint, merge, record: commands of their own)
    plan         Request ─► Plan: the programs it names, everything checked before anything runs
      interpreters   the Pythons found, and each script compiled by the Python that runs it
      tasks          each program made into a Task: its settings applied, on the Pythons found
      config         a code base's portcheck.toml (or [tool.portcheck]): each program's settings, its timeout
    engine       Plan ─► Results: run, observe, compare, task by task
      running      run one program, bounded, under its reaper (pty, status and control pipes, limits)
      reaper       the run's first process: starts the program, ends the rest once it has ended
      sandbox      each run in bubblewrap's sandbox: the user's files read-only, writes in layers of its own
      scratch      where the kernel refuses the sandbox, each run in a copy of its workspace
      observe      a run ─► Observation: each line with its process, the files, what was left behind
      normalise    Observation ─► Transcript: what is compared, in which normal forms
        clock        a date or time printed within the run itself: <now>
      relax        what may still differ and be the same behaviour, each with its reason
        chance       what both sides' own runs vary in (fields, order, numbers of lines, items' order)
      verdict      two Transcripts and a Policy ─► Result: the verdict, the relaxations, the diff
      diagnose     a different Result ─► its Diagnoses: the Python 2 → 3 change behind each difference, or none known
    publish      Results ─► text (publish.text), JSON (publish.json); the site is built from the JSON
    model        Results ─► the exit status; and the types every stage shares

merge reads JSON results back, checks they are every part of one run, writes them as one and reports
them (publish.json, publish.text); record runs a code base's legacy programs on Python 2.7 and writes
their recordings, which engine reads where no Python 2.7 is, and plan finds stale (recordings);
compile_each is what interpreters runs to compile scripts; mechanical makes 2to3's port of a
program; marks and hook/ tell which process printed what; launcher runs a program under a start
method; side_by_side aligns two programs function by function; lint checks Python 3 code for the
pitfalls. maint/ (not in the wheel) soaks the comparisons and makes the outputs the documents show.
"""

__version__ = "0.3.0"
