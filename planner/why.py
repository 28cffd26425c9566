"""Why each item sits where it does, and which rule won over each missed preference.

One sentence per item for the `why` column; one reason per miss for the report. Both name
rule families with the names of `planner.families`, the same the solver and checker use.
"""

from __future__ import annotations

from datetime import date, timedelta

from planner.calendar import Calendar, month_title
from planner.families import F, name
from planner.items import Item
from planner.scoring import Miss
from planner.weekdays import day_name, days_phrase


def annotate(calendar: Calendar, items: list[Item], misses: list[Miss]) -> list[Item]:
    """Items with their `why` sentence (items that already have one keep it)."""
    by_item: dict[str, list[Miss]] = {}
    for miss in misses:
        for item_id in miss.items:
            by_item.setdefault(item_id, []).append(miss)
    active = [i for i in items if i.active]
    result: list[Item] = []
    for item in items:
        if item.why or not item.active:
            result.append(item)
            continue
        result.append(item.with_(why=_why(calendar, item, active, by_item.get(item.id, []))))
    return result


def _when(item: Item) -> str:
    return f"{day_name(item.start.weekday())} {item.start:%d/%m %H:%M}"


def _why(calendar: Calendar, item: Item, active: list[Item], misses: list[Miss]) -> str:
    config = calendar.config
    channel = config.channels[item.channel]
    if item.kind == "task":
        live = next((i for i in active if i.id == item.parent), None)
        day = f"{day_name(live.start.weekday())} {live.start:%d/%m}" if live else "?"
        return f"{name(F.LIVE_PREPARATION)} : veille ouvrée du live du {day}"
    if item.kind == "live":
        return _why_live(calendar, item, active)
    if channel.types is not None:
        spec = channel.types[item.content_type]
        rhythm = [m for m in misses if m.family == F.DAY_RHYTHM]
        if not spec.days:
            slot = "pas de jour de rythme"
        elif rhythm:
            reason = miss_reason(calendar, active, rhythm[0])
            slot = f"hors rythme ({days_phrase(spec.days)}) : {reason}"
        else:
            slot = f"rythme tenu ({days_phrase(spec.days)})"
        week = _week_posts(active, item)
        low, high = calendar.week_band(item.channel, _monday(item.day))
        return (
            f"{spec.label} · {_when(item)} ({slot}) · {len(week)} posts cette semaine "
            f"({name(F.WEEKLY_BAND)} {low}–{high})"
        )
    audience = config.audiences[item.audience]
    slot_misses = [m for m in misses if m.family == F.BEST_SLOT]
    if slot_misses:
        slot = "; ".join(
            f"{m.what.split(' : ', 1)[-1]} : {miss_reason(calendar, active, m)}"
            for m in slot_misses
        )
    elif audience.best_days or audience.best_hours:
        slot = f"meilleur créneau {audience.short}"
    else:
        slot = f"pas de meilleur créneau pour {audience.short}"
    month = [
        i
        for i in active
        if i.channel == item.channel
        and i.kind == "post"
        and (i.day.year, i.day.month) == (item.day.year, item.day.month)
    ]
    mine = sum(1 for i in month if i.audience == item.audience)
    return (
        f"{audience.short} · {config.phase_label(item.phase).lower()} · {_when(item)} "
        f"({slot}) · mix {mine}/{len(month)} {audience.short} en "
        f"{month_title(item.day.year, item.day.month)}"
    )


def _why_live(calendar: Calendar, item: Item, active: list[Item]) -> str:
    rules = calendar.config.channels[item.channel].lives
    assert rules is not None
    lives = [i for i in active if i.kind == "live" and i.channel == item.channel]
    month = [i for i in lives if (i.day.year, i.day.month) == (item.day.year, item.day.month)]
    wanted = calendar.lives_wanted(item.channel, item.day.year, item.day.month)
    text = (
        f"Live {item.format} · {_when(item)} · {month.index(item) + 1}/{wanted} du mois "
        f"({name(F.LIVES_PER_MONTH)})"
    )
    position = lives.index(item)
    if position > 0:
        before = lives[position - 1]
        text += (
            f" · {(item.day - before.day).days} jours après le live du {before.day:%d/%m} "
            f"({before.format})"
        )
    return text


def _monday(day: date) -> date:
    return day - timedelta(day.weekday())


def _week_days(item: Item, weekdays: list[int]) -> list[date]:
    """The days of the item's week that fall on these weekdays."""
    monday = _monday(item.day)
    return [monday + timedelta(n) for n in range(7) if n in weekdays]


def _closed_reason(calendar: Calendar, channel: str, days: list[date]) -> str:
    return f"{name(F.PUBLISHING_DAYS)} : {calendar.closed_days(channel, days)}"


def _week_posts(active: list[Item], item: Item) -> list[Item]:
    monday = _monday(item.day)
    return [
        i
        for i in active
        if i.kind == "post"
        and i.channel == item.channel
        and monday <= i.day <= monday + timedelta(6)
    ]


