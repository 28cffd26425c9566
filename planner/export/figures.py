"""The figures both reports show, computed once so that `report.md` and `report.html`
always print the same numbers: channel totals, per-month audience mix, journey phases,
weekly counts against the band, lives with their sequence, what each item is, and
preference misses with their reasons.

Counts follow docs/rules.md: a week or a month counts the posts of its covered days, so the
items of other periods (`plan.context`, from the plan store) count too when a week
straddles two months.
"""

from __future__ import annotations

import calendar as stdcal
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Literal

from planner.config.model import Campaign, Config
from planner.families import F
from planner.items import Item
from planner.planning import Plan
from planner.rules import (
    MixTarget,
    channel_audiences,
    count_bounds,
    focus_stages,
    mix_target,
    open_stages,
    present,
    steady,
)
from planner.why import ActiveItems, miss_reason


def kind_counts(plan: Plan, active: list[Item]) -> dict[str, Counter[str]]:
    """Posts, lives and tasks per channel (config order)."""
    return {
        key: Counter(i.kind for i in active if i.channel == key)
        for key in plan.loaded.config.channels
    }


def month_days(plan: Plan, year: int, month: int) -> list[date]:
    """The covered days of that calendar month: this plan's and earlier plans'."""
    last = stdcal.monthrange(year, month)[1]
    days = (date(year, month, d) for d in range(1, last + 1))
    return [d for d in days if plan.calendar.covered(d)]


def counted(plan: Plan, active: list[Item]) -> list[Item]:
    """The plan's active items and the active items of other periods, which count on the
    covered days they fall on (a week that straddles two months)."""
    mine = {i.id for i in active}
    return [*active, *(i for i in plan.context if i.active and i.id not in mine)]


@dataclass(frozen=True)
class MixLine:
    """One audience of one month: target share, posts, and the floor–ceil count allowed."""

    audience: str
    share: Fraction
    """Target share, exact."""

    @property
    def percent(self) -> str:
        return f"{float(self.share * 100):.4g}"

    count: int
    low: int
    high: int
    total: int

    @property
    def achieved(self) -> float:
        return self.count / self.total if self.total else 0.0


@dataclass(frozen=True)
class MixTable:
    channel: str
    target: MixTarget
    posts: list[Item]
    lines: list[MixLine]


def mix_tables(plan: Plan, active: list[Item], days: list[date]) -> list[MixTable]:
    """The audience mix of each audience-planned channel over `days` (the covered days of
    one month), counting the posts of other periods that fall on them."""
    config = plan.loaded.config
    campaign = plan.calendar.campaign_month(days[0])
    covered = set(days)
    month = [i for i in counted(plan, active) if i.kind == "post" and i.day in covered]
    tables: list[MixTable] = []
    for key, channel in config.channels.items():
        if channel.planning != "audiences":
            continue
        posts = [i for i in month if i.channel == key]
        target = mix_target(config, key, campaign)
        lines: list[MixLine] = []
        for audience in channel_audiences(config, key):
            share = target.shares.get(audience, Fraction(0))
            count = sum(1 for p in posts if p.audience == audience)
            if share or count:
                low, high = count_bounds(share, len(posts))
                lines.append(MixLine(audience, share, count, low, high, len(posts)))
        tables.append(MixTable(key, target, posts, lines))
    return tables


PhaseState = Literal["focus", "open", "closed"]
PHASE_STATES: dict[PhaseState, str] = {
    "focus": "au premier plan",
    "open": "ouverte",
    "closed": "pas ouverte",
}
"""How the report names a phase's state in a month (docs/rules.md, « Phases »)."""


@dataclass(frozen=True)
class PhaseCell:
    """One audience × phase in one month: its state and its journey posts."""

    state: PhaseState
    count: int


@dataclass(frozen=True)
class PhaseSpan:
    """One audience × phase over the report's months."""

    audience: str
    phase: str
    cells: list[PhaseCell]


