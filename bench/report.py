"""bench/results.md: the measurements as Markdown tables, and the targets of issue 14."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.processes import FLOOR_IMPORTS, Pair, Run

CLI_TARGET = 1.5
REPLAN_TARGET = 4.0
LINEAR_EXPONENT = 1.2
"""A fitted exponent up to this counts as linear growth (noise and fixed costs apart)."""
FIRST_TARGET = 15.0
WITHIN_TARGET = 60.0
MEMORY_TARGET_MB = 1024.0


@dataclass(frozen=True)
class CurvePoint:
    """One plan of `months` months in a fresh probe process."""

    case: str
    months: int
    run: Run


@dataclass(frozen=True)
class Determinism:
    """One case planned on the machine as it is, then with every CPU kept busy."""

    case: str
    idle_wall: float
    loaded_wall: float
    files: int
    same: bool
    """Every file of the plan's folder byte for byte the same."""
    solver: str
    """What the command said of the solve."""


@dataclass
class Results:
    environment: list[str]
    month: list[Pair]
    breakdown: list[Run]
    replan: list[Pair]
    replan_breakdown: list[Run]
    replan_changes: str
    curves: dict[str, list[CurvePoint]]
    """By config: 'default inputs', 'agency config'."""
    large: list[CurvePoint]
    """Only with --long."""
    long: bool
    determinism: list[Determinism]
    workers_option: bool
    """`planner plan --help` still offers --workers."""


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    targets: list[tuple[str, str, bool | None]] = field(default_factory=list)
    """(target, measured, met); met is None when not measured in this mode."""

    def add(self, *lines: str) -> None:
        self.lines += lines

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self.add("| " + " | ".join(header) + " |")
        self.add("|" + "|".join("---" if i == 0 else "--:" for i in range(len(header))) + "|")
        self.add(*("| " + " | ".join(row) + " |" for row in rows), "")

    def target(self, what: str, measured: str, met: bool | None) -> None:
        self.targets.append((what, measured, met))


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def within_text(result: dict[str, Any]) -> str:
    """Time to within 1 %, or its floor when some month never got there."""
    if result["within_gap"] is None and result.get("within_gap_floor"):
        return f"≥ {seconds(result['within_gap_floor'])}"
    return seconds(result["within_gap"])


def megabytes(value: float) -> str:
    return f"{value:.0f} MB"


def spread(values: Sequence[float]) -> str:
    return f"{min(values):.2f}–{max(values):.2f}"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def verdict(met: bool | None) -> str:
    return {True: "met", False: "**not met**", None: "not measured"}[met]


# --- whole processes against the import floor -----------------------------------------------


def paired_table(report: Report, name: str, pairs: list[Pair]) -> float:
    """Command and floor side by side; returns the median of the pairs' ratios."""
    ratio = median([p.ratio for p in pairs])

    def row(label: str, runs: list[Run]) -> list[str]:
        walls = [r.wall for r in runs]
        return [
            label,
            seconds(median(walls)),
            spread(walls),
            seconds(median([r.cpu for r in runs])),
            megabytes(median([r.peak_mb for r in runs])),
        ]

    commands = [p.command for p in pairs]
    floors = [p.floor for p in pairs]
    cpu_ratio = median([r.cpu for r in commands]) / median([r.cpu for r in floors])
    report.table(
        ["process", "wall (median)", "wall min–max", "CPU (median)", "peak memory"],
        [
            row(name, commands),
            row(f'import floor (`python -c "{FLOOR_IMPORTS}"`)', floors),
            ["ratio (median of the pairs' ratios)", f"{ratio:.2f} ×", "", f"{cpu_ratio:.2f} ×", ""],
        ],
    )
    return ratio


def month_section(report: Report, pairs: list[Pair]) -> None:
    report.add(
        "## 1. Month CLI against the import floor",
        "",
        f"`planner plan --month 2027-01 --out <new folder> --now 2026-12-15T09:00` (default "
        f"inputs) as a real subprocess, alternated with the import floor; "
        f"{plural(len(pairs), 'pair')} after a warm-up pair. Each run plans into a new "
        "folder, so each does the same work.",
        "",
    )
    ratio = paired_table(report, "`planner plan --month 2027-01`", pairs)
    report.target(f"month CLI ≤ {CLI_TARGET} × import floor", f"{ratio:.2f} ×", ratio <= CLI_TARGET)


