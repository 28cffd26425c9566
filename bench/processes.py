"""Whole processes, timed from outside: wall clock, and the child's own rusage."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time as clock
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FLOOR_IMPORTS = "import ortools.sat.python.cp_model, pandas, icalendar, pydantic"
NOW = "2026-12-15T09:00"
"""`--now` of every run: nothing is placed before it, so every run plans the same days."""

Log = Callable[[str], None]


class BenchError(RuntimeError):
    """The bench cannot go on (a command failed, or the children would import another
    planner): it stops and says which and why."""


@dataclass(frozen=True)
class Run:
    """One finished process."""

    wall: float
    cpu: float
    """User + system seconds."""
    peak_mb: float
    """Peak resident memory."""
    stdout: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    """A probe's JSON result (its last line of output)."""
    stopped: bool = False
    """Killed at its time limit (`run_process(timeout=…)`): `stdout` is what it printed."""


@dataclass(frozen=True)
class Pair:
    """A measured command and the import floor, run one after the other."""

    command: Run
    floor: Run

    @property
    def ratio(self) -> float:
        return self.command.wall / self.floor.wall


def child_env() -> dict[str, str]:
    """This checkout's planner and bench first on the path, whatever the venv installed."""
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def run_process(command: Sequence[str], timeout: float | None = None) -> Run:
    """Run a command to completion, or kill it after `timeout` seconds; CPU time and peak
    memory come from its rusage."""
    killed: list[bool] = []

    def kill(process: subprocess.Popen[bytes]) -> None:
        killed.append(True)
        process.kill()

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = clock.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=child_env(), stdout=out, stderr=err)
        timer = threading.Timer(timeout, kill, [process]) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = clock.perf_counter() - started
        if timer:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    cpu, peak = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
    if killed:
        return Run(wall, cpu, peak, stdout, stopped=True)
    if process.returncode != 0:
        raise BenchError(
            f"{' '.join(command)} failed (exit {process.returncode}):\n{stderr[-3000:]}"
        )
    lines = stdout.strip().splitlines()
    result = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return Run(wall, cpu, peak, stdout, result)


def planner_command() -> list[str]:
    """The installed `planner` script next to this interpreter, else its entry point."""
    script = Path(sys.executable).with_name("planner")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from planner.cli import entry; entry()"]


def run_floor() -> Run:
    return run_process([sys.executable, "-c", FLOOR_IMPORTS])


def run_probe(kind: str, spec: dict[str, Any], timeout: float | None = None) -> Run:
    return run_process([sys.executable, "-m", "bench.probe", kind, json.dumps(spec)], timeout)


def paired(runs: int, command: Callable[[], Run], log: Log) -> list[Pair]:
    """`command` and the import floor in turn, so that both see the same load; the first
    pair only warms the file cache and is dropped."""
    pairs = []
    for n in range(runs + 1):
        pair = Pair(command(), run_floor())
        if n:
            pairs.append(pair)
        log(
            f"  {'warm-up ' if not n else ''}{pair.command.wall:.2f} s · floor "
            f"{pair.floor.wall:.2f} s · {pair.ratio:.2f} ×"
        )
    return pairs


def restore(saved: Path, workspace: Path) -> None:
    """The workspace as it was saved (store and folders)."""
    shutil.rmtree(workspace, ignore_errors=True)
    shutil.copytree(saved, workspace)
