"""Cells a user types that planner cannot plan a row with (an unknown phase or one outside
the audience's journey, an audience not targeted yet or left blank, a parent that is not
the row's live or campaign) are refused with the file, row and column and what is allowed,
nothing written; a live whose format the user changes keeps its id, loses the steps its new
format has no more (with the reason in changes.csv) and gets the ones it now needs.
Regressions: each of these edits ended in « Erreur interne » (AssemblyError,
AssertionError) under plan or replan."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.config import load_config
from tests.conftest import INPUTS
from tests.lifecycle import (
    Row,
    by_id,
    copy_of,
    edit_rows,
    planner,
    read_rows,
    scheduled,
    set_cells,
    snapshot,
)
from tests.test_edits import set_xlsx

NOW = "2026-12-15T09:00"
MONTH = "2027-01"
QUARTER = "2027-01-01_2027-03-31"


def run(command: str, out: Path, *args: object) -> tuple[int, str]:
    return planner(command, "--config", INPUTS, "--now", NOW, "--out", out, *args)


@pytest.fixture(scope="module")
def january(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("january")
    code, output = run("plan", out, "--month", MONTH)
    assert code == 0, output
    return out


@pytest.fixture
def out(january: Path, tmp_path: Path) -> Path:
    return copy_of(january, tmp_path)


def journey_post(rows: list[Row], audience: str) -> Row:
    """A LinkedIn post of the journey (not a live's step) for this audience."""
    return next(
        r
        for r in scheduled(rows, "post", "linkedin")
        if r["audience"] == audience and not r["parent"] and r["status"] == "planned"
    )


def line_of(rows: list[Row], item_id: str) -> int:
    """The row's number as the refusal names it (the header is row 1)."""
    return 2 + [r["id"] for r in rows].index(item_id)


def refused(out: Path, item_id: str, column: str, **cells: str) -> str:
    """Type `cells` on the row, replan: refused naming the row and column, nothing written."""
    csv = out / MONTH / "plan.csv"
    set_cells(csv, item_id, **cells)
    line = line_of(read_rows(csv), item_id)
    before = snapshot(out)
    code, output = run("replan", out, "--plan", csv)
    assert code == 2, output
    assert "Erreur interne" not in output
    assert f"ligne {line}, colonne « {column} »" in output, output
    assert snapshot(out) == before
    return output


def test_a_phase_outside_the_audiences_journey_is_refused(out: Path) -> None:
    """A phase of the config that the audience's journey does not have is a typing error,
    like an unknown one (a phase of its journey not open yet is refused by the run, naming
    its rule: tests/test_edits.py)."""
    config = load_config(INPUTS).config
    rows = read_rows(out / MONTH / "plan.csv")
    audience, phase = next(
        (a, p.key)
        for a, journey in config.journeys.items()
        for p in config.phases
        if p.key not in {s.phase for s in journey.stages}
        and any(r["audience"] == a and not r["parent"] for r in scheduled(rows, "post", "linkedin"))
    )
    post = journey_post(rows, audience)
    output = refused(out, post["id"], "phase", phase=phase)
    assert "absente du parcours" in output and "phases ouvertes" in output


def test_an_unknown_phase_is_refused(out: Path) -> None:
    post = journey_post(read_rows(out / MONTH / "plan.csv"), "coachs")
    output = refused(out, post["id"], "phase", phase="inconnue")
    assert "phase « inconnue » inconnue" in output and "phases ouvertes" in output


def test_an_audience_not_targeted_yet_is_refused(out: Path) -> None:
    post = journey_post(read_rows(out / MONTH / "plan.csv"), "coachs")
    output = refused(out, post["id"], "audience", audience="ministeres")
    assert "n'est pas ciblable" in output and "active_clients" in output
    assert "(of)" in output  # the audiences that can be typed instead


def test_a_blank_audience_is_refused(out: Path) -> None:
    post = journey_post(read_rows(out / MONTH / "plan.csv"), "of")
    output = refused(out, post["id"], "audience", audience="")
    assert "audience vide" in output


def test_a_closed_phase_on_a_locked_row_is_kept_with_a_warning(out: Path) -> None:
    """A locked row is the user's fact: kept as typed, the report warns."""
    csv = out / MONTH / "plan.csv"
    post = journey_post(read_rows(csv), "auditeurs")
    set_cells(csv, post["id"], phase="advocacy", status="verrouillé")
    code, output = run("replan", out, "--plan", csv)
    assert code == 0, output
    kept = by_id(read_rows(csv))[post["id"]]
    assert (kept["phase"], kept["status"]) == ("advocacy", "locked")
    assert "Phases ouvertes du parcours" in output


def test_a_post_attached_to_a_live_it_is_no_step_of_is_refused(out: Path) -> None:
    csv = out / MONTH / "plan.csv"
    rows = read_rows(csv)
    live = scheduled(rows, "live")[0]["id"]
    post = journey_post(rows, "of")
    output = refused(out, post["id"], "parent", parent=live)
    assert f"ne se rattache pas au live « {live} »" in output


def test_a_community_post_attached_to_a_live_in_plan_xlsx_is_refused(out: Path) -> None:
    book = out / MONTH / "plan.xlsx"
    rows = read_rows(out / MONTH / "plan.csv")
    live = scheduled(rows, "live")[0]["id"]
    post = next(
        r for r in scheduled(rows, "post", "skool") if not r["parent"] and r["content_type"]
    )
    set_xlsx(book, post["id"], parent=live)
    before = snapshot(out)
    code, output = run("replan", out, "--plan", book)
    assert code == 2, output
    assert "colonne « Rattaché à »" in output and "« Annonce du live » (annonce_live)" in output
    assert snapshot(out) == before


def live_steps(rows: list[Row]) -> dict[str, list[Row]]:
    """Each live's active steps that are posts (annonce, replay, teaser)."""
    found: dict[str, list[Row]] = {}
    for row in rows:
        if row["kind"] == "post" and row["parent"] and row["status"] != "cancelled":
            found.setdefault(row["parent"], []).append(row)
    return found


def test_a_live_changed_to_a_masterclass_gets_its_teaser_and_back_loses_it(out: Path) -> None:
    csv = out / MONTH / "plan.csv"
    lives = scheduled(read_rows(csv), "live")
    assert "masterclass" not in {live["content_type"] for live in lives}
    live = lives[-1]
    set_cells(csv, live["id"], content_type="masterclass", end="")
    code, output = run("replan", out, "--plan", csv)
    assert code == 0, output
    rows = by_id(read_rows(csv))
    assert rows[live["id"]]["content_type"] == "masterclass"
    [teaser] = [
        r for r in live_steps(list(rows.values()))[live["id"]] if r["channel"] == "linkedin"
    ]
    assert teaser["content_type"] == "teaser_live"

    other = "qa" if lives[0]["content_type"] != "qa" else "ama"
    set_cells(csv, live["id"], content_type=other, end="")
    code, output = run("replan", out, "--plan", csv)
    assert code == 0, output
    rows = by_id(read_rows(csv))
    assert rows[live["id"]]["content_type"] == other  # same id, the user's format
    assert rows[teaser["id"]]["status"] == "cancelled"
    assert all(r["channel"] == "skool" for r in live_steps(list(rows.values()))[live["id"]])
    changes = by_id([{"id": r["identifiant"], **r} for r in read_rows(out / MONTH / "changes.csv")])
    assert changes[teaser["id"]]["changement"] == "retiré"
    assert "Séquence des lives" in changes[teaser["id"]]["raison"]


def test_a_masterclass_changed_against_the_format_rotation_plans_without_an_orphan(
    tmp_path: Path,
) -> None:
    """The testers' case: over a quarter, a masterclass changed to the format of the live
    before it. Its teaser is removed with its reason and no step is left whose live's
    format has no such step."""
    out = tmp_path / "out"
    code, output = run("plan", out, "--from", "2027-01-01", "--to", "2027-03-31")
    assert code == 0, output
    csv = out / QUARTER / "plan.csv"
    lives = scheduled(read_rows(csv), "live")
    n, live = next((n, r) for n, r in enumerate(lives) if r["content_type"] == "masterclass")
    assert n > 0
    teasers = [
        r for r in live_steps(read_rows(csv)).get(live["id"], []) if r["channel"] == "linkedin"
    ]
    assert teasers

    def change(rows: list[Row]) -> None:
        row = by_id(rows)[live["id"]]
        row["content_type"], row["end"] = lives[n - 1]["content_type"], ""

    edit_rows(csv, change)
    code, output = run("replan", out, "--plan", csv)
    assert code == 0, output
    assert "Erreur interne" not in output
    rows = by_id(read_rows(csv))
    formats = {k: r["content_type"] for k, r in rows.items() if r["kind"] == "live"}
    for parent, steps in live_steps(list(rows.values())).items():
        for step in steps:
            if step["content_type"] == "teaser_live":
                assert formats[parent] == "masterclass", step["id"]
    assert all(rows[t["id"]]["status"] == "cancelled" for t in teasers)


def test_another_audience_on_a_community_post_is_refused(out: Path) -> None:
    """A Skool post given a LinkedIn audience was cancelled (« le garder enfreindrait :
    Contenu des posts d'animation ») and listed to delete by hand in Google Agenda."""
    rows = read_rows(out / MONTH / "plan.csv")
    post = next(r for r in scheduled(rows, "post", "skool") if r["status"] == "planned")
    other = next(r["audience"] for r in scheduled(rows, "post", "linkedin"))
    output = refused(out, post["id"], "audience", audience=other)
    assert "est toujours « " in output and f"({post['audience']})" in output
