"""Benchmark `planner` against issue 14's targets; print the tables, write bench/results.md.

Run from the repository root: `python -m bench` (= `make bench`). Every measurement is a
fresh process: `planner plan` itself, the import floor, or a probe (bench/probe.py) that
runs planner in-process with timing wrappers. Nothing here runs in CI: timings belong to
a machine and its load, not to a test.
"""

from __future__ import annotations

import argparse
import calendar as stdcal
import json
import os
import platform
import subprocess
import sys
import tempfile
import time as clock
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import yaml

from bench.agency import write_agency_config
from bench.hooks import summarise
from bench.probe import MONTH_LINE
from bench.processes import (
    NOW,
    ROOT,
    BenchError,
    Log,
    Pair,
    Run,
    paired,
    planner_command,
    restore,
    run_probe,
    run_process,
)
from bench.report import CurvePoint, Determinism, Results, plural, render

RESULTS = ROOT / "bench" / "results.md"
NOTES = "## Notes"
"""The heading of results.md's hand-written closing section, which a rewrite keeps."""
MONTH = "2027-01"
START = date(2027, 1, 1)
REPLAN_END = date(2027, 6, 30)
BLACKOUT = {"from": date(2027, 3, 15), "to": date(2027, 3, 21), "label": "Salon (bench)"}
DEFAULT_MONTHS = (1, 2, 3, 6, 12, 24, 36)
AGENCY_MONTHS = (1, 2, 3, 6, 12)
LONG_MONTHS = (24, 36)
"""Added to the agency curve by --long; its 36-month point is also the first large case."""
DOUBLE_AGENCY = ("2× agency, 24 months", 2, 24)
"""(case, agency scale, months): the second large case, run by --long."""
TIGHT_EFFORT = 2.0
"""A budget that stops the agency's month before the optimum (section 6)."""


def plan_args(out: Path, effort: float, *period: str, config: Path | None = None) -> list[str]:
    """`planner plan` options: the period, then the workspace, `--now` and the effort."""
    options = ["plan", *period, "--out", str(out), "--now", NOW, "--time-limit", f"{effort:g}"]
    return options + (["--config", str(config)] if config else [])


def month_args(out: Path, effort: float) -> list[str]:
    return plan_args(out, effort, "--month", MONTH)


def replan_args(out: Path, effort: float, config: Path | None = None) -> list[str]:
    period = ("--from", START.isoformat(), "--to", REPLAN_END.isoformat())
    return plan_args(out, effort, *period, config=config)


def measure_month(runs: int, effort: float, log: Log) -> list[Pair]:
    """The month CLI, each run into a new workspace, paired with the import floor."""

    def once() -> Run:
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "outputs"
            return run_process([*planner_command(), *month_args(out, effort)])

    log(f"1. month CLI against the import floor ({plural(runs, 'pair')} + warm-up)")
    return paired(runs, once, log)


def measure_breakdown(runs: int, effort: float, log: Log) -> list[Run]:
    """The month CLI in a probe process, its steps timed."""
    log(f"2. month CLI breakdown ({plural(runs, 'probe run')})")
    found = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "outputs"
            run = run_probe("cli", {"args": month_args(out, effort)})
        found.append(run)
        log(f"  {run.wall:.2f} s")
    return found


def blackout_inputs(folder: Path) -> Path:
    """A copy of the default inputs with the blackout week added to calendar.yaml."""
    for file in (ROOT / "inputs").iterdir():
        if file.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            (folder / file.name).write_bytes(file.read_bytes())
    path = folder / "calendar.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["calendar"]["blackouts"].append(BLACKOUT)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    return folder


def changes_line(stdout: str) -> str:
    """The changes the command printed ('Changements : 9 déplacé(s), …')."""
    for line in stdout.splitlines():
        if line.startswith("Changements"):
            return line.split(" (détail")[0]
    return ""


def measure_replan(runs: int, effort: float, log: Log) -> tuple[list[Pair], list[Run], str]:
    """Six months planned and saved (not timed); then, from the saved workspace each
    time, the whole re-planning command after a blackout week, paired with the floor; and
    the same command in probe processes, its steps timed."""
    log(f"3. 6-month replan CLI against the import floor ({plural(runs, 'pair')} + warm-up)")
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        saved, workspace = root / "saved", root / "workspace"
        run_process([*planner_command(), *replan_args(saved, effort)])
        config = blackout_inputs(root / "inputs")

        def once() -> Run:
            restore(saved, workspace)
            return run_process([*planner_command(), *replan_args(workspace, effort, config)])

        pairs = paired(runs, once, log)
        log(f"  breakdown ({plural(runs, 'probe run')})")
        steps = []
        for _ in range(runs):
            restore(saved, workspace)
            steps.append(run_probe("cli", {"args": replan_args(workspace, effort, config)}))
            log(f"  {steps[-1].wall:.2f} s")
    return pairs, steps, changes_line(pairs[-1].command.stdout)


