"""The CP-SAT model behind a small container: rule families ask "the posts of this channel
on these days, for this audience" and never see variable indices.

Items the model cannot change (published, locked or past rows, and every item of other
months already in the plan store) are counted through the same questions, as `fixed`
placements. Hard rules go through `require`: a rule instance that involves such facts is
elastic (a heavily penalised slack), so a fact that breaks a rule is kept and reported as
a warning instead of making the plan impossible. Preferences go through `penalize`, with
exact fractions of points.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from planner.calendar import Calendar, Horizon
from planner.families import F
from planner.items import Item
from planner.solver import cpsat
from planner.solver.options import (
    Option,
    Scope,
    build_options,
    campaign_link,
    live_link,
    ritual_link,
    subject_of,
)

TIE_ROOM = 10_000
"""Objective units per smallest point step left for tie-breaks (they never outweigh it)."""
SHORT_DAY = 8
"""A day with at most this many options is summed as it is: a count variable for it costs a
re-plan's searches (run without presolve) more than its few terms save."""
VIOLATION_POINTS = 100_000
"""Cost of one unit of slack on a hard rule that facts already break."""

ConfigPath = tuple[str | int, ...]
Where = Callable[[Option], bool]


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
    points: Fraction
    expr: cpsat.LinearExprT


@dataclass
class Slack:
    family: F
    instance: str
    var: cpsat.IntVar


def placement(config_items: dict[str, Item], config: Any, item: Item) -> Option:
    """The option an existing item stands on, with the link it belongs to."""
    link = ""
    if item.parent:
        parent = config_items.get(item.parent)
        if parent is not None and parent.kind == "live":
            link = live_link(parent.channel, parent.day)
        elif any(c.key == item.parent for c in config.campaigns):
            link = campaign_link(item.parent)
    elif item.kind == "post" and item.content_type in config.channels[item.channel].rituals:
        link = ritual_link(item.day.year, item.day.month)
    return Option(
        item.day,
        item.start.time(),
        item.channel,
        item.kind,
        item.audience,
        item.phase,
        subject_of(config, item),
        link,
    )


