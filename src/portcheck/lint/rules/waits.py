"""Rules on waiting: a wait that can last for ever, and a timeout that bounds nothing."""

from __future__ import annotations

import ast
from typing import Iterator

from portcheck.lint.apis import RECEIVES, WAIT_FUNCTIONS, WAITS, Kind, Wait, canonical
from portcheck.lint.inference import Inference
from portcheck.lint.rules.base import Flagged, Rule
from portcheck.lint.scopes import FUNCTIONS
from portcheck.lint.syntax import (
    argument,
    calls_in,
    dotted,
    exits,
    has_unpacked_arguments,
    is_constant,
    method_call,
    own_calls,
    same,
    statements_before,
)
from portcheck.lint.values import Many, Obj, Ref, item_of

# Checks that say a wait will not block: a ready result, a finished future, data in a queue or pipe.
READINESS = {
    Kind.ASYNC_RESULT: {"ready", "successful"},
    Kind.FUTURE: {"done"},
    Kind.QUEUE: {"empty", "qsize", "full"},
    Kind.JOINABLE_QUEUE: {"empty", "qsize", "full"},
    Kind.SIMPLE_QUEUE: {"empty"},
    Kind.CONNECTION: {"poll"},
}


def unbounded(call: ast.Call, wait: Wait, proxied: bool = False) -> bool:
    """Whether `call` can wait for ever: no timeout (or None), and not told not to block."""
    if has_unpacked_arguments(call):
        return False  # what it is given cannot be read: say nothing
    block = argument(call, wait.block, "block")
    if block is None and proxied:
        block = argument(call, None, "blocking")
    if is_constant(block, False):
        return False
    if wait.timeout is None:
        return True
    timeout = argument(call, wait.timeout, "timeout")
    if timeout is None or is_constant(timeout, None):
        return True
    # threading's acquire(), behind a manager's lock, waits for ever on timeout=-1
    return proxied and is_constant(timeout, -1)


def checked_first(module: Inference, call: ast.Call, receiver: ast.expr, methods: set[str]) -> bool:
    """Whether a check of `receiver` with one of `methods` guards `call`.

    Either an `if` or `while` around it tests it (`if conn.poll(t): conn.recv()`), or a statement
    before it does and leaves when the check fails (`if not conn.poll(t): sys.exit(...)`), or its
    result was kept before (`ready = conn.poll(t)`).
    """

    def checks(node: ast.AST) -> bool:
        return any(
            (found := method_call(c)) and found[1] in methods and same(found[0], receiver) for c in calls_in(node)
        )

    child: ast.AST = call
    for ancestor in module.scopes.ancestors(call):
        if (
            isinstance(ancestor, (ast.If, ast.While, ast.IfExp))
            and child is not ancestor.test
            and checks(ancestor.test)
        ):
            return True
        if isinstance(ancestor, FUNCTIONS):
            break
        child = ancestor
    for statement in statements_before(call, module.scopes):
        if isinstance(statement, ast.If) and checks(statement.test) and statement.body and exits(statement.body[-1]):
            return True
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and checks(statement):
            return True
    return False


def ended_before(module: Inference, call: ast.Call, receiver: ast.expr) -> bool:
    """Whether the process was terminated or killed before this join(): then it cannot wait long."""
    for statement in statements_before(call, module.scopes):
        for found in calls_in(statement):
            method = method_call(found)
            if method and method[1] in ("terminate", "kill") and same(method[0], receiver):
                return True
    # for p in workers: p.terminate()  ...  for p in workers: p.join()
    function = module.scopes.enclosing_function(call) or module.tree
    for found in calls_in(function):
        method = method_call(found)
        if method and method[1] in ("terminate", "kill") and same(method[0], receiver) and found.lineno < call.lineno:
            return True
    return False


def all_done_before(module: Inference, call: ast.Call, receiver: ast.expr) -> bool:
    """Whether `concurrent.futures.wait()` waited, with no timeout, for this future to be done."""
    for statement in statements_before(call, module.scopes):
        for waited in calls_in(statement):
            if _waits_for_all(module, waited) and _among(module, waited.args[0], receiver, call):
                return True
    return False


