"""Carry out a plan: run each program once, observe it, compare, and hand each task's results on in order.

    Task ─► legacy run (live, cached or recorded) ─┬─► modern run, each start method ─────► compare ─┐
                                                   └─► mechanical port, each start method ─► compare ─┤
            a difference left, and the policy learns? ─► 2 more legacy runs ─► noise ─► compare again ─┤
            still a difference? ─► 1 more run of that port ─► what each side varies in ───► compare again ─┴─► results
                                   (a 2nd where either varies there; one side varies where the other does not:
                                    the other again, up to MOST_RUNS)

Runs go through one pool of `jobs` threads, each running one program at a time, so that no more
than `jobs` programs run at once however many tasks there are; each task is followed by a thread
of its own that only waits. Results are handed on task by task, in the plan's order.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Callable

from portcheck import chance, recordings
from portcheck.mechanical import mechanical_port, read_source
from portcheck.model import Observation, Plan, Policy, Port, Result, Task, ToolError, Verdict
from portcheck.observe import observe
from portcheck.running import kill_launched_programs, launching_again, raise_if_stopped, stops_noted
from portcheck.verdict import compare, transcribed

NOISE_RUNS = 2  # more runs of a legacy program, to tell its noise from a port's difference
MORE_NOISE_RUNS = 4  # and more, when only an order is left and the legacy runs do reorder lines
MOST_RUNS = 9  # the bound on either side's runs, while one side varies in a line and the other does not (yet)
MOST_TASKS_AT_ONCE = 16  # tasks followed at once; their runs still wait for the pool
WAKE_INTERVAL = 0.2  # seconds between the main thread's looks for a signal that landed on another thread


def execute(
    plan: Plan,
    publish: Callable[[Task, list[Result]], None] = lambda task, results: None,
    progress: Callable[[list[Result]], None] = lambda results: None,
) -> list[Result]:
    """Every task's results, in order; `publish` gets each task's as soon as it and those before it are
    done, `progress` each task's as soon as it is done (in a thread of the engine)."""
    with stops_noted():  # Ctrl-C is raised where awake_result looks for it, not in a lock the threads share
        runs = ThreadPoolExecutor(max_workers=plan.jobs, thread_name_prefix="run")
        followers = ThreadPoolExecutor(
            max_workers=min(len(plan.tasks), MOST_TASKS_AT_ONCE) or 1, thread_name_prefix="task"
        )
        futures: list[Future] = []
        try:
            futures = [followers.submit(carry_out, task, plan, runs) for task in plan.tasks]
            for future in futures:
                future.add_done_callback(
                    lambda done: None if done.cancelled() or done.exception() else progress(done.result())
                )
            results: list[Result] = []
            for task, future in zip(plan.tasks, futures):
                done = awake_result(future)
                publish(task, done)
                results += done
            return results
        except BaseException:  # Ctrl-C, or a publisher that cannot write (its reader left): stop everything
            kill_launched_programs()  # and start no more: every thread then finishes at once
            for future in futures:
                future.cancel()
            raise
        finally:
            followers.shutdown(wait=True)
            runs.shutdown(wait=True)
            launching_again()


