"""Days and times a channel can use: horizon, coverage, time zone, holidays, blackouts.

Clock-change rule (documented in the README): a slot is used only if its start and its end
exist on that day, are not ambiguous, and share one UTC offset. A candidate time in the
spring-forward gap (02:30 on 2026-03-29 in Paris) or in the fall-back overlap (02:30 on
2026-10-25) is skipped that day, so no exported time is ever non-existent or ambiguous.

The weekly band, the lives wanted in a month and the ritual windows follow the arithmetic
of docs/rules.md; the checker computes the same quantities on its own.
"""

from __future__ import annotations

import calendar as stdcal
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from planner.config.model import Config, MonthDays
from planner.coverage import Coverage
from planner.public_holidays import country_holidays
from planner.weekdays import month_name


@dataclass(frozen=True)
class Horizon:
    """The days a plan covers (both ends included) and its output folder label."""

    start: date
    end: date

    @classmethod
    def month(cls, year: int, month: int) -> Horizon:
        last = stdcal.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last))

    @property
    def is_month(self) -> bool:
        return self == Horizon.month(self.start.year, self.start.month)

    @property
    def label(self) -> str:
        if self.is_month:
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y-%m-%d}_{self.end:%Y-%m-%d}"

    def days(self) -> list[date]:
        return [self.start + timedelta(n) for n in range((self.end - self.start).days + 1)]

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            found.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found

    def weeks(self) -> list[date]:
        """Mondays of the ISO weeks the horizon touches."""
        first = self.start - timedelta(self.start.weekday())
        return [first + timedelta(7 * n) for n in range((self.end - first).days // 7 + 1)]

    def month_chunks(self) -> list[Horizon]:
        """The horizon cut at month boundaries."""
        return [
            Horizon(max(self.start, m.start), min(self.end, m.end))
            for m in (Horizon.month(y, mo) for y, mo in self.months())
        ]


def month_title(year: int, month: int) -> str:
    return f"{month_name(month)} {year}"


def month_days(year: int, month: int) -> list[date]:
    return Horizon.month(year, month).days()


def week_days(monday: date) -> list[date]:
    return [monday + timedelta(n) for n in range(7)]


def monday_of(day: date) -> date:
    return day - timedelta(day.weekday())


def round_half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator) if denominator else 0


@dataclass(frozen=True)
class Band:
    """One week of one channel: how many posts, counted on its covered days."""

    low: int
    high: int
    target: int | None
    days: list[date]
    """The channel's days of the week (D)."""
    covered: list[date]
    """Those the plans are responsible for (C)."""
    open: list[date]
    """Those of C that are open (O)."""

    @property
    def applies(self) -> bool:
        return bool(self.covered)


@dataclass
class Calendar:
    """The horizon seen through the config: open days, valid local times, covered days."""

    config: Config
    horizon: Horizon
    earliest: datetime | None = None
    """No new item may start before this moment (`--now`, `--since`)."""
    coverage: Coverage = field(default_factory=Coverage)
    """Every covered day: earlier plans' and this one's (see `planner.planning`)."""

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.config.calendar.timezone)

    @cached_property
    def holidays(self) -> dict[date, str]:
        rule = self.config.calendar.holidays
        years = range(self.horizon.start.year - 1, self.horizon.end.year + 2)
        found = country_holidays(rule.country, subdiv=rule.subdivision, years=years, language="fr")
        return {day: name for day, name in sorted(found.items())}

    def campaign_month(self, day: date) -> int:
        return self.config.calendar.campaign_month(day)

    @property
    def first_day(self) -> date:
        """The first day new items may use."""
        if self.earliest is None:
            return self.horizon.start
        return max(self.horizon.start, self.earliest.astimezone(self.tz).date())

    def after_now(self, day: date, moment: time) -> bool:
        """Whether that day and local time is not before `--now` (a team task's start)."""
        if self.earliest is None:
            return True
        return datetime.combine(day, moment, tzinfo=self.tz) >= self.earliest

    def in_scope(self, day: date) -> bool:
        return self.horizon.contains(day) and day >= self.first_day

    def covered(self, day: date) -> bool:
        return day in self.coverage

    def closed_reason(self, channel: str, day: date) -> str | None:
        """Why nothing can be published on that channel that day (holiday or blackout)."""
        if day in self.holidays:
            return f"jour férié ({self.holidays[day]})"
        for blackout in self.config.calendar.blackouts:
            if blackout.first <= day <= blackout.last and (
                blackout.channels is None or channel in blackout.channels
            ):
                return f"jour bloqué ({blackout.label})"
        return None

    def closed_days(self, channel: str, days: list[date]) -> str:
        """'02/03 jour férié (…), 03/03 jour bloqué (…)': the closed days and why."""
        return ", ".join(
            f"{d:%d/%m} {self.closed_reason(channel, d) or 'jour sans publication'}" for d in days
        )

    def is_open(self, channel: str, day: date, weekdays: list[int] | None = None) -> bool:
        """A day of the channel, neither a holiday nor blocked for it; `weekdays` narrows
        the channel's days (a live's `lives.days`) and never widens them."""
        allowed = self.config.channels[channel].days
        if weekdays is not None and day.weekday() not in weekdays:
            return False
        return day.weekday() in allowed and self.closed_reason(channel, day) is None

    def is_working_day(self, channel: str, day: date) -> bool:
        return day.weekday() < 5 and self.closed_reason(channel, day) is None

    def previous_working_day(self, channel: str, day: date) -> date:
        before = day - timedelta(1)
        while not self.is_working_day(channel, before):
            before -= timedelta(1)
        return before

    def first_working_day(self, channel: str, days: list[date]) -> date | None:
        return next((d for d in days if self.is_working_day(channel, d)), None)

    @cached_property
    def _slots(self) -> dict[tuple[date, time, int], tuple[datetime, datetime] | None]:
        """`slot`'s answers: the model asks for each day and time once per audience."""
        return {}

    def slot(self, day: date, start: time, minutes: int) -> tuple[datetime, datetime] | None:
        """Aware start and end, or None when the slot ends after that day or the
        clock-change rule skips it."""
        key = (day, start, minutes)
        if key not in self._slots:
            self._slots[key] = self._slot(day, start, minutes)
        return self._slots[key]

    def _slot(self, day: date, start: time, minutes: int) -> tuple[datetime, datetime] | None:
        local = datetime.combine(day, start, tzinfo=self.tz)
        if not exists_once(local):
            return None
        end = (local.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(self.tz)
        if end.date() != day or not exists_once(end) or end.utcoffset() != local.utcoffset():
            return None
        return local, end

    def task_slot(self, day: date, wanted: time, minutes: int) -> tuple[datetime, datetime]:
        """A team task's configured time; where a clock change skips it that day, the first
        quarter hour after it that exists (a zone may change its clocks on a working day:
        Jerusalem, Cairo). Never a time of the next day: the config keeps a task within its
        day (`past_midnight`)."""
        start = datetime.combine(day, wanted)
        steps = [start + timedelta(minutes=15 * n) for n in range(1, 96)]
        later = [moment.time() for moment in steps if moment.date() == day]
        for moment in (wanted, *later):
            slot = self.slot(day, moment, minutes)
            if slot is not None:
                return slot
        raise AssertionError(f"no valid time on {day} for a task")

    def usable(self, slot: tuple[datetime, datetime] | None) -> bool:
        """A valid slot that starts after `earliest`."""
        return slot is not None and (self.earliest is None or slot[0] >= self.earliest)

    def band(self, key: str, monday: date) -> Band:
        """The weekly band of docs/rules.md: minimum and target scaled by the open covered
        days, maximum by the covered days."""
        channel = self.config.channels[key]
        days = [d for d in week_days(monday) if d.weekday() in channel.days]
        covered = [d for d in days if self.covered(d)]
        open_days = [d for d in covered if self.closed_reason(key, d) is None]
        rule = channel.per_week
        low = rule.min * len(open_days) // len(days) if days else 0
        high = -(-rule.max * len(covered) // len(days)) if days else 0
        target = None
        if rule.target is not None:
            target = round_half_up(rule.target * len(open_days), len(days))
        return Band(low, high, target, days, covered, open_days)

    def type_target(self, key: str, monday: date, per_week: int) -> int:
        band = self.band(key, monday)
        return round_half_up(per_week * len(band.open), len(band.days))

    def window_minimum(self, channel: str, window: list[date], count: int) -> int:
        """How many of a step's items its covered days must hold: all of them, but what
        the rest of its window, after the covered days, can still hold later."""
        covered = [d for d in window if self.covered(d)]
        if not covered:
            return 0
        later = [d for d in window if d > covered[-1] and self.is_open(channel, d)]
        room = len(later) * self.config.channels[channel].per_day_max
        return max(0, count - room)

    def lives_wanted(self, key: str, year: int, month: int) -> int:
        lives = self.config.channels[key].lives
        if lives is None:
            return 0
        days = [d for d in month_days(year, month) if d.weekday() in lives.days]
        covered = [d for d in days if self.covered(d)]
        if not any(self.is_open(key, d, lives.days) for d in covered):
            return 0
        return round_half_up(lives.per_month * len(covered), len(days))

    def live_month_closed(self, key: str, year: int, month: int) -> bool:
        """Covered live days but none open: the month gets no live (a warning)."""
        lives = self.config.channels[key].lives
        if lives is None or not lives.per_month:
            return False
        covered = [
            d for d in month_days(year, month) if d.weekday() in lives.days and self.covered(d)
        ]
        return bool(covered) and not any(self.is_open(key, d, lives.days) for d in covered)

    def key_moments(self, channel: str, audience: str, year: int, month: int) -> list[date]:
        """Key moments of that month concerning this channel and audience, campaign anchors
        included."""
        found: list[date] = []
        for moment in self.config.calendar.key_moments:
            if (moment.day.year, moment.day.month) != (year, month):
                continue
            if moment.audiences is not None and audience not in moment.audiences:
                continue
            if moment.channels is not None and channel not in moment.channels:
                continue
            found.append(moment.day)
        found += [
            c.anchor
            for c in self.config.campaigns
            if c.key_moment and (c.anchor.year, c.anchor.month) == (year, month)
        ]
        return sorted(set(found))


def window_days(days: MonthDays, year: int, month: int) -> list[date]:
    """The days of a month a ritual may use (negative numbers count from the end)."""
    length = stdcal.monthrange(year, month)[1]

    def resolve(n: int) -> int:
        return n if n > 0 else length + 1 + n

    first, last = max(resolve(days.start), 1), min(resolve(days.end), length)
    return [date(year, month, d) for d in range(first, last + 1)]


def exists_once(moment: datetime) -> bool:
    """True if this wall-clock time exists and is not ambiguous in its zone."""
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return False
    return moment.replace(fold=0).utcoffset() == moment.replace(fold=1).utcoffset()