def _waits_for_all(module: Inference, call: ast.Call) -> bool:
    """`concurrent.futures.wait(futures)`: no timeout, and return_when ALL_COMPLETED (the default)."""
    function = module.value(call.func)
    if not (isinstance(function, Ref) and canonical(function.qualname) == "concurrent.futures.wait" and call.args):
        return False
    timeout = argument(call, 1, "timeout")
    until = argument(call, 2, "return_when")
    if until is not None:
        named = module.value(until)
        if not (isinstance(named, Ref) and named.qualname == "concurrent.futures.ALL_COMPLETED"):
            return is_constant(until, "ALL_COMPLETED")
    return timeout is None or is_constant(timeout, None)


def _among(module: Inference, futures: ast.expr, receiver: ast.expr, call: ast.Call) -> bool:
    """Whether `receiver` is one of `futures`: listed in it, indexed from it, or drawn from it by a loop."""
    if isinstance(futures, (ast.List, ast.Tuple, ast.Set)):
        return any(same(element, receiver) for element in futures.elts)
    if isinstance(receiver, ast.Subscript) and same(receiver.value, futures):
        return True
    for ancestor in module.scopes.ancestors(call):
        if isinstance(ancestor, (ast.For, ast.AsyncFor)):
            loops = [(ancestor.target, ancestor.iter)]
        elif isinstance(ancestor, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            loops = [(generator.target, generator.iter) for generator in ancestor.generators]
        else:
            continue
        if any(same(target, receiver) and same(iterable, futures) for target, iterable in loops):
            return True
    return False


def shown(receiver: ast.expr, kind: Kind, method: str) -> str:
    name = dotted(receiver)
    return f"`{name}.{method}()`" if name else f"`{kind.value}.{method}()`"


class UnboundedWait(Rule):
    """Finds a wait with no timeout on a multiprocessing or process-pool object: `Process.join()`,
    `Queue.get()`, `acquire()`, `Event.wait()`, `Condition.wait()` and `wait_for()`,
    `Barrier.wait()`, a pool's `AsyncResult.get()` and `wait()`, a process pool's `Future.result()`
    and `exception()`, and `concurrent.futures.wait()`, `as_completed()` and
    `multiprocessing.connection.wait()` over them.

    Left alone: a `get()` the lint cannot tie to a queue (a dict's `get(key)`), `get(block=False)`,
    `get_nowait()`, a wait guarded by a check that it will not block (`if not q.empty():`,
    `if result.ready():`, `if future.done():`), the result of a future from `as_completed()` or
    `wait()`, or after `wait()` with no timeout has waited for it, a `join()` after `terminate()`
    or `kill()` of the same process, and `with lock:`
    (the idiom for a lock held briefly). `Pool.join()` and `shutdown()` take no timeout; bound the
    waits for the results instead.
    """

    code = "MPC101"
    name = "unbounded-wait"
    pair = "queue_offer"
    why = """\
A child that dies, hangs or never sends turns a wait without a timeout into a program that hangs
for ever, with nothing on the screen to say why. A bounded wait turns it into a failure the
program can report: `queue_offer` gets with a timeout and checks the child's exit code, so a child
that dies before its `put()` fails the program instead of hanging it. Every modern program bounds
every wait this way."""
    example = """\
from multiprocessing import Process, Queue


def offer(queue):
    queue.put("Hello World")


if __name__ == "__main__":
    q = Queue()
    p = Process(target=offer, args=(q,))
    p.start()
    print(q.get())
    p.join()
"""
    instead = """\
import sys
from multiprocessing import Process, Queue

TIMEOUT = 10


def offer(queue):
    queue.put("Hello World")


if __name__ == "__main__":
    q = Queue()
    p = Process(target=offer, args=(q,), daemon=True)
    p.start()
    print(q.get(timeout=TIMEOUT))
    p.join(TIMEOUT)
    if p.exitcode != 0:
        sys.exit(f"offer() exited with {p.exitcode}")
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        for call in module.calls:
            method = method_call(call)
            if method is not None:
                receiver, name = method
                owner = module.kind(receiver)
                if owner is not None and (owner.kind, name) in WAITS:
                    message = self._method(module, call, owner, receiver, name)
                    if message:
                        yield call, message
                    continue
            function = module.value(call.func)
            if isinstance(function, Ref) and canonical(function.qualname) in WAIT_FUNCTIONS:
                message = self._function(module, call, canonical(function.qualname))
                if message:
                    yield call, message

    def _method(self, module: Inference, call: ast.Call, owner: Obj, receiver: ast.expr, name: str) -> str | None:
        wait = WAITS[owner.kind, name]
        if not unbounded(call, wait, owner.proxied):
            return None
        if owner.kind is Kind.BARRIER and owner.call is not None and argument(owner.call, 2, "timeout") is not None:
            return None  # the barrier's own timeout bounds wait()
        if owner.kind in READINESS and checked_first(module, call, receiver, READINESS[owner.kind]):
            return None
        if owner.kind is Kind.PROCESS and ended_before(module, call, receiver):
            return None
        if owner.kind is Kind.FUTURE and all_done_before(module, call, receiver):
            return None
        return f"{shown(receiver, owner.kind, name)} can wait for ever: {wait.instead}"

    def _function(self, module: Inference, call: ast.Call, qualname: str) -> str | None:
        wait = WAIT_FUNCTIONS[qualname]
        if not call.args or not unbounded(call, wait):
            return None
        waited_for = item_of(module.value(call.args[0]))
        if qualname.startswith("concurrent.futures."):
            if not (isinstance(waited_for, Obj) and waited_for.kind is Kind.FUTURE):
                return None
        elif not (isinstance(waited_for, Obj) and waited_for.kind in (Kind.CONNECTION, Kind.PROCESS)):
            return None
        return f"`{qualname.rpartition('.')[2]}()` without a timeout can wait for ever: {wait.instead}"


class RecvWithoutPoll(Rule):
    """Finds `recv()` on a connection with no `poll(timeout)` before it.

    Also `recv_bytes()` and `recv_bytes_into()`. The `poll()` must say that a message, or the end
    of the pipe, is there before `recv()` runs.

    Left alone: a `recv()` inside `if conn.poll(t):` or `while conn.poll(t):`, one after
    `if not conn.poll(t): ...` that leaves the block, one after `ready = conn.poll(t)`, one on a
    connection that `multiprocessing.connection.wait()` returned as ready, and one on the sending
    end of `Pipe(duplex=False)`, which raises at once.
    """

    code = "MPC102"
    name = "recv-without-poll"
    pitfall = 5
    pair = "pipe_eof"
    why = """\
`recv()` takes no timeout. It raises `EOFError` only once *every* sending end of the pipe is
closed, the receiving process's own copy of the other end included: a parent that keeps its copy
of the child's end open waits for ever after the child's last message, and so does one whose
child died before it sent. `poll(timeout)` returns True when a message is there and at the end of
the pipe, so `recv()` after it returns at once, with the message or with `EOFError`."""
    example = """\
from multiprocessing import Pipe, Process


def send(conn):
    conn.send("Hello World")
    conn.close()


if __name__ == "__main__":
    parent_conn, child_conn = Pipe()
    p = Process(target=send, args=(child_conn,))
    p.start()
    print(parent_conn.recv())
    p.join(10)
"""
    instead = """\
import sys
from multiprocessing import Pipe, Process

TIMEOUT = 10


def send(conn):
    with conn:
        conn.send("Hello World")


if __name__ == "__main__":
    parent_conn, child_conn = Pipe()
    p = Process(target=send, args=(child_conn,), daemon=True)
    p.start()
    child_conn.close()
    with parent_conn:
        if not parent_conn.poll(TIMEOUT):
            sys.exit(f"no message within {TIMEOUT} s")
        print(parent_conn.recv())
    p.join(TIMEOUT)
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        for call, receiver, name, owner in module.method_calls(Kind.CONNECTION, RECEIVES):
            if not checked_first(module, call, receiver, {"poll"}):
                yield (
                    call,
                    (
                        f"{shown(receiver, owner.kind, name)} without poll(timeout) first can wait for ever: "
                        "`if not conn.poll(timeout):` leave, then recv()"
                    ),
                )


class JoinableQueueJoin(Rule):
    """Finds `JoinableQueue.join()`, which takes no timeout."""

    code = "MPC103"
    name = "joinable-queue-join"
    pitfall = 11
    pair = "joinable_queue"
    why = """\
`join()` returns once `task_done()` has been called for every item ever put, stop values
included. A consumer that dies, or forgets `task_done()` for one item, leaves it waiting for ever,
and it takes no timeout, not even on 3.13; its condition and count are private. The bounded idiom
is to call it in a daemonic thread and join that thread with a timeout."""
    example = """\
from multiprocessing import JoinableQueue, Process


def consume(tasks):
    while True:
        item = tasks.get(timeout=10)
        tasks.task_done()
        if item is None:
            break


if __name__ == "__main__":
    tasks = JoinableQueue()
    consumer = Process(target=consume, args=(tasks,), daemon=True)
    consumer.start()
    for item in [1, 2, 3, None]:
        tasks.put(item)
    tasks.join()
    consumer.join(10)
"""
    instead = """\
import sys
import threading
from multiprocessing import JoinableQueue, Process

TIMEOUT = 10


def consume(tasks):
    while True:
        item = tasks.get(timeout=TIMEOUT)
        tasks.task_done()
        if item is None:
            break


def join_tasks(tasks, timeout):
    joiner = threading.Thread(target=tasks.join, daemon=True)
    joiner.start()
    joiner.join(timeout)
    return not joiner.is_alive()


if __name__ == "__main__":
    tasks = JoinableQueue()
    consumer = Process(target=consume, args=(tasks,), daemon=True)
    consumer.start()
    for item in [1, 2, 3, None]:
        tasks.put(item)
    if not join_tasks(tasks, TIMEOUT):
        sys.exit(f"tasks not all done within {TIMEOUT} s")
    consumer.join(TIMEOUT)
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        for call, receiver, _, queue in module.method_calls(Kind.JOINABLE_QUEUE, {"join"}):
            yield (
                call,
                (
                    f"{shown(receiver, queue.kind, 'join')} takes no timeout and waits for ever for a missing "
                    "task_done(): call it in a daemonic thread and join that thread with a timeout"
                ),
            )


# What ends a process pool's workers, so that leaving `with` has nothing left to wait for.
ENDS_WORKERS = frozenset({"terminate", "kill", "terminate_workers", "kill_workers"})
CATCHES_TIMEOUT = frozenset(
    {"concurrent.futures.TimeoutError", "builtins.TimeoutError", "builtins.Exception", "builtins.BaseException"}
)
CALL_DEPTH = 20  # how deep into the module's own functions a call that ends the workers is looked for


class ExecutorLeftWaiting(Rule):
    """Finds a timeout inside `with ProcessPoolExecutor()` that leaves the block with the task running.

    The timeouts are a future's `result(timeout=)` and `exception(timeout=)`,
    `executor.map(..., timeout=)` and `as_completed(..., timeout=)`, when their `TimeoutError`
    leaves the block, or is handled inside it, without ending the workers first.

    Left alone: a timeout handled inside the block by terminating or killing the workers, by
    `os._exit()`, or by a function of the module that does, and `result(timeout=0)`, which a
    finished future answers at once.
    """

    code = "MPC104"
    name = "executor-left-waiting"
    pitfall = 7
    pair = "process_sleeper"
    why = """\
Leaving `with ProcessPoolExecutor()` calls `shutdown(wait=True)`, which waits for every running
task without a timeout. When `result(timeout=)` gives up on a stuck task, the `TimeoutError` (or the
`sys.exit()` that reports it) leaves the block, and the block then waits for that same task: the
timeout bounded nothing. Terminate the workers before the block is left (Python 3.14 adds
`terminate_workers()`)."""
    example = """\
from concurrent.futures import ProcessPoolExecutor
import time


def sleeper(seconds):
    time.sleep(seconds)


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1) as executor:
        child = executor.submit(sleeper, 0.5)
        child.result(timeout=10)
