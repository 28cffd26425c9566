"""Helpers for the tests of a plan's life (issue 10): run the CLI on a workspace as a user
would, edit its spreadsheets by hand, and read back its calendars and its store."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from icalendar import Calendar, Event
from typer.testing import CliRunner

from planner.checks import Violation, check_plan
from planner.cli import app
from planner.config import load_config
from planner.coverage import Coverage
from planner.store.database import STORE_NAME, connect
from planner.store.records import Records, Stored
from tests.conftest import MINIMAL

Row = dict[str, str]


def planner(*args: object) -> tuple[int, str]:
    """The `planner` command in this process: exit code and everything it printed."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def plan(out: Path, month: str, now: str, *extra: object, config: Path = MINIMAL) -> str:
    """`planner plan --month`, which must succeed; its console output."""
    code, output = planner(
        "plan", "--config", config, "--month", month, "--now", now, "--out", out, *extra
    )
    assert code == 0, output
    return output


def replan(out: Path, file: Path, now: str, *extra: object, config: Path = MINIMAL) -> str:
    """`planner replan --plan FILE`, which must succeed; its console output."""
    code, output = planner(
        "replan", "--config", config, "--plan", file, "--now", now, "--out", out, *extra
    )
    assert code == 0, output
    return output


def read_rows(path: Path, delimiter: str = ",") -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def write_rows(path: Path, rows: list[Row], delimiter: str = ",") -> None:
    """Save rows as a spreadsheet would (header from the first row, CRLF lines)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, list(rows[0]), delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


def edit_rows(path: Path, change: Callable[[list[Row]], None], delimiter: str = ",") -> None:
    rows = read_rows(path, delimiter)
    change(rows)
    write_rows(path, rows, delimiter)


def by_id(rows: list[Row]) -> dict[str, Row]:
    return {r["id"]: r for r in rows}


def row_of(path: Path, item_id: str) -> Row:
    return by_id(read_rows(path))[item_id]


def set_cells(path: Path, item_id: str, delimiter: str = ",", **cells: str) -> None:
    """Type these cells in one row of a plan.csv (an empty `end` follows the new start)."""

    def change(rows: list[Row]) -> None:
        [row] = [r for r in rows if r["id"] == item_id]
        row.update(cells)

    edit_rows(path, change, delimiter)


def events(path: Path) -> dict[str, Event]:
    """The events of an .ics file, by UID."""
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (links not followed), by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def stored(out: Path) -> tuple[dict[str, Stored], Coverage]:
    """The store's items as they are now, and the days its runs covered."""
    path = out / STORE_NAME
    records = Records(connect(path, create=False), path)
    try:
        return records.current(), records.coverage()
    finally:
        records.db.close()


def violations(out: Path, config: Path = MINIMAL) -> list[Violation]:
    """Every hard-rule violation of the store's whole plan, by the solver-free checker."""
    current, coverage = stored(out)
    items = [s.item for s in current.values()]
    owned = frozenset((k, f) for k, s in current.items() for f in s.owned)
    return check_plan(load_config(config).config, items, coverage, owned)
