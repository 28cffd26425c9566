"""Clock changes, by the README's rule: a candidate time that does not exist that day (the
spring gap) or exists twice (the autumn overlap) is skipped that day, and no export holds a
non-existent or ambiguous time. Checked in Paris, in La Réunion (no clock change) and in
Montréal (other dates), on the plan and in the exported files."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar as IcsCalendar

from planner.calendar import Horizon
from planner.checks import check_plan
from planner.config import load_config
from planner.export.bundle import plan_files
from planner.planning import Plan, make_plan
from planner.store.edits import local_moment
from tests.conftest import INPUTS, MINIMAL, config_copy
from tests.lifecycle import plan as run_plan
from tests.lifecycle import read_rows

NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)


def exists_once(moment: datetime) -> bool:
    """The wall-clock time exists and is not ambiguous (independent of planner.calendar)."""
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return False
    return moment.replace(fold=0).utcoffset() == moment.replace(fold=1).utcoffset()


def night_plan(tmp_path: Path, zone: str, first: date, last: date, **holidays: str) -> Plan:
    """LinkedIn every day at 01:30, 02:30 and 03:30 (one post a day, seven a week required),
    the rest of the minimal config unchanged, planned from `first` to `last`."""

    def night(data: dict[str, Any]) -> None:
        calendar = data["calendar.yaml"]["calendar"]
        calendar |= {"timezone": zone, "campaign_start": "2026-01", "blackouts": []}
        calendar["holidays"] = {"country": "FR", **holidays}
        linkedin = data["channels.yaml"]["channels"]["linkedin"]
        days = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
        linkedin |= {"days": days, "per_week": {"min": 7, "max": 7, "target": 7}}
        linkedin |= {"times": ["01:30", "02:30", "03:30"], "duration_minutes": 30}
        audiences = data["audiences.yaml"]["audiences"]
        audiences["of"] |= {"best_hours": {"start": "02:30", "end": "02:45"}, "best_days": []}
        audiences["coachs"] |= {"best_hours": {"start": "02:30", "end": "02:45"}}
        for journey in data["journeys.yaml"]["journeys"].values():
            for stage in journey["stages"]:  # one post a day needs many messages
                stage["messages"] = [f"Message {n} ({stage['phase']})" for n in range(20)]

    folder = config_copy(MINIMAL, tmp_path / zone.replace("/", "_"), night)
    plan = make_plan(load_config(folder), Horizon(first, last))
    assert check_plan(plan.loaded.config, plan.items, plan.calendar.coverage) == []
    return plan


def posts_by_day(plan: Plan) -> dict[date, time]:
    posts = [i for i in plan.items if i.channel == "linkedin"]
    return {p.start.date(): p.start.time() for p in posts}


def assert_exports_hold_real_times(plan: Plan) -> None:
    files = {f.name: f.content for f in plan_files(plan, NOW)}
    by_id = {i.id: i for i in plan.items}
    for vevent in IcsCalendar.from_ical(files["plan.ics"]).walk("VEVENT"):
        start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
        assert exists_once(start) and exists_once(end), vevent["UID"]
        assert vevent["DTSTART"].params["TZID"] == plan.loaded.config.calendar.timezone
        item = by_id[str(vevent["UID"]).split("@")[0]]
        assert (start, end) == (item.start, item.end)
    csv = files["plan.csv"].decode("utf-8")
    for item in plan.items:
        assert item.start.isoformat() in csv and item.end.isoformat() in csv


def test_paris_spring_gap_skips_0230_on_29_march(tmp_path: Path) -> None:
    plan = night_plan(tmp_path, "Europe/Paris", date(2026, 3, 26), date(2026, 4, 1))
    slots = posts_by_day(plan)
    assert slots[date(2026, 3, 28)] == time(2, 30)
    assert slots[date(2026, 3, 30)] == time(2, 30)
    assert slots.get(date(2026, 3, 29)) != time(2, 30)  # 02:30 does not exist that night
    for item in plan.items:
        assert exists_once(item.start) and exists_once(item.end), item.id
        expected = 2 if item.start.date() >= date(2026, 3, 29) else 1
        assert item.start.utcoffset() == timedelta(hours=expected), item.id
    assert_exports_hold_real_times(plan)


def test_paris_autumn_overlap_skips_0230_on_25_october(tmp_path: Path) -> None:
    plan = night_plan(tmp_path, "Europe/Paris", date(2026, 10, 22), date(2026, 10, 28))
    slots = posts_by_day(plan)
    assert slots[date(2026, 10, 24)] == time(2, 30)
    assert slots[date(2026, 10, 26)] == time(2, 30)
    assert slots.get(date(2026, 10, 25)) not in (time(1, 30), time(2, 30))  # 02:xx twice
    for item in plan.items:
        assert exists_once(item.start) and exists_once(item.end), item.id
    assert_exports_hold_real_times(plan)


def test_reunion_has_no_clock_change(tmp_path: Path) -> None:
    """Indian/Reunion stays at UTC+4: the nights Paris skips are ordinary nights there; La
    Réunion's own holiday (20 December, subdivision 974) closes the day."""
    for first, last in (
        (date(2026, 3, 26), date(2026, 4, 1)),
        (date(2026, 10, 22), date(2026, 10, 28)),
    ):
        plan = night_plan(tmp_path, "Indian/Reunion", first, last, subdivision="974")
        slots = posts_by_day(plan)
        assert all(moment == time(2, 30) for moment in slots.values())
        assert {date(2026, 3, 29), date(2026, 10, 25)} & set(slots)
        assert {i.start.utcoffset() for i in plan.items} == {timedelta(hours=4)}
        assert_exports_hold_real_times(plan)
    december = night_plan(
        tmp_path, "Indian/Reunion", date(2026, 12, 17), date(2026, 12, 23), subdivision="974"
    )
    assert date(2026, 12, 20) not in posts_by_day(december)
    ics = {f.name: f.content for f in plan_files(december, NOW)}["plan.ics"]
    zones = IcsCalendar.from_ical(ics).walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Indian/Reunion"]
    assert not zones[0].walk("DAYLIGHT")


