"""The monthly audience mix of one editorial channel, encoded once for rule and preference.

With N the month's posts, an audience of share s gets floor(sN) or ceil(sN). N is one-hot
(`is_n`), and `ceil[a][n]` says audience a takes the ceiling when N = n. For each n exactly
n − Σ floor(s_a n) audiences take the ceiling, which makes the linear relaxation exact for
an integral N, and lets the distance to the exact share be a plain linear cost.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.rules import BASIS, channel_audiences, count_bounds, mix_target
from planner.solver.context import ModelContext


@dataclass
class MixEncoding:
    key: str
    year: int
    month: int
    shares: dict[str, int]
    is_n: list[cp_model.IntVar]
    ceil: dict[str, dict[int, cp_model.IntVar]]

    def count(self, audience: str) -> cp_model.LinearExprT:
        """The audience's post count implied by N and the ceiling choices."""
        share = self.shares.get(audience, 0)
        floors = sum(count_bounds(share, n)[0] * b for n, b in enumerate(self.is_n))
        return floors + sum(self.ceil[audience].values())

    def distance(self, audience: str) -> cp_model.LinearExprT:
        """|count − share × N| in 1/BASIS posts."""
        share = self.shares.get(audience, 0)
        cost: cp_model.LinearExprT = 0
        for n, b in enumerate(self.is_n):
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
    channel = ctx.config.channels[key]
    shares = mix_target(ctx.config, key, ctx.calendar.campaign_month(days[0])).shares
    total, fixed = ctx.placed(key, "post", days)
    if ctx.diagnose:
        # The daily cap must stay a rule that diagnosis can name, not a hidden domain bound.
        size = sum(len(ctx.day_options(key, "post", d)) for d in days) + fixed
    else:
        size = sum(1 for d in days if ctx.calendar.is_open(key, d)) * channel.per_day_max + fixed
    model = ctx.model
    is_n = [model.new_bool_var(f"n{n}") for n in range(size + 1)]
    model.add_exactly_one(is_n)
    model.add(total + fixed == sum(n * b for n, b in enumerate(is_n)))
    audiences = channel_audiences(ctx.config, key)
    ceil: dict[str, dict[int, cp_model.IntVar]] = {a: {} for a in audiences}
    for n, b in enumerate(is_n):
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
