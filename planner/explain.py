"""`planner explain ID`: one item in full — the rules it satisfies, the preferences it meets
or misses, and what moving it would cost.

Moving is judged without the solver: each nearby slot is tried on a copy of the plan, the
solver-free checker says which hard rules would break, the solver-free scorer says how many
preference points would be won or lost. The cheapest slot that breaks no hard rule is the
next-best slot.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from pathlib import Path

from planner.calendar import Calendar, Horizon
from planner.checks import check_plan, newly_broken
from planner.config.loading import LoadedConfig
from planner.config.model import Config
from planner.coverage import Coverage
from planner.errors import InputError
from planner.families import F, name
from planner.items import Item
from planner.labels import STATUS_LABELS
from planner.scoring import Miss, score_plan, totals
from planner.solver.options import live_start_times, preferred_times
from planner.spreadsheet import read_table
from planner.store.database import STORE_NAME, connect
from planner.store.edits import read_items
from planner.store.records import Records
from planner.weekdays import dated
from planner.why import ActiveItems, miss_reason

NEIGHBOURHOOD_DAYS = 14

RULES_BY_KIND: dict[str, tuple[F, ...]] = {
    "editorial": (F.PUBLISHING_DAYS, F.VALID_TIMES, F.DAILY_CAP, F.WEEKLY_BAND, F.AUDIENCE_MIX,
                  F.ELIGIBILITY, F.PHASE_WINDOW, F.PHASE_FOCUS, F.PHASE_MIX,
                  F.MESSAGE_ROTATION, F.CONTROL_POINTS, F.LIVE_SEQUENCE, F.CAMPAIGNS,
                  F.CONFIDENTIALITY),
    "community": (F.PUBLISHING_DAYS, F.VALID_TIMES, F.DAILY_CAP, F.WEEKLY_BAND,
                  F.COMMUNITY_CONTENT, F.MESSAGE_ROTATION, F.CONTROL_POINTS, F.LIVE_SEQUENCE,
                  F.RITUALS, F.CAMPAIGNS, F.CONFIDENTIALITY),
    "live": (F.PUBLISHING_DAYS, F.LIVE_WINDOW, F.VALID_TIMES, F.LIVES_PER_MONTH,
             F.LIVE_SPACING, F.LIVE_ROTATION, F.LIVE_PREPARATION, F.LIVE_SEQUENCE,
             F.MESSAGE_ROTATION, F.CONTROL_POINTS, F.CONFIDENTIALITY),
    "task": (F.LIVE_PREPARATION, F.LIVE_SEQUENCE, F.RITUALS, F.CAMPAIGNS, F.VALID_TIMES,
             F.CONFIDENTIALITY),
}  # fmt: skip
PREFERENCES_BY_KIND: dict[str, tuple[F, ...]] = {
    "editorial": (F.BEST_SLOT, F.WEEKLY_TARGET, F.MIX_CLOSENESS, F.OPEN_PHASES),
    "community": (F.DAY_RHYTHM, F.TYPE_TARGETS, F.WEEKLY_TARGET),
    "live": (F.LIVE_VARIETY, F.LIVE_SPREAD, F.OPTIONAL_STEPS),
    "task": (),
}
FOLLOWERS = (F.LIVE_PREPARATION, F.LIVE_SEQUENCE)
"""A live's tasks and steps move with it: moving a live is not judged on them."""


@dataclass
class Alternative:
    start: datetime
    broken: list[F] = field(default_factory=list)
    delta: Fraction = Fraction(0)
    changes: dict[F, Fraction] = field(default_factory=dict)


@dataclass
class Explanation:
    item: Item
    rules: list[tuple[F, bool]]
    missed: list[tuple[Miss, str]]
    met: list[F]
    tried: list[Alternative]

    @property
    def best(self) -> Alternative | None:
        possible = [a for a in self.tried if not a.broken]
        return min(possible, key=lambda a: (a.delta, abs(a.start - self.item.start)), default=None)


def find_item(items: list[Item], item_id: str) -> Item:
    found = next((i for i in items if i.id == item_id), None)
    if found is None:
        close = difflib.get_close_matches(item_id, [i.id for i in items], n=3)
        hint = f" Identifiants proches : {', '.join(close)}." if close else ""
        raise InputError(f"Aucun élément « {item_id} » dans ce plan.{hint}")
    return found


def kind_of(config: Config, item: Item) -> str:
    if item.kind != "post":
        return item.kind
    return "editorial" if config.channels[item.channel].planning == "audiences" else "community"


def explain_item(
    loaded: LoadedConfig, item_id: str, plan_file: Path | None, out: Path
) -> list[str]:
    """`planner explain`: the item from a plan file, or from the store's current plan."""
    config = loaded.config
    store = out / STORE_NAME
    items: list[Item] = []
    coverage = Coverage()
    if plan_file is not None:
        items = read_items(read_table(plan_file), config)
    if store.is_file():
        records = Records(connect(store, create=False), store)
        state = records.current()
        coverage = records.coverage()
        records.db.close()
        mine = {i.id for i in items}
        items += [s.item for k, s in state.items() if k not in mine]
    elif plan_file is None:
        raise InputError(f"Aucun plan dans {out} : donnez --plan ou --out.")
    item = find_item(items, item_id)
    if not coverage.spans:
        months = Horizon.month(item.day.year, item.day.month)
        coverage = Coverage.of([(months.start, months.end)])
    horizon = Horizon.month(item.day.year, item.day.month)
    calendar = Calendar(config, horizon, None, coverage)
    return render_explanation(explain(calendar, items, item_id))


