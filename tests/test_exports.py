"""CSV and ICS files as spreadsheets and calendar apps read them."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar
from typer.testing import CliRunner

from planner.calendar import Horizon
from planner.cli import app
from planner.export.bundle import plan_files
from planner.export.csvfile import FORMULA_STARTS, neutralise, render_csv, restore
from planner.export.gcal import COLUMNS as GCAL_COLUMNS
from planner.items import CSV_COLUMNS
from planner.planning import Plan
from planner.spreadsheet import write_csv
from tests.conftest import MINIMAL, NOW, SIX_MONTHS, PlanCache, config_copy


def files_of(plan: Plan) -> dict[str, bytes]:
    return {f.name: f.content for f in plan_files(plan, NOW)}


@pytest.fixture(scope="module")
def march_files(plans: PlanCache) -> tuple[Plan, dict[str, bytes]]:
    plan = plans(Horizon.month(2026, 3))
    return plan, files_of(plan)


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_csv_has_the_contract_columns_sorted_by_start(march_files) -> None:  # type: ignore[no-untyped-def]
    plan, files = march_files
    rows = csv_rows(files["plan.csv"])
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert len(rows) == len(plan.items)
    starts = [datetime.fromisoformat(r["start"]) for r in rows]
    assert starts == sorted(starts)
    assert rows[0]["start"].endswith("+01:00")
    for row in rows:
        for column in ("id", "channel", "kind", "audience", "phase", "message", "format", "why"):
            assert row[column], (row["id"], column)


def test_ics_parses_strictly_and_matches_the_csv(march_files) -> None:  # type: ignore[no-untyped-def]
    _, files = march_files
    text = files["plan.ics"].decode("utf-8")
    rows = csv_rows(files["plan.csv"])
    strict = IcsCalendarStream.calendar_from_ics(text)
    assert len(strict.events) == len(rows)
    assert vobject.readOne(text, validate=True)
    parsed = Calendar.from_ical(files["plan.ics"])
    events = list(parsed.walk("VEVENT"))
    by_uid = {str(e["UID"]): e for e in events}
    for row in rows:
        event = by_uid[f"{row['id']}@planner.qalia.fr"]
        assert event.decoded("DTSTART") == datetime.fromisoformat(row["start"])
        assert event.decoded("DTEND") == datetime.fromisoformat(row["end"])
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    zones = [str(z["TZID"]) for z in parsed.walk("VTIMEZONE")]
    assert zones == ["Europe/Paris"]


def test_ics_is_a_plain_publish_for_google_calendar(march_files) -> None:  # type: ignore[no-untyped-def]
    _, files = march_files
    raw = files["plan.ics"]
    assert not raw.startswith(b"\xef\xbb\xbf")
    lines = raw.split(b"\r\n")
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    text = raw.decode("utf-8")
    for forbidden in ("METHOD:", "ORGANIZER", "ATTENDEE"):
        assert forbidden not in text
    assert "VERSION:2.0" in text and "PRODID:" in text
    parsed = Calendar.from_ical(raw)
    for event in parsed.walk("VEVENT"):
        assert event.decoded("DTSTAMP").utcoffset().total_seconds() == 0
        assert "SEQUENCE" in event and event["CATEGORIES"]
        description = str(event["DESCRIPTION"])
        for label in ("Audience :", "Phase :", "Message clé :", "Format :", "Timing :"):
            assert label in description
        has_alarm = any(c.name == "VALARM" for c in event.subcomponents)
        assert has_alarm == str(event["SUMMARY"]).startswith("LIVE ·")


def test_channel_calendars_split_the_plan(march_files) -> None:  # type: ignore[no-untyped-def]
    _, files = march_files
    total = sum(files[f"plan-{c}.ics"].count(b"BEGIN:VEVENT") for c in ("linkedin", "skool"))
    assert total == files["plan.ics"].count(b"BEGIN:VEVENT")
    assert files["plan-linkedin.ics"].count(b"BEGIN:VTIMEZONE") == 1


def test_uids_are_stable_across_runs(plans: PlanCache, march_files) -> None:  # type: ignore[no-untyped-def]
    from planner.planning import make_plan

    plan, files = march_files
    again = files_of(make_plan(plan.loaded, plan.horizon))
    assert again == files


def test_google_csv_format(march_files) -> None:  # type: ignore[no-untyped-def]
    _, files = march_files
    rows = list(csv.reader(io.StringIO(files["plan-gcal.csv"].decode("utf-8"))))
    assert tuple(rows[0]) == GCAL_COLUMNS
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Start Date"] == "03/02/2026"
    assert first["Start Time"].endswith(("AM", "PM"))
    assert first["All Day Event"] == "False"


def test_formula_cells_are_neutralised_and_read_back(plans: PlanCache) -> None:
    plan = plans(Horizon.month(2026, 3))
    evil = ['=HYPERLINK("http://x")', "+33 6 12", "-2 posts", "@SUM(A1)", "\tx", "\rx"]
    items = [i.with_(title=text, message=text) for i, text in zip(plan.items, evil, strict=False)]
    header, rows = render_csv(items)
    content = write_csv(header, rows).decode("utf-8")
    frame = pd.read_csv(io.StringIO(content), dtype=str, keep_default_na=False)
    for text, title in zip(evil, frame["title"], strict=False):
        assert title == "'" + text
        assert restore(title) == text
    assert neutralise("Bonjour") == "Bonjour"


def test_report_covers_each_month(plans: PlanCache, tmp_path: Path) -> None:
    plan = plans(SIX_MONTHS)
    report = files_of(plan)["report.md"].decode("utf-8")
    for month in ("Janvier", "Février", "Mars", "Avril", "Mai", "Juin"):
        assert f"## {month} 2026" in report
    assert "optimal mois par mois" in report  # each month proven given the ones before
    assert "Préférences manquées" in report


@given(st.one_of(st.text(), st.text("'=+-@\t\r\n a1é")))
def test_neutralise_round_trips_any_text(text: str) -> None:
    """What planner writes to a CSV reads back to the same text, and never runs as a
    formula: an apostrophe in front of a formula character is the text's own."""
    cell = neutralise(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert restore(cell) == text


FORMULAS = ["=SOMME(A1:A9)", "+33 6 12 34 56 78", "-20 % ce mois-ci", "@QALIA vous répond"]
FORMULAS += ["\tTabulation en tête", "\rRetour chariot en tête", "'=Apostrophe déjà là"]


def test_formula_texts_from_the_rules_are_neutralised_in_every_csv(tmp_path: Path) -> None:
    """Messages, labels and formats a marketer writes with a leading =, +, -, @, tab or CR
    come out escaped in plan.csv and plan-gcal.csv, and read back (pandas) unchanged."""

    def formulas(data: dict[str, Any]) -> None:
        journeys = data["journeys.yaml"]["journeys"]
        for stage in journeys["of"]["stages"]:
            stage["messages"] = FORMULAS[:4]
        journeys["coachs"]["stages"][0]["messages"] = FORMULAS[4:]
        channels = data["channels.yaml"]["channels"]
        channels["linkedin"]["label"] = "-LinkedIn-"
        channels["skool"]["types"]["question"]["label"] = "=Question"
        channels["skool"]["lives"]["formats"]["qa"]["label"] = "@Questions"

    folder = config_copy(MINIMAL, tmp_path / "inputs", formulas)
    out = tmp_path / "out"
    args = ["plan", "--config", str(folder), "--month", "2026-03", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    read = {"dtype": str, "keep_default_na": False}
    plan = pd.read_csv(out / "2026-03" / "plan.csv", **read)
    gcal = pd.read_csv(out / "2026-03" / "plan-gcal.csv", **read)
    for frame in (plan, gcal):
        for cell in frame.to_numpy().ravel():
            assert not cell.startswith(FORMULA_STARTS), cell
    posts = plan[plan["audience"].isin(["of", "coachs"])]
    messages = {restore(m) for m in posts["message"]}
    assert messages <= set(FORMULAS) and len(messages) >= 5, messages
    titles = {restore(t) for t in plan.loc[plan["status"] != "cancelled", "title"]}
    assert {restore(s) for s in gcal["Subject"]} == titles
    assert any(t.startswith("-LinkedIn-") for t in titles)
    assert any(t.startswith("@Questions") or "=Question" in t for t in titles)