def carry_out(task: Task, plan: Plan, runs: ThreadPoolExecutor) -> list[Result]:
    python = plan.python3.release
    if task.error:
        return errors(task, plan, task.error)
    if task.skip or (task.missing and task.sources[0] is None):
        note = f"skipped: {task.skip}" if task.skip else task.missing
        return [
            Result(task.name, Port.MODERN, python, method, Verdict.NOT_APPLICABLE, note=note)
            for method in plan.start_methods
        ]
    try:
        legacy = runs.submit(legacy_observation, task).result()
    except ToolError as exc:
        return errors(task, plan, str(exc))
    if task.legacy is not None and task.legacy.interrupt and not legacy.interrupted:
        return errors(
            task,
            plan,
            f"{legacy.label} was never interrupted: no line of its stdout matched {task.legacy.interrupt.after!r}",
        )
    if legacy.stopped:
        return errors(task, plan, f"{legacy.label} was stopped: {legacy.stopped} (--limit raises it)")
    if legacy.timed_out:
        said = len([line for line in legacy.lines if line.stream == "out"])
        return errors(
            task,
            plan,
            f"{legacy.label} hung: killed with all its processes after its {legacy.timeout:g} s timeout"
            f" (it printed {said} line(s) first)",
        )
    modern = {program.start_method: runs.submit(observe, program) for program in task.modern}
    mechanical = {program.start_method: runs.submit(observe, program) for program in task.mechanical}
    not_applicable = dict(task.not_applicable)
    results = []
    for method in plan.start_methods:
        if task.missing:  # the port lacks the program: a difference no run can show
            results.append(
                Result(task.name, Port.MODERN, python, method, Verdict.DIFFERENT, legacy=legacy, note=task.missing)
            )
        elif method in not_applicable:
            results.append(
                Result(
                    task.name,
                    Port.MODERN,
                    python,
                    method,
                    Verdict.NOT_APPLICABLE,
                    legacy=legacy,
                    note=not_applicable[method],
                )
            )
        elif method in modern:
            results.append(compared(task.name, Port.MODERN, legacy, modern[method], task.policy, method, python))
    expected = {method: (verdict, why) for method, verdict, why in task.expected}
    findings = lint_of_port(task) if mechanical else ()
    for method, future in mechanical.items():
        result = compared(task.name, Port.MECHANICAL, legacy, future, task.policy, method, python)
        if method in expected and result.verdict is not Verdict.ERROR:
            result = dataclasses.replace(
                result,
                expected=expected[method][0],
                expected_why=expected[method][1],
                # a port expected to differ must differ for the reasons its data names (Result.as_expected)
                expected_diagnoses=task.expected_diagnoses if expected[method][0] is Verdict.DIFFERENT else (),
            )
        results.append(dataclasses.replace(result, findings=findings, binds=task.mechanical_binds))
    if task.policy.learn and any(result.verdict is Verdict.DIFFERENT for result in results):
        results = with_noise(task, legacy, results, runs)
    if any(result.diagnoses for result in results):  # what reading the start methods together shows
        from portcheck.diagnose import across_start_methods

        results = across_start_methods(results)
    return results


def awake_result(future: Future) -> list[Result]:
    """The future's result, waited for in short steps, looking for a stop between them. Ctrl-C or SIGTERM
    may land on any thread, and Python runs its handler only in the main thread, once that thread runs
    again: a wait without a timeout would sleep through it until the task ends by itself."""
    while not future.done():
        raise_if_stopped()
        wait([future], timeout=WAKE_INTERVAL)
    return future.result()


def lint_of_port(task: Task) -> tuple[str, ...]:
    """What `portcheck lint` finds in the mechanical port of the task's script: what 2to3 left for a person."""
    script = task.sources[0]
    if script is None:
        return ()
    from portcheck.lint import lint_source  # here: importing lint costs a fifth of a start, for 2to3 columns only

    shown = f"2to3 of {task.legacy.shown if task.legacy else script.name}"
    try:
        port = mechanical_port(read_source(script, shown), shown, script)
        return tuple(str(finding) for finding in lint_source(port, shown))
    except ToolError:  # a port that is not Python 3 either: its runs say so
        return ()


def legacy_observation(task: Task) -> Observation:
    """A task's legacy observation: run live (or from the cache of live runs), else its recording's first run."""
    if task.legacy is not None:
        return observe(task.legacy)
    return recorded(task).runs[0]


def recorded(task: Task) -> recordings.Recording:
    if task.recording is None:
        raise ToolError(f"no Python 2.7 here to run {task.name}, and no recording of it")
    try:
        return recordings.read(task.recording)
    except OSError:
        raise ToolError(f"no Python 2.7 here, and no recording {task.recording}") from None
    except recordings.NOT_A_RECORDING as exc:
        raise ToolError(f"{task.recording} is not a recording this version reads ({exc})") from None


def compared(
    name: str, kind: Port, legacy: Observation, modern: Future, policy: Policy, method: str, python: str
) -> Result:
    try:
        observation = modern.result()
    except ToolError as exc:
        return Result(name, kind, python, method, Verdict.ERROR, legacy=legacy, note=str(exc))
    return compare(name, kind, legacy, observation, policy)


def errors(task: Task, plan: Plan, error: str) -> list[Result]:
    kinds = [Port.MODERN] + ([Port.MECHANICAL] if task.mechanical else [])
    return [
        Result(task.name, kind, plan.python3.release, method, Verdict.ERROR, note=error)
        for kind in kinds
        for method in plan.start_methods
    ]


