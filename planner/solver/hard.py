"""Hard rules, one function per family (names in `planner.families`).

Publishing days, valid times, eligibility, active phases and the live window are not here:
options only exist where those hold (see `options.py`). Phase order, phase coverage when
possible, and message rotation are satisfied by construction when content is assigned
(`content.py`). Every rule is re-verified on the finished plan by `checks.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from ortools.sat.python import cp_model

from planner.calendar import month_title
from planner.families import F
from planner.rules import active_stages, channel_audiences, mix_target, present
from planner.solver.context import ModelContext
from planner.solver.mix import mix_encoding
from planner.weekdays import days_phrase


def daily_cap(ctx: ModelContext) -> None:
    for key in ctx.channels("editorial", "community"):
        channel = ctx.config.channels[key]
        for day in ctx.days_with(key, "post"):
            placed, fixed = ctx.placed(key, "post", [day])
            cap = max(channel.per_day_max, fixed)
            ctx.require(
                placed + fixed <= cap,
                F.DAILY_CAP,
                f"{key} {day}",
                f"au plus {channel.per_day_max} post(s) par jour sur {channel.label}",
                ("channels", key, "per_day_max"),
                f"{day:%d/%m}",
            )
            if channel.per_day_max > 1:
                _distinct_times(ctx, key, day)


def _distinct_times(ctx: ModelContext, key: str, day: date) -> None:
    taken = {i.start.time() for i in ctx.fixed_on(key, "post", day)}
    by_time: dict[object, list[cp_model.IntVar]] = {}
    for option in ctx.day_options(key, "post", day):
        by_time.setdefault(option.time, []).append(ctx.x[option])
    for moment, variables in by_time.items():
        ctx.model.add(sum(variables) <= (0 if moment in taken else 1))


def week_detail(ctx: ModelContext, key: str, monday: date, low: int, high: int) -> str:
    channel = ctx.config.channels[key]
    days = [monday + timedelta(n) for n in range(7)]
    mine = [d for d in days if d.weekday() in channel.days and ctx.calendar.horizon.contains(d)]
    open_days = [d for d in mine if ctx.calendar.closed_reason(key, d) is None]
    closed = ctx.calendar.closed_days(key, [d for d in mine if d not in open_days])
    text = (
        f"{channel.label} : {low}–{high} posts la semaine du {monday:%d/%m/%Y}, "
        f"{len(open_days)} jour(s) ouvert(s) sur {len(mine)} "
        f"(plafond {channel.per_day_max}/jour)"
    )
    text += f" ; fermés : {closed}" if closed else ""
    empty = [d for d in open_days if not ctx.day_options(key, "post", d)]
    if empty:
        listed = ", ".join(f"{d.day}/{d.month}" for d in empty)
        text += f" ; aucun post possible le {listed} ({_why_empty(ctx, key, empty[0])})"
    return text


def _why_empty(ctx: ModelContext, key: str, day: date) -> str:
    """Why an open day has no placement: the rules applied when options are built
    (eligibility, active journey phases, a 0 % share) leave no rule to name otherwise."""
    month = ctx.calendar.campaign_month(day)
    if ctx.config.channels[key].planning == "audiences" and not any(
        present(ctx.config, a, month) and mix_target(ctx.config, key, month).shares.get(a, 0)
        for a in channel_audiences(ctx.config, key)
    ):
        return (
            f"aucune audience ciblable au mois {month} de la campagne : éligibilité, phases "
            "actives des parcours ou part du mix à 0 %"
        )
    return "aucune heure candidate valide ce jour-là (changement d'heure)"


def weekly_band(ctx: ModelContext) -> None:
    for key in ctx.channels("editorial", "community"):
        for monday in ctx.weeks():
            days = [monday + timedelta(n) for n in range(7)]
            if not ctx.week_counts(key, days):
                continue
            placed, fixed = ctx.placed(key, "post", days)
            low, high = ctx.calendar.week_band(key, monday)
            detail = week_detail(ctx, key, monday, low, high)
            path = ("channels", key, "per_week")
            ctx.require(placed + fixed >= low, F.WEEKLY_BAND, f"{key} {monday} min", detail, path)
            ctx.require(
                placed + fixed <= max(high, fixed),
                F.WEEKLY_BAND,
                f"{key} {monday} max",
                detail,
                path,
            )


def audience_mix(ctx: ModelContext) -> None:
    """Each audience gets floor or ceil of share × N, N the month's posts on the channel."""
    for key in ctx.channels("editorial"):
        channel = ctx.config.channels[key]
        for year, month in ctx.months():
            mix = mix_encoding(ctx, key, year, month)
            days = ctx.month_days(year, month)
            for audience in channel_audiences(ctx.config, key):
                count, fixed = ctx.placed(key, "post", days, audience)
                label = ctx.config.audiences[audience].short
                share = mix.shares.get(audience, 0)
                ctx.require(
                    count + fixed == mix.count(audience),
                    F.AUDIENCE_MIX,
                    f"{key} {year}-{month:02d} {audience}",
                    f"{label} : {share / 100:g} % des posts {channel.label} de "
                    f"{month_title(year, month)} (arrondi inférieur ou supérieur)",
                    ("mix", key, "rows"),
                )


