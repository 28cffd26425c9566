"""Why each item sits where it does, and which rule won over each missed preference.

One sentence per item for the `why` column, recomputed after every run (rows the user moved
included); one reason per miss for the report. Both name rule families with the names of
`planner.families`, the same the solver and the checker use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from planner.calendar import Calendar, month_days, month_title
from planner.families import F, name
from planner.items import Item
from planner.labels import plural
from planner.rules import best_days, best_hours, open_stages, stage_of, stage_pool
from planner.scoring import Miss, item_type
from planner.weekdays import day_name, day_time, days_phrase

MOVED_BY_USER = "placé à votre demande"


class ActiveItems:
    """The plan's active items in the caller's order, looked up instead of scanned.

    A reason reads one channel's posts on a day, in a week or in a month, an item's parent,
    a live's steps: scanning every item for each of them made the reasons of the 2× agency's
    24 months (7 653 items) take 6.5 s, more than the plan's assembly, checks and scoring
    together."""

    def __init__(self, items: Iterable[Item]) -> None:
        self.items = [i for i in items if i.active]
        self._by_id: dict[str, list[int]] = {}
        """Positions in `items`, so that lookups over several keys keep the items' order."""
        self._posts_on: dict[tuple[str, date], list[int]] = {}
        self._children: dict[str, list[Item]] = {}
        self._lives: dict[str, list[Item]] = {}
        self._posts_in: dict[tuple[str, int, int], list[Item]] = {}
        self._month_posts: dict[tuple[int, int], list[Item]] = {}
        for position, item in enumerate(self.items):
            self._by_id.setdefault(item.id, []).append(position)
            if item.parent:
                self._children.setdefault(item.parent, []).append(item)
            if item.kind == "live":
                self._lives.setdefault(item.channel, []).append(item)
            elif item.kind == "post":
                day = item.day
                self._posts_on.setdefault((item.channel, day), []).append(position)
                self._posts_in.setdefault((item.channel, day.year, day.month), []).append(item)
                self._month_posts.setdefault((day.year, day.month), []).append(item)

    def _in_order(self, positions: Iterable[int]) -> list[Item]:
        return [self.items[p] for p in sorted(positions)]

    def find(self, item_id: str) -> Item | None:
        found = self._by_id.get(item_id)
        return self.items[found[0]] if found else None

    def among(self, ids: Iterable[str]) -> list[Item]:
        """The items with these ids, in the items' order."""
        return self._in_order(p for key in set(ids) for p in self._by_id.get(key, []))

    def children(self, parent: str) -> list[Item]:
        return self._children.get(parent, [])

    def lives(self, channel: str) -> list[Item]:
        return self._lives.get(channel, [])

    def posts_on(self, channel: str, days: Iterable[date]) -> list[Item]:
        """One channel's posts on these days, in the items' order."""
        return self._in_order(
            p for day in set(days) for p in self._posts_on.get((channel, day), [])
        )

    def posts_in(self, channel: str, year: int, month: int) -> list[Item]:
        return self._posts_in.get((channel, year, month), [])

    def month_posts(self, year: int, month: int) -> list[Item]:
        """Every channel's posts of the month."""
        return self._month_posts.get((year, month), [])


def annotate(
    calendar: Calendar,
    items: list[Item],
    misses: list[Miss],
    context: Sequence[Item] = (),
    moved: frozenset[str] = frozenset(),
) -> list[Item]:
    """Items with their `why` sentence; `moved` holds the rows the user placed themselves."""
    by_item: dict[str, list[Miss]] = {}
    for miss in misses:
        for item_id in miss.items:
            by_item.setdefault(item_id, []).append(miss)
    active = ActiveItems(sorted([*items, *context], key=lambda i: (i.start, i.id)))
    result: list[Item] = []
    for item in items:
        if not item.active:
            result.append(item)
            continue
        why = _why(calendar, item, active, by_item.get(item.id, []))
        if item.id in moved:
            why = f"{MOVED_BY_USER} · {why}"
        result.append(item.with_(why=why))
    return result


