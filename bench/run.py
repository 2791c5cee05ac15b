"""Benchmark multiprocessing on Python 2.7 and every Python 3 here, side by side, with the OS floor.

    python3 -m bench.run [--quick] [--out DIR] [--python PATH ...]

Runs bench/probe.py on each interpreter in turn (never two at once, so they do not load
each other), then writes DIR/bench.json (every sample, medians, spreads and ratios), DIR/bench.md
(the tables it also prints) and DIR/bench.png (when matplotlib is installed, as in `tox -e bench`).
Every figure is time per operation: lower is better. "vs 2.7" is the median divided by
Python 2.7's (fork) median for the same measure, or for its nearest Python 2 equivalent
(PYTHON2_EQUIVALENT); "vs floor" divides by the lowest median that any interpreter got for the
same thing done with bare os calls.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from portcheck.interpreters import find_python2, find_python3s, interpreter
from portcheck.model import ToolError
from portcheck.running import START_METHODS, kill_process_group, telling_line

ROOT = Path(__file__).resolve().parent.parent

PROBE = Path(__file__).resolve().parent / "probe.py"
PROBE_TIMEOUT = 600  # seconds for one interpreter's whole probe
FLOORS = {"process start + join": "floor: os.fork + waitpid", "Pipe 1 MiB message": "floor: os.pipe 1 MiB"}
# Python 2.7 has no concurrent.futures: its nearest way to run one task in a worker is Pool.apply.
PYTHON2_EQUIVALENT = {"executor submit -> result": "Pool.apply round trip"}
FULL = {"rounds": 7, "budget": 0.08}  # seconds per round, per measure: about 15 s per Python 3
QUICK = {"rounds": 1, "budget": 0.002}
METHOD_ORDER = [*START_METHODS, "-"]


def interpreters(requested: list[str]) -> list[str]:
    """The real executables to measure: those requested, else Python 2.7 and every 3.8+ found."""
    if requested:
        found = [interpreter(command) for command in requested]
    else:
        python2 = find_python2()
        found = ([python2] if python2 else []) + find_python3s()
    if not found:
        raise ToolError("no interpreter to measure")
    by_executable = {python.executable: python for python in found}
    return [python.executable for python in sorted(by_executable.values(), key=lambda python: python.version)]


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def probe(executable: str, rounds: int, budget: float) -> dict:
    methods = ["fork"] if interpreter(executable).minor < (3, 4) else list(START_METHODS)
    argv = [executable, str(PROBE), str(rounds), str(budget), *methods]
    # In a session of its own, so that a timeout or Ctrl-C ends its helpers and fork server too.
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate(timeout=PROBE_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ToolError(f"the probe on {executable} ran past {PROBE_TIMEOUT} s; killed with its processes") from None
    finally:
        kill_process_group(process.pid)
        process.wait()
    if process.returncode != 0:
        raise ToolError(f"the probe failed on {executable}: {telling_line(stderr)}")
    return json.loads(stdout)


def summarise(probes: list[dict]) -> list[dict]:
    """One row per (measure, start method, Python): median, spread and both ratios."""
    rows = []
    for result in probes:
        for measured in result["results"]:
            measure, method, samples = measured["measure"], measured["start method"], measured["samples"]
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
        base = baseline.get(PYTHON2_EQUIVALENT.get(row["measure"], row["measure"]))
        floor = lowest.get(FLOORS.get(row["measure"], ""))
        row["vs 2.7"] = row["median"] / base if base else None
        row["vs floor"] = row["median"] / floor if floor else None
    return rows


def human(seconds: float) -> str:
    for unit, factor in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if float(f"{seconds:.3g}") >= factor:  # so 999.7 µs reads 1 ms, not 1e+03 µs
            return f"{seconds / factor:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def describe(machine: dict) -> str:
    settings = machine["settings"]
    return (
        f"Measured on {machine['cpu']} ({machine['cpus']} CPUs), {machine['platform']}, {machine['date']}: "
        f"{settings['rounds']} rounds of about {settings['budget']} s per measure, {machine['seconds']:.0f} s in all."
    )


def ordered_keys(rows: list[dict]) -> list[tuple[str, str]]:
    """(measure, start method) in the probe's order, the start-method-free measures and floors last."""
    measures = list(dict.fromkeys(row["measure"] for row in rows))
    return sorted(
        {(row["measure"], row["start method"]) for row in rows},
        key=lambda key: (key[1] == "-", measures.index(key[0]), METHOD_ORDER.index(key[1])),
    )


