"""Golden files: the exports of a small hand-built plan, byte for byte.

Five items of the default config (two LinkedIn posts, a Skool post, a live and its
preparation task) and a cancelled one, with texts a calendar or a spreadsheet could mangle,
rendered as plan.csv and plan.ics and compared with `tests/golden/`. Any change to what a
user imports shows up here as a diff to review: after a deliberate change, rewrite the files
with `PLANNER_WRITE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py` and read the
diff before committing it. The other tests state the contract of each field on its own.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar as ICalendar

from planner.content import texts
from planner.export.csvfile import render_csv
from planner.export.ics import Calendars
from planner.items import Item
from planner.spreadsheet import CsvStyle, write_csv
from tests.handmade import DEFAULT, PARIS, community, journey, live, m, task

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2026, 2, 20, 9, 0, tzinfo=PARIS)
"""The run's `--now`: 08:00 UTC, DTSTAMP of every event."""
EDITED = datetime(2026, 2, 18, 17, 45, tzinfo=UTC)
"""When li05 last changed (its LAST-MODIFIED), in an earlier run."""
HOSTILE = 'Virgule, point-virgule ; barre \\N et "guillemets"\nnouvelle ligne =SOMME(A1)'


def items() -> list[Item]:
    made = [
        texts(DEFAULT, i)
        for i in (
            journey("li03", m(3), "of", "awareness"),
            journey("li05", m(5), "of", "consideration", msg=1).with_(sequence=2),
            community("sk04", m(4), "tip"),
            live("live-12", m(12), "qa"),
            task("prep-12", m(11), "14:00", "preparation", "live-12"),
            community("sk06", m(6), "question").with_(status="cancelled", sequence=1),
        )
    ]
    return [i.with_(description=HOSTILE) if i.id == "sk04" else i for i in made]


def rendered_csv() -> bytes:
    return write_csv(*render_csv(items()), CsvStyle())


def rendered_ics() -> bytes:
    calendars = Calendars(DEFAULT, NOW, {"li05": EDITED})
    return calendars.render(DEFAULT.export.calendar_name, items())


@pytest.mark.parametrize(
    ("name", "render"), [("plan.csv", rendered_csv), ("plan.ics", rendered_ics)]
)
def test_the_export_is_byte_for_byte_the_golden_file(name: str, render: object) -> None:
    assert callable(render)
    data = render()
    path = GOLDEN / name
    if os.environ.get("PLANNER_WRITE_GOLDEN"):
        path.write_bytes(data)
    assert data == path.read_bytes()


def test_titles_name_the_channel_then_what_the_item_is() -> None:
    """settings.yaml's `export.titles`: a short channel tag, then audience, phase or type."""
    assert {i.id: i.title for i in items()} == {
        "li03": "LI · OF · Prise de conscience — 40h/mois de paperasse Qualiopi. Ça vous parle ?",
        "li05": "LI · OF · Considération — Partagé. Pas remplacé.",
        "sk04": "SK · Tip QALIA — Astuce : comment utiliser le mode audit pour [X]",
        "live-12": "LIVE · Q&A Qualiopi — Vos questions de conformité Qualiopi, en direct",
        "prep-12": "À FAIRE · Préparation du live — À faire : preparation",
        "sk06": "SK · Question du jour — Quel indicateur Qualiopi vous pose le plus de problème ?",
    }


def events() -> dict[str, ICalendar]:
    calendar = ICalendar.from_ical(rendered_ics())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_every_uid_is_the_id_at_the_configured_domain() -> None:
    assert DEFAULT.export.uid_domain == "planner.qalia.fr"
    assert sorted(events()) == sorted(f"{i.id}@planner.qalia.fr" for i in items())


def test_dtstamp_is_now_in_utc_and_sequence_and_last_modified_follow_the_item() -> None:
    found = events()
    for event in found.values():
        assert event.decoded("DTSTAMP") == datetime(2026, 2, 20, 8, 0, tzinfo=UTC)
    assert {u: int(e["SEQUENCE"]) for u, e in found.items()} == {
        f"{i.id}@planner.qalia.fr": i.sequence for i in items()
    }
    modified = {u for u, e in found.items() if "LAST-MODIFIED" in e}
    assert modified == {"li05@planner.qalia.fr"}
    assert found["li05@planner.qalia.fr"].decoded("LAST-MODIFIED") == EDITED


def test_a_cancelled_item_is_exported_cancelled_and_says_so() -> None:
    event = events()["sk06@planner.qalia.fr"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]).startswith("ANNULÉ – ")


def test_a_hostile_text_reads_back_as_written() -> None:
    """The calendar's description is the item's, then its status and id."""
    description = str(events()["sk04@planner.qalia.fr"]["DESCRIPTION"])
    assert description == HOSTILE + "\n\nStatut : planifié · id sk04"
