"""What the lint knows of multiprocessing and concurrent.futures: their objects and how they wait.

Only process-based objects are here. Thread pools, threading and queue.Queue wait the same way
but are not this lint's business, so an object made by them stays unknown and is never flagged.
Names are canonical: every public alias of a class or function (multiprocessing.pool.Pool,
multiprocessing.context.Process, ...) is first turned into the name the docs use.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Kind(enum.Enum):
    """The kinds of object the rules care about."""

    PROCESS = "Process"
    POOL = "Pool"
    EXECUTOR = "ProcessPoolExecutor"
    ASYNC_RESULT = "AsyncResult"
    FUTURE = "Future"
    DONE_FUTURE = "finished Future"  # from as_completed() or wait(): result() returns at once
    QUEUE = "Queue"
    JOINABLE_QUEUE = "JoinableQueue"
    SIMPLE_QUEUE = "SimpleQueue"
    LOCK = "Lock"
    RLOCK = "RLock"
    SEMAPHORE = "Semaphore"
    BOUNDED_SEMAPHORE = "BoundedSemaphore"
    CONDITION = "Condition"
    EVENT = "Event"
    BARRIER = "Barrier"
    VALUE = "Value"
    RAW_VALUE = "RawValue"  # also Value(..., lock=False)
    ARRAY = "Array"
    RAW_ARRAY = "RawArray"
    CONNECTION = "Connection"
    SEND_ONLY_CONNECTION = "send-only Connection"  # the second end of Pipe(duplex=False)
    READY_CONNECTION = "ready Connection"  # from multiprocessing.connection.wait()
    # From Client() or Listener.accept(): a socket (or named pipe) with one end in each process, so
    # recv() raises EOFError when the peer closes or dies; no own copy of the other end keeps it open.
    REMOTE_CONNECTION = "Listener or Client Connection"
    LISTENER = "Listener"
    MANAGER = "Manager"
    CONTEXT = "context"
    DICT_PROXY = "DictProxy"
    LIST_PROXY = "ListProxy"
    NAMESPACE_PROXY = "NamespaceProxy"


LOCKS = frozenset({Kind.LOCK, Kind.RLOCK, Kind.SEMAPHORE, Kind.BOUNDED_SEMAPHORE, Kind.CONDITION})
QUEUES = frozenset({Kind.QUEUE, Kind.JOINABLE_QUEUE, Kind.SIMPLE_QUEUE})
CONNECTIONS = frozenset({Kind.CONNECTION, Kind.SEND_ONLY_CONNECTION, Kind.READY_CONNECTION, Kind.REMOTE_CONNECTION})

# Objects that may reach another process only as it starts ("... should only be shared between
# processes through inheritance"): pickling one into a pool task raises RuntimeError. Their
# manager proxies pickle, so a proxied object is never one of these.
INHERITED_ONLY = (
    LOCKS
    | QUEUES
    | {
        Kind.EVENT,
        Kind.BARRIER,
        Kind.VALUE,
        Kind.RAW_VALUE,
        Kind.ARRAY,
        Kind.RAW_ARRAY,
    }
)
# Objects that cannot be pickled at all (they own threads, pipes and processes of their own).
NEVER_PICKLED = frozenset({Kind.POOL, Kind.EXECUTOR, Kind.MANAGER})

# The synchronisation primitives, which the module and a manager both make, by the same names.
SYNCHRONISERS = {
    "Lock": Kind.LOCK,
    "RLock": Kind.RLOCK,
    "Semaphore": Kind.SEMAPHORE,
    "BoundedSemaphore": Kind.BOUNDED_SEMAPHORE,
    "Condition": Kind.CONDITION,
    "Event": Kind.EVENT,
    "Barrier": Kind.BARRIER,
}

MULTIPROCESSING_CONSTRUCTORS = {
    "Process": Kind.PROCESS,
    "Pool": Kind.POOL,
    "Queue": Kind.QUEUE,
    "JoinableQueue": Kind.JOINABLE_QUEUE,
    "SimpleQueue": Kind.SIMPLE_QUEUE,
    **SYNCHRONISERS,
    "Value": Kind.VALUE,
    "RawValue": Kind.RAW_VALUE,
    "Array": Kind.ARRAY,
    "RawArray": Kind.RAW_ARRAY,
    "Manager": Kind.MANAGER,
}
# What a context (get_context()) makes, by the same names as the module.
CONTEXT_CONSTRUCTORS = MULTIPROCESSING_CONSTRUCTORS

CONSTRUCTORS = {
    **{f"multiprocessing.{name}": kind for name, kind in MULTIPROCESSING_CONSTRUCTORS.items()},
    "multiprocessing.get_context": Kind.CONTEXT,
    "multiprocessing.managers.SyncManager": Kind.MANAGER,
    "multiprocessing.connection.Listener": Kind.LISTENER,
    "multiprocessing.connection.Client": Kind.REMOTE_CONNECTION,
    "concurrent.futures.ProcessPoolExecutor": Kind.EXECUTOR,
}

# What a manager's methods make: proxies, which pickle, and which wait as queue.Queue and
# threading's primitives do.
MANAGER_METHODS = {
    "Queue": Kind.QUEUE,
    "JoinableQueue": Kind.JOINABLE_QUEUE,
    **SYNCHRONISERS,
    "Value": Kind.VALUE,
    "Array": Kind.ARRAY,
    "dict": Kind.DICT_PROXY,
    "list": Kind.LIST_PROXY,
    "Namespace": Kind.NAMESPACE_PROXY,
}

# Names only annotations use (the constructors' names count too).
ANNOTATIONS = {
    "multiprocessing.connection.Connection": Kind.CONNECTION,
    "multiprocessing.sharedctypes.Synchronized": Kind.VALUE,
    "multiprocessing.sharedctypes.SynchronizedArray": Kind.ARRAY,
    "multiprocessing.pool.AsyncResult": Kind.ASYNC_RESULT,
    "multiprocessing.pool.ApplyResult": Kind.ASYNC_RESULT,
    "multiprocessing.pool.MapResult": Kind.ASYNC_RESULT,
    "concurrent.futures.Future": Kind.FUTURE,
    "multiprocessing.managers.DictProxy": Kind.DICT_PROXY,
    "multiprocessing.managers.ListProxy": Kind.LIST_PROXY,
    "multiprocessing.managers.NamespaceProxy": Kind.NAMESPACE_PROXY,
}
PROXY_ANNOTATIONS = {
    "multiprocessing.managers.ValueProxy": Kind.VALUE,
    "multiprocessing.managers.AcquirerProxy": Kind.LOCK,
    "multiprocessing.managers.EventProxy": Kind.EVENT,
    "multiprocessing.managers.ConditionProxy": Kind.CONDITION,
    "multiprocessing.managers.BarrierProxy": Kind.BARRIER,
}

# Submodules whose public names are the package's own.
_ALIASED_MODULES = {
    "multiprocessing.context": "multiprocessing",
    "multiprocessing.queues": "multiprocessing",
    "multiprocessing.synchronize": "multiprocessing",
    "multiprocessing.sharedctypes": "multiprocessing",
    "concurrent.futures.process": "concurrent.futures",
    "concurrent.futures._base": "concurrent.futures",
}
_KEPT_IN_SUBMODULE = {"multiprocessing.sharedctypes.Synchronized", "multiprocessing.sharedctypes.SynchronizedArray"}
_ALIASES = {
    "multiprocessing.pool.Pool": "multiprocessing.Pool",
    "multiprocessing.process.BaseProcess": "multiprocessing.Process",
    "multiprocessing.connection.Pipe": "multiprocessing.Pipe",
    "multiprocessing.managers.BaseManager": "multiprocessing.managers.BaseManager",
}


# Packages that are multiprocessing under another name: torch.multiprocessing re-exports every name of
# multiprocessing (and registers its own reductions for tensors, which change none of the pitfalls).
PACKAGE_ALIASES = {"torch.multiprocessing": "multiprocessing"}


def canonical(qualname: str) -> str:
    """The documented name of `qualname`: multiprocessing.queues.Queue is multiprocessing.Queue, and so
    is torch.multiprocessing.Queue."""
    for alias, package in PACKAGE_ALIASES.items():
        if qualname.startswith(alias) and qualname[len(alias) : len(alias) + 1] in ("", "."):
            qualname = package + qualname[len(alias) :]
    if qualname in _ALIASES:
        return _ALIASES[qualname]
    module, _, name = qualname.rpartition(".")
    if module in _ALIASED_MODULES and qualname not in _KEPT_IN_SUBMODULE:
        return f"{_ALIASED_MODULES[module]}.{name}"
    return qualname


# Names `from multiprocessing import *` binds that the rules use.
STAR_NAMES = {
    "multiprocessing": frozenset(MULTIPROCESSING_CONSTRUCTORS)
    | {"Pipe", "get_context", "active_children", "current_process", "parent_process", "set_start_method"},
    "concurrent.futures": frozenset({"ProcessPoolExecutor", "as_completed", "wait", "Future", "TimeoutError"}),
}


@dataclass(frozen=True)
class Wait:
    """Where a blocking method takes its timeout and its block flag (positions count from 0)."""

    timeout: int | None
    block: int | None = None
    instead: str = "pass a timeout"


_JOIN = Wait(0, instead="join(timeout), then check exitcode")
_GET = Wait(1, 0, instead="get(timeout=...) and handle queue.Empty")
_ACQUIRE = Wait(1, 0, instead="`with lock:` for a lock held briefly, or acquire(timeout=...) and check what it returns")
_WAIT = Wait(0, instead="wait(timeout) and check what it returns")

WAITS = {
    (Kind.PROCESS, "join"): _JOIN,
    **{(kind, "get"): _GET for kind in (Kind.QUEUE, Kind.JOINABLE_QUEUE)},
    (Kind.SIMPLE_QUEUE, "get"): Wait(None, instead="a Queue, whose get() takes a timeout"),
    **{(kind, "acquire"): _ACQUIRE for kind in LOCKS},
    (Kind.CONDITION, "wait"): _WAIT,
    (Kind.CONDITION, "wait_for"): Wait(1, instead="wait_for(predicate, timeout) and check what it returns"),
    (Kind.EVENT, "wait"): _WAIT,
    (Kind.BARRIER, "wait"): Wait(0, instead="wait(timeout), or Barrier(parties, timeout=...)"),
    (Kind.ASYNC_RESULT, "get"): Wait(0, instead="get(timeout) and handle multiprocessing.TimeoutError"),
    (Kind.ASYNC_RESULT, "wait"): Wait(0, instead="wait(timeout), then check ready()"),
    (Kind.FUTURE, "result"): Wait(0, instead="result(timeout=...) and handle TimeoutError"),
    (Kind.FUTURE, "exception"): Wait(0, instead="exception(timeout=...) and handle TimeoutError"),
}

# Module functions that wait: the position of their timeout.
WAIT_FUNCTIONS = {
    "concurrent.futures.wait": Wait(1, instead="wait(futures, timeout=...) and look at what is not done"),
    "concurrent.futures.as_completed": Wait(1, instead="as_completed(futures, timeout=...) and handle TimeoutError"),
    "multiprocessing.connection.wait": Wait(1, instead="wait(objects, timeout) and look at what it returns"),
}

# A connection's methods that wait for a message.
RECEIVES = frozenset({"recv", "recv_bytes", "recv_bytes_into"})