def tables(rows: list[dict], machine: dict) -> str:
    pythons = sorted({row["python"] for row in rows}, key=lambda v: tuple(map(int, v.split("."))))
    keys = ordered_keys(rows)
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
        mark = "†" if row["measure"] in PYTHON2_EQUIVALENT else ""
        ratio = f" x{row['vs 2.7']:.2f}{mark}" if row["vs 2.7"] is not None else ""
        return f"{human(row['median'])}{ratio} ±{row['spread'] * 50:.0f}%"

    def floor_cell(row: dict | None) -> str:
        return "—" if row is None or row["vs floor"] is None else f"x{row['vs floor']:.1f}"

    lines = [describe(machine), ""]
    lines += table("Median per operation, xratio to Python 2.7 (fork), ±half the spread of the rounds:", median_cell)
    lines += [f"† against Python 2.7's {old}" for old in dict.fromkeys(PYTHON2_EQUIVALENT.values())] + [""]
    lines += table("Ratio to the OS floor (the same work with bare os calls):", floor_cell, lambda k: k[0] in FLOORS)
    return "\n".join(lines)


def chart(rows: list[dict], path: Path) -> bool:
    """Bars from zero (so their lengths compare honestly), whiskers from the fastest to the slowest round."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    pythons = sorted({row["python"] for row in rows}, key=lambda v: tuple(map(int, v.split("."))))
    keys = ordered_keys(rows)
    measures = list(dict.fromkeys(measure for measure, _ in keys))
    cell = {(row["measure"], row["start method"], row["python"]): row for row in rows}
    columns, rows_of_axes = 3, -(-len(measures) // 3)
    figure, axes = plt.subplots(rows_of_axes, columns, figsize=(15, 3.2 * rows_of_axes))
    width = 0.8 / len(pythons)
    for axis, measure in zip(axes.flat, measures):
        methods = [method for name, method in keys if name == measure]
        slowest = max(row["max"] for row in rows if row["measure"] == measure)
        unit, factor = next((u, f) for u, f in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)) if slowest >= f)
        for index, python in enumerate(pythons):
            found = [(position, cell.get((measure, method, python))) for position, method in enumerate(methods)]
            found = [(position, row) for position, row in found if row]
            if not found:
                continue
            axis.bar(
                [position + index * width for position, _ in found],
                [row["median"] / factor for _, row in found],
                width,
                yerr=[
                    [(row["median"] - row["min"]) / factor for _, row in found],
                    [(row["max"] - row["median"]) / factor for _, row in found],
                ],
                capsize=1.5,
                error_kw={"elinewidth": 0.6},
                label=python,
                color=f"C{index}",
            )
        axis.set_xticks([m + 0.4 - width / 2 for m in range(len(methods))], methods)
        axis.set_title(measure, fontsize=10)
        axis.set_ylabel(f"{unit} per operation")
    for axis in list(axes.flat)[len(measures) :]:
        axis.axis("off")
    axes.flat[0].legend(fontsize=7, ncol=2)
    figure.suptitle("multiprocessing, time per operation (lower is better); whiskers: fastest to slowest round")
    figure.tight_layout()
    figure.savefig(path, dpi=80)
    plt.close(figure)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one small round: proves it works, numbers mean little")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench-results", help="where to write (default bench-results/)"
    )
    parser.add_argument("--python", action="append", default=[], metavar="PATH", help="measure only these (repeatable)")
    arguments = parser.parse_args(argv)
    settings = QUICK if arguments.quick else FULL
    started = time.monotonic()
    try:
        probes = []
        for executable in interpreters(arguments.python):
            print(f"measuring {executable} ...", file=sys.stderr, flush=True)
            probes.append(probe(executable, settings["rounds"], settings["budget"]))
    except ToolError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rows = summarise(probes)
    machine = {
        "cpu": cpu_model(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "date": datetime.date.today().isoformat(),
        "seconds": time.monotonic() - started,
        "settings": settings,
    }
    arguments.out.mkdir(parents=True, exist_ok=True)
    (arguments.out / "bench.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=1))
    text = tables(rows, machine)
    (arguments.out / "bench.md").write_text(text + "\n")
    print(text)
    if chart(rows, arguments.out / "bench.png"):
        print(f"chart: {arguments.out / 'bench.png'}")
    else:
        print("chart: skipped, matplotlib is not installed (tox -e bench installs it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
