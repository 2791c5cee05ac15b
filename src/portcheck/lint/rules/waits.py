"""Rules on waiting: a wait that can last for ever, on a process, a queue, a lock or a result."""

from __future__ import annotations

import ast
from typing import Iterator

from portcheck.lint.apis import QUEUES, RECEIVES, WAIT_FUNCTIONS, WAITS, Kind, canonical
from portcheck.lint.inference import Inference
from portcheck.lint.rules.base import Flagged, Rule
from portcheck.lint.rules.idle import (
    in_daemon_only,
    passes_on,
    put_before_start,
    sentinel_loop,
    serves_until_ended,
)
from portcheck.lint.rules.readiness import (
    READINESS,
    all_done_before,
    checked_first,
    ended_before,
    executor_finished_before,
    released_in_finally,
    shown,
    unbounded,
    waited_before,
)
from portcheck.lint.syntax import argument, method_call
from portcheck.lint.values import Obj, Ref, item_of


class UnboundedWait(Rule):
    """Finds a wait with no timeout on a multiprocessing object: `Queue.get()`, `acquire()`,
    `Event.wait()`, `Condition.wait()` and `wait_for()`, `Barrier.wait()`, a pool's
    `AsyncResult.get()` and `wait()`, and `multiprocessing.connection.wait()` over connections.
    A wait for a process or a process pool's task to end (`Process.join()`, `Future.result()`,
    `concurrent.futures.wait()`) is MPC105's, which is opt-in.

    Left alone: a `get()` the lint cannot tie to a queue (a dict's `get(key)`), `get(block=False)`,
    `get_nowait()`, a wait guarded by a check that it will not block (`if not q.empty():`,
    `if result.ready():`); an `AsyncResult.get()` after its `wait()` with no timeout, or after its
    pool's `join()`; `with lock:` (the idiom for a lock held briefly) and its spelled-out forms,
    `acquire()` then `try: ... finally: release()`, or `release()` later in the same block; a
    queue's `get()` in a function that only daemonic processes or threads run (a daemonic worker
    ends with its parent, whatever it waits for); a child's consumer loop that a stop value ends:
    every way out of `while True:` tests the item taken (`if item is None: break`), and the module
    puts a constant somewhere else (a loop that also leaves on a clock is flagged: the wait defeats
    its deadline); a child's `while True:` loop with no way out in a module that terminates its
    processes (a worker that serves until it is ended); and a child's one `get()` of a queue its
    parent put an item into before making the process. `Pool.join()` takes no timeout; bound the
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
        for call, message, end in unbounded_waits(module):
            if not end:
                yield call, message


# Waits for a process or a process pool's task to end, which a child's death ends too (join() returns, a
# process pool raises BrokenProcessPool): they wait for ever only if the child itself hangs (MPC105's).
END_WAITS = frozenset({(Kind.PROCESS, "join"), (Kind.FUTURE, "result"), (Kind.FUTURE, "exception")})


def unbounded_waits(module: Inference) -> Iterator[tuple[ast.Call, str, bool]]:
    """Each wait that can last for ever, its message, and whether it waits for a process or a task to end."""
    for call in module.calls:
        method = method_call(call)
        if method is not None:
            receiver, name = method
            owner = module.kind(receiver)
            if owner is not None and (owner.kind, name) in WAITS:
                message = _method(module, call, owner, receiver, name)
                if message:
                    yield call, message, (owner.kind, name) in END_WAITS
                continue
        function = module.value(call.func)
        if isinstance(function, Ref) and canonical(function.qualname) in WAIT_FUNCTIONS:
            found = _function(module, call, canonical(function.qualname))
            if found:
                yield call, found[0], found[1]


def _method(module: Inference, call: ast.Call, owner: Obj, receiver: ast.expr, name: str) -> str | None:
    wait = WAITS[owner.kind, name]
    if not unbounded(call, wait, owner.proxied, module):
        return None
    if owner.kind is Kind.BARRIER and owner.call is not None and argument(owner.call, 2, "timeout") is not None:
        return None  # the barrier's own timeout bounds wait()
    if owner.kind in READINESS and checked_first(module, call, receiver, READINESS[owner.kind]):
        return None
    if owner.kind is Kind.PROCESS and ended_before(module, call, receiver):
        return None
    if owner.kind is Kind.FUTURE and (
        all_done_before(module, call, receiver) or executor_finished_before(module, call, owner)
    ):
        return None
    if name == "acquire" and released_in_finally(module, call, receiver):
        return None
    if owner.kind is Kind.ASYNC_RESULT and name == "get" and waited_before(module, call, receiver, owner):
        return None
    if owner.kind in QUEUES and (
        in_daemon_only(module, call)
        or sentinel_loop(module, call)
        or put_before_start(module, call)
        or serves_until_ended(module, call)
    ):
        return None
    return f"{shown(receiver, owner.kind, name)} can wait for ever: {wait.instead}"


def _function(module: Inference, call: ast.Call, qualname: str) -> tuple[str, bool] | None:
    """The message for a wait function's call, and whether it waits for processes or tasks to end."""
    wait = WAIT_FUNCTIONS[qualname]
    if not call.args or not unbounded(call, wait, module=module):
        return None
    waited_for = item_of(module.value(call.args[0]))
    if not isinstance(waited_for, Obj):
        return None
    if qualname.startswith("concurrent.futures.") and waited_for.kind is not Kind.FUTURE:
        return None
    if not qualname.startswith("concurrent.futures.") and waited_for.kind not in (Kind.CONNECTION, Kind.PROCESS):
        return None
    message = f"`{qualname.rpartition('.')[2]}()` without a timeout can wait for ever: {wait.instead}"
    return message, waited_for.kind in (Kind.FUTURE, Kind.PROCESS)


class RecvWithoutPoll(Rule):
    """Finds `recv()` on a connection with no `poll(timeout)` before it.

    Also `recv_bytes()` and `recv_bytes_into()`. The `poll()` must say that a message, or the end
    of the pipe, is there before `recv()` runs.

    Left alone: a `recv()` inside `if conn.poll(t):` or `while conn.poll(t):`, one after
    `if not conn.poll(t): ...` that leaves the block, one after `ready = conn.poll(t)`, one on a
    connection that `multiprocessing.connection.wait()` returned as ready, and one on the sending
    end of `Pipe(duplex=False)`, which raises at once; a connection from `Client()` or
    `Listener.accept()`, whose `recv()` raises `EOFError` when the peer closes or dies (no own
    copy of a socket's other end keeps it open); a `recv()` that only daemonic processes or
    threads run, or in a child's `while True:` loop with no way out in a module that terminates its
    processes; and a method that is only `return self.conn.recv()`, an API whose callers are
    where the wait is.
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
            if checked_first(module, call, receiver, {"poll"}) or passes_on(module, call):
                continue
            if in_daemon_only(module, call) or serves_until_ended(module, call):
                continue
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
