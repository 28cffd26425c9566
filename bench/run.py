"""Benchmark `planner` on this machine; print a table and write it to bench/results.md.

Run from the repository root: `python -m bench` (or `python bench/run.py`, `make bench`).
Every measurement is a fresh process, repeated `--runs` times (5 by default); the table
shows medians. Nothing here runs in CI: timings belong to a machine, not to a test.

Cases are data (`CASES` below): adding one (the replan after a blackout week, say) is a
`Case` line here plus, for a new kind of run, one `probe_<kind>` function in `probe.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time as clock
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/run.py` puts bench/, not the root, on the path
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results.md"
FLOOR_IMPORTS = "import ortools.sat.python.cp_model, pandas, icalendar, pydantic"
MONTH = "2026-03"
STEPS = ("start-up/imports", "config", "build", "solve", "content", "checks", "export")


@dataclass(frozen=True)
class Case:
    """One probe run, repeated: `spec` goes to `bench/probe.py` as JSON."""

    name: str
    group: str
    """'horizon', 'agency' or 'extra': which table the case lands in."""
    spec: dict[str, Any]
    months: int = 0


def horizon_case(months: int) -> Case:
    end = {1: "2026-01-31", 3: "2026-03-31", 6: "2026-06-30", 12: "2026-12-31"}[months]
    spec = {"kind": "plan", "config": "default", "start": "2026-01-01", "end": end}
    return Case(f"default, {months} month(s)", "horizon", spec, months)


CASES: list[Case] = [
    *(horizon_case(m) for m in (1, 3, 6, 12)),
    Case(
        "agency, 12 months",
        "agency",
        {"kind": "plan", "config": "agency", "start": "2026-01-01", "end": "2026-12-31"},
        12,
    ),
    # The lead adds: Case("replan after a blackout week", "extra",
    #                     {"kind": "replan", ...}), with probe_replan in bench/probe.py.
]


@dataclass
class Run:
    """One finished process: its wall and CPU time, its peak memory and its JSON result."""

    wall: float
    cpu: float
    peak_mb: float
    result: dict[str, Any] = field(default_factory=dict)


def run_process(command: Sequence[str]) -> Run:
    """Run a command to completion; peak RSS and CPU time come from its own rusage."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = clock.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = clock.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-2000:]}")
    lines = stdout.strip().splitlines()
    result = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, result)


def planner_command() -> list[str]:
    """The installed `planner` script next to this interpreter, else `python -m planner`."""
    script = Path(sys.executable).with_name("planner")
    return [str(script)] if script.exists() else [sys.executable, "-m", "planner"]


def cli_runs(runs: int, log: Callable[[str], None]) -> tuple[list[Run], list[Run]]:
    """`planner plan` for one month and the import floor, alternated so that both see the
    same machine load."""
    cli: list[Run] = []
    floor: list[Run] = []
    for n in range(runs + 1):
        with tempfile.TemporaryDirectory() as out:
            command = [*planner_command(), "plan", "--month", MONTH, "--out", out]
            plan = run_process([*command, "--now", "2026-02-20T09:00"])
        imports = run_process([sys.executable, "-c", FLOOR_IMPORTS])
        if n:  # the first pair only warms the file cache
            cli.append(plan)
            floor.append(imports)
            log(f"  cli {plan.wall:.2f} s · floor {imports.wall:.2f} s")
    return cli, floor


def split_runs(runs: int, limit: float, log: Callable[[str], None]) -> list[Run]:
    """The one-month plan in a probe, to split its wall time into steps."""
    spec = {
        "kind": "plan",
        "config": "default",
        "start": "2026-03-01",
        "end": "2026-03-31",
        "time_limit": limit,
        "workers": 1,
    }
    found = probe_runs(spec, runs, log)
    for run in found:
        steps = run.result["steps"]
        steps["start-up/imports"] = run.wall - sum(
            v for k, v in steps.items() if k in STEPS and k != "imports"
        )
    return found


def probe_runs(spec: dict[str, Any], runs: int, log: Callable[[str], None]) -> list[Run]:
    found = []
    for _ in range(runs):
        run = run_process([sys.executable, "-m", "bench.probe", json.dumps(spec)])
        found.append(run)
        r = run.result
        log(
            f"  {run.wall:.2f} s · {r['status']} · first {r['first_solution']:.2f} s · "
            f"{run.peak_mb:.0f} MB"
        )
    return found


# --- the table ------------------------------------------------------------------------------


