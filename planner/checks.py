"""The solver-free checker: every hard rule of SPEC.md, re-verified on a finished plan.

It reads only the config, the calendar and the items; it shares no code with the model
(`planner.solver`) or with content assignment (`planner.content`). Every plan is checked
before anything is written, and tests run it on every plan they produce.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from planner.calendar import Calendar, month_title
from planner.confidential import EXPORTED_FIELDS, compile_patterns, find_leaks
from planner.config.model import Config
from planner.families import F, name
from planner.items import KINDS, STATUSES, Item
from planner.rules import active_stages, count_bounds, mix_target, present


@dataclass(frozen=True)
class Violation:
    family: F
    message: str
    items: tuple[str, ...] = ()

    def render(self) -> str:
        ids = f" [{', '.join(self.items[:6])}{'…' if len(self.items) > 6 else ''}]"
        return f"{name(self.family)} : {self.message}{ids if self.items else ''}"


def check_plan(calendar: Calendar, items: list[Item]) -> list[Violation]:
    config = calendar.config
    active = sorted((i for i in items if i.active), key=lambda i: (i.start, i.id))
    found: list[Violation] = []
    found += _ids(items)
    for item in active:
        found += _item(calendar, item, active)
    posts = [i for i in active if i.kind == "post"]
    found += _daily_cap(config, posts)
    found += _weekly_band(calendar, posts)
    found += _mix(calendar, posts)
    found += _phases(calendar, posts)
    found += _rotation(config, active)
    found += _lives(calendar, [i for i in active if i.kind == "live"])
    found += _confidential(config, items)
    return found


def newly_broken(
    calendar: Calendar, baseline: list[Violation], items: list[Item], ignore: tuple[F, ...] = ()
) -> list[F]:
    """Families a changed version of a plan breaks that the plan itself did not (same family
    and items), in order of appearance: what a move or a removal would cost."""
    known = {(v.family, v.items) for v in baseline}
    found: list[F] = []
    for violation in check_plan(calendar, items):
        family = violation.family
        if (family, violation.items) not in known and family not in ignore and family not in found:
            found.append(family)
    return found


def _ids(items: list[Item]) -> list[Violation]:
    seen: set[str] = set()
    found: list[Violation] = []
    for item in items:
        if not item.id or item.id in seen:
            found.append(Violation(F.UNIQUE_IDS, "identifiant vide ou en double", (item.id,)))
        seen.add(item.id)
    return found


def _item(calendar: Calendar, item: Item, active: list[Item]) -> list[Violation]:
    config = calendar.config
    found: list[Violation] = []

    def bad(family: F, message: str) -> None:
        found.append(Violation(family, message, (item.id,)))

    if item.channel not in config.channels or item.kind not in KINDS:
        bad(F.CONTROL_POINTS, f"canal « {item.channel} » ou type « {item.kind} » inconnu")
        return found
    if item.status not in STATUSES:
        bad(F.CONTROL_POINTS, f"statut inconnu « {item.status} »")
    for field in ("audience", "phase", "message", "format", "title"):
        if not str(getattr(item, field)).strip():
            bad(F.CONTROL_POINTS, f"« {field} » est vide")
    if item.audience not in config.audiences:
        bad(F.CONTROL_POINTS, f"audience inconnue « {item.audience} »")
        return found
    channel = config.channels[item.channel]
    minutes = _duration(config, item)
    if minutes is None:
        bad(F.CONTROL_POINTS, f"format inconnu « {item.content_type} »")
        return found
    if item.timezone != config.calendar.timezone or item.start.tzinfo is None:
        bad(F.VALID_TIMES, f"fuseau « {item.timezone} » au lieu de {config.calendar.timezone}")
    elif calendar.slot(item.day, item.start.time(), minutes) != (item.start, item.end):
        bad(
            F.VALID_TIMES,
            f"{item.start.isoformat()}–{item.end.isoformat()} n'est pas un créneau "
            f"valide de {minutes} min (heure inexistante, ambiguë ou durée fausse)",
        )
    if item.kind == "post":
        if not calendar.is_open(item.channel, item.day):
            reason = calendar.closed_reason(item.channel, item.day) or "jour non prévu"
            bad(
                F.PUBLISHING_DAYS,
                f"{item.day} n'est pas un jour de publication de {channel.label} ({reason})",
            )
        if item.start.time() not in channel.times:
            bad(
                F.VALID_TIMES,
                f"{item.start:%H:%M} n'est pas une heure candidate de {channel.label}",
            )
        if channel.planning == "audiences":
            found += _editorial_content(calendar, item)
        else:
            found += _community_content(config, item)
    elif item.kind == "live":
        lives = channel.lives
        assert lives is not None
        if not calendar.is_open(item.channel, item.day, lives.days):
            bad(F.LIVE_WINDOW, f"{item.day} n'est pas un jour de live possible")
        if (
            item.start.time() < lives.window.start
            or item.end.time() > lives.window.end
            or (item.end.date() != item.day)
        ):
            bad(
                F.LIVE_WINDOW,
                f"{item.start:%H:%M}–{item.end:%H:%M} sort de la plage "
                f"{lives.window.start:%H:%M}–{lives.window.end:%H:%M}",
            )
        spec = lives.formats[item.content_type]
        _same_channel_content(
            item, channel.audience, channel.phase, spec.messages, [spec.label], bad
        )
        found += _preparation(calendar, item, active)
    else:
        found += _task(item, active)
    return found


def _duration(config: Config, item: Item) -> int | None:
    channel = config.channels[item.channel]
    if item.kind == "post":
        return channel.duration_minutes
    if channel.lives is None:
        return None
    if item.kind == "task":
        return channel.lives.preparation.duration_minutes
    spec = channel.lives.formats.get(item.content_type)
    return None if spec is None else spec.duration_minutes


def _same_channel_content(
    item: Item,
    audience: str | None,
    phase: str | None,
    messages: list[str],
    formats: list[str],
    bad,
) -> None:  # type: ignore[no-untyped-def]
    if item.audience != audience or item.phase != phase:
        bad(
            F.COMMUNITY_CONTENT,
            f"audience/phase {item.audience}/{item.phase} au lieu de {audience}/{phase}",
        )
    if item.message not in messages:
        bad(F.COMMUNITY_CONTENT, f"message « {item.message} » absent de la liste")
    if item.format not in formats:
        bad(F.COMMUNITY_CONTENT, f"format « {item.format} » inattendu")


def _community_content(config: Config, item: Item) -> list[Violation]:
    found: list[Violation] = []
    channel = config.channels[item.channel]
    spec = (channel.types or {}).get(item.content_type)
    if spec is None:
        return [Violation(F.COMMUNITY_CONTENT, f"type « {item.content_type} » inconnu", (item.id,))]
    _same_channel_content(
        item,
        channel.audience,
        channel.phase,
        spec.messages,
        [spec.format],
        lambda f, m: found.append(Violation(f, m, (item.id,))),
    )
    return found


def _editorial_content(calendar: Calendar, item: Item) -> list[Violation]:
    config = calendar.config
    month = calendar.campaign_month(item.day)
    found: list[Violation] = []
    mix_audiences = {a for row in config.mix[item.channel].rows for a in row.shares}
    mix_audiences |= set(config.mix[item.channel].others)
    if item.audience not in mix_audiences or not present(config, item.audience, month):
        found.append(
            Violation(
                F.ELIGIBILITY,
                f"{item.audience} n'est pas ciblable au mois {month} de la campagne",
                (item.id,),
            )
        )
        return found
    stage = next(
        (s for s in active_stages(config, item.audience, month) if s.phase == item.phase), None
    )
    if stage is None:
        found.append(
            Violation(
                F.PHASE_WINDOW,
                f"phase « {item.phase} » inactive pour {item.audience} au mois {month}",
                (item.id,),
            )
        )
        return found
    if item.message not in stage.messages:
        found.append(
            Violation(
                F.CONTROL_POINTS, f"message « {item.message} » absent de la phase", (item.id,)
            )
        )
    if (item.format, item.content_type) not in {(f.label, f.type) for f in stage.formats}:
        found.append(
            Violation(F.CONTROL_POINTS, f"format « {item.format} » absent de la phase", (item.id,))
        )
    return found


def _task(item: Item, active: list[Item]) -> list[Violation]:
    live = next((i for i in active if i.id == item.parent and i.kind == "live"), None)
    if live is None:
        return [Violation(F.LIVE_PREPARATION, "tâche sans live actif", (item.id,))]
    if item.day >= live.day:
        return [
            Violation(
                F.LIVE_PREPARATION, "préparation le jour du live ou après", (item.id, live.id)
            )
        ]
    return []


def _preparation(calendar: Calendar, live: Item, active: list[Item]) -> list[Violation]:
    expected = calendar.previous_working_day(live.channel, live.day)
    tasks = [i for i in active if i.kind == "task" and i.parent == live.id]
    if any(t.day == expected for t in tasks):
        return []
    found = ", ".join(str(t.day) for t in tasks) or "aucune"
    return [
        Violation(
            F.LIVE_PREPARATION,
            f"pas de préparation le {expected} (veille ouvrée du live) ; tâches : {found}",
            (live.id, *(t.id for t in tasks)),
        )
    ]


def _daily_cap(config: Config, posts: list[Item]) -> list[Violation]:
    by_day: dict[tuple[str, date], list[Item]] = defaultdict(list)
    for post in posts:
        by_day[(post.channel, post.day)].append(post)
    found: list[Violation] = []
    for (channel, day), group in by_day.items():
        cap = config.channels[channel].per_day_max
        ids = tuple(p.id for p in group)
        if len(group) > cap:
            found.append(
                Violation(
                    F.DAILY_CAP, f"{len(group)} posts {channel} le {day} (maximum {cap})", ids
                )
            )
        if len({p.start for p in group}) < len(group):
            found.append(
                Violation(F.DAILY_CAP, f"deux posts {channel} à la même heure le {day}", ids)
            )
    return found


def _weekly_band(calendar: Calendar, posts: list[Item]) -> list[Violation]:
    found: list[Violation] = []
    for key in calendar.config.channels:
        for monday in calendar.horizon.weeks():
            week = [
                p
                for p in posts
                if p.channel == key
                and monday <= p.day <= monday + timedelta(6)
                and calendar.horizon.contains(p.day)
            ]
            if not week and not calendar.week_open_days(key, monday):
                continue
            low, high = calendar.week_band(key, monday)
            if not low <= len(week) <= high:
                found.append(
                    Violation(
                        F.WEEKLY_BAND,
                        f"{len(week)} posts {key} la semaine du {monday} (attendu {low}–{high})",
                        tuple(p.id for p in week),
                    )
                )
    return found


def _month_posts(
    calendar: Calendar, posts: list[Item], key: str, year: int, month: int
) -> list[Item]:
    return [
        p
        for p in posts
        if p.channel == key
        and (p.day.year, p.day.month) == (year, month)
        and calendar.horizon.contains(p.day)
    ]


def _mix(calendar: Calendar, posts: list[Item]) -> list[Violation]:
    config = calendar.config
    found: list[Violation] = []
    for key, channel in config.channels.items():
        if channel.planning != "audiences":
            continue
        for year, month in calendar.horizon.months():
            group = _month_posts(calendar, posts, key, year, month)
            campaign = calendar.campaign_month(date(year, month, 1))
            target = mix_target(config, key, campaign)
            audiences = {p.audience for p in group} | set(target.shares)
            for audience in sorted(audiences):
                count = sum(1 for p in group if p.audience == audience)
                low, high = count_bounds(target.shares.get(audience, 0), len(group))
                if not low <= count <= high:
                    found.append(
                        Violation(
                            F.AUDIENCE_MIX,
                            f"{audience} : {count} posts sur {len(group)} en "
                            f"{month_title(year, month)}, attendu {low}–{high} "
                            f"({target.percent(audience):g} %)",
                            tuple(p.id for p in group if p.audience == audience),
                        )
                    )
    return found


def _phases(calendar: Calendar, posts: list[Item]) -> list[Violation]:
    config = calendar.config
    groups: dict[tuple[str, int], list[Item]] = defaultdict(list)
    for post in posts:
        if config.channels[post.channel].planning == "audiences":
            groups[(post.audience, calendar.campaign_month(post.day))].append(post)
    found: list[Violation] = []
    order = [p.key for p in config.phases]
    for (audience, month), group in sorted(groups.items()):
        group.sort(key=lambda p: (p.start, p.id))
        ranks = [order.index(p.phase) for p in group if p.phase in order]
        ids = tuple(p.id for p in group)
        if ranks != sorted(ranks):
            found.append(
                Violation(
                    F.PHASE_ORDER,
                    f"{audience}, mois {month} : phases dans le "
                    f"désordre ({', '.join(p.phase for p in group)})",
                    ids,
                )
            )
        active = [s.phase for s in active_stages(config, audience, month)]
        missing = [p for p in active if p not in {q.phase for q in group}]
        required = config.journeys[audience].phase_coverage == "required"
        if missing and (len(group) >= len(active) or required):
            found.append(
                Violation(
                    F.PHASE_COVERAGE,
                    f"{audience}, mois {month} : "
                    f"{len(group)} posts mais aucune phase "
                    f"{', '.join(missing)}",
                    ids,
                )
            )
    return found


def _pool(config: Config, item: Item) -> tuple[tuple[str, ...], int]:
    """The message list an item draws from: its key and its length."""
    channel = config.channels[item.channel]
    if item.kind == "live" and channel.lives is not None:
        spec = channel.lives.formats.get(item.content_type)
        return ("live", item.channel, item.content_type), len(spec.messages) if spec else 0
    if channel.types is not None:
        kind = channel.types.get(item.content_type)
        return ("type", item.channel, item.content_type), len(kind.messages) if kind else 0
    journey = config.journeys.get(item.audience)
    stage = next((s for s in journey.stages if s.phase == item.phase), None) if journey else None
    return ("stage", item.audience, item.phase), len(stage.messages) if stage else 0


def _rotation(config: Config, active: list[Item]) -> list[Violation]:
    sequences: dict[tuple[str, ...], list[Item]] = defaultdict(list)
    sizes: dict[tuple[str, ...], int] = {}
    for item in active:
        if item.kind == "task" or item.channel not in config.channels:
            continue
        key, size = _pool(config, item)
        sequences[key].append(item)
        sizes[key] = size
    found: list[Violation] = []
    for key, sequence in sequences.items():
        if sizes[key] < 2:
            continue
        for before, after in pairwise(sequence):
            if before.message == after.message:
                found.append(
                    Violation(
                        F.MESSAGE_ROTATION,
                        f"« {after.message} » deux fois de suite",
                        (before.id, after.id),
                    )
                )
    return found


def _lives(calendar: Calendar, lives: list[Item]) -> list[Violation]:
    config = calendar.config
    found: list[Violation] = []
    for key, channel in config.channels.items():
        rules = channel.lives
        mine = [i for i in lives if i.channel == key]
        if rules is None:
            found += [
                Violation(F.LIVE_WINDOW, "live sur un canal sans lives", (i.id,)) for i in mine
            ]
            continue
        for year, month in calendar.horizon.months():
            group = [i for i in mine if (i.day.year, i.day.month) == (year, month)]
            possible = [
                d
                for d in calendar.horizon.days()
                if (d.year, d.month) == (year, month) and calendar.is_open(key, d, rules.days)
            ]
            wanted = calendar.lives_wanted(key, year, month)
            if (possible or group) and len(group) != wanted:
                found.append(
                    Violation(
                        F.LIVES_PER_MONTH,
                        f"{len(group)} live(s) en {month_title(year, month)}, attendu {wanted}",
                        tuple(i.id for i in group),
                    )
                )
        for before, after in pairwise(mine):
            gap = (after.day - before.day).days
            if gap < max(rules.min_gap_days, 1):
                found.append(
                    Violation(
                        F.LIVE_SPACING,
                        f"{gap} jour(s) entre deux lives (minimum {rules.min_gap_days})",
                        (before.id, after.id),
                    )
                )
            if rules.no_repeat_format and before.content_type == after.content_type:
                found.append(
                    Violation(
                        F.LIVE_ROTATION,
                        f"deux lives « {after.format} » de suite",
                        (before.id, after.id),
                    )
                )
    return found


def _confidential(config: Config, items: list[Item]) -> list[Violation]:
    patterns = compile_patterns(config)
    found: list[Violation] = []
    for item in items:
        for field in EXPORTED_FIELDS:
            for leak in find_leaks(patterns, str(getattr(item, field))):
                found.append(
                    Violation(
                        F.CONFIDENTIALITY,
                        f"« {leak.excerpt} » ({leak.label}) dans le champ {field}",
                        (item.id,),
                    )
                )
    return found
