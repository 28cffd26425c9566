"""Hard rules, one function per family (names in `planner.families`, arithmetic in
docs/rules.md).

Publishing days, valid times, eligibility, open phases and the live window are not here:
options only exist where those hold (see `options.py`). Message choice, preparation tasks
and task steps are assigned by construction (`content.py`), within the capacities set here.
Every rule is re-verified on the finished plan by the independent checker (`checks.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

from planner.calendar import Band, month_days, month_title, window_days
from planner.config.model import Ritual, SequenceStep
from planner.families import F
from planner.items import Item
from planner.rules import (
    channel_audiences,
    focus_stages,
    mix_target,
    open_stages,
    phase_shares,
    present,
    stage_pool,
    steady,
)
from planner.solver import cpsat
from planner.solver.context import ModelContext, Where, week_of
from planner.solver.options import (
    Option,
    campaign_link,
    editorial,
    live_link,
    ritual_link,
)
from planner.solver.shares import Split, split
from planner.weekdays import days_phrase


def post_channels(ctx: ModelContext) -> list[str]:
    return list(ctx.config.channels)


def editorial_channels(ctx: ModelContext) -> list[str]:
    return [k for k in ctx.config.channels if editorial(ctx.config, k)]


# --- days and weeks ---------------------------------------------------------------------


def capacity(ctx: ModelContext, key: str, day: date) -> int:
    """Most posts a day can hold: its facts, plus new ones up to the cap, one per free time."""
    fixed = len(ctx.fixed_on(key, "post", day)) if ctx.calendar.covered(day) else 0
    times = len({o.time for o in ctx.day_options(key, "post", day)})
    return min(max(ctx.config.channels[key].per_day_max, fixed), fixed + times)


def daily_cap(ctx: ModelContext) -> None:
    for key in post_channels(ctx):
        channel = ctx.config.channels[key]
        days = sorted({o.day for o in ctx.options if o.channel == key and o.kind == "post"})
        for day in days:
            placed, fixed = ctx.placed(key, "post", [day])
            ctx.require(
                placed + fixed,
                None,
                max(channel.per_day_max, fixed),
                F.DAILY_CAP,
                f"{key} {day}",
                f"au plus {channel.per_day_max} post(s) par jour sur {channel.label}",
                ("channels", key, "per_day_max"),
                f"{day:%d/%m}",
            )
            if channel.per_day_max == 1:
                continue  # one post a day cannot share a time
            taken = {o.time for o in ctx.fixed_on(key, "post", day)}
            by_time: dict[object, list[cpsat.IntVar]] = {}
            for option in ctx.day_options(key, "post", day):
                by_time.setdefault(option.time, []).append(ctx.x[option])
            for moment, variables in by_time.items():
                ctx.model.add(sum(variables) <= (0 if moment in taken else 1))


@dataclass(frozen=True)
class WeekBounds:
    """A week's band as the model applies it: relaxed only where facts already break it."""

    band: Band
    low: int
    high: int
    fixed: int


def week_bounds(ctx: ModelContext, key: str, monday: date) -> WeekBounds:
    cache: dict[tuple[str, date], WeekBounds] = ctx.cache.setdefault("weeks", {})
    if (key, monday) not in cache:
        band = ctx.calendar.band(key, monday)
        _, fixed = ctx.placed(key, "post", band.covered)
        low, high = band.low, band.high
        if fixed or ctx.outside_scope(band.covered):
            free = sum(
                capacity(ctx, key, d) - len(ctx.fixed_on(key, "post", d))
                for d in band.covered
                if ctx.placeable(d)
            )
            low, high = min(low, fixed + free), max(high, fixed)
        cache[(key, monday)] = WeekBounds(band, low, high, fixed)
    return cache[(key, monday)]


def week_detail(ctx: ModelContext, key: str, monday: date, bounds: WeekBounds) -> str:
    channel = ctx.config.channels[key]
    band = bounds.band
    closed = ctx.calendar.closed_days(key, [d for d in band.covered if d not in band.open])
    text = (
        f"{channel.label} : {bounds.low}–{bounds.high} posts la semaine du {monday:%d/%m/%Y}, "
        f"{len(band.open)} jour(s) ouvert(s) sur {len(band.days)} "
        f"(plafond {channel.per_day_max}/jour)"
    )
    text += f" ; fermés : {closed}" if closed else ""
    empty = [d for d in band.open if ctx.placeable(d) and not capacity(ctx, key, d)]
    if empty:
        listed = ", ".join(f"{d:%d/%m}" for d in empty)
        text += f" ; aucun post possible le {listed} ({_why_empty(ctx, key, empty[0])})"
    return text


