"""Team tasks and Skool rows edited by hand in a real workspace (default rules, January
2027): a published ritual task kept where the user says and the month's ritual still
held, a reminder typed for a live that takes the planner's place with its own title, and
added rows that name only what the README asks for. Each test edits plan.csv as a user
would and reads the run's files back."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from planner.config import load_config
from tests.conftest import INPUTS
from tests.lifecycle import (
    Row,
    by_id,
    copy_of,
    edit_rows,
    plan,
    planner,
    read_rows,
    replan,
    set_cells,
    snapshot,
    start_of,
)

NOW, LATER = "2026-12-15T09:00", "2026-12-16T09:00"
MONTH = "2027-01"
KPI = "skool-revue_kpi-202701"


@pytest.fixture(scope="module")
def planned_january(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("january")
    plan(out, MONTH, NOW, config=INPUTS)
    return out


@pytest.fixture
def ws(planned_january: Path, tmp_path: Path) -> Path:
    return copy_of(planned_january, tmp_path)


@pytest.fixture(scope="module")
def january(planned_january: Path) -> list[Row]:
    return read_rows(planned_january / MONTH / "plan.csv")


def changes(out: Path) -> dict[str, Row]:
    """changes.csv, by id."""
    return {r["identifiant"]: r for r in read_rows(out / MONTH / "changes.csv")}


def added_row(rows: list[Row], **cells: str) -> None:
    row = dict.fromkeys(rows[0], "")
    row.update(cells)
    rows.append(row)


def add_skool_task(csv: Path, start: str, **cells: str) -> None:
    """A Skool task typed on a new row of plan.csv, as the README's French words say it."""
    edit_rows(
        csv, lambda rows: added_row(rows, channel="Skool", kind="tâche", start=start, **cells)
    )


def test_a_published_ritual_task_moved_out_of_its_window_is_kept_and_the_ritual_held(
    ws: Path, january: list[Row]
) -> None:
    """Regression: « c'est un bogue de planner » (Rituels de la communauté : 0 « Revue des
    KPI » du 01/01 au 07/01), exit 1, nothing written."""
    was = by_id(january)[KPI]
    csv = ws / MONTH / "plan.csv"
    set_cells(csv, KPI, status="publié", start="09/01/2027 09:30", end="09/01/2027 10:00")
    output = replan(ws, csv, NOW, config=INPUTS)
    rows = read_rows(csv)
    kept = by_id(rows)[KPI]
    assert (kept["status"], kept["start"]) == ("published", "2027-01-09T09:30:00+01:00")
    reviews = [r for r in rows if r["content_type"] == "revue_kpi" and r["status"] == "planned"]
    [review] = reviews
    assert review["id"] != KPI and review["start"] == was["start"]  # 04/01, its window's day
    assert "nécessaire pour : Rituels de la communauté" in changes(ws)[review["id"]]["raison"]
    assert "hors de sa fenêtre" in output and "bogue" not in output
    report = (ws / MONTH / "report.md").read_text(encoding="utf-8")
    assert "hors de sa fenêtre" in report
    again = plan(ws, MONTH, LATER, config=INPUTS)
    assert "Changements : aucun" in again


def reminder_of(rows: list[Row], live: str) -> Row:
    [row] = [r for r in rows if r["parent"] == live and r["content_type"] == "rappel_live"]
    return row


def test_a_reminder_typed_for_a_live_takes_its_place_with_the_users_title(
    ws: Path, january: list[Row]
) -> None:
    """Regression: the added row came out with planner's title, its date silently moved, and
    planner's own reminder was removed because « son live est retiré », live standing."""
    live = max((r for r in january if r["kind"] == "live"), key=start_of)
    own = reminder_of(january, live["id"])
    asked = start_of(live).date() - timedelta(days=6)
    csv = ws / MONTH / "plan.csv"
    add_skool_task(
        csv,
        f"{asked:%d/%m/%Y} 14:00",
        content_type="rappel_live",
        parent=live["id"],
        title="Relancer les inscrits",
    )
    replan(ws, csv, NOW, config=INPUTS)
    rows = read_rows(csv)
    mine = reminder_of([r for r in rows if r["status"] != "cancelled"], live["id"])
    assert mine["id"] != own["id"] and mine["title"] == "Relancer les inscrits"
    assert mine["start"] == own["start"]  # where the rule puts a reminder
    assert by_id(rows)[live["id"]]["status"] == "planned"
    told = changes(ws)
    assert told[mine["id"]]["changement"] == "refusé"
    assert "Séquence des lives" in told[mine["id"]]["raison"]
    gone = told[own["id"]]
    assert gone["changement"] == "retiré" and "son live est retiré" not in gone["raison"]
    assert f"remplacé par {mine['id']}" in gone["raison"]
    assert by_id(rows)[own["id"]]["status"] == "cancelled"
    again = plan(ws, MONTH, LATER, config=INPUTS)
    assert "Changements : aucun" in again
    assert by_id(read_rows(csv))[mine["id"]]["title"] == "Relancer les inscrits"


