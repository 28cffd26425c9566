"""Run the `planner` command and SIGKILL it at a chosen point of a run.

`python -m tests.killpoints fsync:3 plan --month 2026-03 …` runs the real CLI in this
process and kills it the moment the 3rd `os.fsync` of the run returns; `replace:2` once the
2nd file has been renamed over its target; `commit:1` once the store's transaction is
committed (before anything is tidied up). Nothing in `planner` knows about this: the points
are the system calls the writer and the store make, so the test shows what a power cut or
`kill -9` at that instant leaves on disk.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
from collections.abc import Callable
from typing import Any


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _counting(original: Callable[..., Any], wanted: int) -> Callable[..., Any]:
    calls = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        result = original(*args, **kwargs)
        calls += 1
        if calls == wanted:
            _die()
        return result

    return wrapper


def _committing(wanted: int) -> Callable[..., sqlite3.Connection]:
    """`sqlite3.connect` returning connections that die after their Nth COMMIT."""
    original = sqlite3.connect
    commit = _counting(lambda: None, wanted)

    class Killing(sqlite3.Connection):
        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            cursor = super().execute(sql, *args)
            if sql.strip().upper() == "COMMIT":
                commit()
            return cursor

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        return original(*args, factory=Killing, **kwargs)

    return connect


def install(point: str) -> None:
    """Arm the kill point ("fsync:N", "replace:N" or "commit:N")."""
    call, _, number = point.partition(":")
    wanted = int(number)
    if call == "fsync":
        os.fsync = _counting(os.fsync, wanted)
    elif call == "replace":
        os.replace = _counting(os.replace, wanted)
    elif call == "commit":
        sqlite3.connect = _committing(wanted)  # type: ignore[assignment]
    else:
        raise SystemExit(f"unknown kill point {point!r}")


if __name__ == "__main__":
    install(sys.argv.pop(1))  # `planner history` shows the command as typed, point aside
    from planner.cli import app

    app(sys.argv[1:], prog_name="planner")
