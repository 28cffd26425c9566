"""Build the model from the rule families, solve it, and read the chosen options back.

Determinism: a fixed seed, and with several workers the interleaved (deterministic)
parallel search, so the same inputs give the same plan whatever the machine load, as long
as the time limit is not what stops the search.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.calendar import Calendar
from planner.families import F
from planner.items import Item
from planner.solver.context import SCALE, ModelContext
from planner.solver.hard import HARD_RULES
from planner.solver.options import Option, Scope, scopes
from planner.solver.soft import PREFERENCES

Progress = Callable[[float, float], None]
"""Called with (objective in points, seconds elapsed) at each improving solution."""

STATUS_NAMES = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
    cp_model.MODEL_INVALID: "invalid",
}


@dataclass
class SolveStats:
    status: str
    objective: float | None = None
    bound: float | None = None
    wall_seconds: float = 0.0
    deterministic_seconds: float = 0.0
    first_solution_seconds: float | None = None
    build_seconds: float = 0.0
    variables: int = 0
    constraints: int = 0
    workers: int = 1

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        if self.objective == 0:
            return 0.0
        return abs(self.objective - self.bound) / abs(self.objective)

    @property
    def solved(self) -> bool:
        return self.status in ("optimal", "feasible")


@dataclass
class Solution:
    stats: SolveStats
    chosen: list[Option] = field(default_factory=list)
    penalties: dict[F, float] = field(default_factory=dict)
    watched: dict[object, int] = field(default_factory=dict)


def build(
    calendar: Calendar,
    scope: Scope,
    fixed: Iterable[Item] = (),
    diagnose: bool = False,
    pinned: Iterable[Option] = (),
    enforce: Callable[[tuple[F, str]], bool] | None = None,
) -> ModelContext:
    ctx = ModelContext(calendar, scope, fixed, diagnose, pinned, enforce)
    for _, rule in HARD_RULES:
        rule(ctx)
    if not diagnose:
        for _, preference in PREFERENCES:
            preference(ctx)
    return ctx


def preference_objective(ctx: ModelContext) -> cp_model.LinearExprT:
    return sum(term.coefficient * term.expr for term in ctx.terms) + sum(ctx.tiebreaks)


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: Progress | None, started: float) -> None:
        super().__init__()
        self.progress = progress
        self.started = started
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        elapsed = clock.perf_counter() - self.started
        if self.first is None:
            self.first = elapsed
        if self.progress is not None:
            self.progress(self.objective_value / SCALE, elapsed)


LINEARIZATION = {"editorial": 2}
"""CP-SAT linearization level per part (default 1). At level 2 the LP also holds the mix
encoding's one-hot and implications; at agency scale that finds a first editorial
solution in 3 s instead of 17 s and proves the optimum in 6 s instead of not within a
minute. The lives' rotation state makes the level-2 LP slow for nothing (5 s instead of
0.5 s on the default year), so they keep level 1, as do the tiny community weeks."""


def parameters(time_limit: float, workers: int, part: str = "") -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 1
    solver.parameters.linearization_level = LINEARIZATION.get(part, 1)
    if workers > 1:
        solver.parameters.interleave_search = True
    return solver


def solve_part(
    ctx: ModelContext,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    progress: Progress | None = None,
    levels: list[cp_model.LinearExprT] | None = None,
) -> Solution:
    """Minimise the objective levels in order (each kept at its optimum for the next)."""
    objectives = levels or [preference_objective(ctx)]
    started = clock.perf_counter()
    stats = SolveStats("unknown", workers=workers)
    solver = parameters(time_limit, workers, ctx.scope.part)
    watcher = _Watcher(progress, started)
    status = cp_model.UNKNOWN
    for n, objective in enumerate(objectives):
        ctx.model.minimize(objective)
        remaining = max(time_limit - (clock.perf_counter() - started), 0.1)
        solver.parameters.max_time_in_seconds = remaining
        status = solver.solve(ctx.model, watcher)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        if n + 1 < len(objectives):
            best = round(solver.objective_value)
            ctx.model.add(objective <= best)
            ctx.model.clear_hints()
            for var in ctx.x.values():
                ctx.model.add_hint(var, solver.value(var))
    proto = ctx.model.proto
    stats.status = STATUS_NAMES.get(status, "unknown")
    stats.wall_seconds = clock.perf_counter() - started
    stats.deterministic_seconds = solver.deterministic_time
    stats.first_solution_seconds = watcher.first
    stats.variables = len(proto.variables)
    stats.constraints = len(proto.constraints)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Solution(stats)
    stats.objective = solver.objective_value / SCALE
    stats.bound = solver.best_objective_bound / SCALE
    chosen = [o for o, var in ctx.x.items() if solver.value(var)]
    penalties: dict[F, float] = {}
    for term in ctx.terms:
        penalties[term.family] = penalties.get(term.family, 0.0) + (
            term.coefficient * solver.value(term.expr) / SCALE
        )
    watched = {key: solver.value(var) for key, var in ctx.watch.items()}
    return Solution(stats, sorted(chosen), penalties, watched)


Levels = Callable[[ModelContext], list[cp_model.LinearExprT]]
"""Objective levels for a part, most important first (re-planning puts stability first)."""


@dataclass
class PlanSolution:
    stats: SolveStats
    chosen: list[Option] = field(default_factory=list)
    penalties: dict[F, float] = field(default_factory=dict)
    failed: list[Scope] = field(default_factory=list)
    parts: int = 0
    watched: dict[object, int] = field(default_factory=dict)


def solve_plan(
    calendar: Calendar,
    fixed: Iterable[Item] = (),
    *,
    time_limit: float = 60.0,
    workers: int = 1,
    progress: Progress | None = None,
    levels: Levels | None = None,
    pinned: Iterable[Option] = (),
) -> PlanSolution:
    """Solve every independent part of the horizon; parts that cannot hold are listed.

    `pinned` options (a previous plan's items) stay available to the model and `levels`
    puts objectives before the preferences: both serve re-planning.
    """
    pinned = list(pinned)
    fixed = list(fixed)
    started = clock.perf_counter()
    merged = PlanSolution(SolveStats("optimal", objective=0.0, bound=0.0, workers=workers))
    stats = merged.stats
    done = 0.0
    parts = scopes(calendar)
    # The editorial part, one model over the whole horizon, goes last: when it is the one
    # that meets the time limit, it keeps the best plan found so far, instead of leaving
    # the small parts after it 0.5 s each (a 3-year agency plan then failed on its lives).
    for scope in sorted(parts, key=lambda s: s.part == "editorial"):
        merged.parts += 1
        built = clock.perf_counter()
        ctx = build(calendar, scope, fixed, pinned=pinned)
        stats.build_seconds += clock.perf_counter() - built
        remaining = max(time_limit - (clock.perf_counter() - started), 0.5)

        def report(objective: float, elapsed: float, base: float = done) -> None:
            if progress is not None:
                progress(base + objective, clock.perf_counter() - started)

        part = solve_part(
            ctx,
            time_limit=remaining,
            workers=workers,
            progress=report,
            levels=levels(ctx) if levels else None,
        )
        _merge(stats, part.stats)
        if not part.stats.solved:
            merged.failed.append(scope)
            continue
        done += part.stats.objective or 0.0
        merged.chosen += part.chosen
        merged.watched.update(part.watched)
        for family, points in part.penalties.items():
            merged.penalties[family] = merged.penalties.get(family, 0.0) + points
    stats.wall_seconds = clock.perf_counter() - started
    merged.chosen.sort()
    merged.failed.sort(key=parts.index)
    return merged


_RANK = {"optimal": 0, "feasible": 1, "unknown": 2, "infeasible": 3, "invalid": 4}


def _merge(total: SolveStats, part: SolveStats) -> None:
    if _RANK[part.status] > _RANK[total.status]:
        total.status = part.status
    if part.solved and total.objective is not None and total.bound is not None:
        total.objective += part.objective or 0.0
        total.bound += part.bound or 0.0
    else:
        total.objective = total.bound = None
    total.deterministic_seconds += part.deterministic_seconds
    total.first_solution_seconds = (total.first_solution_seconds or 0.0) + (
        part.first_solution_seconds or part.wall_seconds
    )
    total.variables += part.variables
    total.constraints += part.constraints
