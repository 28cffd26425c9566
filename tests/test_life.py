"""Issue 10: a plan that lives month after month in one store. Months planned one after
the other obey every rule across their boundary; a planned month is re-planned with the
same ids and UIDs; explanations follow every run; nothing lands before --now; frozen rows
that break a rule are warnings, never a bug of planner."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from planner.calendar import Calendar, monday_of
from planner.config import load_config
from planner.export.report_md import STATUS
from planner.items import Item
from planner.weekdays import FRENCH_DAYS
from tests.conftest import INPUTS, MINIMAL, config_copy
from tests.lifecycle import (
    Row,
    a_post,
    another_time,
    by_id,
    calendar_of,
    day_of,
    events,
    free_days,
    live_days,
    moment,
    onto_a_holiday,
    pick,
    plan,
    planner,
    preparation_of,
    read_rows,
    replan,
    row_of,
    scheduled,
    set_cells,
    start_of,
    stored,
    two_posts_of_one_week,
    violations,
)

MARCH_NOW, LATER = "2026-02-20T09:00", "2026-02-21T09:00"
MARCH = "2026-03"
VIEWS = ("plan.csv", "plan.xlsx", "plan.ics", "plan-linkedin.ics", "plan-skool.ics",
         "plan-gcal.csv")  # fmt: skip
"""The files a no-change re-run must leave byte for byte (report.md gains its change
section, by design)."""


def active(out: Path, kind: str) -> list[Item]:
    items = [s.item for s in stored(out)[0].values()]
    return sorted((i for i in items if i.active and i.kind == kind), key=lambda i: i.start)


# --- 1. month after month ---------------------------------------------------------------


def test_march_then_april_obey_the_rules_across_their_boundary(tmp_path: Path) -> None:
    """Regression: after March, April placed a Masterclass on 14/04 right after the one of
    26/03, and "Une ingénierie en mangeant un carry" went to OF on 31/03 and 02/04."""
    plan(tmp_path, "2026-03", MARCH_NOW, config=INPUTS)
    plan(tmp_path, "2026-04", "2026-03-20T09:00", config=INPUTS)
    assert [v.render() for v in violations(tmp_path, INPUTS)] == []
    lives = active(tmp_path, "live")
    assert len(lives) == 4
    for first, second in pairwise(lives):
        assert (second.day - first.day).days >= 7, (first.id, second.id)
        assert first.content_type != second.content_type, (first.id, second.id)
    journeys = load_config(INPUTS).config.journeys
    by_audience: dict[str, list[Item]] = {}
    for post in active(tmp_path, "post"):
        if post.channel == "linkedin" and not post.parent:
            by_audience.setdefault(post.audience, []).append(post)
    for audience, posts in by_audience.items():
        for first, second in pairwise(posts):
            [stage] = [s for s in journeys[audience].stages if s.phase == second.phase]
            if len(stage.messages) + len(stage.briefs) > 1:
                assert first.message != second.message, (first.id, second.id)


def test_a_year_planned_month_by_month_breaks_no_rule(tmp_path: Path) -> None:
    """Each month planned with a --now before it; the checker reads the store's whole year
    with the store's coverage, cross-month rules included."""
    for month in range(1, 13):
        now = "2025-12-20T09:00" if month == 1 else f"2026-{month - 1:02d}-20T09:00"
        plan(tmp_path, f"2026-{month:02d}", now, config=INPUTS)
    coverage = stored(tmp_path)[1]
    assert coverage.spans == ((datetime(2026, 1, 1).date(), datetime(2026, 12, 31).date()),)
    assert [v.render() for v in violations(tmp_path, INPUTS)] == []
    assert len(active(tmp_path, "live")) == 24


def test_a_month_planned_after_a_gap_of_months_keeps_the_message_rotation(
    tmp_path: Path,
) -> None:
    """March and April 2026, then January 2027 in the same folder: January's first message
    of each sequence still differs from April's last one, months away."""
    for month, now in (("2026-03", "2026-02-20T09:00"), ("2026-04", "2026-03-20T09:00")):
        plan(tmp_path, month, now, config=INPUTS)
    output = plan(tmp_path, "2027-01", "2026-12-03T09:00", config=INPUTS)
    assert "Rotation des messages" not in output
    assert [v.render() for v in violations(tmp_path, INPUTS)] == []


