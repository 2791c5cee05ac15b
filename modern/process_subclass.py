"""Process subclass: the child's work lives in an overridden run(); join() waits for it to end.

Python 3: super().__init__() takes daemon= directly, and join(timeout) bounds the wait. Under
spawn and forkserver the Sleeper object itself is pickled to the child: every attribute set
before start() goes with it, so each must be picklable; one set after start() stays behind.
"""

from __future__ import annotations

import sys
import time
from multiprocessing import Process

TIMEOUT = 10  # seconds


class Sleeper(Process):
    def __init__(self, sleeper_name: str, seconds: float) -> None:
        super().__init__(daemon=True)
        self.sleeper_name = sleeper_name
        self.seconds = seconds

    def run(self) -> None:
        print(f"{self.sleeper_name} in {self.name} will sleep for {self.seconds} seconds")
        time.sleep(self.seconds)
        print(f"{self.sleeper_name} woke up")


def main() -> None:
    sleeper = Sleeper("bob", 0.2)
    sleeper.start()
    sleeper.join(TIMEOUT)
    print(f"joined {sleeper.name}, exit code {sleeper.exitcode}")
    if sleeper.exitcode != 0:
        sys.exit(1)  # the line above already names the exit code


if __name__ == "__main__":
    main()
