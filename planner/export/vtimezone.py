"""VTIMEZONE components written as yearly rules, derived from zoneinfo.

`icalendar.Timezone.from_tzid` lists every clock change as an RDATE and dates the start of
summer time at the new local time (03:00 in Paris): strict readers then put the hour before
the change at the wrong offset, and Outlook desktop ignores RDATE-only definitions. Here each
STANDARD/DAYLIGHT sub-component starts at the local time *before* its change (RFC 5545
§3.6.5) and repeats with an RRULE; a change that no yearly rule describes (a one-off offset
change, a single summer) is the fallback: its own DTSTART, with RDATE for its repeats.

The changes are found by walking zoneinfo an hour at a time and bisecting to the second, so
no zone is hard-coded. A rule still running at the end of the range is checked against the
zone's next 28 years (a full cycle of weekdays and leap years) to pick the form that keeps
describing it ("Friday before the last Sunday", not "fourth Friday"); a rule that stops, in
the range or in those years, ends with an UNTIL.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

LOOKAHEAD_YEARS = 8
"""Years after the range in which a running rule must keep matching the zone (enough to
tell "the Friday before the last Sunday" from "the fourth Friday", and cheap: every year
looked at is walked)."""

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_STEP = 6 * 3600
"""Seconds between two looks at the zone: no two changes of the time zone database are
closer than six hours (a change found is then bisected to the second)."""


class _State(NamedTuple):
    offset: timedelta
    dst: timedelta
    name: str


_Key = tuple[bool, timedelta, timedelta, str, int, time]
"""Kind, offsets, name, month and wall-clock time: what yearly repeats of a change share."""


@dataclass(frozen=True)
class _Change:
    """One clock change: `before` is the wall-clock time just before it (the DTSTART)."""

    at: datetime
    before: datetime
    old: _State
    new: _State

    @property
    def daylight(self) -> bool:
        """DAYLIGHT for summer time. tzdata writes Irish and Moroccan time with a negative
        saving (winter, Ramadan); the state that ends one is written as summer time instead,
        as readers (Outlook, python-dateutil) expect DAYLIGHT to be ahead of STANDARD."""
        if self.new.dst:
            return self.new.dst > timedelta(0)
        return self.old.dst < timedelta(0) and self.new.offset == self.old.offset - self.old.dst

    @property
    def key(self) -> _Key:
        return (
            self.daylight,
            self.old.offset,
            self.new.offset,
            self.new.name,
            self.before.month,
            self.before.time(),
        )


@dataclass(frozen=True)
class _Rule:
    """The days of one month a yearly rule picks: BYDAY alone (`nth` set), BYMONTHDAY
    alone (`weekday` None), or a weekday within a span of days of the month."""

    weekday: int | None
    nth: int = 0
    days: tuple[int, ...] = ()

    def dates(self, year: int, month: int) -> list[date]:
        length = calendar.monthrange(year, month)[1]
        days = [date(year, month, d) for d in self.days or range(1, length + 1) if d <= length]
        if self.weekday is not None:
            days = [d for d in days if d.weekday() == self.weekday]
        if self.nth > 0:
            return days[self.nth - 1 : self.nth]
        return days[self.nth :][:1] if self.nth else days

    def recur(self, month: int, until: datetime | None) -> str:
        """The RRULE value (RFC 5545 §3.3.10); UNTIL in UTC."""
        parts = ["FREQ=YEARLY"]
        if until is not None:
            parts.append(f"UNTIL={until:%Y%m%dT%H%M%SZ}")
        if self.weekday is not None:
            day = _WEEKDAYS[self.weekday]
            parts.append(f"BYDAY={self.nth}{day}" if self.nth else f"BYDAY={day}")
        if self.days:
            parts.append("BYMONTHDAY=" + ",".join(map(str, self.days)))
        parts.append(f"BYMONTH={month}")
        return ";".join(parts)


def _candidates(day: date) -> list[_Rule]:
    """Every yearly rule that picks `day`, the plainest first: last or nth weekday of the
    month, the same day of the month, then a weekday within a span of at most seven days."""
    weekday = day.weekday()
    length = calendar.monthrange(day.year, day.month)[1]
    longest = calendar.monthrange(2000, day.month)[1]  # 2000: a leap year
    rules: list[_Rule] = []
    if day.day > length - 7:
        rules.append(_Rule(weekday, nth=-1))
    if day.day <= 28:
        rules.append(_Rule(weekday, nth=(day.day - 1) // 7 + 1))
    rules.append(_Rule(None, days=(day.day,)))
    spans = [
        (first, last)
        for first in range(max(1, day.day - 6), day.day + 1)
        for last in range(day.day, min(longest, first + 6) + 1)
    ]
    spans.sort(key=lambda span: (span[0] - span[1], span[0]))
    rules += [_Rule(weekday, days=tuple(range(first, last + 1))) for first, last in spans]
    return rules


def _state(zone: ZoneInfo, timestamp: int) -> _State:
    moment = datetime.fromtimestamp(timestamp, zone)
    zero = timedelta(0)
    return _State(moment.utcoffset() or zero, moment.dst() or zero, moment.tzname() or "")


def _walk(zone: ZoneInfo, start: datetime, end: datetime) -> Iterator[_Change]:
    """The changes between two UTC instants, each bisected to the second."""
    timestamp, stop = int(start.timestamp()), int(end.timestamp())
    state = _state(zone, timestamp)
    while timestamp < stop:
        following = _state(zone, timestamp + _STEP)
        if following != state:
            low, high = timestamp, timestamp + _STEP
            while high - low > 1:
                middle = (low + high) // 2
                if _state(zone, middle) == state:
                    low = middle
                else:
                    high = middle
            new = _state(zone, high)
            at = datetime.fromtimestamp(high, UTC)
            before = (at + state.offset).replace(tzinfo=None)
            yield _Change(at, before, state, new)
            state = new
            timestamp = high
            continue
        timestamp += _STEP


@lru_cache(maxsize=4096)
def _month_changes(tzid: str, year: int, month: int) -> tuple[_Change, ...]:
    """The changes whose local time falls in this month (with a two-day margin walked on
    each side, as offsets shift local dates by up to a day)."""
    length = calendar.monthrange(year, month)[1]
    start = datetime(year, month, 1, tzinfo=UTC) - timedelta(days=2)
    end = datetime(year, month, length, tzinfo=UTC) + timedelta(days=3)
    return tuple(
        c
        for c in _walk(ZoneInfo(tzid), start, end)
        if (c.before.year, c.before.month) == (year, month)
    )


def _year_changes(tzid: str, year: int) -> list[_Change]:
    return [c for month in range(1, 13) for c in _month_changes(tzid, year, month)]


@dataclass(frozen=True)
class _Run:
    """Changes of one key in consecutive years that one yearly rule describes."""

    changes: tuple[_Change, ...]
    rule: _Rule | None
    closed: bool


def _runs(tzid: str, changes: list[_Change], last_year: int) -> Iterator[_Run]:
    """Groups changes of one key, in year order, into runs: each run starts at an unclaimed
    change and grows one year at a time while some candidate rule predicts exactly what the
    zone does that year (nothing, or the same day); past the range the zone is asked."""
    in_range: dict[int, list[_Change]] = defaultdict(list)
    for change in changes:
        in_range[change.before.year].append(change)
    month = changes[0].before.month
    key = changes[0].key

    def observed(year: int) -> list[_Change]:
        if year <= last_year:
            return in_range.get(year, [])
        return [c for c in _month_changes(tzid, year, month) if c.key == key]

    claimed: set[_Change] = set()
    for change in changes:
        if change in claimed:
            continue
        if len(in_range[change.before.year]) > 1:
            claimed.add(change)
            yield _Run((change,), None, closed=True)
            continue
        rules = _candidates(change.before.date())
        members = [change]
        at_last_member = rules
        year = change.before.year
        closed = False
        while year < last_year + LOOKAHEAD_YEARS:
            year += 1
            seen = observed(year)
            days = [c.before.date() for c in seen]
            fitting = [r for r in rules if r.dates(year, month) == days]
            if not fitting:
                closed = True
                break
            rules = fitting
            if seen:
                members += seen
                at_last_member = rules
        claimed.update(members)
        if len(members) == 1:
            yield _Run((change,), None, closed=True)
        else:
            yield _Run(tuple(members), (at_last_member if closed else rules)[0], closed)


def _until(change: _Change) -> datetime:
    """UNTIL for a rule whose last change is `change`, in UTC as RFC 5545 §3.3.10 requires
    for STANDARD/DAYLIGHT: the later of the change's instant and its wall-clock time read as
    UTC, so that readers which drop the Z (python-dateutil) still keep that last change."""
    wall = change.before.replace(tzinfo=UTC)
    return max(change.at, wall)


@dataclass(frozen=True)
class _Piece:
    """One STANDARD or DAYLIGHT sub-component."""

    daylight: bool
    start: datetime
    lines: tuple[str, ...]

    def text(self) -> list[str]:
        kind = "DAYLIGHT" if self.daylight else "STANDARD"
        return [f"BEGIN:{kind}", *self.lines, f"END:{kind}"]


def _offset(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _component(
    daylight: bool,
    state: _State,
    old: timedelta,
    start: datetime,
    rrule: str | None,
    rdates: Iterable[datetime],
) -> _Piece:
    lines = [f"DTSTART:{start:%Y%m%dT%H%M%S}"]
    if rrule is not None:
        lines.append(f"RRULE:{rrule}")
    extra = list(rdates)
    if extra:
        lines.append("RDATE:" + ",".join(f"{d:%Y%m%dT%H%M%S}" for d in extra))
    lines += [
        f"TZNAME:{state.name}",
        f"TZOFFSETFROM:{_offset(old)}",
        f"TZOFFSETTO:{_offset(state.offset)}",
    ]
    return _Piece(daylight, start, tuple(lines))


@lru_cache(maxsize=64)
def vtimezone(tzid: str, first: date, last: date) -> str:
    """The VTIMEZONE of `tzid` for every local time from `first` to `last` (whole years:
    from the offset in force on 1 January of `first`'s year to the end of `last`'s year).

    Cached: the plan's calendar and each channel's calendar share it. The text is content
    lines each ended by CRLF (every line is shorter than 75 octets)."""
    if last < first:
        raise ValueError(f"{last} is before {first}")
    zone = ZoneInfo(tzid)
    earlier = _year_changes(tzid, first.year - 1)
    changes = [c for year in range(first.year, last.year + 1) for c in _year_changes(tzid, year)]
    pieces: list[_Piece] = []
    if earlier:
        changes.insert(0, earlier[-1])
    else:
        state = _state(zone, int(datetime(first.year - 1, 7, 1, tzinfo=UTC).timestamp()))
        daylight = state.dst > timedelta(0)
        start = datetime(first.year - 1, 1, 1)
        pieces.append(_component(daylight, state, state.offset, start, None, []))
    by_key: dict[_Key, list[_Change]] = defaultdict(list)
    for change in changes:
        by_key[change.key].append(change)
    singles: dict[tuple[bool, _State, timedelta], list[_Change]] = defaultdict(list)
    for group in by_key.values():
        for run in _runs(tzid, group, last.year):
            head = run.changes[0]
            if run.rule is None:
                singles[(head.daylight, head.new, head.old.offset)].append(head)
                continue
            until = _until(run.changes[-1]) if run.closed else None
            recur = run.rule.recur(head.before.month, until)
            piece = _component(head.daylight, head.new, head.old.offset, head.before, recur, [])
            pieces.append(piece)
    for (daylight, state, old), alone in singles.items():
        starts = sorted(c.before for c in alone)
        pieces.append(_component(daylight, state, old, starts[0], None, starts[1:]))
    pieces.sort(key=lambda p: (p.start, not p.daylight))
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    for piece in pieces:
        lines += piece.text()
    return "\r\n".join([*lines, "END:VTIMEZONE", ""])
