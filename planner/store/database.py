"""Opening the store: creation, schema, locking, and refusing files that are not ours.

WAL journaling; one write transaction per run, taken at the start (`BEGIN IMMEDIATE`) and
held until the run's files are in place, so a second run on the same workspace waits a
little, then refuses with a clear message, and a killed run leaves the store as it was.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from planner.errors import InputError, Problem

STORE_NAME = "planner.db"
APPLICATION_ID = 0x504C4E52
"""'PLNR': marks the file as a planner store, so a foreign SQLite file is refused."""
SCHEMA_VERSION = 1
WAIT_SECONDS = 10.0

SCHEMA = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    now TEXT NOT NULL,
    label TEXT NOT NULL,
    first TEXT NOT NULL,
    last TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL,
    objective TEXT,
    bound TEXT,
    summary TEXT NOT NULL
);
CREATE TABLE versions (
    item_id TEXT NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    source TEXT NOT NULL,
    data TEXT NOT NULL,
    changed TEXT NOT NULL
);
CREATE INDEX versions_item ON versions(item_id);
CREATE INDEX versions_run ON versions(run_id);
CREATE TABLE coverage (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    first TEXT NOT NULL,
    last TEXT NOT NULL
);
CREATE TABLE folders (
    label TEXT PRIMARY KEY,
    first TEXT NOT NULL,
    last TEXT NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs(id)
);
CREATE TABLE layouts (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    label TEXT NOT NULL,
    columns TEXT NOT NULL,
    style TEXT NOT NULL
);
CREATE TABLE exports (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    label TEXT NOT NULL,
    name TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (run_id, label, name)
);
CREATE TABLE before (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    label TEXT NOT NULL,
    name TEXT NOT NULL,
    content BLOB,
    PRIMARY KEY (run_id, label, name)
);
"""


def store_path(out: Path) -> Path:
    return out / STORE_NAME


def _damaged(path: Path, why: str) -> InputError:
    return InputError(
        f"L'historique des plans {path} est illisible : {why}.",
        [
            Problem(
                "déplacez ce fichier (ou restaurez une sauvegarde) ; planner en recrée un vide "
                "au prochain lancement, et relit les plan.csv des dossiers",
                path,
            )
        ],
    )


def connect(path: Path, create: bool = True) -> sqlite3.Connection:
    """An open store, schema checked; a damaged or foreign file is an input error (exit 2)."""
    if path.is_dir():
        raise _damaged(path, "c'est un dossier")
    fresh = not path.exists() or path.stat().st_size == 0
    if fresh and not create:
        raise InputError(
            f"Aucun plan dans {path.parent} : lancez d'abord planner plan (--out {path.parent})."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = sqlite3.connect(path, timeout=WAIT_SECONDS, isolation_level=None)
        if not fresh:  # before anything is set: a foreign file is left exactly as it was
            _check(connection, path)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        if fresh:
            _create(connection)
            _check(connection, path)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise busy(path) from None
        raise _damaged(path, "ce n'est pas une base SQLite valide") from None
    except sqlite3.DatabaseError:
        raise _damaged(path, "ce n'est pas une base SQLite (fichier abîmé ou étranger)") from None
    return connection


def _check(connection: sqlite3.Connection, path: Path) -> None:
    application = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if application != APPLICATION_ID:
        connection.close()
        raise _damaged(path, "c'est une base SQLite, mais pas un historique de planner")
    if version != SCHEMA_VERSION:
        connection.close()
        raise _damaged(path, f"version {version} de l'historique, planner lit la version 1")


def _create(connection: sqlite3.Connection) -> None:
    """The schema, in one transaction; a run that created it at the same time wins."""
    try:
        connection.executescript(
            f"BEGIN IMMEDIATE;\n{SCHEMA}\nPRAGMA application_id={APPLICATION_ID};\n"
            f"PRAGMA user_version={SCHEMA_VERSION};\nCOMMIT;"
        )
    except sqlite3.OperationalError as exc:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        if "already exists" not in str(exc):
            raise


def busy(path: Path) -> InputError:
    return InputError(
        f"Un autre calcul de planner utilise {path.parent} en ce moment (fichier {path.name}) : "
        "attendez qu'il se termine, puis relancez."
    )


def begin(connection: sqlite3.Connection, path: Path) -> None:
    """Take the workspace for this run (waits up to WAIT_SECONDS for another run)."""
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        raise busy(path) from None
