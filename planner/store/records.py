"""Reading and writing the store's rows: items and their versions, runs, coverage, the
folders that are views of the store, and the bytes each run wrote or replaced."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.coverage import Coverage
from planner.items import Item

SOURCES = ("planner", "user", "import")


@dataclass(frozen=True)
class Stored:
    """An item as the store holds it now, and as calendars last received it."""

    item: Item
    owned: frozenset[str] = frozenset()
    """Fields the user typed (message, title, description, format)."""
    last_modified: str = ""
    """ISO UTC time of the run that last changed its calendar event."""
    exported: Item | None = None
    """Its last version written by planner: what calendars and the folder hold."""
    extras: dict[str, str] = field(default_factory=dict)
    """Values of the columns the user added in their spreadsheet."""


@dataclass(frozen=True)
class Run:
    id: int
    command: str
    now: str
    label: str
    first: str
    last: str
    status: str
    summary: dict[str, object]


@dataclass(frozen=True)
class Version:
    run: int
    source: str
    item: Item
    changed: list[str]
    owned: frozenset[str]


def item_to_json(stored: Stored) -> str:
    item = stored.item
    data: dict[str, object] = dataclasses.asdict(item)
    data["start"] = item.start.isoformat()
    data["end"] = item.end.isoformat()
    data["owned"] = sorted(stored.owned)
    data["last_modified"] = stored.last_modified
    data["extras"] = stored.extras
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def item_from_json(text: str) -> Stored:
    data = json.loads(text)
    owned = frozenset(data.pop("owned", []))
    last_modified = data.pop("last_modified", "")
    extras = data.pop("extras", {})
    zone = ZoneInfo(data["timezone"])
    data["start"] = datetime.fromisoformat(data["start"]).astimezone(zone)
    data["end"] = datetime.fromisoformat(data["end"]).astimezone(zone)
    return Stored(Item(**data), owned, last_modified, None, extras)


class Records:
    """The rows of one open store; every write belongs to the run's open transaction."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.db = connection
        self.path = path

    # --- reading ---------------------------------------------------------------------------

    def current(self) -> dict[str, Stored]:
        latest: dict[str, Stored] = {}
        exported: dict[str, Item] = {}
        rows = self.db.execute(
            "SELECT item_id, source, data FROM versions ORDER BY run_id, rowid"
        ).fetchall()
        for item_id, source, data in rows:
            stored = item_from_json(data)
            latest[item_id] = stored
            if source != "user":
                exported[item_id] = stored.item
        return {
            key: dataclasses.replace(stored, exported=exported.get(key))
            for key, stored in latest.items()
        }

    def coverage(self) -> Coverage:
        rows = self.db.execute("SELECT first, last FROM coverage").fetchall()
        return Coverage.of([(date.fromisoformat(a), date.fromisoformat(b)) for a, b in rows])

    def folders(self) -> dict[str, tuple[date, date]]:
        rows = self.db.execute("SELECT label, first, last FROM folders ORDER BY label")
        return {label: (date.fromisoformat(a), date.fromisoformat(b)) for label, a, b in rows}

    def last_export(self, label: str, name: str) -> bytes | None:
        row = self.db.execute(
            "SELECT content FROM exports WHERE label = ? AND name = ? ORDER BY run_id DESC LIMIT 1",
            (label, name),
        ).fetchone()
        return None if row is None else bytes(row[0])

    def last_exports(self, label: str) -> dict[str, bytes]:
        """The files of a folder as the last run that wrote it left them."""
        row = self.db.execute(
            "SELECT max(run_id) FROM exports WHERE label = ?", (label,)
        ).fetchone()
        if row is None or row[0] is None:
            return {}
        rows = self.db.execute(
            "SELECT name, content FROM exports WHERE label = ? AND run_id = ?", (label, row[0])
        )
        return {name: bytes(content) for name, content in rows}

    def has_run(self, run_id: int) -> bool:
        row = self.db.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone()
        return row is not None

    def runs(self) -> list[Run]:
        rows = self.db.execute(
            "SELECT id, command, now, label, first, last, status, summary FROM runs ORDER BY id"
        ).fetchall()
        return [
            Run(run_id, command, now, label, first, last, status, json.loads(summary))
            for run_id, command, now, label, first, last, status, summary in rows
        ]

    def versions(self, item_id: str) -> list[Version]:
        rows = self.db.execute(
            "SELECT run_id, source, data, changed FROM versions WHERE item_id = ? "
            "ORDER BY run_id, rowid",
            (item_id,),
        ).fetchall()
        found: list[Version] = []
        for run_id, source, data, changed in rows:
            stored = item_from_json(data)
            found.append(Version(run_id, source, stored.item, json.loads(changed), stored.owned))
        return found

    def exports_by_run(self) -> list[dict[str, Item]]:
        """Every item as planner had written it at the end of each run, oldest run first: a
        spreadsheet saved elsewhere was made from one of these exports."""
        rows = self.db.execute(
            "SELECT run_id, item_id, data FROM versions WHERE source != 'user' "
            "ORDER BY run_id, rowid"
        )
        found: list[dict[str, Item]] = []
        state: dict[str, Item] = {}
        last: int | None = None
        for run_id, item_id, data in rows:
            if last is not None and run_id != last:
                found.append(dict(state))
            last = run_id
            state[item_id] = item_from_json(data).item
        return [*found, state] if state else found

    def wished_starts(self) -> dict[str, datetime]:
        """Where the user last placed each item they moved or added: a row still there is
        still theirs (its `why` keeps saying so in later runs)."""
        rows = self.db.execute(
            "SELECT item_id, data, changed FROM versions WHERE source = 'user' "
            "ORDER BY run_id, rowid"
        )
        found: dict[str, datetime] = {}
        for item_id, data, changed in rows:
            if {"start", "ajouté"} & set(json.loads(changed)):
                found[item_id] = item_from_json(data).item.start
        return found

    def ids(self) -> frozenset[str]:
        return frozenset(r[0] for r in self.db.execute("SELECT DISTINCT item_id FROM versions"))

    def before_files(self, run_id: int) -> dict[tuple[str, str], bytes | None]:
        rows = self.db.execute(
            "SELECT label, name, content FROM before WHERE run_id = ?", (run_id,)
        )
        return {
            (label, name): None if content is None else bytes(content)
            for label, name, content in rows
        }

    def folders_created_by(self, run_id: int) -> list[str]:
        rows = self.db.execute("SELECT label FROM folders WHERE run_id = ?", (run_id,))
        return [r[0] for r in rows]

    # --- writing ---------------------------------------------------------------------------

    def new_run(
        self, command: str, now: datetime, label: str, first: date, last: date, fingerprint: str
    ) -> int:
        cursor = self.db.execute(
            "INSERT INTO runs (command, now, label, first, last, fingerprint, status, summary) "
            "VALUES (?, ?, ?, ?, ?, ?, 'en cours', '{}')",
            (command, now.isoformat(), label, first.isoformat(), last.isoformat(), fingerprint),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def set_run_horizon(self, run_id: int, label: str, first: date, last: date) -> None:
        self.db.execute(
            "UPDATE runs SET label = ?, first = ?, last = ? WHERE id = ?",
            (label, first.isoformat(), last.isoformat(), run_id),
        )

    def finish_run(
        self,
        run_id: int,
        status: str,
        objective: str | None,
        bound: str | None,
        summary: dict[str, object],
    ) -> None:
        self.db.execute(
            "UPDATE runs SET status = ?, objective = ?, bound = ?, summary = ? WHERE id = ?",
            (status, objective, bound, json.dumps(summary, sort_keys=True), run_id),
        )

    def add_version(self, run_id: int, source: str, stored: Stored, changed: list[str]) -> None:
        assert source in SOURCES
        self.db.execute(
            "INSERT INTO versions (item_id, run_id, source, data, changed) VALUES (?, ?, ?, ?, ?)",
            (stored.item.id, run_id, source, item_to_json(stored), json.dumps(changed)),
        )

    def add_layout(self, run_id: int, label: str, columns: list[str], style: object) -> None:
        """The user's own columns and CSV style of a folder, as its files last showed them."""
        self.db.execute(
            "INSERT INTO layouts (run_id, label, columns, style) VALUES (?, ?, ?, ?)",
            (run_id, label, json.dumps(columns), json.dumps(style, sort_keys=True)),
        )

    def layout(self, label: str) -> tuple[list[str], dict[str, object]]:
        row = self.db.execute(
            "SELECT columns, style FROM layouts WHERE label = ? ORDER BY run_id DESC, rowid DESC "
            "LIMIT 1",
            (label,),
        ).fetchone()
        if row is None:
            return [], {}
        return json.loads(row[0]), json.loads(row[1])

    def add_coverage(self, run_id: int, first: date, last: date) -> None:
        self.db.execute(
            "INSERT INTO coverage (run_id, first, last) VALUES (?, ?, ?)",
            (run_id, first.isoformat(), last.isoformat()),
        )

    def add_folder(self, label: str, first: date, last: date, run_id: int) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO folders (label, first, last, run_id) VALUES (?, ?, ?, ?)",
            (label, first.isoformat(), last.isoformat(), run_id),
        )

    def add_export(self, run_id: int, label: str, name: str, content: bytes) -> None:
        self.db.execute(
            "INSERT INTO exports (run_id, label, name, content) VALUES (?, ?, ?, ?)",
            (run_id, label, name, content),
        )

    def add_before(self, run_id: int, label: str, name: str, content: bytes | None) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO before (run_id, label, name, content) VALUES (?, ?, ?, ?)",
            (run_id, label, name, content),
        )

    def forget_run(self, run_id: int) -> None:
        """Undo: the run's rows go; the store is as it was before the run."""
        for table in ("versions", "coverage", "exports", "before", "folders", "layouts"):
            self.db.execute(f"DELETE FROM {table} WHERE run_id = ?", (run_id,))
        self.db.execute("DELETE FROM runs WHERE id = ?", (run_id,))
