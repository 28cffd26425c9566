"""`.ics` calendars that import cleanly into Google Calendar, and re-import as updates.

RFC 5545 choices: one VTIMEZONE per TZID, DTSTART/DTEND with TZID, DTSTAMP in UTC (from
`--now`, for reproducible files), a stable UID per item, SEQUENCE that grows with each
change, no METHOD (a plain publish, not an invitation), no ORGANIZER or ATTENDEE. A removed
item is exported once more with STATUS:CANCELLED and a visible "ANNULÉ –" summary, because
Google Calendar updates events by UID but ignores STATUS on import.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event, vText

from planner import __version__
from planner.config.model import Config
from planner.export.vtimezone import vtimezone
from planner.items import Item

CANCELLED_PREFIX = "ANNULÉ – "


def uid(config: Config, item: Item) -> str:
    return f"{item.id}@{config.export.uid_domain}"


def render_ics(
    config: Config,
    items: list[Item],
    now: datetime,
    name: str,
    modified: set[str] | frozenset[str] = frozenset(),
) -> bytes:
    """The calendar of these items; `modified` ids get LAST-MODIFIED (re-planning)."""
    calendar = Calendar()
    calendar.add("prodid", f"-//planner//planner {__version__}//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(name))  # escaped: a name may hold a line break
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
        calendar.add_component(_event(config, item, stamp, item.id in modified))
    return calendar.to_ical()


def _event(config: Config, item: Item, stamp: datetime, modified: bool) -> Event:
    event = Event()
    event.add("uid", uid(config, item))
    event.add("dtstamp", stamp)
    event.add("dtstart", item.start)
    event.add("dtend", item.end)
    event.add("sequence", item.sequence)
    if modified:
        event.add("last-modified", stamp)
    cancelled = item.status == "cancelled"
    event.add("summary", (CANCELLED_PREFIX if cancelled else "") + item.title)
    why = f"\n\nPourquoi ici : {item.why}" if item.why else ""
    event.add("description", f"{item.description}{why}\n\nStatut : {item.status} · id {item.id}")
    channel = config.channels[item.channel]
    audience = config.audiences.get(item.audience)
    categories = [
        channel.label,
        audience.short if audience else item.audience,
        config.phase_label(item.phase)
        if item.phase in {p.key for p in config.phases}
        else item.phase,
        item.kind,
    ]
    event.add("categories", categories)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE" if item.kind == "live" else "TRANSPARENT")
    if config.export.location:
        event.add("location", config.export.location)
    if item.kind == "live" and not cancelled and channel.lives is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Rappel : {item.title}")
        alarm.add("trigger", timedelta(minutes=-channel.lives.reminder_minutes))
        event.add_component(alarm)
    return event