def _why(calendar: Calendar, item: Item, active: ActiveItems, misses: list[Miss]) -> str:
    config = calendar.config
    channel = config.channels[item.channel]
    parent = active.find(item.parent) if item.parent else None
    if item.kind == "task":
        return _why_task(calendar, item, parent)
    if item.kind == "live":
        return _why_live(calendar, item, active)
    prefix = ""
    if parent is not None and parent.kind == "live":
        prefix = (
            f"{name(F.LIVE_SEQUENCE)} : {item.format.lower()} du live du "
            f"{day_name(parent.start.weekday())} {parent.start:%d/%m} · "
        )
    elif any(c.key == item.parent for c in config.campaigns):
        campaign = next(c for c in config.campaigns if c.key == item.parent)
        prefix = f"{name(F.CAMPAIGNS)} : {campaign.name} · "
    elif item.content_type in channel.rituals:
        ritual = channel.rituals[item.content_type]
        prefix = f"{name(F.RITUALS)} : {ritual.label.lower()} · "
    if channel.types is not None:
        return prefix + _why_community(calendar, item, active, misses)
    return prefix + _why_editorial(calendar, item, active, misses)


def _why_task(calendar: Calendar, item: Item, parent: Item | None) -> str:
    config = calendar.config
    if parent is not None and parent.kind == "live":
        when = f"{day_name(parent.start.weekday())} {parent.start:%d/%m}"
        if item.content_type == "preparation":
            return f"{name(F.LIVE_PREPARATION)} : veille ouvrée du live du {when}"
        return f"{name(F.LIVE_SEQUENCE)} : {item.format.lower()}, live du {when}"
    channel = config.channels[item.channel]
    if item.content_type in channel.rituals:
        return (
            f"{name(F.RITUALS)} : premier jour ouvré de "
            f"{month_title(item.day.year, item.day.month)}"
        )
    campaign = next((c for c in config.campaigns if c.key == item.parent), None)
    if campaign is not None:
        return f"{name(F.CAMPAIGNS)} : {campaign.name}, premier jour ouvré de la fenêtre de l'étape"
    return "tâche d'équipe"


def _why_community(calendar: Calendar, item: Item, active: ActiveItems, misses: list[Miss]) -> str:
    channel = calendar.config.channels[item.channel]
    assert channel.types is not None
    kind = item_type(calendar.config, item)
    spec = channel.types.get(kind or "")
    rhythm = [m for m in misses if m.family == F.DAY_RHYTHM]
    label = spec.label if spec is not None else item.format
    if spec is None or not spec.days:
        slot = "pas de jour de rythme"
    elif rhythm:
        reason = miss_reason(calendar, active, rhythm[0])
        slot = f"hors rythme ({days_phrase(spec.days)}) : {reason}"
    else:
        slot = f"rythme tenu ({days_phrase(spec.days)})"
    week = _week_posts(active, item)
    band = calendar.band(item.channel, _monday(item.day))
    return (
        f"{label} · {day_time(item.start)} ({slot}) · {plural(len(week), 'post')} cette semaine "
        f"({name(F.WEEKLY_BAND)} {band.low}–{band.high})"
    )


def _why_editorial(calendar: Calendar, item: Item, active: ActiveItems, misses: list[Miss]) -> str:
    config = calendar.config
    audience = config.audiences[item.audience]
    slot_misses = [m for m in misses if m.family == F.BEST_SLOT]
    if slot_misses:
        slot = "; ".join(
            f"{m.what.split(' : ', 1)[-1]} : {miss_reason(calendar, active, m)}"
            for m in slot_misses
        )
    else:
        moments = calendar.key_moments(item.channel, item.audience, item.day.year, item.day.month)
        days = best_days(config, item.channel, item.audience, item.phase, item.day, moments)
        if days and isinstance(days[0], date):
            slot = "près d'un moment clé du mois"
        elif days:
            published = config.channels[item.channel].days
            shown = [d for d in days if d in published] or days
            slot = f"meilleur jour ({days_phrase(shown)})"  # type: ignore[arg-type]
        else:
            slot = "pas de meilleur jour"
    month = active.posts_in(item.channel, item.day.year, item.day.month)
    mine = sum(1 for i in month if i.audience == item.audience)
    return (
        f"{audience.short} · {config.phase_label(item.phase).lower()} · {day_time(item.start)} "
        f"({slot}) · mix {mine}/{len(month)} {audience.short} en "
        f"{month_title(item.day.year, item.day.month)}"
    )