def last_day(months: int) -> date:
    """The last day of the horizon of `months` months from START."""
    year, month = divmod(START.month - 1 + months - 1, 12)
    year += START.year
    return date(year, month + 1, stdcal.monthrange(year, month + 1)[1])


def measure_plan(
    case: str, config: str, scale: int, months: int, effort: float, timeout: float | None = None
) -> CurvePoint:
    """A `plan` probe; one stopped at `timeout` is reported with the months it finished."""
    spec = {
        "config": config,
        "scale": scale,
        "start": START.isoformat(),
        "end": last_day(months).isoformat(),
        "now": NOW,
        "effort": effort,
    }
    run = run_probe("plan", spec, timeout)
    if run.stopped:
        lines = [line for line in run.stdout.splitlines() if line.startswith(MONTH_LINE)]
        done = [json.loads(line.removeprefix(MONTH_LINE)) for line in lines]
        result = {**summarise(done), "status": "stopped", "wall": run.wall, "cpu": run.cpu}
        run = replace(run, result=result)
    return CurvePoint(case, months, run)


def measure_curve(
    config: str, horizons: Sequence[int], effort: float, log: Log
) -> list[CurvePoint]:
    points = []
    for months in horizons:
        point = measure_plan(f"{config}, {plural(months, 'month')}", config, 1, months, effort)
        r = point.run.result
        log(f"  {point.case}: {r['wall']:.2f} s · {r['status']} · {point.run.peak_mb:.0f} MB")
        points.append(point)
    return points


def measure_curves(effort: float, long: bool, cap: int, log: Log) -> dict[str, list[CurvePoint]]:
    log("4. growth with the horizon (one probe per horizon)")
    agency = AGENCY_MONTHS + (LONG_MONTHS if long else ())
    return {
        "default inputs": measure_curve(
            "default", [m for m in DEFAULT_MONTHS if m <= cap], effort, log
        ),
        "agency config": measure_curve("agency", [m for m in agency if m <= cap], effort, log),
    }


def measure_large(
    curves: dict[str, list[CurvePoint]], effort: float, timeout: float, log: Log
) -> list[CurvePoint]:
    """The agency at 36 months (its curve's last point) and the 2× agency at 24 months,
    stopped after `timeout` seconds and then reported as far as it got."""
    case, scale, months = DOUBLE_AGENCY
    log(f"5. large cases: {case} (stopped after {timeout:g} s)")
    found = [p for p in curves["agency config"] if p.months == 36]
    agency = [CurvePoint("agency, 36 months", 36, p.run) for p in found]
    double = measure_plan(case, "agency", scale, months, effort, timeout)
    r = double.run.result
    log(f"  {case}: {r['wall']:.2f} s · {r['status']} · {double.run.peak_mb:.0f} MB")
    return [*agency, double]


def busy_cpus(count: int) -> list[subprocess.Popen[bytes]]:
    """`count` processes that spin until killed: a loaded machine."""
    spin = [sys.executable, "-c", "while True: pass"]
    return [subprocess.Popen(spin) for _ in range(count)]


def plan_folder_bytes(out: Path) -> dict[str, bytes]:
    """Every file of the plan's folder (the store, planner.db, records the run's time)."""
    return {
        str(f.relative_to(out)): f.read_bytes()
        for f in sorted(out.rglob("*"))
        if f.is_file() and f.parent != out
    }


def measure_determinism(effort: float, log: Log) -> list[Determinism]:
    """Each case planned twice, on the machine as it is and with every CPU kept busy by
    spinning processes: the same files?"""
    log("6. the same plan on an idle and on a loaded machine")
    found = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        agency = write_agency_config(root / "agency")
        cases = [
            ("default inputs, month", None, effort),
            ("agency, month, default effort", agency, effort),
            (f"agency, month, --time-limit {TIGHT_EFFORT:g}", agency, TIGHT_EFFORT),
        ]
        for n, (case, config, budget) in enumerate(cases):
            outcomes = []
            for loaded in (False, True):
                out = root / f"out-{n}-{loaded}"
                args = plan_args(out, budget, "--month", MONTH, config=config)
                spinners = busy_cpus(os.cpu_count() or 1) if loaded else []
                try:
                    run = run_process([*planner_command(), *args])
                finally:
                    for spinner in spinners:
                        spinner.kill()
                        spinner.wait()
                outcomes.append((run, plan_folder_bytes(out), solver_line(run.stdout)))
            (idle, idle_files, said), (busy, busy_files, _) = outcomes
            same = bool(idle_files) and idle_files == busy_files
            found.append(Determinism(case, idle.wall, busy.wall, len(idle_files), same, said))
            log(f"  {case}: {idle.wall:.2f} s / loaded {busy.wall:.2f} s · same files: {same}")
    return found