@pytest.mark.parametrize(
    ("first", "last", "change", "skipped"),
    [
        (date(2026, 3, 5), date(2026, 3, 11), date(2026, 3, 8), (time(2, 30),)),
        (date(2026, 10, 29), date(2026, 11, 4), date(2026, 11, 1), (time(1, 30),)),
    ],
    ids=["spring-8-march", "autumn-1-november"],
)
def test_montreal_changes_clocks_on_its_own_dates(
    tmp_path: Path, first: date, last: date, change: date, skipped: tuple[time, ...]
) -> None:
    """America/Montreal springs forward on 8 March (02:00 → 03:00) and falls back on
    1 November (02:00 → 01:00): a different night, and in autumn a different hour."""
    plan = night_plan(tmp_path, "America/Montreal", first, last, country="CA", subdivision="QC")
    slots = posts_by_day(plan)
    assert slots.get(change) not in skipped
    assert slots[change - timedelta(1)] == time(2, 30)
    if change.month == 11:
        assert slots[change] == time(2, 30)  # 02:30 exists once after the fall back
    for item in plan.items:
        assert exists_once(item.start) and exists_once(item.end), item.id
    assert_exports_hold_real_times(plan)
    paris = night_plan(
        tmp_path, "America/Montreal", date(2026, 3, 27), date(2026, 3, 30), country="CA"
    )
    assert posts_by_day(paris)[date(2026, 3, 29)] == time(2, 30)  # Paris's gap, not Montréal's


@pytest.mark.parametrize(
    ("zone", "naive", "offsets"),
    [
        ("Europe/Paris", datetime(2027, 10, 31, 2, 30), ("+02:00", "+01:00")),
        ("America/Montreal", datetime(2027, 11, 7, 1, 30), ("-04:00", "-05:00")),
        ("Australia/Lord_Howe", datetime(2027, 4, 4, 1, 45), ("+11:00", "+10:30")),
    ],
)
def test_a_time_that_exists_twice_is_refused_with_the_zones_own_two_readings(
    zone: str, naive: datetime, offsets: tuple[str, str]
) -> None:
    """The refusal used to show a Paris example to every zone."""
    day = naive.date().isoformat()
    first, second = (f"{day}T{naive:%H:%M}:00{offset}" for offset in offsets)
    with pytest.raises(Exception, match="existe deux fois") as caught:
        local_moment(naive, ZoneInfo(zone), "start")
    assert f"{first} (la première fois) ou {second} (la seconde)" in str(caught.value)


def test_a_new_time_zone_is_named_in_the_changes(tmp_path: Path) -> None:
    """After the config's zone changes, the items move to the same wall-clock hours of the
    new zone: changes.csv used to say « 08:30 → 08:30 » and blame « Heures candidates »."""

    def montreal(data: dict[str, Any]) -> None:
        calendar = data["calendar.yaml"]["calendar"]
        calendar["timezone"] = "America/Montreal"
        calendar["holidays"] = {"country": "CA", "subdivision": "QC"}

    out = tmp_path / "out"
    run_plan(out, "2027-03", "2026-12-15T09:00", config=INPUTS)
    run_plan(
        out, "2027-03", "2026-12-15T09:00", config=config_copy(INPUTS, tmp_path / "ca", montreal)
    )
    moved = [r for r in read_rows(out / "2027-03" / "changes.csv") if r["changement"] == "déplacé"]
    assert moved
    for row in moved:
        assert row["avant"].endswith("(Europe/Paris)") and row["après"].endswith(
            "(America/Montreal)"
        ), row
        assert (
            "fuseau horaire de la configuration est passé de Europe/Paris à America/Montreal"
            in (row["raison"])
        )
