"""One measurement in a fresh interpreter: `python -m bench.probe KIND 'JSON spec'`.

The orchestrator (bench/run.py) starts one probe per measurement, so each pays its own
imports and its peak memory is its own (the parent reads it with `os.wait4`). The probe
prints one JSON object on the last line of its standard output, then leaves with
`os._exit` as the installed `planner` command does (no interpreter teardown).

Kinds:
- `hooks`: checks that every hook point exists and which planner is imported;
- `cli`: runs `planner plan …` in-process through its typer app, with the steps timed;
- `plan`: calls `make_plan` for a horizon, with every month's build and solve traced.
"""

# ruff: noqa: E402  (the clock starts before the probe's own imports)
from __future__ import annotations

import time as clock

STARTED = clock.perf_counter()

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.hooks import (
    Hook,
    MissingHookError,
    MonthTrace,
    MonthTracer,
    Timer,
    month_figures,
    replaced,
    resolve,
)

ROOT = Path(__file__).resolve().parent.parent
GAP = 0.01
"""'Within 1 % of the bound': the relative gap a month's solution must reach."""

CLI_HOOKS = (
    Hook("planner.cli:load_config", "config"),
    Hook("planner.runs:run_plan", "run_plan"),
    Hook("planner.runs:make_plan", "make_plan"),
    Hook("planner.planning:build", "build"),
    Hook("planner.planning:solve_model", "solve"),
    Hook("planner.planning:check_plan", "checks"),
    Hook("planner.runs:plan_files", "render", required=False),
    Hook("planner.export.writer:FolderWrite.stage", "write", required=False),
    Hook("planner.export.writer:FolderWrite.swap", "write", required=False),
    Hook("planner.export.writer:FolderWrite.finish", "write", required=False),
)
"""What `planner plan` calls, where it looks each function up. `plan_files` renders the
folder's files in memory; `FolderWrite` writes them aside, swaps them in and tidies up."""


def probe_hooks(spec: dict[str, Any]) -> dict[str, Any]:
    """Fail now, naming it, if a required hook point is gone; say which planner runs."""
    import planner

    for hook in CLI_HOOKS:
        if hook.required:
            resolve(hook.target)
    return {"planner": planner.__file__}


def probe_cli(spec: dict[str, Any]) -> dict[str, Any]:
    """`planner plan ARGS` in this process, through the command's own typer app."""
    timer = Timer()
    with timer.timing("imports"):
        import planner.cli
        import planner.runs  # the command imports it when it runs: hooked before
    with timer.installed(CLI_HOOKS) as missing:
        sys.argv = ["planner", *spec["args"]]  # `planner history` records the command line
        try:
            planner.cli.app(args=spec["args"], prog_name="planner")
        except SystemExit as exc:
            if exc.code not in (0, None):
                raise RuntimeError(f"planner {' '.join(spec['args'])} exited {exc.code}") from None
    return {"steps": timer.seconds, "missing": missing}


def probe_plan(spec: dict[str, Any]) -> dict[str, Any]:
    """`make_plan` over a horizon, fresh (no plan store), month by month traced.

    spec: config ('default' or 'agency'), scale, start, end (ISO dates), now (ISO, local
    time), effort (deterministic seconds)."""
    from planner import planning
    from planner.calendar import Horizon
    from planner.config import load_config
    from planner.errors import PlannerError

    with tempfile.TemporaryDirectory() as scratch:
        loaded = load_config(config_folder(spec["config"], spec["scale"], Path(scratch)))
        zone = ZoneInfo(loaded.config.calendar.timezone)
        now = datetime.fromisoformat(spec["now"]).replace(tzinfo=zone)
        horizon = Horizon(date.fromisoformat(spec["start"]), date.fromisoformat(spec["end"]))
        tracer = MonthTracer(done=print_month)
        wall, cpu = clock.perf_counter(), clock.process_time()
        with tracer.installed(), without_diagnosis():
            try:
                plan = planning.make_plan(loaded, horizon, now=now, effort=spec["effort"])
            except PlannerError as exc:
                outcome: dict[str, Any] = {"status": "no plan", "error": exc.render()[:500]}
            else:
                objective = plan.stats.objective
                outcome = {
                    "status": plan.stats.status,
                    "objective": None if objective is None else float(objective),
                    "items": len(plan.items),
                }
        wall, cpu = clock.perf_counter() - wall, clock.process_time() - cpu
    return {**outcome, "wall": wall, "cpu": cpu, **tracer.summary(GAP)}


MONTH_LINE = "month "
"""Prefix of the line `plan` prints as each month is solved (read if the probe is stopped)."""


def print_month(month: MonthTrace) -> None:
    print(MONTH_LINE + json.dumps(month_figures(month, GAP)), flush=True)


@contextmanager
def without_diagnosis() -> Iterator[None]:
    """A month without a plan makes `make_plan` look for the conflicting rules (minutes
    at agency scale): the bench only reports that it failed. Skipped if planner has no
    `no_plan` any more."""
    from planner.errors import InfeasibleError

    def make(_: Callable[..., Any]) -> Callable[..., Any]:
        return lambda *args, **kwargs: InfeasibleError("no plan within the time limit")

    with ExitStack() as stack:
        with suppress(MissingHookError):
            stack.enter_context(replaced("planner.planning:no_plan", make))
        yield


def config_folder(name: str, scale: int, scratch: Path) -> Path:
    """The inputs folder of a named config; the agency one is written as YAML first."""
    if name == "default":
        return ROOT / "inputs"
    if name == "agency":
        from bench.agency import write_agency_config

        return write_agency_config(scratch / "agency", scale)
    raise ValueError(f"unknown config {name!r}")


PROBES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "hooks": probe_hooks,
    "cli": probe_cli,
    "plan": probe_plan,
}


def main() -> None:
    kind, spec = sys.argv[1], json.loads(sys.argv[2])
    try:
        result = PROBES[kind](spec)
    except MissingHookError as exc:
        sys.exit(f"bench.probe: {exc}")
    result["in_process"] = clock.perf_counter() - STARTED
    print(json.dumps(result), flush=True)
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