BREAKDOWN = (
    ("start-up", "interpreter start-up & teardown (process wall − in-process time)"),
    ("imports", "imports (`planner.cli`, `planner.runs` and what they import)"),
    ("config", "config (`load_config`)"),
    ("build", "model build (`build`, every month)"),
    ("solve", "solve (`solve_model`, every month)"),
    ("content", "content (rest of `make_plan`: assembly, scoring, reasons, confidentiality)"),
    ("checks", "checks (`check_plan` in `make_plan`)"),
    ("store", "plan store (rest of `run_plan`: session, ingest, compare, records)"),
    ("export", "export files (`plan_files` rendering + `FolderWrite` stage/swap/finish)"),
    ("cli", "CLI rest (options, horizon, printed summary)"),
)


def breakdown_steps(run: Run) -> dict[str, float]:
    """One probe's rows: the hooks' seconds, nested ones taken out of their callers (a
    hooked function that was not called counts 0)."""
    s = defaultdict(float, run.result["steps"])
    export = s["render"] + s["write"]
    return {
        "start-up": run.wall - run.result["in_process"],
        "imports": s["imports"],
        "config": s["config"],
        "build": s["build"],
        "solve": s["solve"],
        "content": s["make_plan"] - s["build"] - s["solve"] - s["checks"],
        "checks": s["checks"],
        "store": s["run_plan"] - s["make_plan"] - export,
        "export": export,
        "cli": run.result["in_process"] - s["imports"] - s["config"] - s["run_plan"],
    }


def breakdown_section(report: Report, runs: list[Run]) -> None:
    report.add(
        "## 2. Where the month CLI's time goes",
        "",
        f"A probe process (bench/probe.py, {plural(len(runs), 'run')}) runs the same command "
        "through `planner.cli.app` in-process, with timing wrappers where the production "
        "code looks the functions up (`planner.cli.load_config`, `planner.runs.run_plan`, "
        "`planner.runs.make_plan`, `planner.planning.build`, `planner.planning.solve_model`, "
        "`planner.planning.check_plan`, `planner.runs.plan_files`, "
        "`planner.export.writer.FolderWrite`): the measured path is the production path. "
        "Each row is the median over the runs, so the rows need not add up to the total.",
        "",
    )
    breakdown_table(report, runs)


def breakdown_table(report: Report, runs: list[Run]) -> None:
    steps = [breakdown_steps(r) for r in runs]
    total = median([r.wall for r in runs])
    rows = []
    for key, label in BREAKDOWN:
        value = median([s[key] for s in steps])
        rows.append([label, seconds(value), f"{100 * value / total:.0f} %"])
    rows.append(["total (probe process wall time)", seconds(total), "100 %"])
    report.table(["step", "median", "share"], rows)
    missing = sorted({m for r in runs for m in r.result["missing"]})
    if missing:
        report.add(
            f"Hook points missing in this planner: {', '.join(missing)}; their time is "
            "counted in the plan store row.",
            "",
        )


def replan_section(report: Report, pairs: list[Pair], steps: list[Run], changes: str) -> None:
    report.add(
        "## 3. Re-planning six months after a blackout week",
        "",
        "Set-up (not timed): `planner plan --from 2027-01-01 --to 2027-06-30 --now "
        "2026-12-15T09:00` into a workspace, saved; a copy of `inputs/` with the blackout "
        "week 2027-03-15..2027-03-21 added to `calendar.yaml`. Timed: the workspace restored, "
        "then the whole `planner plan --config <copy> --from 2027-01-01 --to 2027-06-30 "
        "--out <workspace> --now 2026-12-15T09:00` subprocess, which re-plans the six months "
        "with minimal change through the plan store (`planner.db`); paired with the import "
        f"floor, {plural(len(pairs), 'pair')} after a warm-up pair.",
        "",
    )
    ratio = paired_table(report, "`planner plan` re-planning 6 months", pairs)
    if changes:
        report.add(f"What the command printed: « {changes} ».", "")
    if steps:
        report.add(
            f"Where its time goes: the same command in probe processes "
            f"({plural(len(steps), 'run')}, the workspace restored before each), timed as in "
            "section 2. A re-plan keeps, without a model, each month whose rows all still "
            "keep every rule; it solves the others in two CP-SAT runs (changes and distance "
            "as one weighted level, then preferences), which *build* and *solve* cover.",
            "",
        )
        breakdown_table(report, steps)
    report.target(
        f"6-month replan CLI ≤ {REPLAN_TARGET:.0f} × import floor",
        f"{ratio:.2f} ×",
        ratio <= REPLAN_TARGET,
    )