def explain(calendar: Calendar, items: list[Item], item_id: str) -> Explanation:
    item = find_item(items, item_id)
    config = calendar.config
    kind = kind_of(config, item)
    local = _local(calendar, item)
    nearby = [i for i in items if local.horizon.contains(i.day)]
    violations = check_plan(config, items, local.coverage)
    rules = [
        (f, not any(v.family == f and item.id in v.items for v in violations))
        for f in RULES_BY_KIND[kind]
    ]
    misses = score_plan(local, nearby, [i for i in items if i not in nearby])
    mine = [m for m in misses if item.id in m.items]
    index = ActiveItems(nearby)
    missed = [(m, miss_reason(local, index, m)) for m in mine]
    met = [f for f in PREFERENCES_BY_KIND[kind] if not any(m.family == f for m in mine)]
    tried = [] if kind == "task" or not item.active else _alternatives(local, nearby, item)
    return Explanation(item, rules, missed, met, tried)


def _local(calendar: Calendar, item: Item) -> Calendar:
    """The whole months around the item: enough for every rule that could be affected."""
    first = max(item.day - timedelta(NEIGHBOURHOOD_DAYS), calendar.horizon.start)
    last = min(item.day + timedelta(NEIGHBOURHOOD_DAYS), calendar.horizon.end)
    start = max(date(first.year, first.month, 1), calendar.horizon.start)
    end = min(Horizon.month(last.year, last.month).end, calendar.horizon.end)
    return Calendar(calendar.config, Horizon(start, end), None, calendar.coverage)


def _slots(calendar: Calendar, item: Item) -> list[tuple[date, time]]:
    config = calendar.config
    channel = config.channels[item.channel]
    days = [d for d in calendar.horizon.days() if abs((d - item.day).days) <= NEIGHBOURHOOD_DAYS]
    if item.kind == "live":
        assert channel.lives is not None
        minutes = channel.lives.formats[item.content_type].duration_minutes
        times = live_start_times(channel.lives, minutes)[:1]
    elif channel.planning == "audiences":
        times = preferred_times(config, channel, item.audience, item.phase)[: channel.per_day_max]
    else:
        times = list(channel.times)[: channel.per_day_max]
    return [(d, t) for d in days for t in times if (d, t) != (item.day, item.start.time())]


def _alternatives(calendar: Calendar, items: list[Item], item: Item) -> list[Alternative]:
    config = calendar.config
    baseline = check_plan(config, items, calendar.coverage)
    before = totals(score_plan(calendar, items))
    ignore = FOLLOWERS if item.kind == "live" else ()
    tried: list[Alternative] = []
    for day, moment in _slots(calendar, item):
        slot = calendar.slot(day, moment, int((item.end - item.start).total_seconds() // 60))
        if slot is None:
            continue
        moved = _moved(calendar, items, item, slot[0], slot[1])
        broken = newly_broken(config, calendar.coverage, baseline, moved, ignore)
        after = totals(score_plan(calendar, moved))
        changes = {
            f: after.get(f, Fraction(0)) - before.get(f, Fraction(0))
            for f in set(after) | set(before)
        }
        changes = {f: v for f, v in changes.items() if v}
        tried.append(Alternative(slot[0], broken, sum(changes.values(), Fraction(0)), changes))
    return tried


def _moved(
    calendar: Calendar, items: list[Item], item: Item, start: datetime, end: datetime
) -> list[Item]:
    """The plan with the item at another slot."""
    return [other.with_(start=start, end=end) if other.id == item.id else other for other in items]


def render_explanation(explanation: Explanation) -> list[str]:
    item = explanation.item
    lines = [
        f"{item.id} — {item.title}",
        f"  {dated(item.start)} · statut {STATUS_LABELS[item.status]}",
        f"  Pourquoi ici : {item.why or '—'}",
        "",
        "Règles dures :",
        *[f"  {'✓' if ok else '✗'} {name(f)}" for f, ok in explanation.rules],
        "",
        "Préférences :",
        *[f"  ✓ {name(f)}" for f in explanation.met],
        *[
            f"  ✗ {name(m.family)} : {m.what} (−{float(m.points):g} points) — {reason}"
            for m, reason in explanation.missed
        ],
        "",
    ]
    if item.kind == "task":
        return [*lines, "Le déplacer : une tâche de préparation suit son live (veille ouvrée)."]
    if not explanation.tried:
        return [*lines, "Le déplacer : aucun autre créneau à essayer."]
    best = explanation.best
    if best is None:
        lines.append("Le déplacer : aucun créneau proche ne respecte toutes les règles dures.")
    else:
        detail = ", ".join(f"{name(f)} {float(v):+g}" for f, v in sorted(best.changes.items()))
        lines.append(
            f"Le déplacer : prochain meilleur créneau {dated(best.start)}, "
            f"{float(best.delta):+g} points" + (f" ({detail})" if detail else "")
        )
    blocked = Counter(f for a in explanation.tried for f in a.broken)
    if blocked:
        lines.append(
            f"  Sur {len(explanation.tried)} créneaux essayés à ±{NEIGHBOURHOOD_DAYS} "
            "jours, règles dures qui en empêchent :"
        )
        lines += [f"    {name(f)} : {n}" for f, n in blocked.most_common()]
    return lines
