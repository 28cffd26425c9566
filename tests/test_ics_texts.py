"""Texts read back from the .ics as they were typed: titles, descriptions, categories and
the calendar's name, read by icalendar and by independent readers (ical, vobject). The
calendar's name is TEXT like the others (RFC 5545 §3.8.8.2, the default for X- properties),
but icalendar and ical keep X- properties as written: only vobject unescapes it.

Two changes only, as RFC 5545 TEXT allows no other way: a carriage return (alone or before
a line feed) reads back as a line feed, and control characters other than tab and line feed
are dropped."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from planner.config import LoadedConfig
from planner.export.ics import escape_text, render_ics
from planner.items import Item

NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
START = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))

HOSTILE = [
    "Barre oblique et N : \\N, et n minuscule : \\n",
    "C:\\Nouveau dossier\\notes\\",
    "\\",
    "\\\\N",
    "\\,\\;\\\\",
    "Point-virgule ; virgule , deux-points : fin",
    "Ligne 1\nLigne 2\n\nLigne 4\n",
    "Tabulation\tici",
    "Émoji 🎉 famille 👩‍👩‍👧 drapeau 🇫🇷, accents éèêàç « guillemets »",
    "x" * 73 + "é" * 40 + "🎉" * 30 + "👩‍👩‍👧" * 10,
    "  espaces autour  ",
    "Séparateurs Unicode :\u2028ligne\u2029paragraphe\x85suivante",
    "",
]


def post(**changes: object) -> Item:
    item = Item(
        id="2026-03-10-linkedin-1",
        channel="linkedin",
        kind="post",
        start=START,
        end=START + timedelta(minutes=30),
        timezone="Europe/Paris",
        audience="of",
        phase="awareness",
        content_type="conseil",
        format="texte",
        message="Message",
        title="Titre",
        description="Description",
    )
    return item.with_(**changes)


def as_read(text: str) -> str:
    """What any reader gets back for `text`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub("[\x00-\x08\x0b-\x1f\x7f]", "", text)


def hostile_calendar(loaded: LoadedConfig, text: str) -> bytes:
    """`text` as title, description, two categories (an unknown audience and phase are
    shown as they are) and calendar name."""
    item = post(title=text, description=text, audience=text, phase=text)
    return render_ics(loaded.config, [item], NOW, text)


def assert_reads_back(loaded: LoadedConfig, raw: bytes, text: str) -> None:
    expected = as_read(text)
    description = f"{expected}\n\nStatut : planifié · id 2026-03-10-linkedin-1"
    categories = [loaded.config.channels["linkedin"].label, expected, expected, "post"]

    parsed = Calendar.from_ical(raw)
    (event,) = parsed.events
    assert str(event["SUMMARY"]) == expected
    assert str(event["DESCRIPTION"]) == description
    assert event.categories == categories

    read = vobject.readOne(raw.decode("utf-8"))  # the one that unescapes X-WR-CALNAME
    assert read.vevent.summary.value == expected
    assert read.vevent.description.value == description
    assert read.vevent.categories.value == categories
    assert read.contents["x-wr-calname"][0].value == expected

    (strict,) = IcsCalendarStream.calendar_from_ics(raw.decode("utf-8")).events
    assert (strict.summary or "") == expected
    assert strict.description == description


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_texts_read_back_unchanged(loaded: LoadedConfig, text: str) -> None:
    assert as_read(text) == text
    assert_reads_back(loaded, hostile_calendar(loaded, text), text)


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Windows\r\nligne", "Windows\nligne"),
        ("Vieux Mac\rligne", "Vieux Mac\nligne"),
        ("Contrôle\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f fin", "Contrôle fin"),
    ],
)
def test_what_text_cannot_hold(loaded: LoadedConfig, text: str, read: str) -> None:
    assert as_read(text) == read
    assert_reads_back(loaded, hostile_calendar(loaded, text), text)


def test_a_typed_backslash_n_is_written_escaped() -> None:
    """icalendar's vText wrote `\\N` as `\\n`, a line break for every reader."""
    assert escape_text("a\\Nb") == "a\\\\Nb"
    assert escape_text("a\nb;c,d\\") == "a\\nb\\;c\\,d\\\\"


def test_long_lines_fold_between_characters(loaded: LoadedConfig) -> None:
    """Folded at 75 octets at most, never inside a UTF-8 character: each line decodes."""
    raw = hostile_calendar(loaded, HOSTILE[9])
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")
    assert sum(line.startswith(b" ") for line in lines) > 10


@given(st.text(st.characters(codec="utf-8") | st.sampled_from("\\;,\r\n\tN")))
def test_any_text_reads_back(loaded: LoadedConfig, text: str) -> None:
    assert_reads_back(loaded, hostile_calendar(loaded, text), text)


def test_status_and_kind_are_in_french(loaded: LoadedConfig) -> None:
    task = post(id="2026-03-10-linkedin-1-prep", kind="task", status="cancelled")
    raw = render_ics(loaded.config, [post(status="published"), task], NOW, "Plan")
    events = {e.uid.split("@")[0]: e for e in Calendar.from_ical(raw).events}
    published, cancelled = events["2026-03-10-linkedin-1"], events[task.id]
    assert "\n\nStatut : publié · id " in str(published["DESCRIPTION"])
    assert "\n\nStatut : annulé · id " in str(cancelled["DESCRIPTION"])
    assert published.categories[-1] == "post"
    assert cancelled.categories[-1] == "tâche"
    text = raw.decode("utf-8")
    for english in ("published", "cancelled", "planned", "task"):
        assert not re.search(rf"\b{english}\b", text.replace("\r\n ", "")), english