def phase_coverage(ctx: ModelContext) -> None:
    """In 'required' mode every active phase needs a post, hence at least k posts a month."""
    editorial = ctx.channels("editorial")
    for audience, journey in ctx.config.journeys.items():
        if journey.phase_coverage != "required":
            continue
        channels = [k for k in editorial if audience in channel_audiences(ctx.config, k)]
        for year, month in ctx.months():
            days = ctx.month_days(year, month)
            campaign = ctx.calendar.campaign_month(days[0])
            if not channels or not present(ctx.config, audience, campaign):
                continue
            phases = active_stages(ctx.config, audience, campaign)
            counts = [ctx.placed(k, "post", days, audience) for k in channels]
            total = sum(c for c, _ in counts) + sum(f for _, f in counts)
            label = ctx.config.audiences[audience].short
            detail = (
                f"{label} : {len(phases)} phases actives en {month_title(year, month)} "
                f"({', '.join(s.phase for s in phases)}), "
                f"donc au moins {len(phases)} posts"
            )
            if not any(ctx.day_options(k, "post", d, audience) for k in channels for d in days):
                shares = [
                    mix_target(ctx.config, k, campaign).shares.get(audience, 0) for k in channels
                ]
                detail += (
                    f", mais sa part du mix est de 0 % en {month_title(year, month)}"
                    if not any(shares)
                    else ", mais aucun jour ni aucune heure où publier pour elle ce mois-là"
                )
            ctx.require(
                total >= len(phases),
                F.PHASE_COVERAGE,
                f"{audience} {year}-{month:02d}",
                detail,
                ("journeys", audience, "phase_coverage"),
            )


def lives_per_month(ctx: ModelContext) -> None:
    """A month with no open live day is exempt; otherwise the count is exact, even when no
    slot is left, so that conflict is reported rather than silently skipped (a window no
    format fits at all is refused when loading)."""
    for key in ctx.channels("lives"):
        lives = ctx.config.channels[key].lives
        assert lives is not None
        for year, month in ctx.months():
            days = ctx.month_days(year, month)
            placed, fixed = ctx.placed(key, "live", days)
            open_days = [d for d in days if ctx.calendar.is_open(key, d, lives.days)]
            if not open_days and not fixed:
                continue
            slots = sum(len(ctx.day_options(key, "live", d)) for d in days)
            wanted = ctx.calendar.lives_wanted(key, year, month)
            ctx.require(
                placed + fixed == max(wanted, fixed),
                F.LIVES_PER_MONTH,
                f"{key} {year}-{month:02d}",
                f"{wanted} live(s) en {month_title(year, month)} ; {len(open_days)} "
                f"jour(s) ouvert(s) ({days_phrase(lives.days)}) et {slots} créneau(x) "
                f"où un format tient dans la plage "
                f"{lives.window.start:%H:%M}–{lives.window.end:%H:%M}",
                ("channels", key, "lives", "per_month"),
            )


def live_spacing(ctx: ModelContext) -> None:
    for key in ctx.channels("lives"):
        lives = ctx.config.channels[key].lives
        assert lives is not None
        days = ctx.days_with(key, "live")
        gap = max(lives.min_gap_days, 1)
        for day in days:
            window = [d for d in days if day <= d < day + timedelta(gap)]
            placed, fixed = ctx.placed(key, "live", window)
            ctx.require(
                placed + fixed <= max(1, fixed),
                F.LIVE_SPACING,
                f"{key} {day}",
                f"au moins {lives.min_gap_days} jours entre deux lives",
                ("channels", key, "lives", "min_gap_days"),
                f"{day:%d/%m}",
            )


def live_rotation(ctx: ModelContext) -> None:
    """Never the same format twice in a row: a running 'last format' state per live day.

    Two fixed lives of one format with no possible day between them are a known violation
    (the report warns about fixed items); the rule is not asked to undo them.
    """
    for key in ctx.channels("lives"):
        lives = ctx.config.channels[key].lives
        assert lives is not None
        if not lives.no_repeat_format:
            continue
        formats = list(lives.formats)
        last: dict[str, cp_model.LinearExprT] = dict.fromkeys(formats, 0)
        previous_fixed: str | None = None
        free_since_fixed = False
        for day in ctx.days_with(key, "live"):
            on_day = {f: ctx.placed(key, "live", [day], f) for f in formats}
            held = ctx.model.new_bool_var("held")
            count = sum(v + c for v, c in on_day.values())
            ctx.model.add(count >= held)
            ctx.model.add(count <= (len(formats) + len(ctx.fixed)) * held)
            fixed_here = next((f for f, (_, c) in on_day.items() if c), None)
            new_last: dict[str, cp_model.LinearExprT] = {}
            for fmt, (placed, fixed) in on_day.items():
                here = placed + fixed
                known = fixed and fmt == previous_fixed and not free_since_fixed
                if not known:
                    ctx.require(
                        here + last[fmt] <= 1,
                        F.LIVE_ROTATION,
                        f"{key} {day} {fmt}",
                        f"pas deux lives « {lives.formats[fmt].label} » de suite",
                        ("channels", key, "lives", "no_repeat_format"),
                        f"{day:%d/%m}",
                    )
                state = ctx.model.new_bool_var("last")
                ctx.model.add(state >= here)
                ctx.model.add(state >= last[fmt] - held)
                ctx.model.add(state <= here + last[fmt])
                ctx.model.add(state <= here + 1 - held)
                new_last[fmt] = state
            last = new_last
            if fixed_here is not None:
                previous_fixed, free_since_fixed = fixed_here, False
            elif ctx.day_options(key, "live", day):
                free_since_fixed = True


HARD_RULES: list[tuple[F, Callable[[ModelContext], None]]] = [
    (F.DAILY_CAP, daily_cap),
    (F.WEEKLY_BAND, weekly_band),
    (F.AUDIENCE_MIX, audience_mix),
    (F.PHASE_COVERAGE, phase_coverage),
    (F.LIVES_PER_MONTH, lives_per_month),
    (F.LIVE_SPACING, live_spacing),
    (F.LIVE_ROTATION, live_rotation),
]
