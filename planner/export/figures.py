"""The figures both reports show, computed once so that `report.md` and `report.html`
always print the same numbers: channel totals, per-month audience mix, journey phases,
weekly counts against the band, lives, and preference misses with their reasons.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from planner.families import F
from planner.items import Item
from planner.planning import Plan
from planner.rules import (
    MixTarget,
    channel_audiences,
    count_bounds,
    mix_target,
    open_stages,
    present,
)
from planner.why import miss_reason


def kind_counts(plan: Plan, active: list[Item]) -> dict[str, Counter[str]]:
    """Posts, lives and tasks per channel (config order)."""
    return {
        key: Counter(i.kind for i in active if i.channel == key)
        for key in plan.loaded.config.channels
    }


def month_days(plan: Plan, year: int, month: int) -> list[date]:
    """The horizon's days in that calendar month."""
    return [d for d in plan.horizon.days() if (d.year, d.month) == (year, month)]


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
    """The audience mix of each audience-planned channel over `days` (one month)."""
    config = plan.loaded.config
    campaign = plan.calendar.campaign_month(days[0])
    tables: list[MixTable] = []
    for key, channel in config.channels.items():
        if channel.planning != "audiences":
            continue
        posts = [i for i in active if i.channel == key and i.kind == "post" and i.day in days]
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


def phase_counts(posts: list[Item]) -> dict[str, Counter[str]]:
    """Posts per phase (in order of appearance) for each audience (sorted by key)."""
    return {
        audience: Counter(p.phase for p in posts if p.audience == audience)
        for audience in sorted({p.audience for p in posts})
    }


@dataclass(frozen=True)
class PhaseSpan:
    """One audience × phase over the horizon's months: active that month? how many posts?"""

    audience: str
    phase: str
    active: list[bool]
    counts: list[int]


def phase_timeline(
    plan: Plan, months: list[tuple[int, int]], tables: list[list[MixTable]]
) -> list[PhaseSpan]:
    """Rows for every audience × phase that is active in a month (audience present, phase
    in its journey window) or has posts, with `tables[n]` the mix tables of `months[n]`."""
    config = plan.loaded.config
    audiences: list[str] = []
    for key, channel in config.channels.items():
        if channel.planning == "audiences":
            audiences += [a for a in channel_audiences(config, key) if a not in audiences]
    counts = [
        Counter((p.audience, p.phase) for table in month for p in table.posts) for month in tables
    ]
    campaign = [plan.calendar.campaign_month(date(y, m, 1)) for y, m in months]
    spans: list[PhaseSpan] = []
    for audience in audiences:
        windows = [
            {s.phase for s in open_stages(config, audience, n)}
            if present(config, audience, n)
            else set()
            for n in campaign
        ]
        for phase in (p.key for p in config.phases):
            active = [phase in window for window in windows]
            found = [month[audience, phase] for month in counts]
            if any(active) or any(found):
                spans.append(PhaseSpan(audience, phase, active, found))
    return spans


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
    """Every week touching `days` in which some channel has covered days."""
    config = plan.loaded.config
    calendar = plan.calendar
    rows: list[WeekRow] = []
    for monday in sorted({d - timedelta(d.weekday()) for d in days}):
        bands = {key: calendar.band(key, monday) for key in config.channels}
        if not any(band.applies for band in bands.values()):
            continue
        cells: dict[str, WeekCell] = {}
        for key, band in bands.items():
            covered = set(band.covered)
            count = sum(
                1 for i in active if i.kind == "post" and i.channel == key and i.day in covered
            )
            closed = not count and not band.open
            cells[key] = WeekCell(count, band.low, band.high, band.target, closed)
        rows.append(WeekRow(monday, cells))
    return rows


def month_lives(active: list[Item], days: list[date]) -> list[Item]:
    return [i for i in active if i.kind == "live" and i.day in days]


def minutes(item: Item) -> int:
    return (item.end - item.start).seconds // 60


@dataclass(frozen=True)
class MissLine:
    family: F
    what: str
    points: Fraction
    reason: str
    items: tuple[str, ...]


def miss_lines(plan: Plan, active: list[Item]) -> list[MissLine]:
    """Each missed preference with the rule that won over it (`planner.why`)."""
    return [
        MissLine(m.family, m.what, m.points, miss_reason(plan.calendar, active, m), m.items)
        for m in plan.misses
    ]
