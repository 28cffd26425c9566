"""Preferences, one function per family, each adding its weighted penalty to the objective.

`planner.scoring` computes the same penalties on a finished plan without the solver; tests
require both to agree on every default plan. Missing optional steps are penalised where
their rule is built (`hard.py`: live sequences, rituals, campaigns).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from planner.families import F
from planner.rules import best_days, best_hours, on_best_day, open_stages, steady
from planner.solver import cpsat
from planner.solver.context import ModelContext, Where
from planner.solver.hard import (
    _all_lives,
    audience_months,
    audience_split,
    editorial_channels,
    live_channels,
    week_bounds,
)
from planner.solver.options import Option, editorial, effective_type


def best_slot(ctx: ModelContext) -> None:
    weights = ctx.config.preferences
    moments: dict[tuple[str, str, int, int], list[date]] = {}
    for option in ctx.options:
        if option.kind != "post" or not editorial(ctx.config, option.channel):
            continue
        key = (option.channel, option.audience, option.day.year, option.day.month)
        if key not in moments:
            moments[key] = ctx.calendar.key_moments(*key)
        points = weights.best_day * misses_best_day(ctx, option, moments[key])
        points += weights.best_hour * misses_best_hour(ctx, option)
        ctx.penalize(F.BEST_SLOT, points, ctx.x[option])


def misses_best_day(ctx: ModelContext, option: Option, moments: list[date]) -> bool:
    days = best_days(ctx.config, option.channel, option.audience, option.phase, option.day, moments)
    return not on_best_day(days, option.day)


def misses_best_hour(ctx: ModelContext, option: Option) -> bool:
    window = best_hours(ctx.config, option.audience, option.phase)
    return window is not None and not window.holds(option.time)


def weekly_target(ctx: ModelContext) -> None:
    for key, channel in ctx.config.channels.items():
        if channel.per_week.target is None:
            continue
        for monday in ctx.weeks():
            bounds = week_bounds(ctx, key, monday)
            band = bounds.band
            if not band.applies or band.target is None:
                continue
            placed, fixed = ctx.placed(key, "post", band.covered)
            dev = ctx.deviation(placed + fixed, band.target, 7 * channel.per_day_max + fixed)
            ctx.penalize(F.WEEKLY_TARGET, ctx.config.preferences.weekly_target, dev)


def _of_type(ctx: ModelContext, kind: str) -> Where:
    """Options that count as this type of their channel (rituals and steps standing for it)."""
    return lambda o: effective_type(ctx.config, o.channel, o.subject, o.link) == kind


def type_targets(ctx: ModelContext) -> None:
    """Shortfall per type and week, counting the rituals and steps that stand for a type.
    When the band cannot hold every target, which type falls short rotates from week to
    week (a tie-break, so equal plans differ by variety)."""
    for key, channel in ctx.config.channels.items():
        kinds = list(channel.types or {})
        for rank, (kind, spec) in enumerate((channel.types or {}).items()):
            if spec.per_week == 0:
                continue
            for monday in ctx.weeks():
                band = week_bounds(ctx, key, monday).band
                if not band.applies:
                    continue
                target = ctx.calendar.type_target(key, monday, spec.per_week)
                placed, fixed = ctx.placed(key, "post", band.covered, _of_type(ctx, kind))
                short = ctx.shortfall(placed + fixed, target)
                ctx.penalize(F.TYPE_TARGETS, ctx.config.preferences.type_target, short)
                ctx.tiebreak(((rank - monday.toordinal() // 7) % len(kinds)) * short)


def day_rhythm(ctx: ModelContext) -> None:
    for option in ctx.options:
        types = ctx.config.channels[option.channel].types
        if option.kind != "post" or types is None:
            continue
        kind = effective_type(ctx.config, option.channel, option.subject, option.link)
        spec = types.get(kind or "")
        if spec is not None and spec.days and option.day.weekday() not in spec.days:
            ctx.penalize(F.DAY_RHYTHM, ctx.config.preferences.rhythm, ctx.x[option])


def mix_closeness(ctx: ModelContext) -> None:
    """|count − share × N| per audience and month, exactly."""
    weight = ctx.config.preferences.mix_closeness
    for key in editorial_channels(ctx):
        for year, month in ctx.months():
            mix = audience_split(ctx, key, year, month)
            if mix is None:
                continue
            for audience in mix.shares:
                for coefficient, var in mix.distance(audience):
                    ctx.penalize(F.MIX_CLOSENESS, weight * coefficient, var)


def open_phases(ctx: ModelContext) -> None:
    """Before the steady mix, each open phase gets a post when the audience has enough."""
    weight = ctx.config.preferences.open_phases
    for am in audience_months(ctx):
        if steady(ctx.config, am.campaign):
            continue
        opened = open_stages(ctx.config, am.audience, am.campaign)
        if len(opened) < 2:
            continue
        enough = ctx.at_least(am.total, len(opened), am.high)
        for stage in opened:
            count, fixed = am.phase(ctx, stage.phase)
            ctx.penalize(F.OPEN_PHASES, weight, ctx.shortfall(count + fixed - enough + 1, 1))


def _pairs(ctx: ModelContext, key: str, gap: int) -> list[tuple[date, date]]:
    """Live days closer than `gap` days, at least one of them in the horizon."""
    days = ctx.days_with(key, "live")
    found: list[tuple[date, date]] = []
    for i, first in enumerate(days):
        for second in days[i + 1 :]:
            if (second - first).days >= gap:
                break
            if ctx.calendar.horizon.contains(first) or ctx.calendar.horizon.contains(second):
                found.append((first, second))
    return found


def _both(ctx: ModelContext, a: cpsat.LinearExprT, b: cpsat.LinearExprT) -> cpsat.LinearExprT:
    if isinstance(a, int) and isinstance(b, int):
        return int(a + b >= 2)
    both = ctx.model.new_bool_var("both")
    ctx.model.add(both >= a + b - 1)
    return both


def live_variety(ctx: ModelContext) -> None:
    """A pair of lives of one format closer than `variety_gap_days`."""
    for key in live_channels(ctx):
        lives = ctx.config.channels[key].lives
        assert lives is not None
        weight = ctx.config.preferences.live_variety
        for first, second in _pairs(ctx, key, lives.variety_gap_days):
            for fmt in lives.formats:
                a, fixed_a = _all_lives(ctx, key, [first], fmt)
                b, fixed_b = _all_lives(ctx, key, [second], fmt)
                if (isinstance(a, int) and not fixed_a) or (isinstance(b, int) and not fixed_b):
                    continue
                ctx.penalize(F.LIVE_VARIETY, weight, _both(ctx, a + fixed_a, b + fixed_b))


def live_spread(ctx: ModelContext) -> None:
    """A pair of lives closer than the comfortable gap."""
    for key in live_channels(ctx):
        lives = ctx.config.channels[key].lives
        assert lives is not None
        weight = ctx.config.preferences.live_spread
        for first, second in _pairs(ctx, key, lives.comfortable_gap_days):
            a, fixed_a = _all_lives(ctx, key, [first])
            b, fixed_b = _all_lives(ctx, key, [second])
            ctx.penalize(F.LIVE_SPREAD, weight, _both(ctx, a + fixed_a, b + fixed_b))


PREFERENCES: list[tuple[F, Callable[[ModelContext], None]]] = [
    (F.BEST_SLOT, best_slot),
    (F.WEEKLY_TARGET, weekly_target),
    (F.TYPE_TARGETS, type_targets),
    (F.DAY_RHYTHM, day_rhythm),
    (F.MIX_CLOSENESS, mix_closeness),
    (F.OPEN_PHASES, open_phases),
    (F.LIVE_VARIETY, live_variety),
    (F.LIVE_SPREAD, live_spread),
]
