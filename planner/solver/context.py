"""The CP-SAT model behind a small container: rule families ask "the items of this channel
on these days" and never see variable indices.

Hard rules go through `require`, which in diagnosis mode guards each rule instance with an
assumption literal; preferences go through `penalize`, tagged with their family.
"""

from __future__ import annotations

import calendar as stdcal
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ortools.sat.python import cp_model

from planner.calendar import Calendar, Horizon
from planner.families import F
from planner.items import Item
from planner.rules import BASIS
from planner.solver.options import Option, Scope, build_options, subject_of

SCALE = BASIS * 100
"""Objective units per preference point. Mix closeness is counted in 1/BASIS posts, and
tie-breaks in single units, so all tie-breaks of a year weigh less than 0.001 point."""

ConfigPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Guard:
    """One hard-rule instance, which diagnosis can switch off."""

    family: F
    instance: str
    detail: str
    path: ConfigPath
    when: str = ""
    """Short label (a day) so that instances with the same detail can be listed together."""


@dataclass
class Term:
    family: F
    coefficient: int
    expr: cp_model.LinearExprT


class ModelContext:
    def __init__(
        self,
        calendar: Calendar,
        scope: Scope,
        fixed: Iterable[Item] = (),
        diagnose: bool = False,
        pinned: Iterable[Option] = (),
        enforce: Callable[[tuple[F, str]], bool] | None = None,
    ):
        """`diagnose` records every hard-rule instance in `guards`; `enforce` then says which
        instances are added (diagnosis rebuilds the model with subsets of them)."""
        self.calendar = calendar
        self.config = calendar.config
        self.scope = scope
        self.model = cp_model.CpModel()
        self.diagnose = diagnose
        self.enforce = enforce
        self.options = build_options(calendar, scope, pinned, zero_shares=diagnose)
        self.x = {o: self.model.new_bool_var(f"x{i}") for i, o in enumerate(self.options)}
        self._by_day: dict[tuple[str, str, date], list[Option]] = defaultdict(list)
        for option in self.options:
            self._by_day[(option.channel, option.kind, option.day)].append(option)
        self.fixed = [
            i
            for i in fixed
            if i.active and i.kind in ("post", "live") and scope.holds(i.channel, i.kind, i.day)
        ]
        self._fixed_by_day: dict[tuple[str, str, date], list[Item]] = defaultdict(list)
        for item in self.fixed:
            self._fixed_by_day[(item.channel, item.kind, item.day)].append(item)
        self.guards: dict[tuple[F, str], Guard] = {}
        self.terms: list[Term] = []
        self.tiebreaks: list[cp_model.LinearExprT] = []
        self.watch: dict[object, cp_model.IntVar] = {}
        """Variables whose values the caller wants back (e.g. re-planning's matching)."""
        self.cache: dict[str, Any] = {}

    # --- reading the model ------------------------------------------------------------

    def channels(self, *parts: str) -> list[str]:
        """Channels of this scope if it is one of these parts ('editorial', 'community',
        'lives'), else none: each rule family only touches its own part."""
        return list(self.scope.channels) if self.scope.part in parts else []

    def weeks(self) -> list[date]:
        """Mondays of the weeks this scope touches (computed from the scope, not the horizon:
        each of a year's 53 community weeks must not walk the whole year)."""
        return Horizon(self.scope.first, self.scope.last).weeks()

    def months(self) -> list[tuple[int, int]]:
        first, last = self.scope.first, self.scope.last
        return [
            (year, month)
            for year in range(first.year, last.year + 1)
            for month in range(1, 13)
            if (first.year, first.month) <= (year, month) <= (last.year, last.month)
        ]

    def month_days(self, year: int, month: int) -> list[date]:
        first = max(date(year, month, 1), self.scope.first)
        last = min(date(year, month, stdcal.monthrange(year, month)[1]), self.scope.last)
        return [first + timedelta(n) for n in range((last - first).days + 1)]

    def day_options(
        self, channel: str, kind: str, day: date, subject: str | None = None
    ) -> list[Option]:
        found = self._by_day.get((channel, kind, day), [])
        return found if subject is None else [o for o in found if o.subject == subject]

    def fixed_on(
        self, channel: str, kind: str, day: date, subject: str | None = None
    ) -> list[Item]:
        found = self._fixed_by_day.get((channel, kind, day), [])
        if subject is None:
            return found
        return [i for i in found if subject_of(self.config, i) == subject]

    def days_with(self, channel: str, kind: str) -> list[date]:
        """Days where this channel may hold items of this kind (options or fixed items)."""
        days = {d for (c, k, d) in self._by_day if c == channel and k == kind}
        days |= {d for (c, k, d) in self._fixed_by_day if c == channel and k == kind}
        return sorted(days)

    def placed(
        self, channel: str, kind: str, days: Iterable[date], subject: str | None = None
    ) -> tuple[cp_model.LinearExprT, int]:
        """Variables placed on these days, and the number of fixed items already there."""
        variables: list[cp_model.IntVar] = []
        fixed = 0
        for day in days:
            variables += [self.x[o] for o in self.day_options(channel, kind, day, subject)]
            fixed += len(self.fixed_on(channel, kind, day, subject))
        return sum(variables), fixed

    # --- writing the model --------------------------------------------------------------

    def require(
        self,
        constraint: cp_model.BoundedLinearExpression | bool,
        family: F,
        instance: str,
        detail: str,
        path: ConfigPath,
        when: str = "",
    ) -> None:
        key = (family, instance)
        if self.diagnose and key not in self.guards:
            self.guards[key] = Guard(family, instance, detail, path, when)
        if self.enforce is not None and not self.enforce(key):
            return
        if isinstance(constraint, bool):
            if constraint:
                return
            constraint = self.model.new_constant(0) >= 1
        self.model.add(constraint)

    def penalize(
        self, family: F, points: int, expr: cp_model.LinearExprT, scale: int = SCALE
    ) -> None:
        if points:
            self.terms.append(Term(family, points * scale, expr))

    def tiebreak(self, expr: cp_model.LinearExprT) -> None:
        """A tiny cost that only chooses among equally good plans (never a user penalty)."""
        self.tiebreaks.append(expr)

    def deviation(self, expr: cp_model.LinearExprT, target: int, upper: int) -> cp_model.IntVar:
        """|expr - target| as a variable."""
        dev = self.model.new_int_var(0, upper, "dev")
        self.model.add(dev >= expr - target)
        self.model.add(dev >= target - expr)
        return dev

    def shortfall(self, expr: cp_model.LinearExprT, target: int) -> cp_model.IntVar:
        """max(0, target - expr) as a variable."""
        short = self.model.new_int_var(0, max(target, 0), "short")
        self.model.add(short >= target - expr)
        return short

    def excess(self, expr: cp_model.LinearExprT, cap: int, upper: int) -> cp_model.IntVar:
        """max(0, expr - cap) as a variable."""
        over = self.model.new_int_var(0, max(upper, 0), "over")
        self.model.add(over >= expr - cap)
        return over

    def week_counts(self, channel: str, days: list[date]) -> bool:
        """A week counts for weekly rules unless the channel has no open day in it (and no
        fixed item): a fully closed week is exempt, and the report says so."""
        has_open = any(
            self.calendar.horizon.contains(d) and self.calendar.is_open(channel, d) for d in days
        )
        return has_open or any(self.fixed_on(channel, "post", d) for d in days)