def journey_post(item: Item) -> bool:
    """Phase rules count journey posts only: a live's sequence or a campaign step carries
    the phase its step sets (it counts in the audience mix, not in the phases)."""
    return item.kind == "post" and not item.parent


def phase_timeline(
    plan: Plan, months: list[tuple[int, int]], tables: list[list[MixTable]]
) -> list[PhaseSpan]:
    """Rows for every audience × phase that is open in a month (audience targetable, phase
    opened by its window) or has journey posts, with `tables[n]` the mix tables of
    `months[n]`."""
    config = plan.loaded.config
    audiences: list[str] = []
    for key, channel in config.channels.items():
        if channel.planning == "audiences":
            audiences += [a for a in channel_audiences(config, key) if a not in audiences]
    counts = [
        Counter((p.audience, p.phase) for table in month for p in table.posts if journey_post(p))
        for month in tables
    ]
    campaign = [plan.calendar.campaign_month(date(y, m, 1)) for y, m in months]
    spans: list[PhaseSpan] = []
    for audience in audiences:
        states: list[dict[str, PhaseState]] = []
        for n in campaign:
            if not present(config, audience, n):
                states.append({})
                continue
            state: dict[str, PhaseState] = {
                s.phase: "open" for s in open_stages(config, audience, n)
            }
            state |= {s.phase: "focus" for s in focus_stages(config, audience, n)}
            states.append(state)
        for phase in (p.key for p in config.phases):
            cells = [
                PhaseCell(state.get(phase, "closed"), month[audience, phase])
                for state, month in zip(states, counts, strict=True)
            ]
            if any(c.state != "closed" or c.count for c in cells):
                spans.append(PhaseSpan(audience, phase, cells))
    return spans


def phase_note(plan: Plan, months: list[tuple[int, int]]) -> str:
    """What the phase states mean, for the months shown."""
    note = (
        "« Au premier plan » : la fenêtre de la phase contient le mois ; ces phases reçoivent "
        "ensemble plus de la moitié des posts du parcours de l'audience. « Ouverte » : la "
        "phase a commencé et le reste. Les posts d'une séquence de live ou d'une campagne "
        "comptent dans le mix d'audience, pas ici."
    )
    config = plan.loaded.config
    campaign = [plan.calendar.campaign_month(date(y, m, 1)) for y, m in months]
    if config.phase_mix is not None and any(steady(config, n) for n in campaign):
        note += (
            f" À partir du mois {config.phase_mix.from_month} de la campagne, aucune phase "
            "n'est au premier plan : chaque phase ouverte reçoit sa part stable des posts."
        )
    return note


@dataclass(frozen=True)
class WeekCell:
    """Posts of one channel in one week against its band (a cut week has a reduced band)."""

    count: int
    low: int
    high: int
    target: int | None
    closed: bool
    """No open day and no post: the band does not apply."""

    @property
    def inside(self) -> bool:
        return self.closed or self.low <= self.count <= self.high


@dataclass(frozen=True)
class WeekRow:
    monday: date
    cells: dict[str, WeekCell]


def week_rows(plan: Plan, active: list[Item], days: list[date]) -> list[WeekRow]:
    """Every week with a publishing day among `days` in which some channel has covered
    days; a week counts the posts of all its covered days, in either month."""
    config = plan.loaded.config
    calendar = plan.calendar
    posts = Counter((i.channel, i.day) for i in counted(plan, active) if i.kind == "post")
    mine = set(days)
    rows: list[WeekRow] = []
    for monday in sorted({d - timedelta(d.weekday()) for d in days}):
        bands = {key: calendar.band(key, monday) for key in config.channels}
        if not any(band.applies and mine & set(band.days) for band in bands.values()):
            continue
        cells: dict[str, WeekCell] = {}
        for key, band in bands.items():
            count = sum(posts[key, day] for day in set(band.covered))
            closed = not count and not band.open
            cells[key] = WeekCell(count, band.low, band.high, band.target, closed)
        rows.append(WeekRow(monday, cells))
    return rows


