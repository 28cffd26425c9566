"""Run the `planner` command and SIGKILL it at a chosen point of the export.

`python -m tests.killpoints fsync:3 plan --month 2026-03 …` runs the real CLI in this
process and kills it the moment the 3rd `os.fsync` of the run returns; `rename:1` after the
first folder rename, `rmtree:1` halfway through the first folder removal. Nothing in
`planner` knows about this: the points are the system calls the atomic writer makes, so
the test shows what a power cut or `kill -9` at that instant leaves on disk.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _counting(original: Callable[..., Any], wanted: int, before: bool) -> Callable[..., Any]:
    calls = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if before and calls == wanted:
            _die()
        result = original(*args, **kwargs)
        if calls == wanted:
            _die()
        return result

    return wrapper


def _half_rmtree(original: Callable[..., Any], wanted: int) -> Callable[..., Any]:
    calls = 0

    def wrapper(path: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == wanted:
            entries = sorted(Path(path).iterdir())
            for entry in entries[: len(entries) // 2]:
                entry.unlink()
            _die()
        return original(path, *args, **kwargs)

    return wrapper


def install(point: str) -> None:
    """Arm the kill point ("fsync:N", "rename:N" or "rmtree:N")."""
    call, _, number = point.partition(":")
    wanted = int(number)
    if call == "fsync":
        os.fsync = _counting(os.fsync, wanted, before=False)
    elif call == "rename":
        Path.rename = _counting(Path.rename, wanted, before=False)  # type: ignore[method-assign]
    elif call == "rmtree":
        shutil.rmtree = _half_rmtree(shutil.rmtree, wanted)  # type: ignore[assignment]
    else:
        raise SystemExit(f"unknown kill point {point!r}")


if __name__ == "__main__":
    install(sys.argv[1])
    from planner.cli import app

    app(sys.argv[2:], prog_name="planner")
