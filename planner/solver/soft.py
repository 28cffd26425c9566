"""Preferences, one function per family, each adding its weighted penalty to the objective.

`planner.scoring` computes the same penalties on a finished plan without the solver; tests
require both to agree on every default plan.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from planner.families import F
from planner.rules import BASIS, channel_audiences
from planner.solver.context import SCALE, ModelContext
from planner.solver.mix import mix_encoding
from planner.solver.options import Option


def misses_best_day(ctx: ModelContext, option: Option) -> bool:
    audience = ctx.config.audiences[option.subject]
    return bool(audience.best_days) and option.day.weekday() not in audience.best_days


def misses_best_hour(ctx: ModelContext, option: Option) -> bool:
    window = ctx.config.audiences[option.subject].best_hours
    return window is not None and not window.holds(option.time)


def best_slot(ctx: ModelContext) -> None:
    weights = ctx.config.preferences
    if not ctx.channels("editorial"):
        return
    for option in ctx.options:
        points = weights.best_day * misses_best_day(ctx, option)
        points += weights.best_hour * misses_best_hour(ctx, option)
        ctx.penalize(F.BEST_SLOT, points, ctx.x[option])


def weekly_target(ctx: ModelContext) -> None:
    for key in ctx.channels("editorial", "community"):
        channel = ctx.config.channels[key]
        if channel.per_week.target is None:
            continue
        for monday in ctx.weeks():
            days = [monday + timedelta(n) for n in range(7)]
            if not ctx.week_counts(key, days):
                continue
            placed, fixed = ctx.placed(key, "post", days)
            target = ctx.calendar.week_share(channel, monday).near(channel.per_week.target)
            dev = ctx.deviation(placed + fixed, target, 7 * channel.per_day_max + len(ctx.fixed))
            ctx.penalize(F.WEEKLY_TARGET, ctx.config.preferences.weekly_target, dev)


def type_targets(ctx: ModelContext) -> None:
    """Shortfall per type and week. When the band cannot hold every target, which type
    falls short rotates from week to week (a tie-break, so equal plans differ by variety)."""
    for key in ctx.channels("community"):
        channel = ctx.config.channels[key]
        kinds = list(channel.types or {})
        for rank, (kind, spec) in enumerate((channel.types or {}).items()):
            if spec.per_week == 0:
                continue
            for monday in ctx.weeks():
                days = [monday + timedelta(n) for n in range(7)]
                if not ctx.week_counts(key, days):
                    continue
                target = ctx.calendar.week_share(channel, monday).near(spec.per_week)
                placed, fixed = ctx.placed(key, "post", days, kind)
                short = ctx.shortfall(placed + fixed, target)
                ctx.penalize(F.TYPE_TARGETS, ctx.config.preferences.type_target, short)
                ctx.tiebreak(((rank - monday.toordinal() // 7) % len(kinds)) * short)


def day_rhythm(ctx: ModelContext) -> None:
    if not ctx.channels("community"):
        return
    for option in ctx.options:
        types = ctx.config.channels[option.channel].types or {}
        spec = types[option.subject]
        if spec.days and option.day.weekday() not in spec.days:
            ctx.penalize(F.DAY_RHYTHM, ctx.config.preferences.rhythm, ctx.x[option])


def mix_closeness(ctx: ModelContext) -> None:
    """|count − share × N| per audience and month, counted in 1/BASIS posts."""
    for key in ctx.channels("editorial"):
        for year, month in ctx.months():
            mix = mix_encoding(ctx, key, year, month)
            for audience in channel_audiences(ctx.config, key):
                ctx.penalize(
                    F.MIX_CLOSENESS,
                    ctx.config.preferences.mix_closeness,
                    mix.distance(audience),
                    scale=SCALE // BASIS,
                )


def live_variety(ctx: ModelContext) -> None:
    """No format used more than its even share of the horizon's lives."""
    for key in ctx.channels("lives"):
        lives = ctx.config.channels[key].lives
        assert lives is not None
        days = ctx.days_with(key, "live")
        total = _lives_wanted(ctx, key)
        fair = -(-total // len(lives.formats))
        for fmt in lives.formats:
            placed, fixed = ctx.placed(key, "live", days, fmt)
            excess = ctx.excess(placed + fixed, fair, total + len(ctx.fixed))
            ctx.penalize(F.LIVE_VARIETY, ctx.config.preferences.live_variety, excess)


def _lives_wanted(ctx: ModelContext, key: str) -> int:
    return sum(ctx.calendar.lives_wanted(key, y, m) for y, m in ctx.months())


def live_spread(ctx: ModelContext) -> None:
    """A penalty for each pair of lives closer than the comfortable gap."""
    for key in ctx.channels("lives"):
        lives = ctx.config.channels[key].lives
        assert lives is not None
        days = ctx.days_with(key, "live")
        for i, first in enumerate(days):
            for second in days[i + 1 :]:
                if (second - first).days >= lives.comfortable_gap_days:
                    break
                a, fixed_a = ctx.placed(key, "live", [first])
                b, fixed_b = ctx.placed(key, "live", [second])
                close = ctx.excess(a + b + fixed_a + fixed_b, 1, 1)
                ctx.penalize(F.LIVE_SPREAD, ctx.config.preferences.live_spread, close)


PREFERENCES: list[tuple[F, Callable[[ModelContext], None]]] = [
    (F.BEST_SLOT, best_slot),
    (F.WEEKLY_TARGET, weekly_target),
    (F.TYPE_TARGETS, type_targets),
    (F.DAY_RHYTHM, day_rhythm),
    (F.MIX_CLOSENESS, mix_closeness),
    (F.LIVE_VARIETY, live_variety),
    (F.LIVE_SPREAD, live_spread),
]
