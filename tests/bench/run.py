"""Benchmark multiprocessing on Python 2.7 and every Python 3 here, side by side, with the OS floor.

    python3 -m tests.bench.run [--quick] [--out DIR] [--python PATH ...]

Runs tests/bench/probe.py on each interpreter in turn (never two at once, so they do not load
each other), then writes DIR/bench.json (every sample, medians, spreads and ratios), DIR/bench.md
(the tables it also prints) and DIR/bench.png (when matplotlib is installed, as in `tox -e bench`).
Every figure is seconds per operation: lower is better. "vs 2.7" is the median divided by
Python 2.7's (fork) median for the same measure; "vs floor" divides by the lowest median that
any interpreter got for the same thing done with bare os calls.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from tests.harness import ROOT, START_METHODS, HarnessError, find_legacy_python, interpreter_version

PROBE = Path(__file__).resolve().parent / "probe.py"
PYTHON3_CANDIDATES = [f"python3.{minor}" for minor in range(8, 15)]
FLOORS = {"process start + join": "floor: os.fork + waitpid", "Pipe 1 MiB message": "floor: os.pipe 1 MiB"}
FULL = {"rounds": 5, "scale": 1.0}
QUICK = {"rounds": 1, "scale": 0.02}


def interpreters(requested: list[str]) -> list[str]:
    """The real executables to measure: those requested, else Python 2.7 and every 3.8+ found."""
    found: dict[str, str] = {}
    if requested:
        candidates = requested
    else:
        legacy = find_legacy_python()
        candidates = ([legacy] if legacy else []) + [name for name in PYTHON3_CANDIDATES if shutil.which(name)]
    for candidate in candidates:
        try:
            executable, version = interpreter_version(candidate)
        except HarnessError:
            if requested:
                raise
            continue  # a pyenv shim for a version not installed here
        found.setdefault(executable, f"{version[0]}.{version[1]}")
    if not found:
        raise HarnessError("no interpreter to measure")
    return sorted(found, key=lambda executable: tuple(map(int, found[executable].split("."))))


def probe(executable: str, rounds: int, scale: float) -> dict:
    version = interpreter_version(executable)[1]
    methods = ["fork"] if version < (3, 4) else list(START_METHODS)
    argv = [executable, str(PROBE), str(rounds), str(scale), *methods]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False, cwd=ROOT)
    except subprocess.TimeoutExpired:
        raise HarnessError(f"the probe on {executable} ran past 600 s") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise HarnessError(f"the probe failed on {executable}: {last}")
    return json.loads(done.stdout)


def summarise(probes: list[dict]) -> list[dict]:
    """One row per (measure, start method, Python): median, spread and both ratios."""
    rows = []
    for result in probes:
        for key, samples in result["samples"].items():
            measure, method = key.split("|")
            median = statistics.median(samples)
            spread = (max(samples) - min(samples)) / median if median else 0.0
            rows.append(
                {
                    "measure": measure,
                    "start method": method,
                    "python": result["python"],
                    "median": median,
                    "min": min(samples),
                    "max": max(samples),
                    "spread": spread,
                    "samples": samples,
                }
            )
    baseline = {row["measure"]: row["median"] for row in rows if row["python"].startswith("2.7")}
    lowest: dict[str, float] = {}
    for row in rows:
        lowest[row["measure"]] = min(lowest.get(row["measure"], row["median"]), row["median"])
    for row in rows:
        base = baseline.get(row["measure"])
        floor = lowest.get(FLOORS.get(row["measure"], ""))
        row["vs 2.7"] = row["median"] / base if base else None
        row["vs floor"] = row["median"] / floor if floor else None
    return rows


def human(seconds: float) -> str:
    for unit, factor in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= factor:
            return f"{seconds / factor:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def tables(rows: list[dict]) -> str:
    pythons = sorted({row["python"] for row in rows}, key=lambda v: tuple(map(int, v.split("."))))
    keys = list(dict.fromkeys((row["measure"], row["start method"]) for row in rows))
    cell = {(row["measure"], row["start method"], row["python"]): row for row in rows}

    def table(title: str, render, only=lambda key: True) -> list[str]:
        lines = [title, "", "| measure | start | " + " | ".join(pythons) + " |", "|---|---|" + "---|" * len(pythons)]
        for measure, method in filter(only, keys):
            cells = [render(cell.get((measure, method, python))) for python in pythons]
            lines.append(f"| {measure} | {method} | " + " | ".join(cells) + " |")
        return [*lines, ""]

    def median_cell(row: dict | None) -> str:
        if row is None:
            return "—"
        ratio = f" x{row['vs 2.7']:.2f}" if row["vs 2.7"] is not None else ""
        return f"{human(row['median'])}{ratio} ±{row['spread'] * 50:.0f}%"

    def floor_cell(row: dict | None) -> str:
        return "—" if row is None or row["vs floor"] is None else f"x{row['vs floor']:.1f}"

    lines = table("Median per operation, xratio to Python 2.7 (fork), ±half the spread of the rounds:", median_cell)
    lines += table("Ratio to the OS floor (the same work with bare os calls):", floor_cell, lambda k: k[0] in FLOORS)
    return "\n".join(lines)


def chart(rows: list[dict], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    measures = list(dict.fromkeys(row["measure"] for row in rows))
    pythons = sorted({row["python"] for row in rows}, key=lambda v: tuple(map(int, v.split("."))))
    columns = 3
    figure, axes = plt.subplots(-(-len(measures) // columns), columns, figsize=(15, 3.2 * -(-len(measures) // columns)))
    for axis, measure in zip(axes.flat, measures):
        methods = list(dict.fromkeys(row["start method"] for row in rows if row["measure"] == measure))
        width = 0.8 / len(pythons)
        for index, python in enumerate(pythons):
            values = [
                next(
                    (
                        r["median"] * 1e6
                        for r in rows
                        if (r["measure"], r["start method"], r["python"]) == (measure, method, python)
                    ),
                    0,
                )
                for method in methods
            ]
            axis.bar([m + index * width for m in range(len(methods))], values, width, label=python)
        axis.set_xticks([m + 0.4 - width / 2 for m in range(len(methods))], methods)
        axis.set_yscale("log")
        axis.set_title(measure, fontsize=10)
        axis.set_ylabel("µs per operation")
    for axis in list(axes.flat)[len(measures) :]:
        axis.axis("off")
    axes.flat[0].legend(fontsize=7, ncol=2)
    figure.suptitle("multiprocessing per operation, lower is better", fontsize=12)
    figure.tight_layout()
    figure.savefig(path, dpi=80)
    plt.close(figure)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m tests.bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one small round: proves it works, numbers mean little")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench-results", help="where to write (default bench-results/)"
    )
    parser.add_argument("--python", action="append", default=[], metavar="PATH", help="measure only these (repeatable)")
    arguments = parser.parse_args(argv)
    settings = QUICK if arguments.quick else FULL
    try:
        probes = []
        for executable in interpreters(arguments.python):
            print(f"measuring {executable} ...", file=sys.stderr, flush=True)
            probes.append(probe(executable, settings["rounds"], settings["scale"]))
    except HarnessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rows = summarise(probes)
    machine = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpus": __import__("os").cpu_count(),
        "settings": settings,
    }
    arguments.out.mkdir(parents=True, exist_ok=True)
    (arguments.out / "bench.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=1))
    text = tables(rows)
    (arguments.out / "bench.md").write_text(text + "\n")
    print(text)
    if chart(rows, arguments.out / "bench.png"):
        print(f"chart: {arguments.out / 'bench.png'}")
    else:
        print("chart: skipped, matplotlib is not installed (tox -e bench installs it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
