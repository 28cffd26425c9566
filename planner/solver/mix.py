"""The monthly audience mix of one editorial channel, encoded once for rule and preference.

With N the month's posts, an audience of share s gets floor(sN) or ceil(sN). N is one-hot
(`is_n`) over the values the weekly bands and daily caps leave reachable (`month_range`),
and `ceil[a][n]` says audience a takes the ceiling when N = n. For each n exactly
n − Σ floor(s_a n) audiences take the ceiling, which makes the linear relaxation exact for
an integral N, and lets the distance to the exact share be a plain linear cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ortools.sat.python import cp_model

from planner.rules import BASIS, channel_audiences, count_bounds, mix_target
from planner.solver.context import ModelContext


@dataclass
class MixEncoding:
    key: str
    year: int
    month: int
    shares: dict[str, int]
    is_n: dict[int, cp_model.IntVar]
    ceil: dict[str, dict[int, cp_model.IntVar]]

    def count(self, audience: str) -> cp_model.LinearExprT:
        """The audience's post count implied by N and the ceiling choices."""
        share = self.shares.get(audience, 0)
        floors = sum(count_bounds(share, n)[0] * b for n, b in self.is_n.items())
        return floors + sum(self.ceil[audience].values())

    def distance(self, audience: str) -> cp_model.LinearExprT:
        """|count − share × N| in 1/BASIS posts."""
        share = self.shares.get(audience, 0)
        cost: cp_model.LinearExprT = 0
        for n, b in self.is_n.items():
            rest = share * n % BASIS
            cost += rest * b
            if n in self.ceil[audience]:
                cost += (BASIS - 2 * rest) * self.ceil[audience][n]
        return cost


def mix_encoding(ctx: ModelContext, key: str, year: int, month: int) -> MixEncoding:
    cache: dict[tuple[str, int, int], MixEncoding] = ctx.cache.setdefault("mix", {})
    if (key, year, month) in cache:
        return cache[(key, year, month)]
    days = ctx.month_days(year, month)
    shares = mix_target(ctx.config, key, ctx.calendar.campaign_month(days[0])).shares
    total, fixed = ctx.placed(key, "post", days)
    low, high = month_range(ctx, key, days)
    model = ctx.model
    is_n = {n: model.new_bool_var(f"n{n}") for n in range(low, high + 1)}
    model.add_exactly_one(is_n.values())
    model.add(total + fixed == sum(n * b for n, b in is_n.items()))
    audiences = channel_audiences(ctx.config, key)
    ceil: dict[str, dict[int, cp_model.IntVar]] = {a: {} for a in audiences}
    for n, b in is_n.items():
        bounds = {a: count_bounds(shares.get(a, 0), n) for a in audiences}
        fractional = [a for a in audiences if bounds[a][0] < bounds[a][1]]
        for audience in fractional:
            ceil[audience][n] = model.new_bool_var(f"c{n}")
            model.add_implication(ceil[audience][n], b)
        if not ctx.diagnose:
            # Exactly n − Σ floor audiences round up: a cut that holds whenever every mix
            # rule does, left out in diagnosis where each audience's rule must stand alone.
            ups = n - sum(low for low, _ in bounds.values())
            model.add(sum(ceil[a][n] for a in fractional) == ups * b)
    encoding = MixEncoding(key, year, month, shares, is_n, ceil)
    cache[(key, year, month)] = encoding
    return encoding


def month_range(ctx: ModelContext, key: str, days: list[date]) -> tuple[int, int]:
    """Bounds on the month's post count N, so that N's one-hot only spans reachable values.

    Each week holds at most its band's maximum and at least its minimum, of which the days
    outside the month can take at most their capacity; each day holds at most its cap. In
    diagnosis mode those rules must stay rules that diagnosis can switch off and name, not
    hidden domain bounds, so N only stops at the number of options.
    """
    if ctx.diagnose:
        fixed = ctx.placed(key, "post", days)[1]
        return 0, sum(len(ctx.day_options(key, "post", d)) for d in days) + fixed
    inside = set(days)
    low = high = 0
    weeks: dict[date, list[date]] = {}
    for day in days:
        weeks.setdefault(day - timedelta(day.weekday()), []).append(day)
    for monday, mine in weeks.items():
        week = [monday + timedelta(n) for n in range(7)]
        capacity = {d: _capacity(ctx, key, d) for d in week}
        room = sum(capacity[d] for d in mine)
        if not ctx.week_counts(key, week):
            high += room
            continue
        fixed = ctx.placed(key, "post", week)[1]
        floor, ceiling = ctx.calendar.week_band(key, monday)
        outside = sum(capacity[d] for d in week if d not in inside)
        high += min(room, max(ceiling, fixed))
        low += max(0, floor - outside)
    return low, high


def _capacity(ctx: ModelContext, key: str, day: date) -> int:
    """Most posts the day can hold: the daily cap (or its fixed items, if more), and no
    more than its fixed items plus one per distinct option time."""
    fixed = len(ctx.fixed_on(key, "post", day))
    times = len({o.time for o in ctx.day_options(key, "post", day)})
    return min(max(ctx.config.channels[key].per_day_max, fixed), fixed + times)
