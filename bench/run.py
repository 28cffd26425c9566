"""Benchmark `planner` on this machine; print a table and write it to bench/results.md.

Run from the repository root: `python -m bench` (or `python bench/run.py`, `make bench`).
Every measurement is a fresh process, repeated `--runs` times (5 by default); the table
shows medians. Nothing here runs in CI: timings belong to a machine, not to a test.

Cases are data (`CASES` below): adding one (the replan after a blackout week, say) is a
`Case` line here plus, for a new kind of run, one `probe_<kind>` function in `probe.py`.
"""

from __future__ import annotations

import argparse
import calendar as stdcal
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time as clock
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/run.py` puts bench/, not the root, on the path
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results.md"
FLOOR_IMPORTS = "import ortools.sat.python.cp_model, pandas, icalendar, pydantic"
MONTH = "2026-03"
STEPS = {
    "start-up": "start-up (interpreter, exit, glue)",
    "imports": "imports (`import planner.cli`)",
    "config": "config (`load_config`)",
    "build": "model build (`build`, every part)",
    "solve": "solve (`solve_part`, every part)",
    "content": "content (`assemble`, `score_plan`, `annotate`, confidentiality scans)",
    "checks": "checks (`check_plan`)",
    "export": "export (`plan_files` + `write_outputs`)",
}
"""The steps of one `planner plan`, as the probe times them."""


@dataclass(frozen=True)
class Case:
    """One probe run, repeated: `spec` goes to `bench/probe.py` as JSON."""

    name: str
    group: str
    """'horizon', 'agency' or 'extra': which table the case lands in."""
    spec: dict[str, Any]
    months: int = 0
    first: int = 1
    """First month of 2026 (1 for the growth curve)."""


def horizon_case(config: str, months: int, first: int = 1) -> Case:
    """One plan of the named config over `months` months from month `first` of 2026."""
    year, last = divmod(first + months - 2, 12)
    end = date(2026 + year, last + 1, stdcal.monthrange(2026 + year, last + 1)[1])
    spec = {"kind": "plan", "config": config, "start": f"2026-{first:02d}-01", "end": f"{end}"}
    group = "horizon" if config == "default" else config
    name = f"{config}, {months} month{'s' if months > 1 else ''}"
    if first != 1:
        name += f" from {stdcal.month_abbr[first]}"
    return Case(name, group, spec, months, first)


CASES: list[Case] = [
    *(horizon_case("default", m) for m in (1, 3, 6, 12)),
    horizon_case("default", 6, first=7),
    *(horizon_case("agency", m) for m in (3, 6, 12)),
    horizon_case("agency", 6, first=7),
    Case(
        "replan, blackout week 16–22 March in the 6-month default plan",
        "extra",
        {
            "kind": "replan",
            "start": "2026-01-01",
            "end": "2026-06-30",
            "blackout_from": "2026-03-16",
            "blackout_to": "2026-03-22",
        },
        6,
    ),
]
LONG_CASES: list[Case] = [horizon_case("default", 36), horizon_case("agency", 36)]
"""The longest horizon planner accepts (3 years), with --long: minutes, not seconds."""
"""The second half-year is a control: the year against its two halves solved apart tells
how much of the growth is the horizon's length and how much later months' contents."""


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
        steps["start-up"] = run.wall - sum(v for k, v in steps.items() if k in STEPS)
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
    for step, label in STEPS.items():
        value = median([r.result["steps"].get(step, 0.0) for r in split])
        assert value is not None
        rows.append([label, seconds(value), f"{100 * value / total:.0f} %"])
    rows.append(["total (probe process wall time)", seconds(total), "100 %"])
    report.add(
        "Where the time goes: a probe process makes the same library calls as `planner plan` "
        "(bench/probe.py wraps them where `make_plan` looks them up) and times each one; "
        "start-up is the rest of the process's wall time.",
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


def exponent(points: Sequence[tuple[int, float]]) -> float:
    """b in time = a × months^b, least squares on the logs."""
    xs = [math.log(m) for m, _ in points]
    ys = [math.log(max(t, 1e-3)) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def shape(b: float) -> str:
    if b < 0.8:
        return "sub-linear (fixed costs still dominate)"
    if b <= 1.2:
        return "about linear"
    return "super-linear"


def halves_sentence(cases: list[tuple[Case, list[Run]]]) -> str:
    """The year against its two halves solved apart: what length alone costs."""
    found = {(c.first, c.months): median([r.result["to_optimal"] for r in rs]) for c, rs in cases}
    year, first, second = found.get((1, 12)), found.get((1, 6)), found.get((7, 6))
    if not (year and first and second):
        return ""
    config = cases[0][0].spec["config"]
    length = math.log2(year / ((first + second) / 2))
    return (
        f"Control ({config}): the year takes {seconds(year)}; its two halves solved apart "
        f"take {seconds(first)} + {seconds(second)}. Doubling the horizon over the same "
        f"months therefore costs {year / ((first + second) / 2):.2f} × (length alone grows "
        f"as months^{length:.2f}); the second half alone costs {second / first:.2f} × the "
        "first, because later campaign months have more audiences and phases in play."
    )


def growth_section(report: Report, title: str, cases: list[tuple[Case, list[Run]]]) -> None:
    """Time against horizon length, in total and per kind of part, with fitted exponents."""
    cases = [(c, r) for c, r in cases if c.first == 1]
    if len(cases) < 2:
        return
    kinds = sorted({k for _, runs in cases for r in runs for k in r.result["by_part"]})
    rows, points = [], []
    per_kind: dict[str, list[tuple[int, float]]] = {k: [] for k in kinds}
    for case, runs in cases:
        total = median([r.result["to_optimal"] for r in runs]) or 0.0
        points.append((case.months, total))
        row = [str(case.months), seconds(total)]
        for kind in kinds:
            value = median([r.result["by_part"].get(kind, 0.0) for r in runs]) or 0.0
            per_kind[kind].append((case.months, value))
            row.append(seconds(value))
        rows.append([*row, seconds(total / case.months)])
    report.add(f"## Growth with the horizon ({title})", "")
    report.table(["months", "build + solve", *kinds, "per month"], rows)
    b = exponent(points)
    parts = ", ".join(f"{k} ^{exponent(per_kind[k]):.2f}" for k in kinds)
    report.add(
        f"Build + solve time grows as months^{b:.2f} ({shape(b)}); by kind of part: {parts}. "
        "Community weeks are separate parts and add up linearly by construction; the "
        "editorial channels and the lives are one model each over the whole horizon. These "
        "horizons all start in January, so a longer one also reaches later, busier campaign "
        "months: the control below separates the two effects.",
        "",
    )


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
    if horizons:
        report.add(
            "## One solve per horizon (default inputs, from 2026-01-01, 1 worker)",
            "",
            "Parts are solved one after the other. *First solution* and *within 1 %* add up, "
            "part by part, the model build and the time the part took to reach that quality: "
            "when a whole plan of that quality would exist if each part stopped there. "
            "*Proven optimal* is build + solve of every part.",
            "",
        )
        report.table(SOLVE_HEADER, solve_rows(horizons))
    for months, limit in ((6, 10.0), (12, 20.0)):
        found = [runs for case, runs in horizons if case.months == months]
        if found:
            value = median([r.result["to_optimal"] for r in found[0]])
            optimal = all(r.result["status"] == "optimal" for r in found[0])
            report.target(
                f"{months}-month default plan proven optimal < {limit:.0f} s",
                seconds(value),
                optimal and value is not None and value < limit,
            )
    agency = [(c, r) for c, r in solved if c.group == "agency"]
    if agency:
        from bench.agency import describe

        report.add("## Agency scale (generated config, from 2026-01-01)", "", describe(), "")
        report.table(SOLVE_HEADER, solve_rows(agency))
    year = [runs for case, runs in agency if case.months == 12]
    if year:
        first = median([r.result["first_solution"] for r in year[0]])
        within = median([r.result["within_gap"] for r in year[0]])
        peak = max(r.peak_mb for r in year[0])
        report.target(
            "agency (12 months) first solution < 10 s",
            seconds(first),
            first is not None and first < 10,
        )
        report.target(
            "agency within 1 % of the best bound < 60 s",
            seconds(within),
            within is not None and within < 60,
        )
        report.target("agency peak memory < 2 GB (max of the runs)", f"{peak:.0f} MB", peak < 2048)
    extra = [(c, r) for c, r in solved if c.group == "extra"]
    if extra:
        report.add("## Other cases", "")
        report.table(SOLVE_HEADER, solve_rows(extra))
    for case, runs in extra:
        if case.spec["kind"] != "replan":
            continue
        took = median([r.result["steps"]["replan"] for r in runs])
        changes = runs[0].result["changes"]
        report.add(
            f"Replan ({case.name}): {took:.2f} s to read the plan back, re-plan and compare "
            f"(median; export apart); changes: {changes['moved']} moved, {changes['added']} "
            f"added, {changes['removed']} removed, {changes['changed']} changed.",
            "",
        )
        report.target("replan after a blackout week (6 months) < 2 s", seconds(took), took < 2)
    growth_section(report, "default inputs", horizons)
    growth_section(report, "agency config", agency)
    for cases in (horizons, agency):
        sentence = halves_sentence(cases)
        if sentence:
            report.add(sentence, "")
    report.add("## Targets (issue 6, this 2-core machine, medians)", "")
    report.table(["target", "measured", ""], [[w, m, yes(ok)] for w, m, ok in report.targets])
    return "\n".join(report.lines).rstrip() + "\n"


def environment_lines(load_before: tuple[float, float, float]) -> list[str]:
    import ortools

    load_after = os.getloadavg()
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:  # no git: a tarball checkout
        commit = ""
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
    parser.add_argument("--long", action="store_true", help="add the 3-year horizons")
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
    for case in CASES + (LONG_CASES if args.long else []):
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