def median(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if len(known) == len(values) and known else None


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def spread(values: Sequence[float]) -> str:
    return f"{min(values):.2f}–{max(values):.2f}"


def yes(ok: bool) -> str:
    return "met" if ok else "**missed**"


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    targets: list[tuple[str, str, bool]] = field(default_factory=list)

    def add(self, *lines: str) -> None:
        self.lines += lines

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self.add("| " + " | ".join(header) + " |")
        self.add("|" + "|".join("---" if i == 0 else "--:" for i in range(len(header))) + "|")
        self.add(*("| " + " | ".join(row) + " |" for row in rows), "")

    def target(self, what: str, measured: str, ok: bool) -> None:
        self.targets.append((what, measured, ok))


def cli_section(report: Report, cli: list[Run], floor: list[Run], split: list[Run]) -> None:
    wall, base = median([r.wall for r in cli]), median([r.wall for r in floor])
    cpu, base_cpu = median([r.cpu for r in cli]), median([r.cpu for r in floor])
    assert wall is not None and base is not None and cpu is not None and base_cpu is not None
    report.add(f"## One month end to end (`planner plan --month {MONTH}`, default inputs)", "")
    report.table(
        ["process", "wall (median)", "wall min–max", "CPU (median)", "peak memory"],
        [
            [
                "`planner plan` (real subprocess)",
                seconds(wall),
                spread([r.wall for r in cli]),
                seconds(cpu),
                f"{median([r.peak_mb for r in cli]):.0f} MB",
            ],
            [
                f'import floor (`python -c "{FLOOR_IMPORTS}"`)',
                seconds(base),
                spread([r.wall for r in floor]),
                seconds(base_cpu),
                f"{median([r.peak_mb for r in floor]):.0f} MB",
            ],
            ["ratio", f"{wall / base:.2f} ×", "", f"{cpu / base_cpu:.2f} ×", ""],
        ],
    )
    report.target("one-month CLI ≤ 2.5 × import floor", f"{wall / base:.2f} ×", wall / base <= 2.5)
    total = median([r.wall for r in split])
    assert total is not None
    rows = []
    for step in STEPS:
        value = median([r.result["steps"].get(step, 0.0) for r in split])
        assert value is not None
        rows.append([step, seconds(value), f"{100 * value / total:.0f} %"])
    rows.append(["total (probe process)", seconds(total), "100 %"])
    report.add(
        "Where the time goes (a probe process running the same library calls, timed "
        "in-process; start-up/imports is everything outside them: interpreter, imports, exit):",
        "",
    )
    report.table(["step", "median", "share"], rows)


def solve_rows(cases: list[tuple[Case, list[Run]]]) -> list[list[str]]:
    rows = []
    for case, runs in cases:
        r0 = runs[0].result

        def med(key: str, runs: list[Run] = runs) -> float | None:
            return median([r.result[key] for r in runs])

        gap = max(r.result["gap"] for r in runs)
        statuses = sorted({r.result["status"] for r in runs})
        rows.append(
            [
                case.name,
                str(r0["parts"]),
                f"{r0['variables']:,}".replace(",", " "),
                f"{r0['constraints']:,}".replace(",", " "),
                f"{r0['largest_part']:,}".replace(",", " "),
                seconds(med("build")),
                seconds(med("first_solution")),
                seconds(med("within_gap")),
                seconds(med("to_optimal")),
                "/".join(statuses) + (f" (gap {100 * gap:.2f} %)" if gap > 1e-9 else ""),
                f"{median([r.peak_mb for r in runs]):.0f} MB",
            ]
        )
    return rows


SOLVE_HEADER = [
    "case",
    "parts",
    "variables",
    "constraints",
    "largest part (vars)",
    "model build",
    "first solution",
    "within 1 %",
    "proven optimal",
    "status",
    "peak memory",
]


def growth_sentence(points: list[tuple[int, float]]) -> str:
    """Fit time = a × months^b on the measured points and say what b means."""
    import math

    xs = [math.log(m) for m, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )
    if b < 0.8:
        shape = "sub-linear: fixed costs (calendar, holidays, model set-up) still dominate"
    elif b <= 1.2:
        shape = "about linear: the parts are per channel and per week, so a longer horizon "
        shape += "adds parts of the same size rather than making one part harder"
    else:
        shape = "super-linear: the editorial part, one model over the whole horizon, gets "
        shape += "harder to prove as it grows"
    return f"Solve time grows as months^{b:.2f}, {shape}."


def build_report(
    runs: int,
    cli: list[Run],
    floor: list[Run],
    split: list[Run],
    solved: list[tuple[Case, list[Run]]],
    environment: list[str],
) -> str:
    report = Report()
    report.add(
        "# planner benchmark",
        "",
        f"Written by `python -m bench` (medians of {runs} runs, each a fresh process). "
        "Timings belong to this machine and its load at the time; see bench/README.md "
        "for the method and the analysis.",
        "",
        *environment,
        "",
    )
    cli_section(report, cli, floor, split)
    horizons = [(c, r) for c, r in solved if c.group == "horizon"]
    report.add(
        "## One solve per horizon (default inputs, from 2026-01-01, 1 worker)",
        "",
        "Parts are solved one after the other; first solution and within 1 % add, part by "
        "part, the model build and the time that part took to reach it (so: when a whole "
        "plan of that quality would exist if each part stopped there).",
        "",
    )
    report.table(SOLVE_HEADER, solve_rows(horizons))
    by_months = {c.months: median([r.result["to_optimal"] for r in rs]) for c, rs in horizons}
    for months, limit in ((6, 10.0), (12, 20.0)):
        value = by_months.get(months)
        ok = value is not None and all(
            r.result["status"] == "optimal" for c, rs in horizons if c.months == months for r in rs
        )
        report.target(
            f"{months}-month default plan proven optimal < {limit:.0f} s",
            seconds(value),
            ok and value is not None and value < limit,
        )
    agency = [(c, r) for c, r in solved if c.group == "agency"]
    if agency:
        from bench.agency import describe

        report.add("## Agency scale (generated config, 12 months)", "", describe(), "")
        report.table(SOLVE_HEADER, solve_rows(agency))
        _, runs_ = agency[0]
        first = median([r.result["first_solution"] for r in runs_])
        within = median([r.result["within_gap"] for r in runs_])
        peak = max(r.peak_mb for r in runs_)
        report.target(
            "agency first solution < 10 s", seconds(first), first is not None and first < 10
        )
        report.target(
            "agency within 1 % of the best bound < 60 s",
            seconds(within),
            within is not None and within < 60,
        )
        report.target("agency peak memory < 2 GB", f"{peak:.0f} MB", peak < 2048)
    extra = [(c, r) for c, r in solved if c.group == "extra"]
    if extra:
        report.add("## Other cases", "")
        report.table(SOLVE_HEADER, solve_rows(extra))
    points = [(m, t) for m, t in sorted(by_months.items()) if t]
    if len(points) >= 2:
        report.add("## Growth with the horizon (default inputs)", "")
        report.table(
            ["months", "proven optimal", "per month"],
            [[str(m), seconds(t), seconds(t / m)] for m, t in points],
        )
        report.add(growth_sentence(points), "")
    report.add("## Targets", "")
    report.table(
        ["target", "measured (median)", ""], [[w, m, yes(ok)] for w, m, ok in report.targets]
    )
    return "\n".join(report.lines).rstrip() + "\n"


def environment_lines(load_before: tuple[float, float, float]) -> list[str]:
    import ortools

    load_after = os.getloadavg()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return [
        f"- machine: {os.cpu_count()} CPUs, {platform.machine()}, {platform.system()}; "
        f"Python {platform.python_version()}, OR-Tools {ortools.__version__}",
        f"- commit {commit or '?'}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f} "
        "(other processes share the CPUs; CPU time is shown where it helps)",
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="solver limit per plan")
    parser.add_argument(
        "--only", default="", help="comma-separated words: cases whose name holds one run"
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    precompile()
    load = os.getloadavg()
    log(f"one-month CLI vs import floor ({args.runs} runs)")
    cli, floor = cli_runs(args.runs, log)
    log("one-month split")
    split = split_runs(args.runs, args.time_limit, log)
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    solved = []
    for case in CASES:
        if wanted and not any(w in case.name for w in wanted):
            continue
        log(case.name)
        spec = {"time_limit": args.time_limit, "workers": 1, **case.spec}
        solved.append((case, probe_runs(spec, args.runs, log)))
    text = build_report(args.runs, cli, floor, split, solved, environment_lines(load))
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")
        log(f"written to {RESULTS.relative_to(ROOT)}")


def precompile() -> None:
    """Cache planner's bytecode first, as any normal install does after its first run
    (this environment may set PYTHONDONTWRITEBYTECODE, which would make every run
    recompile planner and measure the compiler)."""
    import compileall

    compileall.compile_dir(ROOT / "planner", quiet=1)
    compileall.compile_dir(ROOT / "bench", quiet=1)


if __name__ == "__main__":
    main()
