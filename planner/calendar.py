"""Days and times a channel can use: horizon, time zone, public holidays, blackouts.

Clock-change rule (documented in the README): a slot is used only if its start and its end
exist on that day, are not ambiguous, and share one UTC offset. A candidate time in the
spring-forward gap (02:30 on 2026-03-29 in Paris) or in the fall-back overlap (02:30 on
2026-10-25) is skipped that day, so no exported time is ever non-existent or ambiguous.
"""

from __future__ import annotations

import calendar as stdcal
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays as holidays_lib

from planner.config.model import Channel, Config
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
        for day in self.days():
            if (day.year, day.month) not in found:
                found.append((day.year, day.month))
        return found

    def weeks(self) -> list[date]:
        """Mondays of the ISO weeks the horizon touches."""
        first = self.start - timedelta(self.start.weekday())
        return [first + timedelta(7 * n) for n in range((self.end - first).days // 7 + 1)]


def month_title(year: int, month: int) -> str:
    return f"{month_name(month)} {year}"


@dataclass(frozen=True)
class Share:
    """A per-period value (weekly band, lives per month) for a period the horizon cuts.

    The part inside the horizon gets the value in proportion to its channel days: rounded
    down for a minimum, up for a maximum, to the nearest for a target or an exact count.
    A whole period gets the value itself.
    """

    inside: int
    total: int

    @property
    def whole(self) -> bool:
        return self.inside == self.total

    def low(self, value: int) -> int:
        return value * self.inside // self.total if self.total else 0

    def high(self, value: int) -> int:
        return -(-value * self.inside // self.total) if self.total else 0

    def near(self, value: int) -> int:
        return (2 * value * self.inside + self.total) // (2 * self.total) if self.total else 0


@dataclass
class Calendar:
    """The horizon seen through the config: open days per channel and valid local times."""

    config: Config
    horizon: Horizon
    earliest: datetime | None = None
    """No new item may start before this moment (re-planning after `--since`)."""

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.config.calendar.timezone)

    @cached_property
    def holidays(self) -> dict[date, str]:
        rule = self.config.calendar.holidays
        years = range(self.horizon.start.year - 1, self.horizon.end.year + 2)
        found = holidays_lib.country_holidays(
            rule.country, subdiv=rule.subdivision, years=years, language="fr"
        )
        return {day: name for day, name in sorted(found.items())}

    def campaign_month(self, day: date) -> int:
        start = self.config.calendar.campaign_start
        return (day.year - start.year) * 12 + day.month - start.month + 1

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
        allowed = self.config.channels[channel].days if weekdays is None else weekdays
        return day.weekday() in allowed and self.closed_reason(channel, day) is None

    def open_days(self, channel: str, weekdays: list[int] | None = None) -> list[date]:
        return [d for d in self.horizon.days() if self.is_open(channel, d, weekdays)]

    def is_working_day(self, channel: str, day: date) -> bool:
        return day.weekday() < 5 and self.closed_reason(channel, day) is None

    def previous_working_day(self, channel: str, day: date) -> date:
        before = day - timedelta(1)
        while not self.is_working_day(channel, before):
            before -= timedelta(1)
        return before

    def slot(self, day: date, start: time, minutes: int) -> tuple[datetime, datetime] | None:
        """Aware start and end, or None when the clock-change rule skips this slot."""
        local = datetime.combine(day, start, tzinfo=self.tz)
        if not _exists_once(local):
            return None
        end = (local.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(self.tz)
        if not _exists_once(end) or end.utcoffset() != local.utcoffset():
            return None
        return local, end

    def week_share(self, channel: Channel, monday: date) -> Share:
        week = [monday + timedelta(n) for n in range(7)]
        return _share([d for d in week if d.weekday() in channel.days], self.horizon)

    def week_open_days(self, key: str, monday: date) -> list[date]:
        week = [monday + timedelta(n) for n in range(7)]
        return [d for d in week if self.horizon.contains(d) and self.is_open(key, d)]

    def week_band(self, key: str, monday: date) -> tuple[int, int]:
        """The weekly band for this week; a week cut by the horizon edge never asks for more
        posts than its open days in the horizon can hold."""
        channel = self.config.channels[key]
        share = self.week_share(channel, monday)
        low, high = share.low(channel.per_week.min), share.high(channel.per_week.max)
        if not share.whole:
            low = min(low, len(self.week_open_days(key, monday)) * channel.per_day_max)
        return low, high

    def lives_wanted(self, key: str, year: int, month: int) -> int:
        lives = self.config.channels[key].lives
        if lives is None:
            return 0
        return self.month_share(lives.days, year, month).near(lives.per_month)

    def month_share(self, weekdays: list[int], year: int, month: int) -> Share:
        whole = Horizon.month(year, month).days()
        return _share([d for d in whole if d.weekday() in weekdays], self.horizon)


def _share(days: list[date], horizon: Horizon) -> Share:
    return Share(sum(1 for d in days if horizon.contains(d)), len(days))


def _exists_once(moment: datetime) -> bool:
    """True if this wall-clock time exists and is not ambiguous in its zone."""
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return False
    return moment.replace(fold=0).utcoffset() == moment.replace(fold=1).utcoffset()