def _why_empty(ctx: ModelContext, key: str, day: date) -> str:
    """Why an open day has no placement: the rules applied when options are built
    (eligibility, open journey phases, a 0 % share) leave no rule to name otherwise."""
    config = ctx.config
    month = ctx.calendar.campaign_month(day)
    if editorial(config, key):
        audiences = channel_audiences(config, key)
        shares = mix_target(config, key, month).shares
        if not any(present(config, a, month) and shares.get(a, 0) for a in audiences):
            reasons = []
            for audience in audiences:
                spec = config.audiences[audience]
                if not present(config, audience, month):
                    why = (
                        "pas d'éligibilité"
                        if open_stages(config, audience, month)
                        else ("aucune phase de parcours ouverte")
                    )
                    reasons.append(f"{spec.short} : {why}")
            detail = f" ({'; '.join(reasons)})" if reasons else ""
            return (
                f"aucune audience ciblable au mois {month} de la campagne{detail} : "
                "éligibilité, phases ouvertes des parcours ou part du mix à 0 %"
            )
    channel = config.channels[key]
    minutes = channel.duration_minutes
    ends = [datetime.combine(day, t) + timedelta(minutes=minutes) for t in channel.times]
    if all(end.date() > day for end in ends):
        return f"chaque heure candidate + {minutes} min finit le lendemain"
    if ctx.calendar.earliest is not None and day <= ctx.calendar.first_day:
        return "heures candidates déjà passées"
    return "aucune heure candidate valide ce jour-là (changement d'heure)"


def weekly_band(ctx: ModelContext) -> None:
    for key in post_channels(ctx):
        for monday in ctx.weeks():
            bounds = week_bounds(ctx, key, monday)
            if not bounds.band.applies:
                continue
            placed, fixed = ctx.placed(key, "post", bounds.band.covered)
            detail = week_detail(ctx, key, monday, bounds)
            path = ("channels", key, "per_week")
            ctx.require(
                placed + fixed, bounds.low, None, F.WEEKLY_BAND, f"{key} {monday} min", detail, path
            )
            later = steps_left_to_later(ctx, key, monday)
            ctx.require(
                placed + fixed + later,
                None,
                bounds.high,
                F.WEEKLY_BAND,
                f"{key} {monday} max",
                detail,
                path,
            )


# --- the monthly mixes ------------------------------------------------------------------


def covered_month(ctx: ModelContext, year: int, month: int) -> list[date]:
    return [d for d in month_days(year, month) if ctx.calendar.covered(d)]


def month_range(ctx: ModelContext, key: str, days: list[date]) -> tuple[int, int]:
    """Bounds on a month's post count N from the weekly bands and daily capacities, so that
    N's one-hot only spans reachable values. In diagnosis the bands must stay rules that
    can be switched off and named, so N only stops at the number of options."""
    fixed = ctx.placed(key, "post", days)[1]
    if ctx.diagnose:
        return 0, fixed + sum(len(ctx.day_options(key, "post", d)) for d in days)
    inside = set(days)
    low = high = 0
    for monday in sorted({d - timedelta(d.weekday()) for d in days}):
        bounds = week_bounds(ctx, key, monday)
        room_in = sum(capacity(ctx, key, d) for d in bounds.band.covered if d in inside)
        room_out = sum(capacity(ctx, key, d) for d in bounds.band.covered if d not in inside)
        high += min(room_in, bounds.high)
        low += max(0, bounds.low - room_out)
    return low, max(low, high)


def audience_split(ctx: ModelContext, key: str, year: int, month: int) -> Split | None:
    """The month's audience mix of one channel, encoded once for rule and preference."""
    cache: dict[tuple[str, int, int], Split | None] = ctx.cache.setdefault("mix", {})
    if (key, year, month) not in cache:
        days = covered_month(ctx, year, month)
        if not days:
            cache[(key, year, month)] = None
        else:
            campaign = ctx.calendar.campaign_month(days[0])
            target = mix_target(ctx.config, key, campaign)
            total, fixed = ctx.placed(key, "post", days)
            low, high = month_range(ctx, key, days)
            parts = channel_audiences(ctx.config, key)
            cache[(key, year, month)] = split(ctx, total + fixed, low, high, target.shares, parts)
    return cache[(key, year, month)]


