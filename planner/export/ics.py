"""`.ics` calendars that import cleanly into Google Calendar, and re-import as updates.

RFC 5545 choices: one VTIMEZONE per TZID, DTSTART/DTEND with TZID, DTSTAMP in UTC (from
`--now`, for reproducible files), a stable UID per item, SEQUENCE that grows with each
change, no METHOD (a plain publish, not an invitation), no ORGANIZER or ATTENDEE. A removed
item is exported once more with STATUS:CANCELLED and a visible "ANNULÉ –" summary, because
Google Calendar updates events by UID but ignores STATUS on import.

Texts are escaped here rather than by icalendar's vText, which writes a typed backslash-N as
a line break: every title, description, category and calendar name reads back as written.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event, vCategory, vText

from planner import __version__
from planner.config.model import Config
from planner.export.vtimezone import vtimezone
from planner.items import Item
from planner.labels import KIND_LABELS, STATUS_LABELS

CANCELLED_PREFIX = "ANNULÉ – "

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters RFC 5545 TEXT cannot hold (all but tab and line feed)."""


def escape_text(text: str) -> str:
    """RFC 5545 §3.3.11 TEXT: a line break of any kind becomes `\\n` (TEXT has no carriage
    return), other control characters are dropped, and backslash, semicolon and comma are
    escaped, backslash first so that a typed backslash-N stays two characters."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    for char in "\\;,":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


class _Text(vText):
    """A TEXT value written by `escape_text` instead of vText's escaping."""

    def to_ical(self) -> bytes:
        return escape_text(self).encode("utf-8")


class _Categories(vCategory):
    """CATEGORIES whose items are escaped like `_Text`."""

    def to_ical(self) -> bytes:
        return b",".join(_Text(c).to_ical() for c in self.cats)


def uid(config: Config, item: Item) -> str:
    return f"{item.id}@{config.export.uid_domain}"


def render_ics(
    config: Config,
    items: list[Item],
    now: datetime,
    name: str,
    last_modified: dict[str, datetime] | None = None,
) -> bytes:
    """The calendar of these items; an event changed since its first export carries the
    time of that change as LAST-MODIFIED (kept through later runs that leave it alone)."""
    last_modified = last_modified or {}
    calendar = Calendar()
    calendar.add("prodid", f"-//planner//planner {__version__}//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _Text(name))
    calendar.add("x-wr-timezone", config.calendar.timezone)
    ordered = sorted(items, key=lambda i: (i.start, i.id))
    if ordered:
        first = min(i.start.date() for i in ordered)
        last = max(i.end.date() for i in ordered)
        span = (date(first.year - 1, 1, 1), date(last.year + 1, 12, 31))
        for tzid in sorted({i.timezone for i in ordered}):
            calendar.add_component(vtimezone(tzid, *span))
    stamp = now.astimezone(UTC)
    for item in ordered:
        calendar.add_component(_event(config, item, stamp, last_modified.get(item.id)))
    return calendar.to_ical()


def _event(config: Config, item: Item, stamp: datetime, modified: datetime | None) -> Event:
    event = Event()
    event.add("uid", uid(config, item))
    event.add("dtstamp", stamp)
    event.add("dtstart", item.start)
    event.add("dtend", item.end)
    event.add("sequence", item.sequence)
    if modified is not None:
        event.add("last-modified", modified.astimezone(UTC))
    cancelled = item.status == "cancelled"
    event.add("summary", _Text((CANCELLED_PREFIX if cancelled else "") + item.title))
    why = f"\n\nPourquoi ici : {item.why}" if item.why else ""
    status = STATUS_LABELS[item.status]
    event.add("description", _Text(f"{item.description}{why}\n\nStatut : {status} · id {item.id}"))
    channel = config.channels[item.channel]
    audience = config.audiences.get(item.audience)
    categories = [
        channel.label,
        audience.short if audience else item.audience,
        config.phase_label(item.phase)
        if item.phase in {p.key for p in config.phases}
        else item.phase,
        KIND_LABELS[item.kind],
    ]
    event.add("categories", _Categories(categories))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE" if item.kind == "live" else "TRANSPARENT")
    if config.export.location:
        event.add("location", _Text(config.export.location))
    if item.kind == "live" and not cancelled and channel.lives is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _Text(f"Rappel : {item.title}"))
        alarm.add("trigger", timedelta(minutes=-channel.lives.reminder_minutes))
        event.add_component(alarm)
    return event