def solver_line(stdout: str) -> str:
    """What the command said of the solve ('Solveur : optimal … · 1,2 s')."""
    for line in stdout.splitlines():
        if line.startswith("Solveur"):
            return line.rsplit(" · ", 1)[0]
    return ""


def workers_option() -> bool:
    """Whether `planner plan` still has a --workers option."""
    done = subprocess.run(
        [*planner_command(), "plan", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    return "--workers" in done.stdout


def check_setup(log: Log) -> None:
    """The probes import this checkout's planner, and every required hook point exists."""
    found = run_probe("hooks", {}).result["planner"]
    expected = ROOT / "planner" / "__init__.py"
    if Path(found).resolve() != expected:
        raise BenchError(f"the children import planner from {found}, not from {expected}")
    log(f"planner from {expected.parent}")


def environment(load_before: tuple[float, float, float], took: float, mode: str) -> list[str]:
    import ortools

    load_after = os.getloadavg()
    cpus = os.cpu_count() or 1
    shared = load_before[0] > cpus / 2  # after: the bench's own runs, section 6's spinners
    return [
        f"- machine: {cpus} CPUs, {platform.machine()}, {platform.system()}; "
        f"Python {platform.python_version()}, OR-Tools {ortools.__version__}",
        f"- planner commit {commit()}, measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
        f"the bench took {took / 60:.1f} min",
        f"- mode: {mode}",
        f"- load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f} (the "
        "bench's own runs)"
        + (
            f": a loaded machine (other jobs share the {cpus} CPUs), so wall times are "
            "inflated; CPU and deterministic times are less affected"
            if shared
            else ": an idle machine when it started"
        ),
    ]


def commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", "planner", "inputs")
    except OSError:  # no git: a tarball checkout
        return "?"
    return head + (" with uncommitted changes to planner/ or inputs/" if dirty else "")


def precompile() -> None:
    """Cache planner's bytecode first, as any install does after its first run (this
    environment may set PYTHONDONTWRITEBYTECODE: every run would recompile planner)."""
    import compileall

    for folder in ("planner", "bench"):
        compileall.compile_dir(ROOT / folder, quiet=1)


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--runs", type=int, default=5, help="pairs / probe runs per CLI measurement (medians)"
    )
    parser.add_argument(
        "--long", action="store_true", help="agency curve to 36 months, and the large cases"
    )
    parser.add_argument(
        "--max-months", type=int, default=36, help="cut the curves at this horizon (smoke tests)"
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        help="solver effort per month, deterministic seconds (the CLI's default)",
    )
    parser.add_argument(
        "--large-timeout",
        type=float,
        default=900.0,
        help="stop the 2× agency after this many seconds, reporting the months it finished",
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    return parser.parse_args(argv)


def measure(args: argparse.Namespace, log: Log) -> Results:
    check_setup(log)
    load = os.getloadavg()
    started = clock.perf_counter()
    month = measure_month(args.runs, args.time_limit, log)
    breakdown = measure_breakdown(args.runs, args.time_limit, log)
    replan, replan_steps, changes = measure_replan(args.runs, args.time_limit, log)
    curves = measure_curves(args.time_limit, args.long, args.max_months, log)
    large = measure_large(curves, args.time_limit, args.large_timeout, log) if args.long else []
    same = measure_determinism(args.time_limit, log)
    longest = ", ".join(f"{name} to {points[-1].months}" for name, points in curves.items())
    mode = (
        f"{plural(args.runs, 'run')} per CLI measurement; curves: {longest} months; "
        f"{'with' if args.long else 'without'} `--long`; `--time-limit {args.time_limit:g}`"
    )
    took = clock.perf_counter() - started
    return Results(
        environment(load, took, mode),
        month,
        breakdown,
        replan,
        replan_steps,
        changes,
        curves,
        large,
        args.long,
        same,
        workers_option(),
    )


def kept_notes() -> str:
    """results.md's hand-written section (from its `## Notes` heading on), if it has one."""
    if not RESULTS.is_file():
        return ""
    text = RESULTS.read_text(encoding="utf-8")
    start = text.find(f"\n{NOTES}")
    return "" if start < 0 else text[start:]


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    precompile()
    try:
        results = measure(args, log)
    except BenchError as exc:
        sys.exit(f"bench: {exc}")
    text = render(results, f"effort {args.time_limit:g} deterministic seconds", args.time_limit)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text + kept_notes(), encoding="utf-8")
        log(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