def _with_link(link: bool) -> Where:
    """Options with a link (a step of a live or campaign, a ritual) or without."""
    return lambda o: bool(o.link) == link


def audience_mix(ctx: ModelContext) -> None:
    """Each audience gets floor or ceil of share × N, N the month's posts on the channel."""
    for key in editorial_channels(ctx):
        channel = ctx.config.channels[key]
        for year, month in ctx.months():
            mix = audience_split(ctx, key, year, month)
            if mix is None:
                continue
            days = covered_month(ctx, year, month)
            facts = ctx.placed(key, "post", days)[1] > 0
            for audience in channel_audiences(ctx.config, key):
                count, fixed = ctx.placed(key, "post", days, audience=audience)
                share = mix.shares.get(audience, Fraction(0))
                ctx.require(
                    count + fixed - mix.count(audience),
                    0,
                    0,
                    F.AUDIENCE_MIX,
                    f"{key} {year}-{month:02d} {audience}",
                    f"{ctx.config.audiences[audience].short} : {float(share * 100):g} % des "
                    f"posts {channel.label} de {month_title(year, month)} (arrondi inférieur "
                    "ou supérieur)",
                    ("mix", key, "rows"),
                    elastic=facts,
                )


def one_hot(
    ctx: ModelContext, total: cpsat.LinearExprT, low: int, high: int
) -> dict[int, cpsat.IntVar]:
    is_n = {n: ctx.model.new_bool_var(f"m{n}") for n in range(low, max(low, high) + 1)}
    ctx.model.add_exactly_one(is_n.values())
    ctx.model.add(total == sum(n * b for n, b in is_n.items()))
    return is_n


@dataclass
class AudienceMonth:
    """One audience's posts of one month on the channels planned by audiences."""

    audience: str
    year: int
    month: int
    campaign: int
    days: list[date]
    total: cpsat.LinearExprT
    fixed: int
    low: int
    high: int
    facts: list[Item]
    options: int
    """The month's options for the audience's journey posts: the most its counts can add."""
    phases: dict[str, tuple[cpsat.LinearExprT, int]] = field(default_factory=dict)
    """Each phase's count once made: the focus rule and the open-phase preference share it."""

    def phase(self, ctx: ModelContext, phase: str) -> tuple[cpsat.LinearExprT, int]:
        if phase not in self.phases:
            found: cpsat.LinearExprT = 0
            fixed = 0
            for key in editorial_channels(ctx):
                count, facts = ctx.placed(
                    key, "post", self.days, self._journey(phase), self.audience
                )
                found += count
                fixed += facts
            self.phases[phase] = ctx.named(found, self.options), fixed
        return self.phases[phase]

    def _journey(self, phase: str | None = None) -> Callable[[Option], bool]:
        """The audience's journey posts (in that phase), looked up with `self.audience`."""

        def where(o: Option) -> bool:
            return not o.link and phase in (None, o.phase)

        return where


