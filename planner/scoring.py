"""Preference misses of a finished plan, computed without the solver.

The total per family must equal what the solver's objective counted for a fresh plan
(tests check it on every default month), and the report lists each miss from here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

from planner.calendar import Calendar, month_title
from planner.families import F
from planner.items import Item
from planner.rules import BASIS, mix_target
from planner.weekdays import day_name, days_phrase


@dataclass(frozen=True)
class Miss:
    family: F
    points: Fraction
    items: tuple[str, ...]
    what: str


def score_plan(calendar: Calendar, items: list[Item]) -> list[Miss]:
    active = sorted((i for i in items if i.active), key=lambda i: (i.start, i.id))
    posts = [i for i in active if i.kind == "post" and calendar.horizon.contains(i.day)]
    lives = [i for i in active if i.kind == "live" and calendar.horizon.contains(i.day)]
    return [
        *_best_slot(calendar, posts),
        *_weekly_target(calendar, posts),
        *_type_targets(calendar, posts),
        *_rhythm(calendar, posts),
        *_mix_closeness(calendar, posts),
        *_live_variety(calendar, lives),
        *_live_spread(calendar, lives),
    ]


def totals(misses: list[Miss]) -> dict[F, Fraction]:
    found: dict[F, Fraction] = defaultdict(Fraction)
    for miss in misses:
        found[miss.family] += miss.points
    return dict(found)


def _when(item: Item) -> str:
    return f"{day_name(item.start.weekday())} {item.start:%d/%m %H:%M}"


def _best_slot(calendar: Calendar, posts: list[Item]) -> list[Miss]:
    config = calendar.config
    weights = config.preferences
    found: list[Miss] = []
    for post in posts:
        if config.channels[post.channel].planning != "audiences":
            continue
        audience = config.audiences[post.audience]
        if audience.best_days and post.day.weekday() not in audience.best_days and weights.best_day:
            found.append(
                Miss(
                    F.BEST_SLOT,
                    Fraction(weights.best_day),
                    (post.id,),
                    f"{audience.short} le {_when(post)} : hors meilleur jour "
                    f"({days_phrase(audience.best_days)})",
                )
            )
        window = audience.best_hours
        if window is not None and not window.holds(post.start.time()) and weights.best_hour:
            found.append(
                Miss(
                    F.BEST_SLOT,
                    Fraction(weights.best_hour),
                    (post.id,),
                    f"{audience.short} le {_when(post)} : hors meilleure heure "
                    f"({window.start:%H:%M}–{window.end:%H:%M})",
                )
            )
    return found


def _weeks(calendar: Calendar, posts: list[Item], key: str):  # type: ignore[no-untyped-def]
    """(monday, posts of the channel that week) for the weeks that count."""
    for monday in calendar.horizon.weeks():
        week = [p for p in posts if p.channel == key and monday <= p.day <= monday + timedelta(6)]
        if week or calendar.week_open_days(key, monday):
            yield monday, week


def _weekly_target(calendar: Calendar, posts: list[Item]) -> list[Miss]:
    found: list[Miss] = []
    weight = calendar.config.preferences.weekly_target
    for key, channel in calendar.config.channels.items():
        if channel.per_week.target is None or not weight:
            continue
        for monday, week in _weeks(calendar, posts, key):
            target = calendar.week_share(channel, monday).near(channel.per_week.target)
            if len(week) != target:
                found.append(
                    Miss(
                        F.WEEKLY_TARGET,
                        Fraction(weight * abs(len(week) - target)),
                        tuple(p.id for p in week),
                        f"{channel.label}, semaine du {monday:%d/%m} : {len(week)} "
                        f"posts pour une cible de {target}",
                    )
                )
    return found


def _type_targets(calendar: Calendar, posts: list[Item]) -> list[Miss]:
    found: list[Miss] = []
    weight = calendar.config.preferences.type_target
    for key, channel in calendar.config.channels.items():
        if channel.types is None or not weight:
            continue
        for monday, week in _weeks(calendar, posts, key):
            share = calendar.week_share(channel, monday)
            for kind, spec in channel.types.items():
                target = share.near(spec.per_week)
                count = sum(1 for p in week if p.content_type == kind)
                if count < target:
                    found.append(
                        Miss(
                            F.TYPE_TARGETS,
                            Fraction(weight * (target - count)),
                            (),
                            f"{channel.label}, semaine du {monday:%d/%m} : {count} "
                            f"« {spec.label} » pour un objectif de {target}",
                        )
                    )
    return found


def _rhythm(calendar: Calendar, posts: list[Item]) -> list[Miss]:
    found: list[Miss] = []
    weight = calendar.config.preferences.rhythm
    for post in posts:
        types = calendar.config.channels[post.channel].types
        if types is None or not weight:
            continue
        spec = types[post.content_type]
        if spec.days and post.day.weekday() not in spec.days:
            found.append(
                Miss(
                    F.DAY_RHYTHM,
                    Fraction(weight),
                    (post.id,),
                    f"« {spec.label} » le {_when(post)} au lieu du {days_phrase(spec.days)}",
                )
            )
    return found


def _mix_closeness(calendar: Calendar, posts: list[Item]) -> list[Miss]:
    config = calendar.config
    found: list[Miss] = []
    weight = config.preferences.mix_closeness
    for key, channel in config.channels.items():
        if channel.planning != "audiences" or not weight:
            continue
        for year, month in calendar.horizon.months():
            group = [
                p for p in posts if p.channel == key and (p.day.year, p.day.month) == (year, month)
            ]
            first = next(d for d in calendar.horizon.days() if (d.year, d.month) == (year, month))
            target = mix_target(config, key, calendar.campaign_month(first))
            for audience, share in target.shares.items():
                count = sum(1 for p in group if p.audience == audience)
                exact = Fraction(share * len(group), BASIS)
                if count != exact:
                    found.append(
                        Miss(
                            F.MIX_CLOSENESS,
                            weight * abs(count - exact),
                            (),
                            f"{config.audiences[audience].short} en {month_title(year, month)} : "
                            f"{count} posts sur {len(group)}, part exacte "
                            f"{float(exact):.2f} ({share / 100:g} %)",
                        )
                    )
    return found


def _live_variety(calendar: Calendar, lives: list[Item]) -> list[Miss]:
    found: list[Miss] = []
    weight = calendar.config.preferences.live_variety
    for key, channel in calendar.config.channels.items():
        if channel.lives is None or not weight:
            continue
        total = sum(calendar.lives_wanted(key, y, m) for y, m in calendar.horizon.months())
        fair = -(-total // len(channel.lives.formats))
        for fmt, spec in channel.lives.formats.items():
            mine = [i for i in lives if i.channel == key and i.content_type == fmt]
            if len(mine) > fair:
                found.append(
                    Miss(
                        F.LIVE_VARIETY,
                        Fraction(weight * (len(mine) - fair)),
                        tuple(i.id for i in mine),
                        f"{len(mine)} lives « {spec.label} » pour une part égale de {fair}",
                    )
                )
    return found


def _live_spread(calendar: Calendar, lives: list[Item]) -> list[Miss]:
    found: list[Miss] = []
    weight = calendar.config.preferences.live_spread
    for key, channel in calendar.config.channels.items():
        if channel.lives is None or not weight:
            continue
        mine = [i for i in lives if i.channel == key]
        for i, first in enumerate(mine):
            for second in mine[i + 1 :]:
                gap = (second.day - first.day).days
                if gap < channel.lives.comfortable_gap_days:
                    found.append(
                        Miss(
                            F.LIVE_SPREAD,
                            Fraction(weight),
                            (first.id, second.id),
                            f"lives du {first.day:%d/%m} et du {second.day:%d/%m} à "
                            f"{gap} jours (souhaité : "
                            f"{channel.lives.comfortable_gap_days})",
                        )
                    )
    return found