# --- growth with the horizon ----------------------------------------------------------------


def exponent(points: Sequence[tuple[int, float]]) -> float | None:
    """b in time = a × months^b, least squares on the logs."""
    if len(points) < 2:
        return None
    xs = [math.log(m) for m, _ in points]
    ys = [math.log(max(t, 1e-3)) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    spread_x = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / spread_x


def shape(b: float) -> str:
    if b < 0.8:
        return "sub-linear: fixed costs still weigh"
    if b <= LINEAR_EXPONENT:
        return "linear"
    return "super-linear"


def status(result: dict[str, Any]) -> str:
    """The plan's status; for no plan, the month that found none (of the months built)."""
    if result["status"] == "no plan":
        return f"no plan (month {result['months']})"
    if result["status"] == "stopped":
        return f"stopped after {result['wall']:.0f} s, {result['months']} months solved"
    return str(result["status"])


def curve_row(point: CurvePoint) -> list[str]:
    r = point.run.result
    objective = r.get("objective")
    return [
        str(point.months),
        seconds(r["wall"]),
        seconds(r["cpu"]),
        seconds(r["deterministic"]),
        seconds(r["build"]),
        megabytes(point.run.peak_mb),
        status(r),
        "—" if objective is None else f"{objective:,.0f}".replace(",", " "),
        str(r.get("items", "—")),
        seconds(r["wall"] / point.months),
        seconds(r["cpu"] / point.months),
    ]


CURVE_HEADER = [
    "months",
    "wall",
    "CPU",
    "deterministic",
    "build",
    "peak memory",
    "status",
    "objective",
    "items",
    "wall / month",
    "CPU / month",
]


def curve_section(report: Report, name: str, points: list[CurvePoint]) -> None:
    """The table, and the growth fitted over the horizons that got a plan."""
    report.add(f"### {name}", "")
    report.table(CURVE_HEADER, [curve_row(p) for p in points])
    planned = [p for p in points if p.run.result["status"] != "no plan"]
    failed = [str(p.months) for p in points if p not in planned]
    fits = {
        key: exponent([(p.months, p.run.result[key]) for p in planned])
        for key in ("wall", "cpu", "deterministic")
    }
    cpu = fits["cpu"]
    what = (
        f"growth linear in months ({name}, CPU exponent ≤ {LINEAR_EXPONENT}, every horizon planned)"
    )
    no_plan = f"no plan at {', '.join(failed)} months" if failed else ""
    if cpu is None:
        report.add(f"Fewer than two horizons planned: no growth to fit. {no_plan}".strip(), "")
        report.target(what, no_plan or "—", False if failed else None)
        return
    report.add(
        f"Fitted growth (log-log, {planned[0].months}–{planned[-1].months} months): CPU as "
        f"months^{cpu:.2f} ({shape(cpu)}), wall as months^{fits['wall']:.2f}, deterministic "
        f"time as months^{fits['deterministic']:.2f}."
        + (f" {no_plan.capitalize()}, left out of the fit." if failed else ""),
        "",
    )
    measured = f"^{cpu:.2f} up to {planned[-1].months} months" + (f"; {no_plan}" if failed else "")
    report.target(what, measured, cpu <= LINEAR_EXPONENT and not failed)


def curves_section(report: Report, curves: dict[str, list[CurvePoint]], effort: str) -> None:
    from bench.agency import describe

    report.add(
        "## 4. Growth with the horizon",
        "",
        "Each horizon starts on 2027-01-01 with `--now 2026-12-15T09:00`, in its own probe "
        f"process (one run each), which calls `make_plan` ({effort}) with `build` and "
        "`solve_model` wrapped where `make_plan` looks them up. *Wall* and *CPU* are "
        "`make_plan`'s own (imports and config apart); *deterministic* is CP-SAT's "
        "deterministic time summed over the months (independent of the machine's load); "
        "*peak memory* is the whole process's. The plan is solved month after month, so "
        "linear growth means a constant cost per month; from 12 months, as two halves side "
        "by side, one per core (planner/planning.py), so wall time falls below CPU time. The "
        "effort is per month: each month's solve gets it whole.",
        "",
        f"Agency config: {describe()}",
        "",
    )
    for name, points in curves.items():
        curve_section(report, name, points)


# --- large cases ----------------------------------------------------------------------------


def large_section(report: Report, cases: list[CurvePoint], long: bool, effort: float) -> None:
    report.add(
        "## 5. Large cases",
        "",
        f"Both at the command's effort, {effort:g} deterministic seconds per month; the agency "
        "at 36 months is the last point of its curve (section 4), the 2× agency is stopped "
        "after the bench's `--large-timeout`. The plan is solved month after month, as two "
        "halves side by side from 12 months: each half in a thread of its own (a *lane*), and "
        "the second half's first month solved again after them, in the main lane, when the "
        "halves do not join as they are. `solve_model` is wrapped to record each "
        "month's solutions as its `progress` callback reports them, and the month's final "
        "bound (an optimal month's last solution). *First solution* = Σ over a lane's months "
        "of (model build + time to that month's first solution), for the slower half, plus "
        "the main lane's sum: when a complete plan would exist if each month stopped at its "
        "first solution. *Within 1 %* = the same with the time until that month's solution "
        "is within 1 % of the month's final bound; when some month never got there, « ≥ » "
        "the same sum with that month's whole solve instead, a floor. *Total* is "
        "`make_plan`'s wall time. "
        "All are wall-clock seconds on this machine.",
        "",
    )
    if not long:
        report.add("Not run: `python -m bench --long` adds them.", "")
        for case in ("agency, 36 months", "2× agency, 24 months"):
            for what in large_targets(case):
                report.target(what, "—", None)
        return
    rows = []
    for point in cases:
        r = point.run.result
        rows.append(
            [
                point.case,
                seconds(r["first_solution"]),
                within_text(r),
                seconds(r["wall"]),
                seconds(r["cpu"]),
                seconds(r["deterministic"]),
                f"{r['months_within_gap']}/{r['months']}",
                megabytes(point.run.peak_mb),
                status(r),
            ]
        )
        first, within, memory = large_targets(point.case)
        stopped = r["status"] == "stopped"
        for what, key, limit in (
            (first, "first_solution", FIRST_TARGET),
            (within, "within_gap", WITHIN_TARGET),
        ):
            value = r[key] if r[key] is not None else r.get(f"{key}_floor")
            if stopped:  # the months solved so far: a lower bound
                measured = f"≥ {seconds(value)} ({r['months']} of {point.months} months)"
                report.target(what, measured, False if value and value >= limit else None)
            elif r[key] is None and value is not None:  # a floor: some month never got there
                report.target(what, within_text(r), False if value >= limit else None)
            else:
                report.target(what, seconds(value), _below(value, limit))
        report.target(
            memory,
            megabytes(point.run.peak_mb) + (" (stopped midway)" if stopped else ""),
            memory_met(point.run.peak_mb, stopped),
        )
    report.table(LARGE_HEADER, rows)
    for point in cases:
        per_month_section(report, point)


LARGE_HEADER = [
    "case",
    "first solution",
    "within 1 %",
    "total",
    "CPU",
    "deterministic",
    "months within 1 %",
    "peak memory",
    "status",
]

MARKS = (1, 2, 3, 6, 12, 24, 36)


def per_month_section(report: Report, point: CurvePoint) -> None:
    """How the cost grows month after month inside one long plan: cumulative build + solve
    and deterministic time after 1, 2, 3, 6 … months, and the growth fitted on them."""
    months = point.run.result.get("per_month", [])
    if len(months) < 2:
        return
    rows, walls, dets = [], [], []
    wall = det = 0.0
    for n, (build, solve, deterministic) in enumerate(months, start=1):
        wall += build + solve
        det += deterministic
        if n in MARKS or n == len(months):
            rows.append([str(n), seconds(wall), seconds(det), seconds(build + solve)])
            walls.append((n, wall))
            dets.append((n, det))
    order = (
        " in the order they were built: the two halves' months interleave, and the second "
        "half's first month, when solved again, comes last"
        if point.run.result.get("lanes", 1) > 1
        else ""
    )
    report.add(f"{point.case}, month after month (cumulative{order}):", "")
    report.table(["months", "build + solve", "deterministic", "that month"], rows)
    fit, fit_det = exponent(walls), exponent(dets)
    if point.run.result["status"] == "stopped":
        report.add("Stopped midway: no growth fitted.", "")
    elif fit is not None and fit_det is not None:
        report.add(
            f"Growth within the plan: build + solve as months^{fit:.2f} ({shape(fit)}), "
            f"deterministic time as months^{fit_det:.2f}.",
            "",
        )
        report.target(
            f"growth linear in months within one plan ({point.case.split(',')[0]}, "
            f"1–{len(months)} months, exponent ≤ {LINEAR_EXPONENT})",
            f"^{fit:.2f} (deterministic ^{fit_det:.2f})",
            fit <= LINEAR_EXPONENT and point.run.result["status"] != "no plan",
        )


def large_targets(case: str) -> tuple[str, str, str]:
    return (
        f"{case}: first solution < {FIRST_TARGET:.0f} s",
        f"{case}: within 1 % of the bound < {WITHIN_TARGET:.0f} s",
        f"{case}: peak memory < 1 GB",
    )


def memory_met(peak_mb: float, stopped: bool) -> bool | None:
    """Over the target is over it; under it, a run stopped midway proves nothing."""
    if peak_mb >= MEMORY_TARGET_MB:
        return False
    return None if stopped else True


def _below(value: float | None, limit: float) -> bool:
    return value is not None and value < limit


# --- the same plan on any machine ----------------------------------------------------------


def determinism_section(report: Report, cases: list[Determinism], workers: bool) -> None:
    report.add(
        "## 6. The same plan on an idle and on a loaded machine",
        "",
        "Each case is `planner plan --month 2027-01` into a new folder, once on the machine as "
        "it is and once with every CPU kept busy by spinning processes (the run then gets "
        "about half the CPU); then every file of the two plan folders is compared byte for "
        "byte (the store, `planner.db`, records the run's time and is left out). The "
        "`--time-limit 2` case stops the agency's month before its optimum, so the budget "
        "decides the plan: with a wall-clock limit, the loaded run would stop at another "
        "point of the search.",
        "",
    )
    rows = [
        [
            c.case,
            seconds(c.idle_wall),
            seconds(c.loaded_wall),
            str(c.files),
            "identical" if c.same else "**different**",
            c.solver.replace("|", "/"),
        ]
        for c in cases
    ]
    report.table(["case", "wall", "wall, loaded", "files", "plan folder", "solver said"], rows)
    report.add(
        "`planner plan --help` "
        + ("still offers `--workers`." if workers else "has no `--workers` option any more: ")
        + (
            ""
            if workers
            else "the solver runs one worker with a fixed seed "
            "(planner/solver/solve.py), and `--time-limit` is in deterministic seconds."
        ),
        "",
    )
    same = bool(cases) and all(c.same for c in cases)
    report.target(
        "same plan on an idle and a loaded machine (budget in deterministic time)",
        f"{sum(c.same for c in cases)}/{len(cases)} cases identical",
        same,
    )
    report.target(
        "same plan for any `--workers`",
        "option offered" if workers else "no `--workers` option: one worker",
        not workers,
    )


# --- the whole page -------------------------------------------------------------------------


def render(results: Results, effort: str, per_month: float) -> str:
    report = Report()
    report.add(
        "# planner benchmark",
        "",
        "Written by `python -m bench`; see bench/README.md for the method. Timings belong to "
        "this machine and its load at the time.",
        "",
        *results.environment,
        "",
    )
    month_section(report, results.month)
    breakdown_section(report, results.breakdown)
    replan_section(report, results.replan, results.replan_breakdown, results.replan_changes)
    curves_section(report, results.curves, effort)
    large_section(report, results.large, results.long, per_month)
    determinism_section(report, results.determinism, results.workers_option)
    report.add("## Targets (issue 14)", "")
    report.table(["target", "measured", ""], [[w, m, verdict(met)] for w, m, met in report.targets])
    return "\n".join(report.lines).rstrip() + "\n"
