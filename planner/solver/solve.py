"""Build one model from the rule families, solve it, and read the chosen options back.

Determinism: one worker, a fixed seed, and a budget in CP-SAT's deterministic time (not
wall-clock seconds), so the same inputs give the same plan on an idle or a loaded machine.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from planner.calendar import Calendar
from planner.families import F
from planner.items import Item
from planner.solver import cpsat
from planner.solver.context import ModelContext
from planner.solver.hard import HARD_RULES
from planner.solver.options import Option, Scope
from planner.solver.soft import PREFERENCES

Progress = Callable[[float, float], None]
"""Called with (objective in points, seconds elapsed) at each improving solution."""

STATUS_NAMES = {
    cpsat.OPTIMAL: "optimal",
    cpsat.FEASIBLE: "feasible",
    cpsat.INFEASIBLE: "infeasible",
    cpsat.UNKNOWN: "unknown",
    cpsat.MODEL_INVALID: "invalid",
}


@dataclass
class SolveStats:
    status: str
    objective: Fraction | None = None
    bound: Fraction | None = None
    wall_seconds: float = 0.0
    deterministic_seconds: float = 0.0
    first_solution_seconds: float | None = None
    build_seconds: float = 0.0
    variables: int = 0
    constraints: int = 0
    parts: int = 0
    kept: int = 0
    """Months of a re-plan whose rows all still kept every rule: kept as they stood, which
    is the solver's only choice once changes are at their floor (zero)."""
    halves: bool = False
    """Solved as two halves side by side (`planning._by_halves`): each month is the best
    after the months before it in its half."""

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        if self.objective == 0:
            return 0.0
        return float(abs(self.objective - self.bound) / abs(self.objective))

    @property
    def solved(self) -> bool:
        return self.status in ("optimal", "monthly", "feasible")

    def add(self, part: SolveStats) -> None:
        """Fold one part's figures into a whole plan's."""
        rank = {
            "optimal": 0,
            "monthly": 1,
            "feasible": 2,
            "unknown": 3,
            "infeasible": 4,
            "invalid": 5,
        }
        if rank[part.status] > rank[self.status]:
            self.status = part.status
        if part.solved and self.objective is not None and self.bound is not None:
            self.objective += part.objective or 0
            self.bound += part.bound or 0
        else:
            self.objective = self.bound = None
        self.deterministic_seconds += part.deterministic_seconds
        self.first_solution_seconds = (self.first_solution_seconds or 0.0) + (
            part.first_solution_seconds or part.wall_seconds
        )
        self.wall_seconds += part.wall_seconds
        self.build_seconds += part.build_seconds
        self.variables += part.variables
        self.constraints += part.constraints
        self.parts += 1
        self.kept += part.kept

    def chained(self, score: Fraction) -> None:
        """A plan solved month after month: each month is the best given the months before,
        which proves nothing of the whole; the parts' objectives count the weeks and live
        gaps across their borders twice, so the plan's figure is its own score. A month kept
        as it stood had no model: its figure is its score too."""
        if self.parts > 1 and self.solved:
            self.objective, self.bound = score, None
            if self.status == "optimal":
                self.status = "monthly"
        elif self.kept and self.solved:
            self.objective = self.bound = score


@dataclass
class Solution:
    stats: SolveStats
    chosen: list[Option] = field(default_factory=list)
    penalties: dict[F, Fraction] = field(default_factory=dict)
    broken: list[tuple[F, str]] = field(default_factory=list)
    """Hard-rule instances that facts break (their slack is used): warnings."""
    watched: dict[object, int] = field(default_factory=dict)


def build(
    calendar: Calendar,
    scope: Scope,
    fixed: Iterable[Item] = (),
    *,
    known: dict[str, Item] | None = None,
    diagnose: bool = False,
    pinned: Iterable[Option] = (),
    enforce: Callable[[tuple[F, str]], bool] | None = None,
    own_messages: dict[str, Option] | None = None,
) -> ModelContext:
    ctx = ModelContext(
        calendar,
        scope,
        list(fixed),
        diagnose,
        list(pinned),
        enforce,
        dict(known or {}),
        dict(own_messages or {}),
    )
    for _, rule in HARD_RULES:
        rule(ctx)
    if not diagnose:
        for _, preference in PREFERENCES:
            preference(ctx)
    return ctx


class _Watcher:
    """Each improving solution's objective in points and when it came."""

    def __init__(self, progress: Progress | None, started: float, scale: int) -> None:
        self.progress = progress
        self.started = started
        self.scale = scale
        self.first: float | None = None

    def __call__(self, objective: float) -> None:
        elapsed = clock.perf_counter() - self.started
        if self.first is None:
            self.first = elapsed
        if self.progress is not None:
            self.progress(objective / self.scale, elapsed)


def parameters(effort: float) -> cpsat.CpSolver:
    """One worker (deterministic), the LP holding the mix encodings (linearization 2), and
    no probing or symmetry detection in presolve: on the default months that proves the
    optimum five times faster (0.2 s of deterministic time for five months instead of 1.2 s;
    without linearization 2, July 2026 takes 22 s).

    Branching towards the best plan found so far (`exploit_best_solution`) finds the next
    improving plan near it: the 2× agency's hard 2028 months (one brand part alone) come
    within 1 % of their optimum in 1.4 s instead of 3.3 (February) and 3.9 instead of 5.6
    (July); months with a single improvement run the same search as before."""
    solver = cpsat.CpSolver()
    solver.parameters.max_deterministic_time = effort
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 1
    solver.parameters.linearization_level = 2
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    solver.parameters.exploit_best_solution = True
    return solver


