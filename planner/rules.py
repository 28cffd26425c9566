"""What the config means for one campaign month: who is targeted, which phases are open or
in focus, the exact audience and phase shares, each post's best days and hours.

Shares are exact fractions: a third stays a third, so floor and ceil of `share × N` never
depend on a rounding. The checker computes the same quantities on its own, and tests pin
both with hand-computed values (tests/test_rule_tables.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from planner.config.model import OTHERS, Audience, Config, Stage, Window


def metric_holds(config: Config, audience: Audience) -> bool:
    rule = audience.eligible
    if rule.metric is None or rule.above is None:
        return True
    return config.metrics.get(rule.metric, 0.0) > rule.above


def eligible(config: Config, audience: str, month: int) -> bool:
    """Eligible by its own rule (entry month, metric), regardless of journey phases."""
    spec = config.audiences[audience]
    return month >= spec.eligible.from_month and metric_holds(config, spec)


def open_stages(config: Config, audience: str, month: int) -> list[Stage]:
    """Phases opened by this month: a phase opens in its window's first month and stays."""
    journey = config.journeys.get(audience)
    if journey is None:
        return []
    return [s for s in journey.stages if s.months.start <= month]


def present(config: Config, audience: str, month: int) -> bool:
    """Can be addressed this month: eligible and with at least one open phase."""
    return eligible(config, audience, month) and bool(open_stages(config, audience, month))


def steady(config: Config, month: int) -> bool:
    """From `phase_mix.from_month` on, phases follow the steady mix instead of a focus."""
    return config.phase_mix is not None and month >= config.phase_mix.from_month


def focus_stages(config: Config, audience: str, month: int) -> list[Stage]:
    """The open phases whose window holds the month, before the steady mix takes over."""
    if steady(config, month):
        return []
    return [s for s in open_stages(config, audience, month) if s.months.holds(month)]


def stage_of(config: Config, audience: str, phase: str) -> Stage | None:
    journey = config.journeys.get(audience)
    if journey is None:
        return None
    return next((s for s in journey.stages if s.phase == phase), None)


def phase_shares(config: Config, audience: str, month: int) -> dict[str, Fraction]:
    """Steady shares over the phases open that month (equal when all are 0); empty without
    a phase mix."""
    journey = config.journeys.get(audience)
    written = journey.phase_mix if journey is not None else None
    if written is None:
        written = config.phase_mix.shares if config.phase_mix is not None else None
    if written is None:
        return {}
    phases = [s.phase for s in open_stages(config, audience, month)]
    total = sum(written.get(p, 0) for p in phases)
    if not phases:
        return {}
    if total == 0:
        return {p: Fraction(1, len(phases)) for p in phases}
    return {p: Fraction(written.get(p, 0), total) for p in phases}


def count_bounds(share: Fraction, total: int) -> tuple[int, int]:
    """floor and ceil of share × total, exactly."""
    exact = share * total
    low = exact.numerator // exact.denominator
    return low, -(-exact.numerator // exact.denominator)


@dataclass(frozen=True)
class MixTarget:
    """Effective audience shares of one editorial channel in one campaign month."""

    channel: str
    month: int
    row_label: str
    carried_over: bool
    written: dict[str, int]
    shares: dict[str, Fraction]
    notes: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    """Notes about shares that went to another audience (warnings on screen too)."""

    def percent(self, audience: str) -> float:
        return float(self.shares.get(audience, 0) * 100)


def channel_audiences(config: Config, channel: str) -> list[str]:
    mix = config.mix[channel]
    found: list[str] = []
    for row in mix.rows:
        found += [a for a in row.shares if a != OTHERS and a not in found]
    return found + [a for a in mix.others if a not in found]


def mix_target(config: Config, channel: str, month: int) -> MixTarget:
    """Shares of docs/rules.md: absent audiences and an unused `others` feed a pool that
    goes to the present audiences in proportion to their share."""
    mix = config.mix[channel]
    row, carried = mix.row_for(month)
    label = row.label or ", ".join(map(str, row.months))
    notes: list[str] = []
    moved: list[str] = []
    if carried:
        notes.append(f"mois {month} au-delà du tableau : la ligne « {label} » est reprise")
    raw: dict[str, Fraction] = {}
    pool = Fraction(0)
    for audience, share in row.shares.items():
        if audience == OTHERS:
            continue
        if present(config, audience, month):
            raw[audience] = Fraction(share)
        elif share > 0:
            pool += share
            moved.append(
                f"{config.audiences[audience].short} pas encore ciblable au mois {month} : "
                f"ses {share} % sont redistribués"
            )
    others_share = row.shares.get(OTHERS, 0)
    others = [a for a in mix.others if present(config, a, month)]
    if others:
        for audience in others:
            raw[audience] = raw.get(audience, Fraction(0)) + Fraction(others_share, len(others))
        if others_share:
            names = ", ".join(config.audiences[a].short for a in others)
            notes.append(f"part « autres » ({others_share} %) répartie à parts égales : {names}")
    elif others_share > 0:
        pool += others_share
        moved.append(
            f"part « autres » ({others_share} %) redistribuée au mois {month} : aucune "
            f"audience ciblable parmi {', '.join(mix.others) or 'les autres'}"
        )
    positive = {a: v for a, v in raw.items() if v > 0}
    if pool and positive:
        total = sum(positive.values())
        raw = {a: v + pool * v / total if a in positive else v for a, v in raw.items()}
    elif pool and raw:
        raw = {a: pool / len(raw) for a in raw}
    total = sum(raw.values())
    shares = {a: v / total for a, v in raw.items()} if total else {a: Fraction(0) for a in raw}
    return MixTarget(channel, month, label, carried, dict(row.shares), shares, notes, moved)


def best_days(
    config: Config, channel: str, audience: str, phase: str, day: date, moments: list[date]
) -> list[date] | list[int]:
    """Near a key moment (a list of dates) when the phase is drawn to them and the month has
    one; else the phase's timing days, else the audience's best days (weekdays)."""
    stage = stage_of(config, audience, phase)
    if stage is not None and stage.near_key_moments and moments:
        reach = config.calendar.key_moment_days
        return sorted(
            {date.fromordinal(m.toordinal() + k) for m in moments for k in range(-reach, reach + 1)}
        )
    if stage is not None and stage.timing_days is not None:
        return list(stage.timing_days)
    return list(config.audiences[audience].best_days)


def on_best_day(best: list[date] | list[int], day: date) -> bool:
    """Whether a day is among `best_days` (dates near key moments, or weekdays)."""
    if not best:
        return True
    if isinstance(best[0], date):
        return day in best
    return day.weekday() in best


def best_hours(config: Config, audience: str, phase: str) -> Window | None:
    stage = stage_of(config, audience, phase)
    if stage is not None and stage.timing_hours is not None:
        return stage.timing_hours
    return config.audiences[audience].best_hours


BRIEF_PREFIX = "À rédiger : "


@dataclass(frozen=True)
class Pool:
    """The key messages and briefs a journey phase offers, with their monthly limits."""

    messages: tuple[str, ...]
    briefs: tuple[str, ...]

    @property
    def entries(self) -> tuple[str, ...]:
        return self.messages + self.briefs

    def limit(self, text: str) -> int:
        """How many times a month one audience may receive this text."""
        return 1 if text in self.briefs else 2

    @property
    def capacity(self) -> int:
        return 2 * len(self.messages) + len(self.briefs)


def stage_pool(stage: Stage) -> Pool:
    return Pool(tuple(stage.messages), tuple(stage.briefs))
