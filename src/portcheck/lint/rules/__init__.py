"""Every rule, in the order of their codes. Each module holds the rules of one subject."""

from __future__ import annotations

from portcheck.lint.rules.base import Flagged, Rule
from portcheck.lint.rules.children import BareExitInChild, PrintUnderLockWithoutFlush
from portcheck.lint.rules.connections import AuthkeyAsText, ConnectionWithoutAuthkey
from portcheck.lint.rules.executors import ExecutorLeftWaiting
from portcheck.lint.rules.fork_only import ForkOnlyState
from portcheck.lint.rules.long_waits import EndWaitWithoutTimeout, PoolCallWithoutTimeout
from portcheck.lint.rules.pickling import UnpicklableTarget
from portcheck.lint.rules.queues import StopsOnEmpty
from portcheck.lint.rules.results import DroppedResult
from portcheck.lint.rules.shared import InheritedOnlyInProxy, NestedProxyMutation, ValueUpdateWithoutLock
from portcheck.lint.rules.starting import (
    GetppidInChild,
    InheritedOnlyInTask,
    MaxTasksMap,
    MaxTasksWithoutContext,
    UnguardedStart,
)
from portcheck.lint.rules.waits import JoinableQueueJoin, RecvWithoutPoll, UnboundedWait

RULES: list[type[Rule]] = [
    UnboundedWait,
    RecvWithoutPoll,
    JoinableQueueJoin,
    ExecutorLeftWaiting,
    EndWaitWithoutTimeout,
    PoolCallWithoutTimeout,
    DroppedResult,
    StopsOnEmpty,
    InheritedOnlyInTask,
    UnpicklableTarget,
    UnguardedStart,
    GetppidInChild,
    MaxTasksMap,
    MaxTasksWithoutContext,
    ForkOnlyState,
    ValueUpdateWithoutLock,
    NestedProxyMutation,
    InheritedOnlyInProxy,
    BareExitInChild,
    PrintUnderLockWithoutFlush,
    ConnectionWithoutAuthkey,
    AuthkeyAsText,
]
PREFIX = "MPC"

__all__ = ["PREFIX", "RULES", "Flagged", "Rule"]