def stability_parameters(solver: cpsat.CpSolver, *, later: bool) -> None:
    """A re-plan's levels start from its rows where they stand, and each level after the
    first from the previous level's whole solution: presolve, and then cuts, cost them more
    than they save. Measured on the solves of a six-month re-plan after a blackout week, in
    three levels: 2.63 s with both, 1.54 s without (same optima). A first plan keeps both:
    without presolve, the agency config's first three months took 2.3 times the
    deterministic time, and without Gomory and MIR cuts its first month did not reach its
    optimum in 60.

    The levels after the first keep a lighter LP (linearization 1): held to the fewest
    changes and the shortest moves and started from a whole plan, the preference level
    proves its optimum sooner without the mix encodings' LP. Measured on re-plans after a
    blackout week, same optima: default inputs' March 0.23 → 0.15 s of deterministic time;
    the agency config's February 30.5 → 9.4, April 25.9 → 16.5, June 53.1 → 28.0."""
    solver.parameters.cp_model_presolve = False
    solver.parameters.linearization_level = 1 if later else 2
    for cuts in ("add_cg_cuts", "add_mir_cuts", "add_zero_half_cuts", "add_clique_cuts"):
        setattr(solver.parameters, cuts, not later)


@dataclass(frozen=True)
class Paired:
    """Two objective levels solved in one run: `first` weighted by one more than `second`'s
    largest value, which orders plans exactly as `first` then `second` would. Once solved,
    each is bounded on its own for the next level (two tight bounds propagate better than
    one on their weighted sum)."""

    first: cpsat.LinearExprT
    second: cpsat.LinearExprT
    span: int
    """`second`'s largest value."""

    @property
    def weighted(self) -> cpsat.LinearExprT:
        return (self.span + 1) * self.first + self.second

    def bounds(self, best: int) -> list[cpsat.Bounded | bool]:
        return [self.first <= best // (self.span + 1), self.second <= best % (self.span + 1)]


Level = cpsat.LinearExprT | Paired
Levels = Callable[[ModelContext], list[Level]]
"""Objective levels for a model, most important first (re-planning puts stability first);
the last one is always the preferences."""


def solve_model(
    ctx: ModelContext,
    *,
    effort: float = 60.0,
    levels: Levels | None = None,
    progress: Progress | None = None,
    hint: Iterable[Option] = (),
) -> Solution:
    """Minimise the objective levels in order (each kept at its optimum for the next)."""
    objectives = levels(ctx) if levels else [ctx.preference_objective()]
    scale = ctx.scale
    started = clock.perf_counter()
    stats = SolveStats("unknown")
    solver = parameters(effort)
    watcher = _Watcher(progress, started, scale)
    wanted = set(hint)
    if wanted:
        for option, var in ctx.x.items():
            ctx.model.add_hint(var, option in wanted)
    status = cpsat.UNKNOWN
    spent = 0.0
    for n, level in enumerate(objectives):
        objective = level.weighted if isinstance(level, Paired) else level
        ctx.model.minimize(objective)
        solver.parameters.max_deterministic_time = max(effort - spent, 0.05)
        if len(objectives) > 1:
            stability_parameters(solver, later=n > 0)
        status = solver.solve(ctx.model, watcher)
        spent += solver.deterministic_time
        if status not in (cpsat.OPTIMAL, cpsat.FEASIBLE):
            break
        if n + 1 < len(objectives):
            best = round(solver.objective_value)
            for bound in level.bounds(best) if isinstance(level, Paired) else [objective <= best]:
                ctx.model.add(bound)
            ctx.model.clear_hints()
            ctx.model.hint_all(solver.response.solution)
    proto = ctx.model.proto
    stats.status = STATUS_NAMES.get(status, "unknown")
    stats.wall_seconds = clock.perf_counter() - started
    stats.deterministic_seconds = spent
    stats.first_solution_seconds = watcher.first
    stats.variables = len(proto.variables)
    stats.constraints = len(proto.constraints)
    stats.parts = 1
    if status not in (cpsat.OPTIMAL, cpsat.FEASIBLE):
        return Solution(stats)
    penalties: dict[F, Fraction] = {}
    for term in ctx.terms:
        value = solver.value(term.expr) if not isinstance(term.expr, int) else term.expr
        if value:
            penalties[term.family] = penalties.get(term.family, Fraction(0)) + term.points * value
    stats.objective = sum(penalties.values(), Fraction(0))
    stats.bound = Fraction(round(solver.best_objective_bound)) / scale
    if status == cpsat.OPTIMAL:
        stats.bound = stats.objective
    chosen = sorted(o for o, var in ctx.x.items() if solver.value(var))
    broken = [(s.family, s.instance) for s in ctx.slacks if solver.value(s.var)]
    watched = {key: solver.value(var) for key, var in ctx.watch.items()}
    return Solution(stats, chosen, penalties, broken, watched)