def test_a_title_typed_on_a_planned_task_is_kept(ws: Path, january: list[Row]) -> None:
    """Regression: tasks are made again by their rule each run, and the typed title was lost
    without a word (« Changements : aucun »)."""
    own = reminder_of(january, max((r for r in january if r["kind"] == "live"), key=start_of)["id"])
    csv = ws / MONTH / "plan.csv"
    set_cells(csv, own["id"], title="Relancer les inscrits")
    replan(ws, csv, NOW, config=INPUTS)
    assert by_id(read_rows(csv))[own["id"]]["title"] == "Relancer les inscrits"
    assert changes(ws)[own["id"]]["changement"] == "modifié"
    plan(ws, MONTH, LATER, config=INPUTS)
    assert by_id(read_rows(csv))[own["id"]]["title"] == "Relancer les inscrits"


@pytest.mark.parametrize(
    ("content_type", "said"),
    [
        ("autre", "tâche de type inconnu « autre »"),
        ("", "le type d'une tâche ajoutée est obligatoire"),
    ],
)
def test_a_task_no_rule_knows_is_refused_with_its_cell(
    ws: Path, content_type: str, said: str
) -> None:
    """Regression: a free task was created, then removed because « son live est retiré »."""
    csv = ws / MONTH / "plan.csv"
    add_skool_task(
        csv, "20/01/2027 14:00", content_type=content_type, title="Appeler le partenaire"
    )
    before = snapshot(ws)
    code, output = planner("replan", "--config", INPUTS, "--plan", csv, "--now", NOW, "--out", ws)
    assert code == 2, output
    assert said in output and "colonne « content_type »" in output
    assert "revue_kpi" in output and "Traceback" not in output
    assert snapshot(ws) == before


def test_a_skool_post_added_without_a_type_takes_its_days_rhythm(
    ws: Path, january: list[Row]
) -> None:
    """README: Canal, Nature and Début suffice for an added row; a Skool post without a type
    was refused. One of the week's posts is deleted so that the week has room for it."""
    config = load_config(INPUTS).config
    types = config.channels["skool"].types
    assert types is not None
    week = [r for r in january if r["channel"] == "skool" and r["kind"] == "post"
            and "2027-01-18" <= r["start"][:10] <= "2027-01-22"]  # fmt: skip
    taken = {r["start"][:10] for r in week}
    day = next(d for d in ("2027-01-21", "2027-01-20", "2027-01-19") if d not in taken)
    weekday = date.fromisoformat(day).weekday()
    expected = next((k for k, t in types.items() if weekday in t.days), None) or max(
        types, key=lambda k: types[k].per_week
    )
    dropped = next(r for r in week if not r["parent"] and r["content_type"] in types)
    csv = ws / MONTH / "plan.csv"

    def edit(rows: list[Row]) -> None:
        rows.remove(next(r for r in rows if r["id"] == dropped["id"]))
        added_row(rows, channel="Skool", kind="post", start=f"{day[8:]}/01/2027 09:00",
                  title="Mon post du jour")  # fmt: skip

    edit_rows(csv, edit)
    replan(ws, csv, NOW, config=INPUTS)
    [mine] = [r for r in read_rows(csv) if r["title"] == "Mon post du jour"]
    assert mine["status"] == "planned" and mine["start"].startswith(day)
    assert mine["content_type"] == expected and mine["message"] and mine["format"]
