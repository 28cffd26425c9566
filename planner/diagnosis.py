"""Which of the user's rules clash, when no plan can hold them all.

Every hard-rule instance (one week's band, one month's mix for one audience, one day's
cap…) has a key. Diagnosis rebuilds the model with chosen subsets of instances enforced
and asks CP-SAT only whether it is feasible; plain constraints keep presolve strong, where
assumption literals on every constraint made infeasibility proofs slow.

QuickXplain (Junker, 2004) first finds a minimal set of rule families that cannot hold
together, in O(k log n) checks: relaxing any one of them (all its instances) makes that part
of the horizon feasible. It then runs on the instances of those families to name the
weeks, days or months involved. Each conflict's families are set aside and the search
repeats, so independent conflicts are all reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from planner.calendar import Calendar
from planner.config.loading import LoadedConfig
from planner.errors import Problem
from planner.families import F, name
from planner.items import Item
from planner.solver import cpsat
from planner.solver.context import Guard
from planner.solver.options import Scope
from planner.solver.solve import build, parameters

MAX_CONFLICTS = 5
CHECK_EFFORT = 20.0
"""Deterministic seconds per check: the same conflicts are named on any machine."""

Key = tuple[F, str]


@dataclass(frozen=True)
class Conflict:
    family: F
    instance: str
    detail: str
    where: str
    when: str = ""


def conflict_lines(conflicts: list[Conflict]) -> list[str]:
    """One line per rule and detail; instances that differ only by day are listed together."""
    groups: dict[tuple[F, str, str], list[str]] = {}
    for conflict in conflicts:
        key = (conflict.family, conflict.detail, conflict.where)
        groups.setdefault(key, [])
        if conflict.when:
            groups[key].append(conflict.when)
    lines: list[str] = []
    for (family, detail, where), days in groups.items():
        listed = ", ".join(days[:8]) + (f" et {len(days) - 8} autres" if len(days) > 8 else "")
        suffix = f" ({listed})" if days else ""
        lines.append(f"{name(family)} — {detail}{suffix} [{where}]")
    return lines


@dataclass(frozen=True)
class FamilyConflict:
    """Rule families that cannot hold together, and the instances that show it."""

    families: list[F]
    instances: list[Conflict]


def conflict_problems(label: str, groups: list[FamilyConflict], first: int) -> list[Problem]:
    """A problem per conflict: its part of the horizon, its rules, then the details."""
    problems: list[Problem] = []
    for n, conflict in enumerate(groups, start=first):
        rules = " + ".join(name(f) for f in conflict.families)
        details = "".join(f"\n      • {line}" for line in conflict_lines(conflict.instances))
        problems.append(Problem(f"Conflit {n} ({label}) : {rules}{details}"))
    return problems


class Checker:
    """Feasibility of one part of the horizon with only some rule instances enforced."""

    def __init__(
        self, calendar: Calendar, scope: Scope, fixed: Sequence[Item], known: dict[str, Item]
    ) -> None:
        self.calendar = calendar
        self.scope = scope
        self.fixed = fixed
        self.known = known
        self.guards: dict[Key, Guard] = build(
            calendar, scope, fixed, known=known, diagnose=True
        ).guards
        self.checks = 0

    def holds(self, enforced: Iterable[Key]) -> bool | None:
        """True if feasible, False if infeasible, None if the solver could not tell."""
        wanted = set(enforced)
        ctx = build(
            self.calendar,
            self.scope,
            self.fixed,
            known=self.known,
            diagnose=True,
            enforce=wanted.__contains__,
        )
        solver = parameters(CHECK_EFFORT)
        self.checks += 1
        status = solver.solve(ctx.model)
        if status in (cpsat.OPTIMAL, cpsat.FEASIBLE):
            return True
        return False if status == cpsat.INFEASIBLE else None


def diagnose(
    loaded: LoadedConfig,
    calendar: Calendar,
    scope: Scope,
    fixed: Sequence[Item] = (),
    known: dict[str, Item] | None = None,
) -> list[FamilyConflict]:
    """Disjoint minimal conflicts of one month (at most MAX_CONFLICTS): relaxing one rule of
    each makes the month feasible."""
    checker = Checker(calendar, scope, fixed, known or {})
    keys = list(checker.guards)
    families = list(dict.fromkeys(f for f, _ in keys))

    def holds_families(chosen: Iterable[F]) -> bool | None:
        wanted = set(chosen)
        return checker.holds(k for k in keys if k[0] in wanted)

    found: list[FamilyConflict] = []
    while len(found) < MAX_CONFLICTS and holds_families(families) is False:
        minimal = quickxplain(holds_families, [], families)
        instances = [k for k in keys if k[0] in minimal]
        shown: list[Key] = []
        while (
            len(shown) < len(instances)
            and checker.holds(k for k in instances if k not in shown) is False
        ):
            rest = [k for k in instances if k not in shown]
            shown += quickxplain(checker.holds, [], rest)
            if len(shown) >= 60:
                break
        found.append(
            FamilyConflict(
                sorted(minimal, key=families.index),
                [_conflict(loaded, checker.guards[key]) for key in shown],
            )
        )
        families = [f for f in families if f not in minimal]
    return found


def _conflict(loaded: LoadedConfig, guard: Guard) -> Conflict:
    return Conflict(
        guard.family, guard.instance, guard.detail, loaded.locate(guard.path), guard.when
    )


T = TypeVar("T")


def quickxplain(
    holds: Callable[[Iterable[T]], bool | None], background: list[T], candidates: list[T]
) -> list[T]:
    """A minimal subset of `candidates` that, with `background`, is infeasible."""

    def explain(base: list[T], added: bool, rest: list[T]) -> list[T]:
        if added and holds(base) is False:
            return []
        if len(rest) == 1:
            return rest
        half = len(rest) // 2
        first, second = rest[:half], rest[half:]
        right = explain(base + first, bool(first), second)
        left = explain(base + right, bool(right), first)
        return left + right

    return explain(background, False, candidates)
