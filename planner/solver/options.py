"""Candidate placements, with eligibility precomputed instead of constrained.

An option is one possible item: a channel, a day, a start time and a subject (the audience
of an editorial post, the type of a community post, the format of a live). Options exist
only on open days, at valid local times, for audiences present that month, so the model
never carries a variable that a hard rule would force to zero.

Times: with at most c items a day on a channel, each subject keeps only its c preferred
times (best-hour window first, then the rest in config order). Any c items of a day can
still get distinct times (each has c choices), and a best time is never lost, so the
reduction is exact while cutting 15-minute grids down to a handful of variables.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from planner.calendar import Calendar
from planner.config.model import Channel, Config, LiveRules
from planner.items import Item
from planner.rules import channel_audiences, mix_target, present


@dataclass(frozen=True, order=True)
class Option:
    day: date
    time: time
    channel: str
    kind: str
    subject: str


def subject_of(config: Config, item: Item) -> str:
    """The subject an item occupies in the model: audience, community type or live format."""
    if item.kind == "post" and config.channels[item.channel].planning == "audiences":
        return item.audience
    return item.content_type


@dataclass(frozen=True)
class Scope:
    """An independent part of the problem, solved on its own.

    Editorial channels are tied across the horizon (monthly mix, weeks that straddle
    months); lives are tied by spacing and rotation; community posts only by weekly rules,
    so each week is its own part. Solving parts separately gives the same optimum (the
    objective is a sum over parts) and keeps each proof small.
    """

    part: str
    channels: tuple[str, ...]
    first: date
    last: date

    def label(self, config: Config) -> str:
        names = ", ".join(config.channels[k].label for k in self.channels)
        if self.part == "community":
            return f"{names}, semaine du {self.first:%d/%m/%Y}"
        if self.part == "lives":
            return f"lives {names}"
        return names

    def holds(self, channel: str, kind: str, day: date) -> bool:
        return (
            channel in self.channels
            and self.first <= day <= self.last
            and (kind == "live") == (self.part == "lives")
        )


def scopes(calendar: Calendar) -> list[Scope]:
    config = calendar.config
    horizon = calendar.horizon
    found: list[Scope] = []
    editorial = tuple(k for k, c in config.channels.items() if c.planning == "audiences")
    if editorial:
        found.append(Scope("editorial", editorial, horizon.start, horizon.end))
    for key, channel in config.channels.items():
        if channel.planning == "types":
            for monday in horizon.weeks():
                first = max(monday, horizon.start)
                last = min(monday + timedelta(6), horizon.end)
                found.append(Scope("community", (key,), first, last))
        if channel.lives is not None:
            found.append(Scope("lives", (key,), horizon.start, horizon.end))
    return found


def build_options(
    calendar: Calendar, scope: Scope, pinned: Iterable[Option] = (), zero_shares: bool = False
) -> list[Option]:
    """The scope's options; `pinned` options (items of a previous plan) are kept too when the
    rules allow them, even if they are not among the preferred times. `zero_shares` adds
    audiences whose mix share is 0, so that diagnosis can name the mix rule that excludes
    them.

    Only the scope's days are visited (a community week must not pay for the whole year),
    and times are checked lazily: once `count` usable ones are found, the rest of a 15-minute
    grid is only looked at if a pinned option may be among them."""
    wanted = set(pinned)
    pinned_at = {(o.day, o.channel, o.kind, o.subject) for o in wanted}
    span = [scope.first + timedelta(n) for n in range((scope.last - scope.first).days + 1)]
    options: list[Option] = []
    for key in scope.channels:
        channel = calendar.config.channels[key]
        if scope.part == "editorial":
            days = [d for d in span if calendar.is_open(key, d)]
            candidates = _editorial(calendar, key, channel, days, zero_shares)
        elif scope.part == "community":
            days = [d for d in span if calendar.is_open(key, d)]
            candidates = _community(calendar, key, channel, days)
        elif channel.lives is not None:
            days = [d for d in span if calendar.is_open(key, d, channel.lives.days)]
            candidates = _lives(calendar, key, channel.lives, days)
        else:
            continue
        for kind, day, subject, times, minutes, count in candidates:
            search_all = (day, key, kind, subject) in pinned_at
            rank = 0
            for moment in times:
                if rank >= count and not search_all:
                    break
                if not _usable(calendar, day, moment, minutes):
                    continue
                option = Option(day, moment, key, kind, subject)
                if rank < count or option in wanted:
                    options.append(option)
                rank += 1
    return sorted(options)


def _usable(calendar: Calendar, day: date, moment: time, minutes: int) -> bool:
    slot = calendar.slot(day, moment, minutes)
    return slot is not None and (calendar.earliest is None or slot[0] >= calendar.earliest)


Candidate = tuple[str, date, str, list[time], int, int]
"""(kind, day, subject, valid times in order of preference, minutes, how many to keep)."""


def preferred_times(config: Config, channel: Channel, audience: str | None) -> list[time]:
    window = config.audiences[audience].best_hours if audience else None
    if window is None:
        return list(channel.times)
    inside = [t for t in channel.times if window.holds(t)]
    return inside + [t for t in channel.times if not window.holds(t)]


def _editorial(
    calendar: Calendar, key: str, channel: Channel, days: list[date], zero_shares: bool
) -> Iterator[Candidate]:
    config = calendar.config
    times = {a: preferred_times(config, channel, a) for a in channel_audiences(config, key)}
    targeted: dict[int, list[str]] = {}
    for day in days:
        month = calendar.campaign_month(day)
        if month < 1:
            continue
        if month not in targeted:
            shares = mix_target(config, key, month).shares
            targeted[month] = [
                a for a in times if present(config, a, month) and (zero_shares or shares.get(a, 0))
            ]
        for audience in targeted[month]:
            yield (
                "post",
                day,
                audience,
                times[audience],
                channel.duration_minutes,
                channel.per_day_max,
            )


def _community(
    calendar: Calendar, key: str, channel: Channel, days: list[date]
) -> Iterator[Candidate]:
    times = list(channel.times)
    for day in days:
        if calendar.campaign_month(day) < 1:
            continue
        for kind in channel.types or {}:
            yield "post", day, kind, times, channel.duration_minutes, channel.per_day_max


def live_start_times(lives: LiveRules, minutes: int) -> list[time]:
    """Start times on the window's grid at which a live of that length ends in the window."""
    start = datetime.combine(date.min, lives.window.start)
    end = datetime.combine(date.min, lives.window.end)
    found: list[time] = []
    moment = start
    while moment + timedelta(minutes=minutes) <= end:
        found.append(moment.time())
        moment += timedelta(minutes=lives.start_every_minutes)
    return found


def _lives(calendar: Calendar, key: str, lives: LiveRules, days: list[date]) -> Iterator[Candidate]:
    starts = {
        f: live_start_times(lives, spec.duration_minutes) for f, spec in lives.formats.items()
    }
    for day in days:
        if calendar.campaign_month(day) < 1:
            continue
        for fmt, spec in lives.formats.items():
            yield "live", day, fmt, starts[fmt], spec.duration_minutes, 1