def with_noise(task: Task, legacy: Observation, results: list[Result], runs: ThreadPoolExecutor) -> list[Result]:
    """The results again, each difference judged knowing what the legacy program's own runs vary in.

    Two more runs first; when a difference of order alone is left and the legacy runs did move
    lines, MORE_NOISE_RUNS more, since a few runs of a racy program show few of its orders.
    """
    observations = [legacy]
    rejudged = results
    for more in (NOISE_RUNS, MORE_NOISE_RUNS):
        observations += legacy_reruns(task, len(observations) + 1, more, runs)
        noise = chance.noise_of(keyed(observations, task.policy, legacy=True))
        rejudged = [rejudge(result, legacy, task.policy, noise) for result in results]
        order_only = any(result.verdict is Verdict.DIFFERENT and result.hint for result in rejudged)
        if not (order_only and noise.moving):
            break
    # a difference left: the port's own runs, since chance is what both sides show
    programs = {(program.start_method, Port.MODERN): program for program in task.modern}
    programs.update({(program.start_method, Port.MECHANICAL): program for program in task.mechanical})
    firsts = {
        index: keyed([result.modern], task.policy, legacy=False)[0]  # each run's keys, made once
        for index, result in enumerate(rejudged)
        if result.verdict is Verdict.DIFFERENT
        and (result.start_method, result.kind) in programs
        and result.modern is not None
        and not result.modern.timed_out  # a hang, or output past the limit, reruns to the same end: not chance
        and not result.modern.stopped
    }
    varied = {index: bool(noise.rejected(first)) for index, first in firsts.items()}  # the original, where it differs

    def rerun(index: int, number: int) -> Future:
        return runs.submit(observe, programs[rejudged[index].start_method, rejudged[index].kind], number)

    seconds = {
        index: rerun(index, 2) for index in firsts if varied[index] or chance.could_be_chance(rejudged[index].diff)
    }
    ports = {index: [firsts[index], *keyed(finished([run]), task.policy, False)] for index, run in seconds.items()}
    # a third run only where the port varied, or the original did there: a port that printed the same on
    # both runs where the original never varied is taken to print that every time (the cost of a difference)
    thirds = {index: rerun(index, 3) for index, port in ports.items() if varied[index] or port[1:] != [port[0]]}
    for index, run in thirds.items():
        ports[index] += keyed(finished([run]), task.policy, False)
    for index, port in ports.items():
        result = rejudged[index]
        evidence = noise.with_port(port)
        if evidence.port_only and len(observations) < MOST_RUNS:  # does the original race there too?
            more = MOST_RUNS - len(observations)
            observations += legacy_reruns(task, len(observations) + 1, more, runs)
            noise = chance.noise_of(keyed(observations, task.policy, legacy=True))
            evidence = noise.with_port(port)
        if evidence.rejected(port[0]):  # a few runs alike can be luck
            program = programs[result.start_method, result.kind]
            numbers = range(len(port) + 1, MOST_RUNS + 1)
            port += keyed(finished([runs.submit(observe, program, number) for number in numbers]), task.policy, False)
            evidence = noise.with_port(port)
        rejudged[index] = rejudge(result, legacy, task.policy, evidence)
    return rejudged


def keyed(observations: list[Observation], policy: Policy, legacy: bool) -> list[list[str]]:
    return [[entry.key for entry in transcribed(run, policy, legacy=legacy).entries] for run in observations]


def finished(futures: list[Future]) -> list[Observation]:
    """The reruns that ran to their end."""
    done = []
    for future in futures:
        try:
            rerun = future.result()
        except ToolError:
            continue
        if not rerun.timed_out and not rerun.stopped:
            done.append(rerun)
    return done


def legacy_reruns(task: Task, first: int, count: int, runs: ThreadPoolExecutor) -> list[Observation]:
    """The legacy program's runs `first` to `first + count - 1`: run live, else as many of them as it has recorded."""
    if task.legacy is None:
        return list(recorded(task).runs[first - 1 : first - 1 + count])
    return finished([runs.submit(observe, task.legacy, number) for number in range(first, first + count)])


def rejudge(result: Result, legacy: Observation, policy: Policy, noise: chance.Noise) -> Result:
    if result.verdict is not Verdict.DIFFERENT or result.modern is None:
        return result
    return dataclasses.replace(
        compare(result.name, result.kind, legacy, result.modern, policy, noise),
        # what the task, not the comparison, says of the result stays as it was
        expected=result.expected,
        expected_why=result.expected_why,
        expected_diagnoses=result.expected_diagnoses,
        findings=result.findings,
        binds=result.binds,
    )
