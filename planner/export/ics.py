"""`.ics` calendars that import cleanly into Google Calendar, and re-import as updates.

RFC 5545 choices: one rule-based VTIMEZONE per TZID (`vtimezone.py`), DTSTART/DTEND with
TZID, DTSTAMP in UTC (from `--now`, for reproducible files), a stable UID per item, SEQUENCE
that grows with each change, LAST-MODIFIED kept from the run that last changed the event,
no METHOD (a plain publish, not an invitation), no ORGANIZER or ATTENDEE. A removed item is
exported once more with STATUS:CANCELLED and a visible "ANNULÉ –" summary, because Google
Calendar updates events by UID but ignores STATUS on import.

The text is written here, content line by content line: texts are escaped so that they read
back as written (a typed backslash-N stays two characters), lines are folded at 75 octets
without splitting a character, and each event is rendered once for the plan's calendar and
its channel's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime

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


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 §3.1), never inside a character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74
    return "\r\n ".join(parts)


def uid(config: Config, item: Item) -> str:
    return f"{item.id}@{config.export.uid_domain}"


def _utc(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _local(moment: datetime) -> str:
    return f"{moment:%Y%m%dT%H%M%S}"


class Calendars:
    """The plan's calendar files for one run: events rendered once, shared by the plan's
    calendar and its channels'."""

    def __init__(
        self, config: Config, now: datetime, last_modified: dict[str, datetime] | None = None
    ) -> None:
        self.config = config
        self.stamp = _utc(now)
        self.last_modified = last_modified or {}
        self._events: dict[str, str] = {}

    def render(self, name: str, items: Sequence[Item]) -> bytes:
        config = self.config
        lines = [
            "BEGIN:VCALENDAR",
            f"PRODID:-//planner//planner {__version__}//FR",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            fold(f"X-WR-CALNAME:{escape_text(name)}"),
            f"X-WR-TIMEZONE:{config.calendar.timezone}",
        ]
        ordered = sorted(items, key=lambda i: (i.start, i.id))
        if ordered:
            first = min(i.start.date() for i in ordered)
            last = max(i.end.date() for i in ordered)
            span = (date(first.year - 1, 1, 1), date(last.year + 1, 12, 31))
            zones = sorted({i.timezone for i in ordered})
            lines += [vtimezone(tzid, *span).rstrip("\r\n") for tzid in zones]
        lines += [self._event(item) for item in ordered]
        lines.append("END:VCALENDAR")
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")

    def _event(self, item: Item) -> str:
        if item.id not in self._events:
            self._events[item.id] = "\r\n".join(fold(line) for line in self._event_lines(item))
        return self._events[item.id]

    def _event_lines(self, item: Item) -> list[str]:
        config = self.config
        cancelled = item.status == "cancelled"
        why = f"\n\nPourquoi ici : {item.why}" if item.why else ""
        status = STATUS_LABELS[item.status]
        description = f"{item.description}{why}\n\nStatut : {status} · id {item.id}"
        channel = config.channels[item.channel]
        audience = config.audiences.get(item.audience)
        phases = {p.key: p.label for p in config.phases}
        categories = [
            channel.label,
            audience.short if audience else item.audience,
            phases.get(item.phase, item.phase),
            KIND_LABELS[item.kind],
        ]
        lines = [
            "BEGIN:VEVENT",
            f"UID:{escape_text(uid(config, item))}",
            f"DTSTAMP:{self.stamp}",
            f"DTSTART;TZID={item.timezone}:{_local(item.start)}",
            f"DTEND;TZID={item.timezone}:{_local(item.end)}",
            f"SEQUENCE:{item.sequence}",
        ]
        modified = self.last_modified.get(item.id)
        if modified is not None:
            lines.append(f"LAST-MODIFIED:{_utc(modified)}")
        lines += [
            f"SUMMARY:{escape_text((CANCELLED_PREFIX if cancelled else '') + item.title)}",
            f"DESCRIPTION:{escape_text(description)}",
            "CATEGORIES:" + ",".join(escape_text(c) for c in categories),
            f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
            f"TRANSP:{'OPAQUE' if item.kind == 'live' else 'TRANSPARENT'}",
        ]
        if config.export.location:
            lines.append(f"LOCATION:{escape_text(config.export.location)}")
        if item.kind == "live" and not cancelled and channel.lives is not None:
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                f"DESCRIPTION:{escape_text(f'Rappel : {item.title}')}",
                f"TRIGGER:-PT{channel.lives.reminder_minutes}M",
                "END:VALARM",
            ]
        lines.append("END:VEVENT")
        return lines


def render_ics(
    config: Config,
    items: list[Item],
    now: datetime,
    name: str,
    last_modified: dict[str, datetime] | None = None,
) -> bytes:
    """One calendar file (see `Calendars` to render several sharing their events)."""
    return Calendars(config, now, last_modified).render(name, items)