"""
    instead = """\
import multiprocessing
import sys
import time
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor

TIMEOUT = 10


def sleeper(seconds):
    time.sleep(seconds)


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1) as executor:
        child = executor.submit(sleeper, 0.5)
        try:
            child.result(timeout=TIMEOUT)
        except futures.TimeoutError:
            for worker in multiprocessing.active_children():
                worker.terminate()
            sys.exit(f"sleeper() did not finish within {TIMEOUT} s")
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        for node in module.nodes:
            if not isinstance(node, (ast.With, ast.AsyncWith)):
                continue
            if not any(self._executor(module, item.context_expr) for item in node.items):
                continue
            for statement in node.body:
                for call in calls_in(statement):
                    if self._timed_wait(module, call) and not self._handled(module, call, node):
                        yield (
                            call,
                            (
                                "if this timeout runs out, leaving `with ProcessPoolExecutor()` still waits for the "
                                "task: terminate the workers before the block is left"
                            ),
                        )

    def _executor(self, module: Inference, node: ast.expr) -> bool:
        owner = module.kind(node)
        return owner is not None and owner.kind is Kind.EXECUTOR

    def _timed_wait(self, module: Inference, call: ast.Call) -> bool:
        method = method_call(call)
        if method is not None:
            receiver, name = method
            owner = module.kind(receiver)
            if owner is None:
                return False
            if owner.kind is Kind.FUTURE and name in ("result", "exception"):
                timeout = argument(call, 0, "timeout")
                return timeout is not None and not is_constant(timeout, None, 0)
            if owner.kind is Kind.EXECUTOR and name == "map":
                timeout = argument(call, None, "timeout")
                return timeout is not None and not is_constant(timeout, None)
            return False
        function = module.value(call.func)
        if isinstance(function, Ref) and canonical(function.qualname) == "concurrent.futures.as_completed":
            timeout = argument(call, 1, "timeout")
            waited = module.value(call.args[0]) if call.args else None
            futures = isinstance(waited, Many) and isinstance(waited.item, Obj) and waited.item.kind is Kind.FUTURE
            return futures and timeout is not None and not is_constant(timeout, None)
        return False

    def _handled(self, module: Inference, call: ast.Call, block: ast.AST) -> bool:
        """Whether a try inside the block catches the timeout and ends the workers before leaving."""
        child: ast.AST = call
        for ancestor in module.scopes.ancestors(call):
            if ancestor is block:
                return False
            if isinstance(ancestor, ast.Try) and child in ancestor.body:
                if any(self._ends_workers(module, statement) for statement in ancestor.finalbody):
                    return True
                for handler in ancestor.handlers:
                    if self._catches_timeout(module, handler.type):
                        return any(self._ends_workers(module, statement) for statement in handler.body)
            child = ancestor
        return False

    def _catches_timeout(self, module: Inference, caught: ast.expr | None) -> bool:
        if caught is None:
            return True
        if isinstance(caught, ast.Tuple):
            return any(self._catches_timeout(module, element) for element in caught.elts)
        found = module.value(caught)
        return isinstance(found, Ref) and canonical(found.qualname) in CATCHES_TIMEOUT

    def _ends_workers(self, module: Inference, node: ast.AST, seen: frozenset[ast.AST] = frozenset()) -> bool:
        """Whether `node` terminates or kills processes, itself or in a function of the module it calls."""
        for call in calls_in(node):
            method = method_call(call)
            if method is not None and method[1] in ENDS_WORKERS:
                return True
            function = module.value(call.func)
            if isinstance(function, Ref) and function.qualname in ("os._exit", "os.kill"):
                return True
            resolved = module.function_of(function)
            # Not deeper than CALL_DEPTH: a chain of a thousand functions would exhaust the stack.
            if resolved is not None and resolved[0] not in seen and len(seen) < CALL_DEPTH:
                called = resolved[0]
                if any(self._ends_workers(module, inner, seen | {called}) for inner in own_calls(called)):
                    return True
        return False
