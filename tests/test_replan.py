"""Re-planning scenarios of issue 3, each on the default inputs, through the command line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from planner.cli import app
from planner.config import load_config
from planner.previous import read_plan_csv
from tests.conftest import INPUTS

NOW = "2026-02-20T09:00"
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def rows(path: Path) -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))}


def write_rows(path: Path, table: dict[str, dict[str, str]]) -> None:
    columns = list(next(iter(table.values())).keys())
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(table.values())
    path.write_text(buffer.getvalue(), encoding="utf-8")


def events(path: Path) -> dict[str, object]:
    parsed = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]).split("@")[0]: e for e in parsed.walk("VEVENT")}


@pytest.fixture
def march(tmp_path: Path) -> Path:
    """A fresh March 2026 plan folder (default inputs) and a copy of the inputs to edit."""
    code, output = invoke("plan", "--month", "2026-03", "--now", NOW, "--out", str(tmp_path))
    assert code == 0, output
    return tmp_path / "2026-03"


def replan(folder: Path, *extra: str, config: Path = INPUTS) -> str:
    code, output = invoke(
        "replan", "--plan", str(folder / "plan.csv"), "--config", str(config), "--now", NOW, *extra
    )
    assert code == 0, output
    return output


def test_nothing_changed_is_a_no_op(march: Path) -> None:
    before = {n: (march / n).read_bytes() for n in ("plan.csv", "plan.ics", "plan-skool.ics")}
    replan(march)
    for name, content in before.items():
        assert (march / name).read_bytes() == content, name
    assert (march / "changes.csv").read_text(
        encoding="utf-8"
    ).strip() == "id,change,before,after,why"


def test_blackout_moves_only_the_items_of_that_day(march: Path, inputs_copy: Path) -> None:
    before = rows(march / "plan.csv")
    blocked = "2026-03-12"
    on_day = {i for i, r in before.items() if r["start"].startswith(blocked)}
    assert on_day, "the default March plan has items on 12 March"
    calendar = inputs_copy / "calendar.yaml"
    calendar.write_text(
        calendar.read_text(encoding="utf-8").replace(
            "  blackouts:", f"  blackouts:\n    - date: {blocked}\n      label: Séminaire", 1
        ),
        encoding="utf-8",
    )
    replan(march, config=inputs_copy)
    after = rows(march / "plan.csv")
    changed = {i for i in before if before[i] != after.get(i)} | (set(after) - set(before))
    live = next(i for i in on_day if "-live-" in i and not i.endswith("-prep"))
    forced = {f"{live}-prep"}  # a moved live takes its preparation task along
    assert on_day <= changed
    assert changed <= on_day | forced, changed - on_day
    assert not any(r["start"].startswith(blocked) for r in after.values())
    changes = rows(march / "changes.csv")
    assert {c["change"] for c in changes.values()} == {"moved"}
    assert all("Séminaire" in changes[i]["why"] for i in on_day)
    for item_id in on_day:
        assert int(after[item_id]["sequence"]) == int(before[item_id]["sequence"]) + 1
    history = list((march / "history").iterdir())
    assert len(history) == 1 and (history[0] / "plan.csv").read_text(encoding="utf-8")


def test_cancelled_live_is_exported_as_cancelled_and_replaced(march: Path) -> None:
    table = rows(march / "plan.csv")
    live = next(i for i, r in table.items() if r["kind"] == "live")
    table[live]["status"] = "annulé"
    write_rows(march / "plan.csv", table)
    output = replan(march)
    event = events(march / "plan.ics")[live]
    assert str(event["STATUS"]) == "CANCELLED"  # type: ignore[index]
    assert int(event["SEQUENCE"]) == 1  # type: ignore[index]
    assert str(event["SUMMARY"]).startswith("ANNULÉ –")  # type: ignore[index]
    after = rows(march / "plan.csv")
    active_lives = [r for r in after.values() if r["kind"] == "live" and r["status"] != "cancelled"]
    assert len(active_lives) == 2  # the monthly count (2) requires a replacement
    assert live in output or "À supprimer" in output
    changes = rows(march / "changes.csv")
    assert changes[live]["change"] == "removed"
    added = [c for c in changes.values() if c["change"] == "added" and "-prep" not in c["id"]]
    assert len(added) == 1 and "Lives par mois" in added[0]["why"]


def test_cancelled_live_is_not_replaced_when_the_month_does_not_need_it(
    march: Path, inputs_copy: Path
) -> None:
    table = rows(march / "plan.csv")
    live = next(i for i, r in table.items() if r["kind"] == "live")
    table[live]["status"] = "cancelled"
    write_rows(march / "plan.csv", table)
    channels = inputs_copy / "channels.yaml"
    channels.write_text(
        channels.read_text(encoding="utf-8").replace("per_month: 2", "per_month: 1"),
        encoding="utf-8",
    )
    replan(march, config=inputs_copy)
    changes = rows(march / "changes.csv")
    assert not [c for c in changes.values() if c["change"] == "added"]


def test_locked_row_moved_by_hand_stays(march: Path) -> None:
    table = rows(march / "plan.csv")
    post = next(i for i, r in table.items() if r["channel"] == "linkedin")
    table[post].update(
        status="locked", start="2026-03-04T10:30:00+01:00", end="2026-03-04T11:00:00+01:00"
    )
    write_rows(march / "plan.csv", table)
    replan(march)
    after = rows(march / "plan.csv")
    assert after[post]["start"] == "2026-03-04T10:30:00+01:00"
    assert after[post]["status"] == "locked"
    assert rows(march / "changes.csv")[post]["why"] == "déplacé à votre demande (plan.csv)"


def test_rows_before_since_never_change(march: Path, inputs_copy: Path) -> None:
    before = rows(march / "plan.csv")
    calendar = inputs_copy / "calendar.yaml"
    calendar.write_text(
        calendar.read_text(encoding="utf-8").replace(
            "  blackouts:",
            "  blackouts:\n    - {from: 2026-03-09, to: 2026-03-13, label: Salon}",
            1,
        ),
        encoding="utf-8",
    )
    replan(march, "--since", "2026-03-12", config=inputs_copy)
    after = rows(march / "plan.csv")
    early = [i for i, r in before.items() if r["start"] < "2026-03-12"]
    assert any("2026-03-09" <= r["start"] < "2026-03-12" for r in before.values())
    for item_id in early:
        assert after[item_id] == before[item_id], item_id
    report = (march / "report.md").read_text(encoding="utf-8")
    assert "Avertissements" in report  # fixed items now on a blocked day are reported
    late = [
        r
        for r in after.values()
        if "2026-03-12" <= r["start"] < "2026-03-14" and r["status"] != "cancelled"
    ]
    assert not late  # what could move left the blocked days


def test_spreadsheet_resave_is_read_back(march: Path) -> None:
    config = load_config(INPUTS).config
    original = read_plan_csv(march / "plan.csv", config).items
    table = rows(march / "plan.csv")
    columns = ["Responsable", *reversed(list(next(iter(table.values())).keys()))]
    lines = [";".join(columns)]
    for record in table.values():
        start = record["start"]
        french = f"{start[8:10]}/{start[5:7]}/{start[0:4]} {start[11:16]}"
        values = {**record, "Responsable": "Romuald", "start": french, "end": ""}
        lines.append(";".join('"' + values[c].replace('"', '""') + '"' for c in columns))
    resaved = march / "plan.csv"
    resaved.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    previous = read_plan_csv(resaved, config)
    assert previous.extra_columns == ["Responsable"]
    assert [(i.id, i.start, i.message) for i in previous.items] == [
        (i.id, i.start, i.message) for i in original
    ]
    replan(march)
    after = rows(march / "plan.csv")
    assert all(r["Responsable"] == "Romuald" for r in after.values())
    assert {i: r["start"] for i, r in after.items()} == {
        i.id: i.start.isoformat() for i in original
    }


@pytest.mark.parametrize("garble", ["missing id column", "bad date"])
def test_garbled_csv_exits_2_and_writes_nothing(march: Path, garble: str) -> None:
    path = march / "plan.csv"
    text = path.read_text(encoding="utf-8")
    if garble == "missing id column":
        text = text.replace("id,channel,", "identifiant,channel,", 1)
    else:
        records = list(csv.reader(io.StringIO(text)))
        records[3][3] = records[3][3].replace("2026-03-", "2026-13-", 1)
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(records)
        text = buffer.getvalue()
    path.write_text(text, encoding="utf-8")
    snapshot = {p.name: p.read_bytes() for p in march.iterdir() if p.is_file()}
    code, output = invoke("replan", "--plan", str(path), "--now", NOW)
    assert code == 2, output
    if garble == "missing id column":
        assert "colonne « id » manquante" in output
    else:
        assert "ligne 4, colonne « start »" in output and "2026-13-" in output
    assert {p.name: p.read_bytes() for p in march.iterdir() if p.is_file()} == snapshot
    assert not (march / "history").exists()