def _why_live(calendar: Calendar, item: Item, active: ActiveItems) -> str:
    lives = active.lives(item.channel)
    month = [i for i in lives if (i.day.year, i.day.month) == (item.day.year, item.day.month)]
    wanted = calendar.lives_wanted(item.channel, item.day.year, item.day.month)
    text = (
        f"Live {item.format} · {day_time(item.start)} · {month.index(item) + 1}/{wanted} du mois "
        f"({name(F.LIVES_PER_MONTH)})"
    )
    position = lives.index(item)
    if position > 0:
        before = lives[position - 1]
        text += (
            f" · {(item.day - before.day).days} jours après le live du {before.day:%d/%m} "
            f"({before.format})"
        )
    steps = [i for i in active.children(item.id) if i.kind == "post"]
    if steps:
        text += f" · {name(F.LIVE_SEQUENCE)} : " + ", ".join(
            f"{s.format.lower()} le {s.day:%d/%m}" for s in steps
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


def _week_posts(active: ActiveItems, item: Item) -> list[Item]:
    monday = _monday(item.day)
    return active.posts_on(item.channel, [monday + timedelta(n) for n in range(7)])


def miss_reason(calendar: Calendar, active: ActiveItems, miss: Miss) -> str:
    """The rule that won over this missed preference, with the numbers."""
    items = active.among(miss.items)
    if miss.family == F.BEST_SLOT and items:
        return _best_slot_reason(calendar, active, items[0], "heure" in miss.what)
    if miss.family == F.DAY_RHYTHM and items:
        return _rhythm_reason(calendar, active, items[0])
    if miss.family == F.TYPE_TARGETS:
        return _type_target_reason(calendar, miss)
    if miss.family == F.WEEKLY_TARGET:
        return _weekly_target_reason(calendar, active, items)
    if miss.family == F.MIX_CLOSENESS:
        return f"{name(F.AUDIENCE_MIX)} : un nombre entier de posts ne peut pas tomber juste"
    if miss.family == F.OPEN_PHASES:
        return (
            f"{name(F.PHASE_FOCUS)} et {name(F.MESSAGE_ROTATION).lower()} : les posts du mois "
            "vont d'abord aux phases au premier plan"
        )
    if miss.family == F.LIVE_VARIETY:
        return f"{name(F.LIVE_ROTATION)} et {name(F.LIVE_SEQUENCE).lower()} : formats possibles"
    if miss.family == F.LIVE_SPREAD:
        return f"{name(F.LIVES_PER_MONTH)} : les jours de live possibles du mois sont comptés"
    if miss.family == F.OPTIONAL_STEPS:
        return f"{name(F.WEEKLY_BAND)} et {name(F.DAILY_CAP).lower()} : pas de place"
    return "compromis le moins coûteux"


def _weekly_target_reason(calendar: Calendar, active: ActiveItems, week: list[Item]) -> str:
    """A week below target: often the month's journey messages are all used."""
    config = calendar.config
    if week:
        year, month = week[0].day.year, week[0].day.month
        campaign = calendar.campaign_month(week[0].day)
        for audience in sorted({i.audience for i in week}):
            stages = open_stages(config, audience, campaign)
            room = sum(stage_pool(s).capacity for s in stages)
            used = sum(
                1
                for i in active.month_posts(year, month)
                if i.audience == audience and not i.parent
                and config.channels[i.channel].planning == "audiences"
            )  # fmt: skip
            if stages and used >= room:
                return (
                    f"{name(F.MESSAGE_ROTATION)} : {config.audiences[audience].short} a déjà "
                    f"ses {room} posts possibles en {month_title(year, month)} (chaque message "
                    "deux fois au plus, chaque piste une fois) ; le "
                    f"{name(F.AUDIENCE_MIX).lower()} limite les autres audiences"
                )
    return (
        f"{name(F.AUDIENCE_MIX)} et {name(F.BEST_SLOT).lower()} : c'est la répartition "
        "du mois la moins coûteuse"
    )


def _best_slot_reason(calendar: Calendar, active: ActiveItems, post: Item, hour: bool) -> str:
    config = calendar.config
    audience = config.audiences[post.audience]
    channel = config.channels[post.channel]
    if hour:
        window = best_hours(config, post.audience, post.phase)
        if window is not None and not any(window.holds(t) for t in channel.times):
            return (
                f"{name(F.BEST_SLOT)} : aucune heure de {channel.label} dans la plage "
                f"{window.start:%H:%M}–{window.end:%H:%M}"
            )
        return f"{name(F.DAILY_CAP)} : les heures de la plage étaient prises"
    if post.parent:
        return f"{name(F.LIVE_SEQUENCE)} ou {name(F.CAMPAIGNS).lower()} : fenêtre de l'étape"
    year, month = post.day.year, post.day.month
    moments = calendar.key_moments(post.channel, post.audience, year, month)
    days = best_days(config, post.channel, post.audience, post.phase, post.day, moments)
    if days and isinstance(days[0], date):
        return f"{name(F.WEEKLY_BAND)} : les jours près du moment clé étaient pris"
    best_open = [
        d
        for d in month_days(year, month)
        if d.weekday() in days and calendar.is_open(post.channel, d)
    ]
    mine = [
        i
        for i in active.posts_in(post.channel, year, month)
        if i.audience == post.audience and i.phase == post.phase
    ]
    if len(mine) > len(best_open):
        return (
            f"{name(F.AUDIENCE_MIX)} : {plural(len(mine), 'post')} {audience.short} en phase "
            f"{config.phase_label(post.phase).lower()} en {month_title(year, month)} pour "
            f"{len(best_open)} jours ouverts le {days_phrase(days)}"  # type: ignore[arg-type]
        )
    week_best = _week_days(post, days)  # type: ignore[arg-type]
    closed = [d for d in week_best if not calendar.is_open(post.channel, d)]
    if closed and len(closed) == len(week_best):
        return _closed_reason(calendar, post.channel, closed)
    taken = [d for d in week_best if active.posts_on(post.channel, [d])]
    if taken and len(taken) + len(closed) == len(week_best):
        return (
            f"{name(F.DAILY_CAP)} : {days_phrase([d.weekday() for d in taken])} de cette "
            f"semaine déjà pris (plafond {channel.per_day_max}/jour)"
        )
    stage = stage_of(config, post.audience, post.phase)
    if stage is not None and stage.messages and len(stage.messages) + len(stage.briefs) < 3:
        return f"{name(F.MESSAGE_ROTATION)} : peu de messages dans cette phase"
    return (
        f"{name(F.WEEKLY_BAND)} et {name(F.AUDIENCE_MIX).lower()} : c'est la répartition "
        "du mois la moins coûteuse"
    )


def _rhythm_reason(calendar: Calendar, active: ActiveItems, post: Item) -> str:
    channel = calendar.config.channels[post.channel]
    assert channel.types is not None
    if post.parent or post.content_type in channel.rituals:
        return (
            f"{name(F.RITUALS)} ou {name(F.LIVE_SEQUENCE).lower()} : le jour vient de la "
            "fenêtre de l'élément"
        )
    spec = channel.types[post.content_type]
    rhythm_days = _week_days(post, spec.days)
    closed = [d for d in rhythm_days if not calendar.is_open(post.channel, d)]
    if closed and len(closed) == len(rhythm_days):
        return _closed_reason(calendar, post.channel, closed)
    taken = [i for i in active.posts_on(post.channel, rhythm_days) if i.id != post.id]
    if taken:
        other = taken[0].format
        return (
            f"{name(F.DAILY_CAP)} : le {day_name(taken[0].day.weekday())} porte déjà "
            f"« {other} » (plafond {channel.per_day_max}/jour)"
        )
    return f"{name(F.TYPE_TARGETS)} : un jour de rythme ne suffit pas à l'objectif du type"


def _type_target_reason(calendar: Calendar, miss: Miss) -> str:
    for channel in calendar.config.channels.values():
        if channel.types is None or channel.label not in miss.what:
            continue
        wanted = sum(t.per_week for t in channel.types.values())
        if wanted > channel.per_week.max:
            return (
                f"{name(F.WEEKLY_BAND)} : au plus {channel.per_week.max} posts par semaine "
                f"pour des objectifs qui en demandent {wanted}"
            )
        return f"{name(F.WEEKLY_BAND)} et {name(F.PUBLISHING_DAYS).lower()} de {channel.label}"
    return f"{name(F.WEEKLY_BAND)}"