# --- 2. one command for a month that already has a plan ---------------------------------


def test_replanning_an_unchanged_month_changes_nothing(out: Path) -> None:
    folder = out / "2026-03"
    first = {name: (folder / name).read_bytes() for name in VIEWS}
    output = plan(out, "2026-03", MARCH_NOW)
    assert "Changements : aucun" in output
    assert {name: (folder / name).read_bytes() for name in VIEWS} == first
    assert read_rows(folder / "changes.csv") == []


SEMINAR = ("2026-03-10", "2026-03-11", "2026-03-12")
"""Blocked days added to the rules after March was planned: a live, posts, a removal."""


def blackout(*days: str) -> Any:
    def edit(data: dict[str, Any]) -> None:
        data["calendar.yaml"]["calendar"]["blackouts"] += [
            {"date": day, "label": "Séminaire"} for day in days
        ]

    return edit


def test_a_rule_change_keeps_every_uid_and_says_what_changed(tmp_path: Path) -> None:
    """Regression: after a blackout was added, 10 UIDs vanished without a CANCELLED export
    and 10 new ones appeared; no history, no changes.csv."""
    out = tmp_path / "out"
    seminar = config_copy(INPUTS, tmp_path / "inputs", blackout(*SEMINAR))
    plan(out, "2026-03", MARCH_NOW, config=INPUTS)
    ics = out / "2026-03" / "plan.ics"
    before = events(ics)
    output = plan(out, "2026-03", MARCH_NOW, config=seminar)
    after = events(ics)
    assert set(before) <= set(after)
    changes = {r["identifiant"]: r for r in read_rows(out / "2026-03" / "changes.csv")}
    moved = {k for k, r in changes.items() if r["changement"] == "déplacé"}
    removed = {k for k, r in changes.items() if r["changement"] == "retiré"}
    assert moved and removed
    for uid, old in before.items():
        new = after[uid]
        key = uid.split("@")[0]
        if new.to_ical() == old.to_ical():
            assert key not in changes
            continue
        assert new["SEQUENCE"] > old["SEQUENCE"], uid
        assert "LAST-MODIFIED" in new, uid
        if key in removed:
            assert str(new["STATUS"]) == "CANCELLED"
        if key in moved:
            assert new["DTSTART"].dt != old["DTSTART"].dt
    for event in after.values():  # nothing planned on the seminar days
        if str(event["STATUS"]) != "CANCELLED":
            assert event["DTSTART"].dt.date().isoformat() not in SEMINAR
    assert "déplacé(s)" in output and "retiré(s)" in output
    assert "À supprimer à la main dans Google Agenda" in output
    history = planner("history", "--out", out)[1]
    assert "n° 2" in history and "déplacé" in history
    second = ics.read_bytes()
    assert "Changements : aucun" in plan(out, "2026-03", MARCH_NOW, config=seminar)
    assert ics.read_bytes() == second  # LAST-MODIFIED and SEQUENCE kept


def test_fresh_cancels_the_planned_rows_and_keeps_the_frozen_ones(
    out: Path, march: list[Row], post: str
) -> None:
    skool = a_post(march, "skool", MARCH)["id"]
    csv = out / "2026-03" / "plan.csv"
    set_cells(csv, post, status="publié")
    set_cells(csv, skool, status="verrouillé")
    replan(out, csv, MARCH_NOW)
    before = events(out / "2026-03" / "plan.ics")
    output = plan(out, "2026-03", MARCH_NOW, "--fresh")
    after = events(out / "2026-03" / "plan.ics")
    frozen = {f"{post}@planner.test", f"{skool}@planner.test"}
    assert set(before) < set(after)
    for uid, event in before.items():
        if uid in frozen:
            assert after[uid].to_ical() == event.to_ical()
        else:
            assert str(after[uid]["STATUS"]) == "CANCELLED", uid
            assert after[uid]["SEQUENCE"] == event["SEQUENCE"] + 1
    new = [e for u, e in after.items() if u not in before]
    assert new and all(str(e["STATUS"]) == "CONFIRMED" for e in new)
    assert "recommence à neuf" in (out / "2026-03" / "changes.csv").read_text("utf-8")
    assert "À supprimer à la main" in output
    assert violations(out) == []


