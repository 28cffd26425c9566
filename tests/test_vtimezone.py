"""The VTIMEZONE of the exported calendars, as independent readers apply it.

python-dateutil's `tzical` reads the VTIMEZONE text of plan.ics (not zoneinfo): across
each horizon it must give the UTC offset zoneinfo gives, and the same offset
for the wall-clock times around each clock change; icalendar must list the same changes.
Zones: Paris, Montréal and La Réunion (the users' own), then harder cases.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from dateutil.tz import tzical
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from planner.config import LoadedConfig
from planner.export import vtimezone as module
from planner.export.ics import render_ics
from planner.export.vtimezone import vtimezone
from planner.items import Item

NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
HALF_HOUR = timedelta(minutes=30)
QUARTER = timedelta(minutes=15)

HORIZONS = {
    "Europe/Paris": (2018, 2028),
    "America/Montreal": (2018, 2028),
    "Indian/Reunion": (2018, 2028),
    "Pacific/Auckland": (2024, 2026),  # southern hemisphere: summer across the new year
    "Australia/Lord_Howe": (2024, 2026),  # summer time of half an hour
    "America/Sao_Paulo": (2018, 2021),  # summer time abolished in 2019
    "Asia/Jerusalem": (2023, 2025),  # Friday before the last Sunday: 29 March 2024
    "Africa/Cairo": (2022, 2025),  # summer time back in 2023, ending 1 November in 2024
}
"""Zone → first and last year checked (whole years): the users' zones get eleven years, the
others the years that matter."""


def post(zone: str, start: datetime, key: str) -> Item:
    return Item(
        id=f"2026-01-01-linkedin-{key}",
        channel="linkedin",
        kind="post",
        start=start,
        end=start + HALF_HOUR,
        timezone=zone,
        audience="of",
        phase="awareness",
        content_type="conseil",
        format="texte",
        message="Message",
        title="Titre",
        description="Description",
    )


@pytest.fixture(scope="module")
def calendars(loaded: LoadedConfig) -> dict[str, str]:
    """plan.ics per zone, with a post on the first and on the last day of its horizon."""
    texts = {}
    for zone, (first, last) in HORIZONS.items():
        local = ZoneInfo(zone)
        items = [
            post(zone, datetime(first, 1, 1, 12, tzinfo=local), "a"),
            post(zone, datetime(last, 12, 31, 12, tzinfo=local), "b"),
        ]
        texts[zone] = render_ics(loaded.config, items, NOW, zone).decode("utf-8")
    return texts


def reader(text: str, zone: str) -> tzinfo:
    found = tzical(io.StringIO(text)).get(zone)
    assert found is not None
    return found


def half_hours(zone: str) -> Iterator[datetime]:
    first, last = HORIZONS[zone]
    moment, end = datetime(first, 1, 1, tzinfo=UTC), datetime(last + 1, 1, 1, tzinfo=UTC)
    while moment < end:
        yield moment
        moment += HALF_HOUR


@cache
def changes(zone: str) -> tuple[datetime, ...]:
    """The half hours at which zoneinfo's offset differs from the half hour before (every
    change of these zones falls on a half hour)."""
    local = ZoneInfo(zone)
    found, previous = [], None
    for moment in half_hours(zone):
        offset = moment.astimezone(local).utcoffset()
        if previous is not None and offset != previous:
            found.append(moment)
        previous = offset
    return tuple(found)


def vtimezone_text(zone: str, first: date, last: date) -> str:
    return vtimezone(zone, first, last)


@pytest.mark.parametrize("zone", HORIZONS)
def test_the_whole_horizon_reads_the_zoneinfo_offset(calendars: dict[str, str], zone: str) -> None:
    """Every third hour of the horizon, and every half hour from two hours before to two
    hours after each change (a spurious change in the VTIMEZONE lasts at least a season)."""
    ics = reader(calendars[zone], zone)
    local = ZoneInfo(zone)
    near = {c + k * HALF_HOUR for c in changes(zone) for k in range(-4, 5)}
    sampled = sorted({m for m in half_hours(zone) if m.hour % 3 == 0 and m.minute == 0} | near)
    wrong = [
        (moment, moment.astimezone(ics).utcoffset(), moment.astimezone(local).utcoffset())
        for moment in sampled
        if moment.astimezone(ics).utcoffset() != moment.astimezone(local).utcoffset()
    ]
    assert wrong == [], wrong[:3]
    assert changes(zone) or zone == "Indian/Reunion"


@pytest.mark.parametrize("zone", HORIZONS)
def test_wall_times_around_each_change_read_the_same(calendars: dict[str, str], zone: str) -> None:
    """Every quarter hour of wall-clock time from an hour before to an hour after each change
    converts to the same UTC instant; an hour that happens twice is read twice (fold 0 then
    1). Times skipped by the change are left out: planner never writes them."""
    ics, local = reader(calendars[zone], zone), ZoneInfo(zone)
    checked = 0
    for change in changes(zone):
        old = (change - HALF_HOUR).astimezone(local).utcoffset()
        new = change.astimezone(local).utcoffset()
        assert old is not None and new is not None
        wall = (change + min(old, new) - timedelta(hours=1)).replace(tzinfo=None)
        end = (change + max(old, new) + timedelta(hours=1)).replace(tzinfo=None)
        while wall <= end:
            first = wall.replace(tzinfo=local)
            exists = first.astimezone(UTC).astimezone(local).replace(tzinfo=None) == wall
            twice = first.utcoffset() != wall.replace(tzinfo=local, fold=1).utcoffset()
            for fold in (0, 1) if exists and twice else (0,) if exists else ():
                expected = wall.replace(tzinfo=local, fold=fold).utcoffset()
                assert wall.replace(tzinfo=ics, fold=fold).utcoffset() == expected, (wall, fold)
                checked += 1
            wall += QUARTER
    assert checked >= 9 * len(changes(zone))


@pytest.mark.parametrize("zone", HORIZONS)
def test_icalendar_and_ical_read_the_calendar(calendars: dict[str, str], zone: str) -> None:
    text = calendars[zone]
    strict = IcsCalendarStream.calendar_from_ics(text)
    assert zone in {t.tz_id for t in strict.timezones} and len(strict.events) == 2
    (component,) = Calendar.from_ical(text).timezones
    times, details = component.get_transitions()
    first, last = HORIZONS[zone]
    offsets = [offset for offset, _, _ in details]
    read = [
        moment
        for moment, offset, previous in zip(times[1:], offsets[1:], offsets[:-1], strict=True)
        if offset != previous and datetime(first, 1, 1) <= moment < datetime(last + 1, 1, 1)
    ]
    assert read == [c.replace(tzinfo=None) for c in changes(zone)]


def block(text: str, name: str) -> list[str]:
    return re.findall(rf"BEGIN:{name}\r\n(.*?)END:{name}\r\n", text, flags=re.DOTALL)


def test_paris_is_two_yearly_rules_starting_at_the_old_local_time(loaded: LoadedConfig) -> None:
    """Summer time starts at 02:00 (the local time before the change), not 03:00; both
    changes repeat by RRULE, without RDATE. A plan in 2026 carries 2025 to 2027."""
    start = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
    text = render_ics(loaded.config, [post("Europe/Paris", start, "a")], NOW, "Plan").decode()
    assert block(text, "VTIMEZONE") == [
        "TZID:Europe/Paris\r\n"
        "BEGIN:STANDARD\r\n"
        "DTSTART:20241027T030000\r\n"
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
        "TZNAME:CET\r\n"
        "TZOFFSETFROM:+0200\r\n"
        "TZOFFSETTO:+0100\r\n"
        "END:STANDARD\r\n"
        "BEGIN:DAYLIGHT\r\n"
        "DTSTART:20250330T020000\r\n"
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
        "TZNAME:CEST\r\n"
        "TZOFFSETFROM:+0100\r\n"
        "TZOFFSETTO:+0200\r\n"
        "END:DAYLIGHT\r\n"
    ]


def test_the_users_zones_over_eleven_years(calendars: dict[str, str]) -> None:
    paris, montreal = calendars["Europe/Paris"], calendars["America/Montreal"]
    assert block(paris, "DAYLIGHT")[0].startswith("DTSTART:20170326T020000\r\n")
    assert block(paris, "STANDARD")[0].startswith("DTSTART:20161030T030000\r\n")
    assert block(montreal, "DAYLIGHT")[0].startswith(
        "DTSTART:20170312T020000\r\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\n"
    )
    assert block(montreal, "STANDARD")[0].startswith(
        "DTSTART:20161106T020000\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\n"
    )
    for text in (paris, montreal):
        assert len(block(text, "DAYLIGHT")) == len(block(text, "STANDARD")) == 1
        assert "RDATE" not in text and "UNTIL" not in text and "COMMENT" not in text
    (reunion,) = block(calendars["Indian/Reunion"], "STANDARD")
    assert not block(calendars["Indian/Reunion"], "DAYLIGHT")
    assert (
        reunion
        == "DTSTART:20160101T000000\r\nTZNAME:+04\r\nTZOFFSETFROM:+0400\r\nTZOFFSETTO:+0400\r\n"
    )


def test_a_zone_without_clock_changes_is_one_standard_component() -> None:
    text = vtimezone_text("Asia/Tokyo", date(2026, 1, 1), date(2026, 12, 31))
    assert text.count("BEGIN:STANDARD") == 1 and "DAYLIGHT" not in text
    assert "TZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900" in text and "RRULE" not in text


def test_rules_that_are_not_an_nth_sunday() -> None:
    """Israel: the Friday before the last Sunday of March (not the 4th Friday, which was
    22 March 2024 instead of the 29th); Egypt: the last Friday of April, and the day after
    the last Thursday of October, which is 1 November when that Thursday is the 31st."""
    jerusalem = vtimezone_text("Asia/Jerusalem", date(2024, 1, 1), date(2026, 12, 31))
    assert "RRULE:FREQ=YEARLY;BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29;BYMONTH=3" in jerusalem
    cairo = vtimezone_text("Africa/Cairo", date(2023, 1, 1), date(2026, 12, 31)).replace(
        "\r\n ", ""
    )
    assert "DTSTART:20230428T000000\r\nRRULE:FREQ=YEARLY;BYDAY=-1FR;BYMONTH=4\r\n" in cairo
    assert "RRULE:FREQ=YEARLY;BYDAY=FR;BYMONTHDAY=26,27,28,29,30,31;BYMONTH=10" in cairo
    assert "DTSTART:20241101T000000\r\nRRULE:FREQ=YEARLY;BYDAY=FR;BYMONTHDAY=1;BYMONTH=11" in cairo
    lord_howe = vtimezone_text("Australia/Lord_Howe", date(2026, 1, 1), date(2026, 12, 31))
    assert "TZOFFSETFROM:+1030\r\nTZOFFSETTO:+1100" in lord_howe


def test_a_rule_that_stops_ends_with_until_in_utc() -> None:
    """Brazil's last change back from summer time was on 17 February 2019 at 00:00 (UTC-2):
    UNTIL is that instant in UTC (RFC 5545 §3.3.10), and no rule runs after it."""
    text = vtimezone_text("America/Sao_Paulo", date(2018, 1, 1), date(2028, 12, 31))
    assert "RRULE:FREQ=YEARLY;UNTIL=20190217T020000Z;BYDAY=3SU;BYMONTH=2" in text
    assert text.count("RRULE") == 1 and text.count("UNTIL") == 1
    assert "RDATE:20181104T000000" in text  # two summers that no yearly rule describes


def test_until_keeps_the_last_change_for_readers_that_drop_its_z() -> None:
    """East of Greenwich the instant of the last change (UTC) is earlier than its wall-clock
    time: UNTIL is the later of the two, so a reader comparing UNTIL with local times
    (python-dateutil does) still applies that last change. Jordan's last change back from
    summer time was on 29 October 2021 at 01:00 local (UTC+3), 22:00 UTC the day before."""
    text = vtimezone_text("Asia/Amman", date(2020, 1, 1), date(2024, 12, 31))
    assert "UNTIL=20211029T010000Z" in text
    ics = reader(f"BEGIN:VCALENDAR\r\n{text}END:VCALENDAR\r\n", "Asia/Amman")
    local = ZoneInfo("Asia/Amman")
    for moment in (datetime(2021, 10, 28, 22, 30, tzinfo=UTC), datetime(2022, 1, 1, tzinfo=UTC)):
        assert moment.astimezone(ics).utcoffset() == moment.astimezone(local).utcoffset()


def test_irish_winter_time_is_written_as_standard_time() -> None:
    """tzdata gives Ireland a negative saving in winter; readers expect DAYLIGHT to be the
    summer, as in every other zone: IST is DAYLIGHT, GMT is STANDARD."""
    text = vtimezone_text("Europe/Dublin", date(2026, 1, 1), date(2026, 12, 31))
    daylight, standard = block(text, "DAYLIGHT"), block(text, "STANDARD")
    assert len(daylight) == len(standard) == 1
    assert "TZNAME:IST\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100" in daylight[0]
    assert "TZNAME:GMT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000" in standard[0]


def test_same_input_same_bytes_and_shared(loaded: LoadedConfig) -> None:
    span = (date(2025, 1, 1), date(2027, 12, 31))
    first = vtimezone("America/Montreal", *span)
    assert vtimezone("America/Montreal", *span) is first
    text = first
    vtimezone.cache_clear()
    module._month_changes.cache_clear()
    assert vtimezone("America/Montreal", *span) == text
    with pytest.raises(ValueError):
        vtimezone("Europe/Paris", date(2026, 1, 1), date(2025, 1, 1))