def audience_months(ctx: ModelContext) -> list[AudienceMonth]:
    cached: list[AudienceMonth] | None = ctx.cache.get("audience_months")
    if cached is not None:
        return cached
    found: list[AudienceMonth] = []
    audiences: list[str] = []
    for key in editorial_channels(ctx):
        audiences += [a for a in channel_audiences(ctx.config, key) if a not in audiences]
    for year, month in ctx.months():
        days = covered_month(ctx, year, month)
        if not days:
            continue
        campaign = ctx.calendar.campaign_month(days[0])
        for audience in audiences:
            if not present(ctx.config, audience, campaign):
                continue
            total: cpsat.LinearExprT = 0
            fixed = low = high = 0
            options = steps = 0
            for key in editorial_channels(ctx):
                if audience not in channel_audiences(ctx.config, key):
                    continue
                count, facts = ctx.placed(key, "post", days, _with_link(False), audience)
                total += count
                fixed += facts
                mine = [o for d in days for o in ctx.audience_options(key, "post", audience, d)]
                options += sum(1 for o in mine if not o.link)
                steps += sum(1 for o in mine if o.link)
                steps += ctx.placed(key, "post", days, _with_link(True), audience)[1]
                mix = audience_split(ctx, key, year, month)
                if mix is not None and mix.is_n:
                    share = mix.shares.get(audience, Fraction(0))
                    low += min(int(share * n) for n in mix.is_n)
                    high += max(-(-share.numerator * n // share.denominator) for n in mix.is_n)
            facts_items = [
                i
                for i in ctx.fixed_items
                if i.active
                and i.kind == "post"
                and i.audience == audience
                and editorial(ctx.config, i.channel)
                and not i.parent
                and i.day in days
            ]
            if facts_items or ctx.diagnose:
                low, high = fixed, fixed + options
            elif steps:
                low = 0
            found.append(
                AudienceMonth(
                    audience=audience,
                    year=year,
                    month=month,
                    campaign=campaign,
                    days=days,
                    total=ctx.named(total, options) + fixed,
                    fixed=fixed,
                    low=low,
                    high=max(low, min(high, fixed + options)),
                    facts=facts_items,
                    options=options,
                )
            )
    ctx.cache["audience_months"] = found
    return found


def phase_focus(ctx: ModelContext) -> None:
    """Before the steady mix, the focus phases hold the majority and are covered."""
    for am in audience_months(ctx):
        focus = [s.phase for s in focus_stages(ctx.config, am.audience, am.campaign)]
        if not focus:
            continue
        label = ctx.config.audiences[am.audience].short
        when = month_title(am.year, am.month)
        path = ("journeys", am.audience, "stages")
        elastic = bool(am.facts)
        counts = {p: am.phase(ctx, p) for p in focus}
        in_focus = sum(c + f for c, f in counts.values())
        some = ctx.at_least(am.total, 1, am.high)
        ctx.require(
            2 * in_focus - am.total - some,
            0,
            None,
            F.PHASE_FOCUS,
            f"{am.audience} {am.year}-{am.month:02d} majorité",
            f"{label} : plus de la moitié des posts de {when} en phase "
            f"{' ou '.join(focus)} (premier plan)",
            path,
            elastic=elastic,
        )
        required = ctx.config.journeys[am.audience].phase_coverage == "required"
        enough: cpsat.LinearExprT = 1 if required else ctx.at_least(am.total, len(focus), am.high)
        for phase, (count, fixed) in counts.items():
            detail = f"{label} : au moins un post {phase} en {when} (phase au premier plan" + (
                ", couverture obligatoire)" if required else f" dès {len(focus)} posts)"
            )
            if required and not _reachable(ctx, am):
                detail += _unreachable(ctx, am)
            ctx.require(
                count + fixed - enough,
                0,
                None,
                F.PHASE_FOCUS,
                f"{am.audience} {am.year}-{am.month:02d} {phase}",
                detail,
                ("journeys", am.audience, "phase_coverage"),
                elastic=elastic,
            )


def _reachable(ctx: ModelContext, am: AudienceMonth) -> bool:
    return am.fixed > 0 or any(
        o.audience == am.audience
        for key in editorial_channels(ctx)
        for d in am.days
        for o in ctx.day_options(key, "post", d)
    )


def _unreachable(ctx: ModelContext, am: AudienceMonth) -> str:
    shares = [
        mix_target(ctx.config, k, am.campaign).shares.get(am.audience, 0)
        for k in editorial_channels(ctx)
    ]
    if not any(shares):
        return f", mais sa part du mix est de 0 % en {month_title(am.year, am.month)}"
    return ", mais aucun jour ni aucune heure où publier pour elle ce mois-là"


def phase_mix(ctx: ModelContext) -> None:
    """From `phase_mix.from_month`, each open phase gets floor or ceil of its share; before,
    a less frequent phase out of focus gets at most the ceiling of its share."""
    for am in audience_months(ctx):
        shares = phase_shares(ctx.config, am.audience, am.campaign)
        if not shares:
            continue
        label = ctx.config.audiences[am.audience].short
        when = month_title(am.year, am.month)
        path = ("phase_mix",)
        opened = open_stages(ctx.config, am.audience, am.campaign)
        if steady(ctx.config, am.campaign):
            mix = split(ctx, am.total, am.low, am.high, shares, [s.phase for s in opened])
            for stage in opened:
                count, fixed = am.phase(ctx, stage.phase)
                ctx.require(
                    count + fixed - mix.count(stage.phase),
                    0,
                    0,
                    F.PHASE_MIX,
                    f"{am.audience} {am.year}-{am.month:02d} {stage.phase}",
                    f"{label} en {when} : {float(shares[stage.phase] * 100):.4g} % des posts "
                    f"en phase {stage.phase} (arrondi inférieur ou supérieur)",
                    path,
                    elastic=bool(am.facts),
                )
            continue
        focus = {s.phase for s in focus_stages(ctx.config, am.audience, am.campaign)}
        rare = [s for s in opened if s.less_frequent and s.phase not in focus]
        if not rare:
            continue
        is_n = one_hot(ctx, am.total, am.low, am.high)
        for stage in rare:
            count, fixed = am.phase(ctx, stage.phase)
            share = shares[stage.phase]
            ceiling = sum(-(-share.numerator * n // share.denominator) * b for n, b in is_n.items())
            ctx.require(
                count + fixed - ceiling,
                None,
                0,
                F.PHASE_MIX,
                f"{am.audience} {am.year}-{am.month:02d} {stage.phase} moins fréquent",
                f"{label} en {when} : phase {stage.phase} « moins fréquente », au plus "
                f"{float(share * 100):.4g} % des posts",
                ("journeys", am.audience, "stages"),
                elastic=bool(am.facts),
            )


def message_capacity(ctx: ModelContext) -> None:
    """No journey message more than twice per audience per month, no brief more than once:
    a phase cannot take more regular posts than its messages allow."""
    for am in audience_months(ctx):
        regular = [i for i in am.facts if not i.parent]
        used: dict[str, int] = {}
        for item in regular:
            used[item.message] = used.get(item.message, 0) + 1
        around = _neighbour_messages(ctx, am)
        for stage in open_stages(ctx.config, am.audience, am.campaign):
            pool = stage_pool(stage)
            room = sum(max(0, pool.limit(t) - used.get(t, 0)) for t in pool.entries)
            if len(pool.messages) == 1 and pool.briefs and pool.messages[0] in around:
                room -= 1  # that message cannot open or close the month: one use fewer
            count = _regular(ctx, am, stage.phase) - sum(
                ctx.stay(item_id, o)
                for item_id, o in ctx.own_messages.items()
                if o.audience == am.audience
                and o.channel in editorial_channels(ctx)
                and o.phase == stage.phase
                and o.day in am.days
                and not o.subject
                and not o.link
            )
            ctx.require(
                count,
                None,
                max(room, 0),
                F.MESSAGE_ROTATION,
                f"{am.audience} {am.year}-{am.month:02d} {stage.phase} messages",
                f"{ctx.config.audiences[am.audience].short} en "
                f"{month_title(am.year, am.month)} : phase {stage.phase}, "
                f"{len(pool.messages)} message(s) deux fois au plus et {len(pool.briefs)} "
                "piste(s) une fois au plus",
                ("journeys", am.audience, "stages"),
                elastic=bool(used),
            )


def _regular(ctx: ModelContext, am: AudienceMonth, phase: str) -> cpsat.LinearExprT:
    """New journey posts (not a step of a live or campaign) of an audience and phase."""
    return cpsat.total(
        [
            ctx.x[o]
            for key in editorial_channels(ctx)
            for d in am.days
            for o in ctx.audience_options(key, "post", am.audience, d)
            if o.phase == phase and not o.subject and not o.link
        ]
    )


def _neighbour_messages(ctx: ModelContext, am: AudienceMonth) -> set[str]:
    """The audience's journey messages just before and just after the month, if known."""
    regular = sorted(
        (
            i
            for i in ctx.known.values()
            if i.active
            and i.kind == "post"
            and not i.parent
            and i.audience == am.audience
            and editorial(ctx.config, i.channel)
            and i.day not in am.days
        ),
        key=lambda i: (i.start, i.id),
    )
    before = [i for i in regular if i.day < am.days[0]]
    after = [i for i in regular if i.day > am.days[-1]]
    return {i.message for i in (before[-1:] + after[:1])}


# --- lives -------------------------------------------------------------------------------


def live_channels(ctx: ModelContext) -> list[str]:
    return [k for k, c in ctx.config.channels.items() if c.lives is not None]


def lives_per_month(ctx: ModelContext) -> None:
    """The month's count is exact; a month whose covered live days are all closed gets
    none (a warning, see `planner.notices`); a window no format fits at all is refused when
    loading."""
    for key in live_channels(ctx):
        lives = ctx.config.channels[key].lives
        assert lives is not None
        for year, month in ctx.months():
            days = covered_month(ctx, year, month)
            if not days:
                continue
            placed, fixed = ctx.placed(key, "live", days)
            open_days = [d for d in days if ctx.calendar.is_open(key, d, lives.days)]
            slots = sum(len(ctx.day_options(key, "live", d)) for d in days)
            wanted = ctx.calendar.lives_wanted(key, year, month)
            ctx.require(
                placed + fixed,
                wanted,
                max(wanted, fixed),
                F.LIVES_PER_MONTH,
                f"{key} {year}-{month:02d}",
                f"{wanted} live(s) en {month_title(year, month)} ; {len(open_days)} "
                f"jour(s) ouvert(s) ({days_phrase(lives.days)}) et {slots} créneau(x) "
                f"où un format tient dans la plage "
                f"{lives.window.start:%H:%M}–{lives.window.end:%H:%M} avec sa séquence",
                ("channels", key, "lives", "per_month"),
                elastic=fixed > 0 or ctx.outside_scope(days),
            )


def live_spacing(ctx: ModelContext) -> None:
    for key in live_channels(ctx):
        lives = ctx.config.channels[key].lives
        assert lives is not None
        days = ctx.days_with(key, "live")
        gap = max(lives.min_gap_days, 1)
        for day in days:
            window = [d for d in days if day <= d < day + timedelta(gap)]
            if not any(ctx.day_options(key, "live", d) for d in window):
                continue
            placed, fixed = _all_lives(ctx, key, window)
            ctx.require(
                placed + fixed,
                None,
                max(1, fixed),
                F.LIVE_SPACING,
                f"{key} {day}",
                f"au moins {lives.min_gap_days} jours entre deux lives",
                ("channels", key, "lives", "min_gap_days"),
                f"{day:%d/%m}",
            )


def _all_lives(
    ctx: ModelContext, key: str, days: list[date], fmt: str | None = None
) -> tuple[cpsat.LinearExprT, int]:
    """Lives on these days, facts counted on any day (a live of another month is one)."""
    variables: cpsat.LinearExprT = 0
    fixed = 0
    for day in days:
        variables += sum(
            ctx.x[o] for o in ctx.day_options(key, "live", day) if fmt is None or o.subject == fmt
        )
        fixed += sum(1 for o in ctx.fixed_on(key, "live", day) if fmt is None or o.subject == fmt)
    return variables, fixed


def live_rotation(ctx: ModelContext) -> None:
    """Never the same format twice in a row: a running 'last format' state per live day,
    across the lives of other months too.

    Two facts of one format with no possible day between them are a known violation (the
    report warns); the rule is not asked to undo them.
    """
    for key in live_channels(ctx):
        lives = ctx.config.channels[key].lives
        assert lives is not None
        if not lives.no_repeat_format:
            continue
        formats = list(lives.formats)
        last: dict[str, cpsat.LinearExprT] = dict.fromkeys(formats, 0)
        previous_fixed: str | None = None
        free_since_fixed = False
        for day in ctx.days_with(key, "live"):
            on_day = {f: _all_lives(ctx, key, [day], f) for f in formats}
            held = ctx.model.new_bool_var("held")
            count = sum(v + c for v, c in on_day.values())
            ctx.model.add(count >= held)
            ctx.model.add(count <= (len(formats) + len(ctx.fixed)) * held)
            fixed_here = next((f for f, (_, c) in on_day.items() if c), None)
            new_last: dict[str, cpsat.LinearExprT] = {}
            for fmt, (placed, fixed) in on_day.items():
                here = placed + fixed
                known = fixed and fmt == previous_fixed and not free_since_fixed
                if not known:
                    ctx.require(
                        here + last[fmt],
                        None,
                        1,
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


@dataclass(frozen=True)
class StepDue:
    """One published step of one live day's sequence, as the model sees it."""

    key: str
    day: date
    step: SequenceStep
    lives: cpsat.LinearExprT
    """The lives that day the step applies to (its formats)."""
    live_facts: int
    steps: cpsat.LinearExprT
    step_facts: int
    later: list[date]
    """Open days of the step's window that a later month of the same run places: a live
    of the model's days whose step falls there leaves the step to that month."""

    @property
    def missing(self) -> cpsat.LinearExprT:
        """Lives of the day still without this step."""
        return self.lives + self.live_facts - self.steps - self.step_facts


def steps_due(ctx: ModelContext) -> list[StepDue]:
    """Every published step the model answers for, built once: the weekly band (added
    first) keeps room for those left to a later month, the sequence rule counts them."""
    if "steps" not in ctx.cache:
        found: list[StepDue] = []
        for key in live_channels(ctx):
            lives = ctx.config.channels[key].lives
            assert lives is not None
            for day in ctx.days_with(key, "live"):
                for step in lives.sequence:
                    if step.kind != "post":
                        continue
                    window = [day + timedelta(n) for n in step.days.span()]
                    if not ctx.placeable(day) and not any(ctx.placeable(d) for d in window):
                        continue
                    live_count, live_facts = _all_lives(ctx, key, [day])
                    if step.formats is not None:
                        live_count, live_facts = 0, 0
                        for fmt in step.formats:
                            count, facts = _all_lives(ctx, key, [day], fmt)
                            live_count += count
                            live_facts += facts
                    target = step.channel or key
                    steps, step_facts = _linked(ctx, target, window, step.key, live_link(key, day))
                    later = _later_days(ctx, day, window, target)
                    found.append(
                        StepDue(key, day, step, live_count, live_facts, steps, step_facts, later)
                    )
        ctx.cache["steps"] = found
    result: list[StepDue] = ctx.cache["steps"]
    return result


def _later_days(ctx: ModelContext, live_day: date, window: list[date], target: str) -> list[date]:
    """Open days of a step's window after the model's days that the same run plans, for a
    live the model places (another month's live is that month's business)."""
    if not ctx.placeable(live_day):
        return []
    calendar = ctx.calendar
    return [d for d in window if ctx.scope.later(calendar, d) and calendar.is_open(target, d)]


def steps_left_to_later(ctx: ModelContext, key: str, monday: date) -> cpsat.LinearExprT:
    """Steps of this model's lives that a later month will publish on `key` in that week:
    room the week keeps for them."""
    week = week_of(monday)
    return sum(
        due.missing
        for due in steps_due(ctx)
        if (due.step.channel or due.key) == key and any(d in week for d in due.later)
    )


def live_sequence(ctx: ModelContext) -> None:
    """Each live of the scope gets each published step of its sequence in its window; a
    step whose window goes on into a later month of the run may be left to that month."""
    weight = ctx.config.preferences.optional_steps
    for due in steps_due(ctx):
        key, day, step = due.key, due.day, due.step
        detail = f"« {step.label} » {_offsets(step.days.start, step.days.end)} chaque live" + (
            f" ({', '.join(step.formats)})" if step.formats else ""
        )
        missing = due.missing
        ctx.require(
            missing,
            0,
            0 if step.required and not due.later else None,
            F.LIVE_SEQUENCE,
            f"{key} {day} {step.key}",
            detail,
            ("channels", key, "lives", "sequence"),
            f"{day:%d/%m}",
            elastic=bool(due.live_facts or due.step_facts),
        )
        if not step.required and not due.later:
            ctx.penalize(F.OPTIONAL_STEPS, weight, missing)
        if step.days.start >= 0:
            _after_the_live(ctx, key, day, step, detail)


Chosen = tuple[Option, cpsat.LinearExprT, bool]
"""An option, whether it is chosen (its variable, or 1 for a fact), whether it is a fact."""


def _after_the_live(
    ctx: ModelContext, key: str, day: date, step: SequenceStep, detail: str
) -> None:
    """A step from the live's day on is published once the live is over: on the live's own
    day, a step and a live that would end after it never both stand."""
    tz = ctx.calendar.tz
    lives = ctx.config.channels[key].lives
    assert lives is not None
    target = step.channel or key
    channel = ctx.config.channels[target]
    times = ", ".join(f"{t:%H:%M}" for t in channel.times)
    link = live_link(key, day)
    posts: list[Chosen] = [
        *((o, ctx.x[o], False) for o in ctx.day_options(target, "post", day)),
        *((o, 1, True) for o in ctx.fixed_on(target, "post", day)),
    ]
    shows: list[Chosen] = [
        *((o, ctx.x[o], False) for o in ctx.day_options(key, "live", day)),
        *((o, 1, True) for o in ctx.fixed_on(key, "live", day)),
    ]
    for post, placed, post_fact in posts:
        if post.subject != step.key or post.link != link:
            continue
        published = datetime.combine(day, post.time, tzinfo=tz)
        for live, held, live_fact in shows:
            spec = lives.formats.get(live.subject)
            start = datetime.combine(day, live.time, tzinfo=tz).astimezone(UTC)
            end = start + timedelta(minutes=0 if spec is None else spec.duration_minutes)
            if (post_fact and live_fact) or published >= end:
                continue
            ctx.require(
                placed + held,
                None,
                1,
                F.LIVE_SEQUENCE,
                f"{key} {day} {step.key} après le live",
                f"{detail}, publié après la fin du live (heures de {channel.label} : {times})",
                ("channels", key, "lives", "sequence"),
                f"{day:%d/%m}",
                elastic=post_fact or live_fact,
            )


def _offsets(first: int, last: int) -> str:
    def one(n: int) -> str:
        if n == 0:
            return "le jour même"
        return f"{abs(n)} jour(s) {'avant' if n < 0 else 'après'}"

    return one(first) if first == last else f"de {one(first)} à {one(last)}"


def _linked(
    ctx: ModelContext, channel: str, days: list[date], subject: str, link: str
) -> tuple[cpsat.LinearExprT, int]:
    """Posts of that subject belonging to that live, ritual instance or campaign."""
    variables: cpsat.LinearExprT = 0
    fixed = 0
    for day in days:
        variables += sum(
            ctx.x[o]
            for o in ctx.day_options(channel, "post", day)
            if o.subject == subject and o.link == link
        )
        fixed += sum(
            1 for o in ctx.fixed_on(channel, "post", day) if o.subject == subject and o.link == link
        )
    return variables, fixed


# --- rituals and campaigns ------------------------------------------------------------------


def ritual_windows(ctx: ModelContext) -> list[tuple[str, str, Ritual, int, int, list[date]]]:
    """(channel, ritual key, ritual, year, month, window) for each published ritual of the
    scope's months whose window has a covered open day."""
    found = []
    for key, channel in ctx.config.channels.items():
        for name, ritual in channel.rituals.items():
            if ritual.kind != "post":
                continue
            for year, month in ctx.months():
                if ritual.months is not None and month not in ritual.months:
                    continue
                window = window_days(ritual.days, year, month)
                if any(ctx.calendar.covered(d) and ctx.calendar.is_open(key, d) for d in window):
                    found.append((key, name, ritual, year, month, window))
    return found


def rituals(ctx: ModelContext) -> None:
    weight = ctx.config.preferences.optional_steps
    for key, name, ritual, year, month, window in ritual_windows(ctx):
        placed, fixed = _linked(ctx, key, window, name, ritual_link(year, month))
        first, last = window[0], window[-1]
        least = ctx.calendar.window_minimum(key, window, 1) if ritual.required else None
        ctx.require(
            placed + fixed,
            least,
            max(1, fixed),
            F.RITUALS,
            f"{key} {name} {year}-{month:02d}",
            f"« {ritual.label} » une fois en {month_title(year, month)}, entre le "
            f"{first:%d/%m} et le {last:%d/%m}",
            ("channels", key, "rituals", name),
            elastic=fixed > 0 or ctx.outside_scope(window),
        )
        if not ritual.required and not fixed:
            ctx.penalize(F.OPTIONAL_STEPS, weight, 1 - placed)


def campaigns(ctx: ModelContext) -> None:
    weight = ctx.config.preferences.optional_steps
    for i, campaign in enumerate(ctx.config.campaigns):
        for j, step in enumerate(campaign.steps):
            if step.kind != "post" or step.channel is None:
                continue
            window = [campaign.anchor + timedelta(n) for n in step.days.span()]
            if not any(ctx.scope.holds(d) for d in window):
                continue
            if not any(
                ctx.calendar.covered(d) and ctx.calendar.is_open(step.channel, d) for d in window
            ):
                continue
            placed, fixed = _linked(
                ctx, step.channel, window, step.key, campaign_link(campaign.key)
            )
            least = ctx.calendar.window_minimum(step.channel, window, step.count)
            ctx.require(
                placed + fixed,
                least if step.required else None,
                max(step.count, fixed),
                F.CAMPAIGNS,
                f"{campaign.key} {step.key}",
                f"« {step.label} » ({campaign.name}) : {step.count} élément(s) du "
                f"{window[0]:%d/%m/%Y} au {window[-1]:%d/%m/%Y}",
                ("campaigns", i, "steps", j),
                elastic=fixed > 0 or ctx.outside_scope(window),
            )
            if not step.required and fixed < step.count:
                ctx.penalize(F.OPTIONAL_STEPS, weight, step.count - fixed - placed)


HARD_RULES: list[tuple[F, Callable[[ModelContext], None]]] = [
    (F.DAILY_CAP, daily_cap),
    (F.WEEKLY_BAND, weekly_band),
    (F.AUDIENCE_MIX, audience_mix),
    (F.PHASE_FOCUS, phase_focus),
    (F.PHASE_MIX, phase_mix),
    (F.MESSAGE_ROTATION, message_capacity),
    (F.LIVES_PER_MONTH, lives_per_month),
    (F.LIVE_SPACING, live_spacing),
    (F.LIVE_ROTATION, live_rotation),
    (F.LIVE_SEQUENCE, live_sequence),
    (F.RITUALS, rituals),
    (F.CAMPAIGNS, campaigns),
]
