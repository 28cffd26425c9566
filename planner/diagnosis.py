"""Which of the user's rules clash, when no plan can hold them all.

Each hard-rule instance (one week's band, one month's mix for one audience…) is guarded by
an assumption literal. CP-SAT returns a sufficient set of assumptions; a deletion filter
then drops each one in turn and keeps it out if the rest is still infeasible, so the set
reported is minimal: relaxing any one of its rules makes that part of the horizon feasible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.calendar import Calendar
from planner.config.loading import LoadedConfig
from planner.errors import Problem
from planner.families import F, name
from planner.items import Item
from planner.solver.context import Guard
from planner.solver.options import Scope
from planner.solver.solve import build


@dataclass(frozen=True)
class Conflict:
    family: F
    instance: str
    detail: str
    where: str
    when: str = ""


def conflict_problems(conflicts: list[Conflict]) -> list[Problem]:
    """One line per rule and detail; instances that differ only by day are listed together."""
    groups: dict[tuple[F, str, str], list[str]] = {}
    for conflict in conflicts:
        key = (conflict.family, conflict.detail, conflict.where)
        groups.setdefault(key, [])
        if conflict.when:
            groups[key].append(conflict.when)
    problems: list[Problem] = []
    for (family, detail, where), days in groups.items():
        listed = ", ".join(days[:8]) + (f" et {len(days) - 8} autres" if len(days) > 8 else "")
        suffix = f" ({listed})" if days else ""
        problems.append(Problem(f"{name(family)} — {detail}{suffix} [{where}]"))
    return problems


def diagnose(
    loaded: LoadedConfig,
    calendar: Calendar,
    scope: Scope,
    fixed: Iterable[Item] = (),
    time_limit: float = 30.0,
) -> list[Conflict]:
    ctx = build(calendar, scope, fixed, diagnose=True)
    guards = list(ctx.guards.values())
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = min(time_limit, ASSUMPTIONS_SECONDS)

    slow: list[bool] = []

    def infeasible(subset: list[Guard]) -> list[Guard] | None:
        if slow:
            return subset if _infeasible_with(ctx.model, subset, time_limit) else None
        ctx.model.clear_assumptions()
        ctx.model.add_assumptions([g.literal for g in subset if g.literal is not None])
        status = solver.solve(ctx.model)
        if status == cp_model.UNKNOWN:
            slow.append(True)
            return infeasible(subset)
        if status != cp_model.INFEASIBLE:
            return None
        core = set(solver.sufficient_assumptions_for_infeasibility())
        return [g for g in subset if g.literal is not None and g.literal.index in core] or subset

    core = infeasible(guards)
    if core is None:
        return []
    kept: list[Guard] = []
    pending = list(core)
    while pending:
        candidate = pending.pop(0)
        smaller = infeasible(kept + pending)
        if smaller is None:
            kept.append(candidate)
        else:
            pending = [g for g in pending if g in smaller]
    return [Conflict(g.family, g.instance, g.detail, loaded.locate(g.path), g.when) for g in kept]


ASSUMPTIONS_SECONDS = 3.0
"""Assumptions give a core for free but can make CP-SAT's search very slow (a model proven
infeasible in 0.05 s ran a minute with its guards as assumptions): past this limit, the
filter goes on with the guards fixed to true instead, where presolve does its work."""


def _infeasible_with(model: cp_model.CpModel, subset: list[Guard], time_limit: float) -> bool:
    """Whether the hard rules of `subset` alone cannot hold (their guards fixed to true)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit
    fixed = model.clone()
    fixed.clear_assumptions()
    for guard in subset:
        if guard.literal is not None:
            fixed.add(fixed.get_bool_var_from_proto_index(guard.literal.index) == 1)
    return solver.solve(fixed) == cp_model.INFEASIBLE