def test_a_range_over_a_planned_month_reuses_its_items(out: Path, tmp_path: Path) -> None:
    """Regression: March then the year as a range gave 21 shared UIDs with different content
    and the same SEQUENCE 0, and 6 orphaned events."""
    march = events(out / "2026-03" / "plan.ics")
    code, output = planner("plan", "--config", MINIMAL, "--from", "2026-03-01",
                           "--to", "2026-06-30", "--now", MARCH_NOW, "--out", out)  # fmt: skip
    assert code == 0, output
    span = events(out / "2026-03-01_2026-06-30" / "plan.ics")
    again = events(out / "2026-03" / "plan.ics")
    assert set(march) == set(again) and set(march) < set(span)
    for uid, event in march.items():
        shown = ("DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "STATUS")
        if all(span[uid].get(f) == event.get(f) for f in shown):
            assert span[uid]["SEQUENCE"] == event["SEQUENCE"], uid
        else:
            assert span[uid]["SEQUENCE"] > event["SEQUENCE"], uid
        assert span[uid].to_ical() == again[uid].to_ical()  # both folders show one event
    assert violations(out) == []
    alone = tmp_path / "alone"  # the new months are planned as if March were not re-planned
    code, output = planner("plan", "--config", MINIMAL, "--from", "2026-03-01", "--to",
                           "2026-06-30", "--now", MARCH_NOW, "--out", alone)  # fmt: skip
    assert code == 0, output
    assert slots(out) == slots(alone)


def slots(out: Path) -> list[tuple[str, str, datetime]]:
    items = [s.item for s in stored(out)[0].values() if s.item.active]
    return sorted((i.channel, i.kind, i.start) for i in items)


# --- 4. explanations follow every run ---------------------------------------------------


def pourquoi(event: Any) -> str:
    text = str(event["DESCRIPTION"])
    found = re.search(r"Pourquoi ici : (.*?)\n\nStatut", text, re.S)
    assert found, text
    return found.group(1)


def scores(report: str) -> tuple[str, str]:
    misses = re.search(r"Préférences manquées : \d+ \(([\d.,]+) points\)", report)
    solver = re.search(r"· ([\d.,]+) points de préférences manquées", report)
    assert misses and solver, report
    return misses.group(1), solver.group(1)


def test_a_row_moved_by_the_user_is_explained_where_it_stands(
    out: Path, march: list[Row], post: str
) -> None:
    """Regression: a moved row kept its old `why` and calendar "Pourquoi ici", and the report
    showed two scores."""
    csv = out / "2026-03" / "plan.csv"
    month = calendar_of(MARCH)
    moved = by_id(march)[post]
    week = monday_of(day_of(moved))  # another day of its week, with no LinkedIn post
    [day, *_] = [d for d in free_days(march, month, "linkedin") if monday_of(d) == week]
    clock = another_time(month, "linkedin", moved)
    asked = moment(month, day, clock)
    set_cells(csv, post, start=asked, end="")
    replan(out, csv, MARCH_NOW)
    for _ in range(2):  # the move, then a run that changes nothing
        row = row_of(csv, post)
        assert row["start"] == asked
        assert row["why"].startswith("placé à votre demande")
        assert f"{FRENCH_DAYS[day.weekday()]} {day:%d/%m} {clock:%H:%M}" in row["why"]
        calendar = events(out / "2026-03" / "plan.ics")
        for item in read_rows(csv):
            assert pourquoi(calendar[f"{item['id']}@planner.test"]) == item["why"]
        first, second = scores((out / "2026-03" / "report.md").read_text("utf-8"))
        assert first == second
        output = plan(out, "2026-03", LATER)
    assert "Changements : aucun" in output
    assert calendar[f"{post}@planner.test"]["SEQUENCE"] == 1


def test_a_folder_rewritten_by_another_months_run_shows_one_score(
    out: Path, march: list[Row]
) -> None:
    """March's folder, edited, is rewritten when April is planned: its report showed the
    score of the plan as March's run solved it next to the score of what it now holds."""
    month = calendar_of(MARCH)
    last = scheduled(march, "post", "linkedin")[-1]
    odd = clock_time(11, 30)
    assert odd not in month.config.channels["linkedin"].times  # an hour LinkedIn never uses
    set_cells(out / "2026-03" / "plan.csv", last["id"],
              start=moment(month, day_of(last), odd), end="")  # fmt: skip
    plan(out, "2026-04", "2026-03-20T09:00")
    report = (out / "2026-03" / "report.md").read_text("utf-8")
    first, second = scores(report)
    assert first == second
    assert STATUS["feasible"] in report  # what March's folder holds is no solver's proof


def test_explain_shows_the_status_in_french(out: Path, post: str) -> None:
    output = planner("explain", post, "--config", MINIMAL, "--out", out)[1]
    assert "statut planifié" in output


def test_a_refused_move_is_not_explained_as_done(tmp_path: Path) -> None:
    plan(tmp_path, "2026-04", "2026-03-20T09:00")
    csv = tmp_path / "2026-04" / "plan.csv"
    moved, asked = onto_a_holiday(read_rows(csv), calendar_of("2026-04"), "linkedin")
    set_cells(csv, moved["id"], start=asked, end="")
    replan(tmp_path, csv, "2026-03-20T09:00")
    row = row_of(csv, moved["id"])
    assert day_of(row) != datetime.fromisoformat(asked).date()
    assert "placé à votre demande" not in row["why"]


def test_a_range_report_shows_one_score(tmp_path: Path) -> None:
    code, output = planner("plan", "--from", "2026-03-01", "--to", "2026-06-30",
                           "--now", MARCH_NOW, "--out", tmp_path)  # fmt: skip
    assert code == 0, output
    report = (tmp_path / "2026-03-01_2026-06-30" / "report.md").read_text("utf-8")
    first, second = scores(report)
    assert first == second


# --- 5. nothing before --now ------------------------------------------------------------


def late(month: Calendar, live: date) -> datetime:
    """A late cancellation: 10:00 on the eve of a live day, before the preparation due that
    afternoon, and the latest such moment that leaves a replacement a live day with its
    preparation ahead: the live's own eve, or the eve of the live day before it when the
    live is on the month's last."""
    lives = month.config.channels["skool"].lives
    assert lives is not None and clock_time(10) < lives.preparation.time
    days = live_days(month)
    anchor = live if live < days[-1] else max(d for d in days if d < live)
    eve = month.previous_working_day("skool", anchor)
    return datetime.combine(eve, clock_time(10), tzinfo=month.tz)


def test_a_late_cancellation_never_places_anything_in_the_past(
    out: Path, march: list[Row], live: str
) -> None:
    """Regression: a late cancellation placed the replacement live or its preparation task
    in the past."""
    before = stored(out)[0]
    csv = out / "2026-03" / "plan.csv"
    set_cells(csv, live, status="annulé")
    cut = late(calendar_of(MARCH), day_of(by_id(march)[live]))
    replan(out, csv, f"{cut:%Y-%m-%dT%H:%M}")
    after = stored(out)[0]
    for key, record in after.items():
        if key not in before or record.item.start != before[key].item.start:
            assert record.item.start >= cut, key
    rows = by_id(read_rows(csv))
    assert rows[f"{live}-prep"]["status"] == "cancelled"
    [replacement] = [r for r in rows.values() if r["kind"] == "live" and r["status"] == "planned"]
    assert datetime.fromisoformat(replacement["start"]) > cut
    assert violations(out) == []


@pytest.mark.parametrize("which", [0, 1], ids=["first live", "second live"])
def test_each_live_of_a_month_can_be_cancelled(tmp_path: Path, which: int) -> None:
    """Regression: cancelling January 2027's first live crashed (« identifiant porté par 2
    éléments »): the replacement live's replay took the id of a post that moved away."""
    plan(tmp_path, "2027-01", "2026-12-15T09:00", config=INPUTS)
    csv = tmp_path / "2027-01" / "plan.csv"
    lives = sorted((r for r in read_rows(csv) if r["kind"] == "live"), key=start_of)
    cancelled = lives[which]["id"]
    set_cells(csv, cancelled, status="annulé")
    replan(tmp_path, csv, "2026-12-15T09:00", config=INPUTS)
    rows = read_rows(csv)
    assert len({r["id"] for r in rows}) == len(rows)
    assert by_id(rows)[cancelled]["status"] == "cancelled"
    assert violations(tmp_path, config=INPUTS) == []


def test_when_no_replacement_fits_after_now_it_is_said(out: Path, live: str) -> None:
    csv = out / "2026-03" / "plan.csv"
    month = calendar_of(MARCH)
    rules = month.config.channels["skool"].lives
    assert rules is not None
    last = live_days(month)[-1]  # the month's last live day: nothing can follow it
    set_cells(csv, live, start=moment(month, last, rules.window.start), end="")
    replan(out, csv, MARCH_NOW)
    now = start_of(preparation_of(read_rows(csv), live)) + timedelta(hours=1)  # under way
    set_cells(csv, live, status="annulé")
    output = replan(out, csv, f"{now:%Y-%m-%dT%H:%M}")
    assert "Avertissement : Lives par mois" in output
    assert "Lives par mois" in (out / "2026-03" / "report.md").read_text("utf-8")
    lives = [r for r in read_rows(csv) if r["kind"] == "live"]
    assert [r["status"] for r in lives] == ["cancelled"]


# --- 6. frozen rows that break a rule are warnings --------------------------------------


def test_frozen_rows_that_break_a_rule_are_kept_and_reported(tmp_path: Path) -> None:
    """Regression: a locked row whose phase the user changed stopped the replan with
    "c'est un bogue de planner" (Couverture des phases)."""
    plan(tmp_path, "2026-03", MARCH_NOW, config=INPUTS)
    csv = tmp_path / "2026-03" / "plan.csv"
    rows = read_rows(csv)
    changed = pick(
        (r["id"] for r in scheduled(rows, "post", "linkedin")
         if r["audience"] == "coachs" and r["phase"] != "decision"),
        "Coachs post of a phase before décision",
    )  # fmt: skip
    moved, taken = two_posts_of_one_week(rows, "linkedin", besides=[changed])
    month = calendar_of(MARCH, INPUTS)
    both = moment(month, day_of(taken), another_time(month, "linkedin", taken))
    set_cells(csv, changed, status="verrouillé", phase="Décision")
    set_cells(csv, moved["id"], status="verrouillé", start=both, end="")
    set_cells(csv, taken["id"], status="publié")
    for output in (replan(tmp_path, csv, MARCH_NOW, config=INPUTS),
                   plan(tmp_path, "2026-03", LATER, config=INPUTS)):  # fmt: skip
        assert "bogue" not in output
        assert "Avertissement : Plafond par jour" in output
        rows = by_id(read_rows(csv))
        assert rows[changed]["phase"] == "decision"
        assert rows[moved["id"]]["start"] == both
        report = (tmp_path / "2026-03" / "report.md").read_text("utf-8")
        assert "## Avertissements" in report and "Plafond par jour" in report


def test_the_store_and_folders_agree(out: Path) -> None:
    """Every folder is a view of the store: its plan.csv holds the store's items of its
    period, as they are now."""
    plan(out, "2026-04", "2026-03-20T09:00")
    current = stored(out)[0]
    for label in ("2026-03", "2026-04"):
        rows = by_id(read_rows(out / label / "plan.csv"))
        mine = {k for k, s in current.items() if s.item.start.strftime("%Y-%m") == label}
        assert set(rows) == mine
        for key in mine:
            assert rows[key]["status"] == current[key].item.status
            assert rows[key]["sequence"] == str(current[key].item.sequence)