def miss_reason(calendar: Calendar, active: list[Item], miss: Miss) -> str:
    """The rule that won over this missed preference, with the numbers."""
    items = [i for i in active if i.id in miss.items]
    if miss.family == F.BEST_SLOT and items:
        return _best_slot_reason(calendar, active, items[0], "heure" in miss.what)
    if miss.family == F.DAY_RHYTHM and items:
        return _rhythm_reason(calendar, active, items[0])
    if miss.family == F.TYPE_TARGETS:
        return _type_target_reason(calendar, miss)
    if miss.family == F.WEEKLY_TARGET:
        return (
            f"{name(F.AUDIENCE_MIX)} et {name(F.BEST_SLOT).lower()} : c'est la répartition "
            "du mois la moins coûteuse"
        )
    if miss.family == F.MIX_CLOSENESS:
        return f"{name(F.AUDIENCE_MIX)} : un nombre entier de posts ne peut pas tomber juste"
    if miss.family == F.LIVE_VARIETY:
        return f"{name(F.LIVES_PER_MONTH)} et {name(F.LIVE_ROTATION).lower()} sur l'horizon"
    if miss.family == F.LIVE_SPREAD:
        return f"{name(F.LIVES_PER_MONTH)} : les jours de live possibles du mois sont comptés"
    return "compromis le moins coûteux"


def _best_slot_reason(calendar: Calendar, active: list[Item], post: Item, hour: bool) -> str:
    config = calendar.config
    audience = config.audiences[post.audience]
    channel = config.channels[post.channel]
    if hour:
        window = audience.best_hours
        assert window is not None
        if not any(window.holds(t) for t in channel.times):
            return (
                f"{name(F.VALID_TIMES)} : aucune heure candidate de {channel.label} entre "
                f"{window.start:%H:%M} et {window.end:%H:%M}"
            )
        return f"{name(F.DAILY_CAP)} : les heures de la plage étaient prises"
    year, month = post.day.year, post.day.month
    best_open = [
        d
        for d in calendar.horizon.days()
        if (d.year, d.month) == (year, month)
        and d.weekday() in audience.best_days
        and calendar.is_open(post.channel, d)
    ]
    mine = [
        i
        for i in active
        if i.kind == "post"
        and i.channel == post.channel
        and i.audience == post.audience
        and (i.day.year, i.day.month) == (year, month)
    ]
    if len(mine) > len(best_open):
        return (
            f"{name(F.AUDIENCE_MIX)} : {len(mine)} posts {audience.short} en "
            f"{month_title(year, month)} pour {len(best_open)} "
            f"jours ouverts le {days_phrase(audience.best_days)}"
        )
    week_best = _week_days(post, audience.best_days)
    closed = [d for d in week_best if not calendar.is_open(post.channel, d)]
    if closed and len(closed) == len(week_best):
        return _closed_reason(calendar, post.channel, closed)
    taken = [
        d
        for d in week_best
        if any(i.day == d and i.channel == post.channel and i.kind == "post" for i in active)
    ]
    if taken and len(taken) + len(closed) == len(week_best):
        return (
            f"{name(F.DAILY_CAP)} : {days_phrase([d.weekday() for d in taken])} de cette "
            f"semaine déjà pris (plafond {channel.per_day_max}/jour)"
        )
    return (
        f"{name(F.WEEKLY_BAND)} et {name(F.AUDIENCE_MIX).lower()} : c'est la répartition "
        "du mois la moins coûteuse"
    )


def _rhythm_reason(calendar: Calendar, active: list[Item], post: Item) -> str:
    channel = calendar.config.channels[post.channel]
    assert channel.types is not None
    spec = channel.types[post.content_type]
    rhythm_days = _week_days(post, spec.days)
    closed = [d for d in rhythm_days if not calendar.is_open(post.channel, d)]
    if closed and len(closed) == len(rhythm_days):
        return _closed_reason(calendar, post.channel, closed)
    taken = [
        i
        for i in active
        if i.kind == "post"
        and i.channel == post.channel
        and i.day in rhythm_days
        and i.id != post.id
    ]
    if taken:
        other = channel.types[taken[0].content_type].label
        return (
            f"{name(F.DAILY_CAP)} : le {day_name(taken[0].day.weekday())} porte déjà "
            f"« {other} » (plafond {channel.per_day_max}/jour)"
        )
    return f"{name(F.TYPE_TARGETS)} : un jour de rythme ne suffit pas à l'objectif du type"


def _type_target_reason(calendar: Calendar, miss: Miss) -> str:
    for key, channel in calendar.config.channels.items():
        if channel.types is None or channel.label not in miss.what:
            continue
        wanted = sum(t.per_week for t in channel.types.values())
        if wanted > channel.per_week.max:
            return (
                f"{name(F.WEEKLY_BAND)} : au plus {channel.per_week.max} posts par semaine "
                f"pour des objectifs qui en demandent {wanted}"
            )
        return f"{name(F.WEEKLY_BAND)} et {name(F.PUBLISHING_DAYS).lower()} de {key}"
    return f"{name(F.WEEKLY_BAND)}"