@dataclass
class ModelContext:
    calendar: Calendar
    scope: Scope
    fixed_items: list[Item] = field(default_factory=list)
    diagnose: bool = False
    pinned: Iterable[Option] = ()
    enforce: Callable[[tuple[F, str]], bool] | None = None
    """In diagnosis, which hard-rule instances are added (subsets are tried)."""
    known: dict[str, Item] = field(default_factory=dict)
    """Every item by id, so that a fact's link to its live resolves even when the live
    itself is free to move."""
    own_messages: dict[str, Option] = field(default_factory=dict)
    """Free rows whose message the user typed, at their option: staying there, they take
    nothing from the message pool."""

    def __post_init__(self) -> None:
        self.config = self.calendar.config
        self.model = cpsat.CpModel()
        by_id = {**self.known, **{i.id: i for i in self.fixed_items}}
        self.fixed: list[Option] = []
        self._fixed_by_day: dict[tuple[str, str, date], list[Option]] = defaultdict(list)
        for item in self.fixed_items:
            if item.active and item.kind in ("post", "live"):
                placed = placement(by_id, self.config, item)
                self.fixed.append(placed)
                self._fixed_by_day[(placed.channel, placed.kind, placed.day)].append(placed)
        self.options = build_options(
            self.calendar,
            self.scope,
            self.pinned,
            zero_shares=self.diagnose,
            fixed_lives=[o for o in self.fixed if o.kind == "live"],
        )
        self.x = {o: self.model.new_bool_var(f"x{i}") for i, o in enumerate(self.options)}
        self._by_day: dict[tuple[str, str, date], list[Option]] = defaultdict(list)
        self._by_audience: dict[tuple[str, str, str, date], list[Option]] = defaultdict(list)
        for option in self.options:
            self._by_day[(option.channel, option.kind, option.day)].append(option)
            self._by_audience[(option.channel, option.kind, option.audience, option.day)].append(
                option
            )
        self.guards: dict[tuple[F, str], Guard] = {}
        self.terms: list[Term] = []
        self.slacks: list[Slack] = []
        self.tiebreaks: list[cpsat.LinearExprT] = []
        self.watch: dict[object, cpsat.IntVar] = {}
        """Variables whose values the caller wants back (e.g. re-planning's matching)."""
        self.stays: dict[str, cpsat.IntVar] = {}
        """Whether a free row stays on its own option (re-planning's matching reuses it)."""
        self.cache: dict[str, Any] = {}

    def stay(self, item_id: str, option: Option) -> cpsat.IntVar:
        """True only if the free row `item_id` keeps its own `option`."""
        if item_id not in self.stays:
            var = self.model.new_bool_var(f"stay-{item_id}")
            self.model.add_implication(var, self.x[option])
            self.stays[item_id] = var
        return self.stays[item_id]

    # --- reading the model ------------------------------------------------------------

    def weeks(self) -> list[date]:
        return Horizon(self.scope.first, self.scope.last).weeks()

    def months(self) -> list[tuple[int, int]]:
        return Horizon(self.scope.first, self.scope.last).months()

    def day_options(self, channel: str, kind: str, day: date) -> list[Option]:
        return self._by_day.get((channel, kind, day), [])

    def audience_options(self, channel: str, kind: str, audience: str, day: date) -> list[Option]:
        return self._by_audience.get((channel, kind, audience, day), [])

    def fixed_on(self, channel: str, kind: str, day: date) -> list[Option]:
        return self._fixed_by_day.get((channel, kind, day), [])

    def days_with(self, channel: str, kind: str) -> list[date]:
        """Days where this channel has items of this kind (options or facts)."""
        days = {d for (c, k, d) in self._by_day if c == channel and k == kind}
        days |= {d for (c, k, d) in self._fixed_by_day if c == channel and k == kind}
        return sorted(days)

    def placed(
        self,
        channel: str,
        kind: str,
        days: Iterable[date],
        where: Where | None = None,
        audience: str | None = None,
    ) -> tuple[cpsat.LinearExprT, int]:
        """Options placed on these days (those for `audience` and matching `where`) and facts
        already there. Facts are only counted on covered days: the rules apply to covered
        days. An audience is looked up, not filtered: the mix and phase rules ask for each
        audience of a channel with ten audiences. A channel's posts over several days add
        up each day's count, which the daily, weekly and monthly rules then share."""

        def wanted(option: Option) -> bool:
            return (audience in (None, option.audience)) and (where is None or where(option))

        whole_days = audience is None and where is None
        found: list[cpsat.LinearExprT] = []
        fixed = 0
        for day in days:
            if whole_days:
                found.append(self.day_count(channel, kind, day))
            else:
                options = (
                    self.day_options(channel, kind, day)
                    if audience is None
                    else self.audience_options(channel, kind, audience, day)
                )
                if where is not None:
                    options = [o for o in options if where(o)]
                found += [self.x[o] for o in options]
            facts = self.fixed_on(channel, kind, day)
            if facts and self.calendar.covered(day):
                fixed += sum(1 for o in facts if wanted(o))
        return cpsat.total(found), fixed

    def day_count(self, channel: str, kind: str, day: date) -> cpsat.LinearExprT:
        counts: dict[tuple[str, str, date], cpsat.LinearExprT] = self.cache.setdefault("day", {})
        key = (channel, kind, day)
        if key not in counts:
            options = self.day_options(channel, kind, day)
            total = cpsat.total([self.x[o] for o in options])
            named = len(options) > SHORT_DAY
            counts[key] = self.named(total, len(options)) if named else total
        return counts[key]

    def named(self, expr: cpsat.LinearExprT, upper: int) -> cpsat.LinearExprT:
        """A sum that several constraints share, as one variable: the model then holds its
        terms once. On the agency config a month's model has half the terms, its build and
        presolve take a third less time, and its optimum is proved in half the time."""
        if isinstance(expr, int) or upper <= 1:
            return expr
        var = self.model.new_int_var(0, upper, "count")
        self.model.add(var == expr)
        return var

    def outside_scope(self, days: Iterable[date]) -> bool:
        """Whether some of these covered days are facts the model cannot change (past days,
        other months already planned)."""
        return any(self.calendar.covered(d) and not self.placeable(d) for d in days)

    def placeable(self, day: date) -> bool:
        """A day this model may put new items on."""
        return self.scope.placeable(self.calendar, day)

    # --- writing the model --------------------------------------------------------------

    def require(
        self,
        expr: cpsat.LinearExprT,
        low: int | None,
        high: int | None,
        family: F,
        instance: str,
        detail: str,
        path: ConfigPath,
        when: str = "",
        elastic: bool = False,
    ) -> None:
        """low ≤ expr ≤ high (either bound may be None)."""
        key = (family, instance)
        if self.diagnose and key not in self.guards:
            self.guards[key] = Guard(family, instance, detail, path, when)
        if self.enforce is not None and not self.enforce(key):
            return
        if elastic and not self.diagnose:
            if low is not None:
                short = self.model.new_int_var(0, max(low, 0), "short")
                self.model.add(expr + short >= low)
                self.slacks.append(Slack(family, instance, short))
            if high is not None:
                over = self.model.new_int_var(0, 10_000, "over")
                self.model.add(expr - over <= high)
                self.slacks.append(Slack(family, instance, over))
            return
        if isinstance(expr, int):
            if (low is not None and expr < low) or (high is not None and expr > high):
                self.model.add_bool_or([])
            return
        if low is not None:
            self.model.add(expr >= low)
        if high is not None:
            self.model.add(expr <= high)

    def penalize(self, family: F, points: int | Fraction, expr: cpsat.LinearExprT) -> None:
        if points:
            self.terms.append(Term(family, Fraction(points), expr))

    def tiebreak(self, expr: cpsat.LinearExprT) -> None:
        """A tiny cost that only chooses among equally good plans (never a user penalty)."""
        self.tiebreaks.append(expr)

    @property
    def scale(self) -> int:
        """Objective units per point: every fractional point of a term is an integer."""
        unit = 1
        for term in self.terms:
            unit = math.lcm(unit, term.points.denominator)
        return unit * TIE_ROOM

    def preference_objective(self) -> cpsat.LinearExprT:
        scale = self.scale
        violations = sum(s.var for s in self.slacks)
        return (
            VIOLATION_POINTS * scale * violations
            + sum(int(t.points * scale) * t.expr for t in self.terms)
            + sum(self.tiebreaks)
        )

    def deviation(self, expr: cpsat.LinearExprT, target: int, upper: int) -> cpsat.IntVar:
        """|expr - target| as a variable."""
        dev = self.model.new_int_var(0, max(upper, target, 0), "dev")
        self.model.add(dev >= expr - target)
        self.model.add(dev >= target - expr)
        return dev

    def shortfall(self, expr: cpsat.LinearExprT, target: int) -> cpsat.IntVar:
        """max(0, target - expr) as a variable."""
        short = self.model.new_int_var(0, max(target, 0), "short")
        self.model.add(short >= target - expr)
        return short

    def at_least(self, expr: cpsat.LinearExprT, k: int, upper: int) -> cpsat.IntVar:
        """A Boolean equal to [expr ≥ k], for 0 ≤ expr ≤ upper."""
        flag = self.model.new_bool_var("atleast")
        if k <= 0:
            self.model.add(flag == 1)
            return flag
        if k > upper:
            self.model.add(flag == 0)
            return flag
        self.model.add(expr >= k * flag)
        self.model.add(expr <= k - 1 + (upper - k + 1) * flag)
        return flag


def week_of(monday: date) -> list[date]:
    return [monday + timedelta(n) for n in range(7)]
