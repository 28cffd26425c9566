"""Candidate placements, with eligibility precomputed instead of constrained.

An option is one possible item: a channel, a day, a start time, for whom (audience and
phase) and what (a community type, a live format, a step of a live's sequence, a ritual, a
campaign step). Options exist only on open days of the scope, at valid local times after
`--now`, for audiences and phases open that month, so the model never carries a variable
that a hard rule would force to zero.

Times: with at most c items a day on a channel, each subject keeps only its c preferred
times (best-hour window first, then the rest in config order). Any c items of a day can
still get distinct times (each has c choices), and a best time is never lost, so the
reduction is exact while cutting 15-minute grids down to a handful of variables. A row's own
time is kept too, and, when the row was typed at a time its channel cannot use, the nearest
one it can: a refused move goes « au plus près ».
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from planner.calendar import Calendar, Horizon, month_title, window_days
from planner.config.model import Channel, Config, LiveRules, SequenceStep
from planner.items import Item
from planner.rules import best_hours, channel_audiences, mix_target, open_stages, present


@dataclass(frozen=True, order=True)
class Option:
    day: date
    time: time
    channel: str
    kind: str
    audience: str
    phase: str
    subject: str
    """'' for a regular journey post; a community type, a live format, or the key of a
    sequence step, ritual or campaign step."""
    link: str = ""
    """'' or what the item belongs to: 'live@skool@2026-03-26' (that day's live),
    'ritual@2026-03' (that month's instance), 'campaign@<key>'."""
    _hash: int = field(init=False, repr=False, compare=False)
    """The fields' hash, computed once: building an agency month looks options up in
    dictionaries 280 000 times, and hashing eight fields each time was 6 % of it."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash(option_key(self)))

    def __hash__(self) -> int:
        return self._hash


def option_key(o: Option) -> tuple[date, time, str, str, str, str, str, str]:
    """An option's fields in order, as one tuple: sorting by it is the dataclass's order
    without a tuple built at each comparison (an agency month sorts 7 000 options)."""
    return (o.day, o.time, o.channel, o.kind, o.audience, o.phase, o.subject, o.link)


def live_link(channel: str, day: date) -> str:
    return f"live@{channel}@{day.isoformat()}"


def ritual_link(year: int, month: int) -> str:
    return f"ritual@{year:04d}-{month:02d}"


def campaign_link(key: str) -> str:
    return f"campaign@{key}"


@dataclass(frozen=True)
class Scope:
    """The days one model places items on (a month, or two around a boundary)."""

    first: date
    last: date

    def days(self) -> list[date]:
        return Horizon(self.first, self.last).days()

    def holds(self, day: date) -> bool:
        return self.first <= day <= self.last

    def placeable(self, calendar: Calendar, day: date) -> bool:
        """A day new items may go on: the model's own days only (a month of a longer
        horizon), after `--now`."""
        return self.holds(day) and calendar.in_scope(day)

    def later(self, calendar: Calendar, day: date) -> bool:
        """A day a later month of the same run places items on (`hard.steps_due`)."""
        return day > self.last and calendar.in_scope(day)

    def label(self) -> str:
        horizon = Horizon(self.first, self.last)
        if horizon.is_month:
            return month_title(self.first.year, self.first.month)
        return f"du {self.first:%d/%m/%Y} au {self.last:%d/%m/%Y}"


def editorial(config: Config, channel: str) -> bool:
    return config.channels[channel].planning == "audiences"


def subject_of(config: Config, item: Item) -> str:
    """The subject an existing item occupies in the model (see `Option.subject`)."""
    if item.kind == "post" and editorial(config, item.channel) and not item.parent:
        return ""
    return item.content_type


def effective_type(config: Config, channel: str, subject: str, link: str) -> str | None:
    """The community type a post counts as: its own, or the one a ritual or a step of a live
    or campaign stands for (`counts_as`)."""
    spec = config.channels[channel]
    if subject in (spec.types or {}):
        return subject
    if subject in spec.rituals:
        return spec.rituals[subject].counts_as
    if link.startswith("live@"):
        steps = [s for c in config.channels.values() if c.lives for s in c.lives.sequence]
        return next((s.counts_as for s in steps if s.key == subject), None)
    if link.startswith("campaign@"):
        key = link.split("@", 1)[1]
        campaign = next((c for c in config.campaigns if c.key == key), None)
        if campaign is not None:
            return next((s.counts_as for s in campaign.steps if s.key == subject), None)
    return None


def sequence_steps(lives: LiveRules, fmt: str | None = None) -> list[SequenceStep]:
    return [s for s in lives.sequence if fmt is None or s.formats is None or fmt in s.formats]


def task_step_at(
    calendar: Calendar, channel: str, lives: LiveRules, step: SequenceStep, live_day: date
) -> tuple[date, time] | None:
    """Where a live's task step goes: the first working day of its window, at its own time
    or the preparation's (None when the window has no working day). The options, which
    keep a live after its tasks, and `planner.content`, which writes the tasks, agree here."""
    window = [live_day + timedelta(n) for n in step.days.span()]
    day = calendar.first_working_day(channel, window)
    return None if day is None else (day, step.time or lives.preparation.time)


def step_channel(step: SequenceStep, live_channel: str) -> str:
    return step.channel or live_channel


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def preferred_times(config: Config, channel: Channel, audience: str, phase: str) -> list[time]:
    window = best_hours(config, audience, phase) if audience in config.audiences else None
    if window is None:
        return list(channel.times)
    inside = [t for t in channel.times if window.holds(t)]
    return inside + [t for t in channel.times if not window.holds(t)]


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


Candidate = tuple[date, str, str, str, str, str, str, list[time], int, int]
"""(day, channel, kind, audience, phase, subject, link, times in order of preference,
minutes, how many to keep)."""


class OptionBuilder:
    """All options of a scope; `pinned` options (a previous plan's free items) are kept too
    when the rules allow them, even if they are not among the preferred times; `zero_shares`
    adds audiences whose mix share is 0, so that diagnosis can name the mix rule."""

    def __init__(
        self,
        calendar: Calendar,
        scope: Scope,
        pinned: Iterable[Option] = (),
        zero_shares: bool = False,
        fixed_lives: Iterable[Option] = (),
    ) -> None:
        self.calendar = calendar
        self.config = calendar.config
        self.scope = scope
        self.wanted = set(pinned)
        self.pinned_at: dict[tuple[date, str, str, str, str, str, str], list[time]] = {}
        for o in sorted(self.wanted, key=option_key):
            key = (o.day, o.channel, o.kind, o.audience, o.phase, o.subject, o.link)
            self.pinned_at.setdefault(key, []).append(o.time)
        self.zero_shares = zero_shares
        self.fixed_lives = list(fixed_lives)
        self.days = [d for d in scope.days() if calendar.in_scope(d)]

    def build(self) -> list[Option]:
        options: list[Option] = []
        lives = list(self._expand(self._lives()))
        for candidates in (self._editorial(), self._community(), self._rituals()):
            options += self._expand(candidates)
        options += lives
        options += self._expand(self._sequences([*lives, *self.fixed_lives]))
        options += self._expand(self._campaigns())
        return sorted(set(options), key=option_key)

    def _expand(self, candidates: Iterable[Candidate]) -> Iterator[Option]:
        """Keep each candidate's `count` first usable times, and every usable pinned one; a
        pinned time that is not usable (a row typed at 13:00 where the channel posts at
        12:00) keeps the usable time nearest to it, where the row goes « au plus près »."""
        calendar = self.calendar
        for day, channel, kind, audience, phase, subject, link, times, minutes, count in candidates:
            asked = self.pinned_at.get((day, channel, kind, audience, phase, subject, link), [])
            rank = 0
            usable: list[time] = []
            for moment in times:
                if rank >= count and not asked:
                    break
                if not calendar.usable(calendar.slot(day, moment, minutes)):
                    continue
                usable.append(moment)
                option = Option(day, moment, channel, kind, audience, phase, subject, link)
                if rank < count or option in self.wanted:
                    yield option
                rank += 1
            kept = set(usable[:count]) | set(asked)
            for wish in asked:
                if wish in usable or not usable:
                    continue
                nearest = min(usable, key=lambda t: (abs(_minutes(t) - _minutes(wish)), t))
                if nearest not in kept:
                    kept.add(nearest)
                    yield Option(day, nearest, channel, kind, audience, phase, subject, link)

    def _open(self, channel: str, weekdays: list[int] | None = None) -> list[date]:
        return [d for d in self.days if self.calendar.is_open(channel, d, weekdays)]

    def _editorial(self) -> Iterator[Candidate]:
        config, calendar = self.config, self.calendar
        for key, channel in config.channels.items():
            if channel.planning != "audiences":
                continue
            audiences = channel_audiences(config, key)
            targeted: dict[int, list[tuple[str, str]]] = {}
            ranked: dict[tuple[str, str], list[time]] = {}
            for day in self._open(key):
                month = calendar.campaign_month(day)
                if month < 1:
                    continue
                if month not in targeted:
                    shares = mix_target(config, key, month).shares
                    targeted[month] = [
                        (a, s.phase)
                        for a in audiences
                        if present(config, a, month) and (self.zero_shares or shares.get(a))
                        for s in open_stages(config, a, month)
                    ]
                for audience, phase in targeted[month]:
                    if (audience, phase) not in ranked:
                        ranked[audience, phase] = preferred_times(config, channel, audience, phase)
                    times = ranked[audience, phase]
                    minutes, count = channel.duration_minutes, channel.per_day_max
                    yield day, key, "post", audience, phase, "", "", times, minutes, count

    def _community(self) -> Iterator[Candidate]:
        for key, channel in self.config.channels.items():
            if channel.planning != "types":
                continue
            audience, phase = channel.audience or "", channel.phase or ""
            for day in self._open(key):
                if self.calendar.campaign_month(day) < 1:
                    continue
                for kind in channel.types or {}:
                    yield (
                        day, key, "post", audience, phase, kind, "", list(channel.times),
                        channel.duration_minutes, channel.per_day_max,
                    )  # fmt: skip

    def _lives(self) -> Iterator[Candidate]:
        for key, channel in self.config.channels.items():
            lives = channel.lives
            if lives is None or not lives.per_month:
                continue
            starts = {
                f: live_start_times(lives, spec.duration_minutes)
                for f, spec in lives.formats.items()
            }
            for day in self._open(key, lives.days):
                if self.calendar.campaign_month(day) < 1 or not self._preparable(key, day):
                    continue
                for fmt, spec in lives.formats.items():
                    if not self._sequence_fits(key, lives, fmt, day):
                        continue
                    times = [t for t in starts[fmt] if self._after_tasks(key, lives, fmt, day, t)]
                    yield (
                        day, key, "live", channel.audience or "", channel.phase or "", fmt, "",
                        times, spec.duration_minutes, 1,
                    )  # fmt: skip

    def _preparable(self, key: str, day: date) -> bool:
        """The preparation task (previous working day) must not fall before `--now`."""
        lives = self.config.channels[key].lives
        assert lives is not None
        before = self.calendar.previous_working_day(key, day)
        return self.calendar.after_now(before, lives.preparation.time)

    def _after_tasks(self, key: str, lives: LiveRules, fmt: str, day: date, moment: time) -> bool:
        """The live starts after the task steps of its sequence, which `planner.content`
        puts on their window's first working day at their time."""
        calendar = self.calendar
        start = datetime.combine(day, moment, tzinfo=calendar.tz)
        for step in sequence_steps(lives, fmt):
            at = task_step_at(calendar, key, lives, step, day) if step.kind == "task" else None
            if at is None:
                continue
            task = calendar.task_slot(*at, lives.preparation.duration_minutes)
            if task[0] >= start:
                return False
        return True

    def _sequence_fits(self, key: str, lives: LiveRules, fmt: str, day: date) -> bool:
        """Every required step of the live's sequence has a day it can use."""
        for step in sequence_steps(lives, fmt):
            if not step.required:
                continue
            window = [day + timedelta(n) for n in step.days.span()]
            if step.kind == "task":
                at = task_step_at(self.calendar, key, lives, step, day)
                if at is None or not self.calendar.after_now(*at):
                    return False
            elif not any(
                (self.scope.placeable(self.calendar, d) or self.scope.later(self.calendar, d))
                and self.calendar.is_open(step_channel(step, key), d)
                for d in window
            ):
                return False
        return True

    def _sequences(self, lives: list[Option]) -> Iterator[Candidate]:
        """Steps of the lives the model may place, and of lives already fixed (another
        month's, a locked one) whose steps are due on the model's days."""
        config = self.config
        formats_on: dict[tuple[str, date], set[str]] = {}
        for option in lives:
            formats_on.setdefault((option.channel, option.day), set()).add(option.subject)
        for (key, live_day), formats in sorted(formats_on.items()):
            rules = config.channels[key].lives
            assert rules is not None
            for step in rules.sequence:
                if step.kind != "post":
                    continue
                if step.formats is not None and not formats & set(step.formats):
                    continue
                yield from self._step(key, live_day, step)

    def _step(self, key: str, live_day: date, step: SequenceStep) -> Iterator[Candidate]:
        target = step_channel(step, key)
        channel = self.config.channels[target]
        audience, phase = self._who(channel, step.audience, step.phase)
        times = preferred_times(self.config, channel, audience, phase)
        for n in step.days.span():
            day = live_day + timedelta(n)
            # On the live's day, whether a time comes after the live depends on the live's
            # own time: every time is kept, the model orders them (`hard.live_sequence`).
            count = len(times) if n == 0 and step.days.start >= 0 else channel.per_day_max
            if self.scope.placeable(self.calendar, day) and self.calendar.is_open(target, day):
                yield (
                    day, target, "post", audience, phase, step.key, live_link(key, live_day), times,
                    channel.duration_minutes, count,
                )  # fmt: skip

    def _who(self, channel: Channel, audience: str | None, phase: str | None) -> tuple[str, str]:
        if channel.planning == "audiences":
            return audience or "", phase or ""
        return channel.audience or "", channel.phase or ""

    def _rituals(self) -> Iterator[Candidate]:
        for key, channel in self.config.channels.items():
            for name, ritual in channel.rituals.items():
                if ritual.kind != "post":
                    continue
                for year, month in Horizon(self.scope.first, self.scope.last).months():
                    if ritual.months is not None and month not in ritual.months:
                        continue
                    for day in window_days(ritual.days, year, month):
                        if self.scope.placeable(self.calendar, day) and self.calendar.is_open(
                            key, day
                        ):
                            yield (
                                day, key, "post", channel.audience or "", channel.phase or "",
                                name, ritual_link(year, month), list(channel.times),
                                channel.duration_minutes, channel.per_day_max,
                            )  # fmt: skip

    def _campaigns(self) -> Iterator[Candidate]:
        for campaign in self.config.campaigns:
            for step in campaign.steps:
                if step.kind != "post" or step.channel is None:
                    continue
                channel = self.config.channels[step.channel]
                audience, phase = self._who(channel, step.audience, step.phase)
                times = preferred_times(self.config, channel, audience, phase)
                for n in step.days.span():
                    day = campaign.anchor + timedelta(n)
                    if self.scope.placeable(self.calendar, day) and self.calendar.is_open(
                        step.channel, day
                    ):
                        yield (
                            day, step.channel, "post", audience, phase, step.key,
                            campaign_link(campaign.key), times, channel.duration_minutes,
                            channel.per_day_max,
                        )  # fmt: skip


def build_options(
    calendar: Calendar,
    scope: Scope,
    pinned: Iterable[Option] = (),
    zero_shares: bool = False,
    fixed_lives: Iterable[Option] = (),
) -> list[Option]:
    return OptionBuilder(calendar, scope, pinned, zero_shares, fixed_lives).build()