def minutes(item: Item) -> int:
    return (item.end - item.start).seconds // 60


# --- what each item is --------------------------------------------------------------------


@dataclass(frozen=True)
class Role:
    """What an item is, in the user's words, and what it belongs to."""

    label: str
    """« Question du jour », « Rituel · Membre à l'honneur », « Annonce du live », a format."""
    live: str = ""
    """The id of the live whose sequence it is part of (announcement, reminder…)."""
    campaign: Campaign | None = None
    ritual: bool = False


def role(config: Config, item: Item) -> Role:
    """Recognised from the config, as the planner builds items: `parent` names a campaign
    or a live; a ritual or community type is the item's content type on its channel."""
    channel = config.channels.get(item.channel)
    campaign = next((c for c in config.campaigns if c.key == item.parent), None)
    if campaign is not None:
        step = next((s for s in campaign.steps if s.key == item.content_type), None)
        return Role(step.label if step else item.format, campaign=campaign)
    if item.parent:
        return Role(_step_label(config, item), live=item.parent)
    if channel is None:
        return Role(item.format or item.content_type)
    ritual = channel.rituals.get(item.content_type)
    if ritual is not None:
        return Role(f"Rituel · {ritual.label}", ritual=True)
    spec = (channel.types or {}).get(item.content_type)
    if spec is not None and item.kind == "post":
        return Role(spec.label)
    return Role(item.format or item.content_type)


def _step_label(config: Config, item: Item) -> str:
    for channel in config.channels.values():
        lives = channel.lives
        if lives is None:
            continue
        if item.content_type == "preparation":
            return lives.preparation.label
        step = next((s for s in lives.sequence if s.key == item.content_type), None)
        if step is not None:
            return step.label
    return item.format or item.content_type


@dataclass(frozen=True)
class LiveMark:
    """How a live and its sequence are marked: « L2 » for a live of this plan, its date
    for a live of another period, and a colour number shared by the whole sequence."""

    live: Item
    label: str
    colour: int
    shown: bool
    """The live is a chip of this report (its sequence links to it)."""


def live_marks(plan: Plan, active: list[Item]) -> dict[str, LiveMark]:
    """Every live of the plan, and every live of another period that an item belongs to."""
    config = plan.loaded.config
    lives = {i.id: i for i in [*plan.context, *plan.items] if i.kind == "live"}
    parents = {role(config, i).live for i in plan.items} & set(lives)
    mine = sorted((i for i in active if i.kind == "live"), key=lambda i: (i.start, i.id))
    others = sorted(
        (lives[k] for k in parents - {i.id for i in mine}), key=lambda i: (i.start, i.id)
    )
    marks = {live.id: LiveMark(live, f"L{n}", n - 1, True) for n, live in enumerate(mine, 1)}
    for n, live in enumerate(others, len(mine)):
        marks[live.id] = LiveMark(live, f"L {live.start:%d/%m}", n, False)
    return marks


def sequence_of(active: list[Item], live: str) -> list[Item]:
    """The active items of a live's sequence, in time order."""
    return sorted((i for i in active if i.parent == live), key=lambda i: (i.start, i.id))


def month_lives(active: list[Item], days: list[date]) -> list[Item]:
    return sorted(
        (i for i in active if i.kind == "live" and i.day in days), key=lambda i: (i.start, i.id)
    )


@dataclass(frozen=True)
class MissLine:
    family: F
    what: str
    points: Fraction
    reason: str
    items: tuple[str, ...]


def miss_lines(plan: Plan, active: list[Item]) -> list[MissLine]:
    """Each missed preference with the rule that won over it (`planner.why`)."""
    index = ActiveItems(active)
    return [
        MissLine(m.family, m.what, m.points, miss_reason(plan.calendar, index, m), m.items)
        for m in plan.misses
    ]
