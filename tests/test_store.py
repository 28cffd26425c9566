"""Issue 10, behaviours 7 and 8: the plan store keeps every run and can undo the last one;
a run killed at any point, two runs at once, a damaged or foreign store file never cost the
user a plan; plans written before the store are imported on first use; the user's own
files in an output folder are never read, copied or moved."""

from __future__ import annotations

import builtins
import io
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from planner.content import USER_FIELDS
from planner.store import database
from planner.store.database import STORE_NAME
from planner.store.session import Session
from tests.conftest import MINIMAL, ROOT
from tests.lifecycle import (
    Row,
    a_post,
    by_id,
    copy_of,
    events,
    pick,
    plan,
    planner,
    read_rows,
    scheduled,
    set_cells,
    snapshot,
    stored,
    violations,
    write_rows,
)

MARCH_NOW, LATER, APRIL_NOW = "2026-02-20T09:00", "2026-02-21T09:00", "2026-03-20T09:00"
MARCH = "2026-03"
State = tuple[dict[str, bytes], list[str]]


def post_of(rows: list[Row]) -> str:
    """A LinkedIn post of March, from its second week on."""
    return a_post(rows, "linkedin", MARCH)["id"]


def skool_of(rows: list[Row]) -> str:
    """A Skool post of March, from its second week on."""
    return a_post(rows, "skool", MARCH)["id"]


def dump(out: Path) -> list[str]:
    """The store's content, row by row (its file's bytes depend on page reuse); a run's
    command is left out (it is the argv of whichever process ran it)."""
    connection = sqlite3.connect(out / STORE_NAME)
    try:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        found: list[str] = []
        for (table,) in sorted(tables):
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                shown = row[:1] + row[2:] if table == "runs" else row
                found.append(f"{table} {shown!r}")
        return found
    finally:
        connection.close()


def state(out: Path) -> State:
    """Every file of the workspace but the store's own, and the store's content."""
    files = {k: v for k, v in snapshot(out).items() if not k.startswith(STORE_NAME)}
    return files, dump(out)


def user_files(out: Path, tmp_path: Path) -> None:
    """The user's notes and a link to another folder, in the month's folder."""
    (out / "2026-03" / "notes.txt").write_text("mes notes\n", encoding="utf-8")
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir(exist_ok=True)
    (elsewhere / "secret.txt").write_text("à moi\n", encoding="utf-8")
    (out / "2026-03" / "mes liens").symlink_to(elsewhere, target_is_directory=True)


# --- 7. history and undo ----------------------------------------------------------------


def test_history_lists_runs_and_versions(out: Path, tmp_path: Path) -> None:
    csv = out / "2026-03" / "plan.csv"
    rows = read_rows(csv)  # every item the first run added
    post = post_of(rows)
    set_cells(csv, post, status="publié")
    plan(out, "2026-03", LATER)
    code, output = planner("history", "--out", out)
    assert code == 0, output
    assert "2 calcul(s)" in output and "n° 1" in output and "n° 2" in output
    assert "2026-03" in output and f"{len(rows)} ajouté(s)" in output
    code, output = planner("history", post, "--out", out)
    assert code == 0, output
    assert "3 version(s)" in output
    assert "par vous (tableur)" in output and "publié" in output and "par planner" in output
    code, output = planner("history", "inconnu", "--out", out)
    assert code == 2 and "inconnu" in output
    code, output = planner("history", "--out", tmp_path / "vide")
    assert code == 2 and "lancez d'abord planner plan" in output


def test_undo_puts_store_and_files_back_and_says_what_to_reimport(
    out: Path, tmp_path: Path
) -> None:
    user_files(out, tmp_path)
    first = state(out)
    plan(out, "2026-03", LATER)  # new DTSTAMP in every calendar
    second = state(out)
    plan(out, "2026-04", APRIL_NOW)
    (out / "2026-04" / "notes.txt").write_text("avril\n", encoding="utf-8")
    code, output = planner("undo", "--out", out)
    assert code == 0, output
    assert "Calcul n° 3 annulé" in output and "supprimez leurs événements" in output
    assert str(out / "2026-04" / "plan.ics") in output
    files, rows = state(out)
    assert rows == second[1]
    assert files == {**second[0], "2026-04/notes.txt": b"avril\n"}  # the user's file stays
    code, output = planner("undo", "--out", out)
    assert code == 0, output
    assert "Calcul n° 2 annulé" in output and "Réimportez" in output
    assert str(out / "2026-03" / "plan.ics") in output
    assert state(out)[1] == first[1]
    assert state(out)[0] == {**first[0], "2026-04/notes.txt": b"avril\n"}
    assert (out / "2026-03" / "mes liens" / "secret.txt").read_text("utf-8") == "à moi\n"
    assert "1 calcul(s)" in planner("history", "--out", out)[1]


def test_undo_never_loses_edits_typed_since(out: Path) -> None:
    csv = out / "2026-03" / "plan.csv"
    rows = read_rows(csv)
    set_cells(csv, post_of(rows), status="publié")
    plan(out, "2026-03", LATER)
    set_cells(csv, skool_of(rows), message="Mon astuce")
    typed = state(out)
    code, output = planner("undo", "--out", out)
    assert code == 2, output
    assert str(csv) in output and "Rien n'a été annulé" in output
    assert state(out) == typed
    plan(out, "2026-03", LATER)  # the edit is saved in the store
    assert planner("undo", "--out", out)[0] == 0
    assert csv.read_bytes() == typed[0]["2026-03/plan.csv"]
    code, output = planner("undo", "--out", out)  # back to the first edit: not yet
    assert code == 2 and str(csv) in output


# --- 8. damaged, foreign, busy stores ---------------------------------------------------


def test_a_damaged_store_is_refused_naming_it(out: Path) -> None:
    store = out / STORE_NAME
    store.write_bytes(random.Random(10).randbytes(8192))
    before = snapshot(out)
    for args in (["plan", "--config", MINIMAL, "--month", "2026-03", "--now", MARCH_NOW],
                 ["history"], ["undo"]):  # fmt: skip
        code, output = planner(*args, "--out", out)
        assert code == 2, output
        assert str(store) in output and "illisible" in output and "Traceback" not in output
    assert snapshot(out) == before


def test_a_foreign_sqlite_file_is_refused_naming_it(tmp_path: Path) -> None:
    store = tmp_path / STORE_NAME
    connection = sqlite3.connect(store)
    connection.execute("CREATE TABLE clients (nom TEXT)")
    connection.execute("INSERT INTO clients VALUES ('Dupont')")
    connection.commit()
    connection.close()
    before = store.read_bytes()
    code, output = planner("plan", "--config", MINIMAL, "--month", "2026-03", "--now",
                           MARCH_NOW, "--out", tmp_path)  # fmt: skip
    assert code == 2, output
    assert str(store) in output and "pas un historique de planner" in output
    assert store.read_bytes() == before
    assert not (tmp_path / "2026-03").exists()


def hold(out: Path, seconds: float) -> threading.Thread:
    """Another run's transaction on the store, held for a while."""
    ready = threading.Event()

    def other() -> None:
        connection = sqlite3.connect(out / STORE_NAME, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        ready.set()
        time.sleep(seconds)
        connection.execute("ROLLBACK")
        connection.close()

    thread = threading.Thread(target=other)
    thread.start()
    ready.wait()
    return thread


def test_a_second_run_waits_for_the_first(out: Path) -> None:
    thread = hold(out, 1.0)
    started = time.perf_counter()
    plan(out, "2026-04", APRIL_NOW)
    assert time.perf_counter() - started >= 1.0
    thread.join()
    assert "2 calcul(s)" in planner("history", "--out", out)[1]


def test_a_second_run_that_waited_too_long_is_refused(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = state(out)
    monkeypatch.setattr(database, "WAIT_SECONDS", 0.3)
    thread = hold(out, 2.0)
    code, output = planner("plan", "--config", MINIMAL, "--month", "2026-04", "--now",
                           APRIL_NOW, "--out", out)  # fmt: skip
    thread.join()
    assert code == 2, output
    assert "Un autre calcul de planner utilise" in output
    assert state(out) == before


def test_two_runs_at_once_never_corrupt_the_store(out: Path) -> None:
    command = [sys.executable, "-m", "planner", "plan", "--config", str(MINIMAL), "--out",
               str(out)]  # fmt: skip
    runs = [
        subprocess.Popen(
            [*command, "--month", month, "--now", now],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for month, now in (("2026-04", APRIL_NOW), ("2026-03", LATER))
    ]
    results = [(r.wait(timeout=120), r.communicate()[0]) for r in runs]
    for code, output in results:
        assert code == 0 or (code == 2 and "Un autre calcul" in output), output
    assert violations(out) == []
    assert (out / "2026-04" / "plan.csv").exists() == (results[0][0] == 0)
    assert_views_match_store(out)


def assert_views_match_store(out: Path) -> None:
    """Each folder's files are exactly those the store says it last wrote there."""
    connection = sqlite3.connect(out / STORE_NAME)
    try:
        for (label,) in connection.execute("SELECT label FROM folders"):
            [(run,)] = connection.execute(
                "SELECT max(run_id) FROM exports WHERE label = ?", (label,)
            )
            for name, content in connection.execute(
                "SELECT name, content FROM exports WHERE label = ? AND run_id = ?", (label, run)
            ):
                assert (out / label / name).read_bytes() == content, (label, name)
    finally:
        connection.close()


# --- 8. killed runs ---------------------------------------------------------------------


def killed(out: Path, point: str, *args: object) -> None:
    """`planner` in its own process, SIGKILLed at `point`; fails if it got past it."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.killpoints", point, *(str(a) for a in args),
         "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == -signal.SIGKILL, (point, result.returncode, result.stderr)


def tidy(out: Path) -> None:
    """What the next run does first: finish or undo what a killed run left."""
    with Session(out, create=False):
        pass


SECOND = ("plan", "--config", MINIMAL, "--month", "2026-03", "--now", LATER)
FILES = 9
"""Files the second run writes in 2026-03 (plan.csv … changes.csv)."""
POINTS = [
    "fsync:1",  # first new file written aside
    f"fsync:{FILES + 1}",  # journal written
    f"fsync:{FILES + 2}",  # everything staged, nothing swapped
    "replace:1",  # first file swapped in
    f"replace:{FILES}",  # every file swapped, store not committed
    f"fsync:{FILES + 3}",  # swap synced, store not committed
    "commit:1",  # store committed, old files not yet tidied
]


@pytest.fixture(scope="module")
def two_states(
    planned: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, State, State]:
    """A workspace after its first run (with the user's files), and the state the second
    run leaves when nothing stops it."""
    out = copy_of(planned, tmp_path_factory.mktemp("first"))
    user_files(out, out.parent)
    first = state(out)
    done = out.parent / "done"
    subprocess.run(["cp", "-a", str(out), str(done)], check=True)
    plan(done, "2026-03", LATER)
    assert len([n for n in snapshot(done / "2026-03") if n != "notes.txt"]) == FILES
    return out, first, state(done)


@pytest.mark.parametrize("point", POINTS)
def test_a_killed_run_leaves_the_old_state_or_the_new_one(
    point: str, tmp_path: Path, two_states: tuple[Path, State, State]
) -> None:
    source, first, second = two_states
    out = tmp_path / "out"
    subprocess.run(["cp", "-a", str(source), str(out)], check=True)
    killed(out, point, *SECOND)
    tidy(out)
    after = state(out)
    assert after in (first, second), point
    if point.startswith("commit"):
        assert after == second
    assert not [p for p in (out / "2026-03").iterdir() if p.name.startswith(".")]
    if point in ("replace:1", "commit:1"):  # and the next run goes on as usual
        plan(out, "2026-03", LATER)
        assert (out / "2026-03" / "plan.ics").read_bytes() == second[0]["2026-03/plan.ics"]


@pytest.mark.parametrize("point", ["replace:1", "commit:1"])
def test_a_killed_undo_leaves_the_old_state_or_the_new_one(
    point: str, tmp_path: Path, two_states: tuple[Path, State, State]
) -> None:
    source, first, second = two_states
    out = tmp_path / "out"
    subprocess.run(["cp", "-a", str(source), str(out)], check=True)
    plan(out, "2026-03", LATER)
    killed(out, point, "undo")
    tidy(out)
    assert state(out) in (first, second), point


def test_a_killed_first_run_leaves_no_plan_and_the_next_one_works(tmp_path: Path) -> None:
    killed(tmp_path, "replace:3", "plan", "--config", MINIMAL, "--month", "2026-03", "--now",
           MARCH_NOW)  # fmt: skip
    tidy(tmp_path)
    assert snapshot(tmp_path / "2026-03") == {}
    assert stored(tmp_path)[0] == {}
    plan(tmp_path, "2026-03", MARCH_NOW)
    assert violations(tmp_path) == []


# --- plans written before the store -----------------------------------------------------


def legacy_folder(out: Path, copy: bool) -> dict[str, dict[str, str]]:
    """A March folder as the previous version of planner left it (no store), edited by the
    user since (a LinkedIn post published with their text, a Skool post marked in their own
    column); its rows as planner wrote them."""
    for name in os.listdir(out):
        if name.startswith(STORE_NAME):
            os.remove(out / name)
    csv = out / "2026-03" / "plan.csv"
    written = by_id(read_rows(csv))
    if copy:
        (out / "2026-03" / ".planner-plan.csv").write_bytes(csv.read_bytes())
    rows = read_rows(csv)
    skool, post = skool_of(rows), post_of(rows)
    for row in rows:
        row["Relu par"] = "Julie" if row["id"] == skool else ""
    by_id(rows)[post].update(status="publié", message="Mon texte")
    write_rows(csv, rows, delimiter=";")
    (out / "2026-03" / "notes.txt").write_text("mes notes\n", encoding="utf-8")
    return written


@pytest.mark.parametrize("copy", [True, False], ids=["with its copy", "plan.csv alone"])
def test_a_plan_written_before_the_store_is_imported(out: Path, copy: bool) -> None:
    written = legacy_folder(out, copy)
    post, skool = post_of(list(written.values())), skool_of(list(written.values()))
    untouched = pick(
        (r["id"] for r in scheduled(written.values(), "post", "linkedin") if r["id"] != post),
        "other LinkedIn post",
    )
    uids = set(events(out / "2026-03" / "plan.ics"))
    output = plan(out, "2026-04", APRIL_NOW)
    assert "Avertissement" not in output
    current, coverage = stored(out)
    assert set(written) <= set(current)
    assert current[post].item.status == "published"
    assert current[post].item.message == "Mon texte"
    typed = {"message"} if copy else set(USER_FIELDS)  # without the copy: the whole row
    assert current[post].owned == typed
    assert current[untouched].owned == frozenset()
    assert "2026-03-01" in str(coverage.spans[0][0])
    rows = by_id(read_rows(out / "2026-03" / "plan.csv", delimiter=";"))
    assert rows[skool]["Relu par"] == "Julie"
    assert rows[post]["status"] == "published"
    assert uids <= set(events(out / "2026-03" / "plan.ics"))
    assert (out / "2026-03" / "notes.txt").read_text("utf-8") == "mes notes\n"
    assert "import de" in planner("history", "--out", out)[1]
    assert violations(out) == []
    plan(out, "2026-03", LATER)
    rows = by_id(read_rows(out / "2026-03" / "plan.csv", delimiter=";"))
    assert rows[post]["message"] == "Mon texte"


def test_a_failed_first_run_imports_again(out: Path) -> None:
    written = legacy_folder(out, copy=True)
    code, _ = planner("plan", "--config", MINIMAL, "--month", "2025-06", "--now", MARCH_NOW,
                      "--out", out)  # fmt: skip
    assert code == 2  # before the campaign: refused, after the store was opened
    plan(out, "2026-04", APRIL_NOW)
    assert post_of(list(written.values())) in stored(out)[0]


# --- the user's own files ---------------------------------------------------------------


def test_the_users_files_are_never_read_copied_or_moved(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_files(out, tmp_path)
    csv = out / "2026-03" / "plan.csv"
    set_cells(csv, post_of(read_rows(csv)), status="publié")
    with monkeypatch.context() as patch:
        for module, name in FILE_CALLS:
            patch.setattr(module, name, guarded(getattr(module, name)))
        plan(out, "2026-03", LATER)
        plan(out, "2026-04", APRIL_NOW)
        assert planner("undo", "--out", out)[0] == 0
    folder = out / "2026-03"
    assert (folder / "notes.txt").read_text("utf-8") == "mes notes\n"
    assert (folder / "mes liens").is_symlink()
    assert sorted(os.listdir(tmp_path / "ailleurs")) == ["secret.txt"]
    assert sorted(p for p in os.listdir(folder) if not p.startswith("plan")) == [
        "changes.csv", "mes liens", "notes.txt", "report.html", "report.md",
    ]  # fmt: skip
    assert not (out / "history").exists() and not (folder / "history").exists()


FILE_CALLS = [(io, "open"), (builtins, "open"), (os, "open"), (os, "replace"), (os, "rename"),
              (os, "link"), (os, "unlink"), (shutil, "copyfile"), (shutil, "rmtree")]  # fmt: skip
USERS = ("notes.txt", "mes liens", "ailleurs")


def guarded(call: Callable[..., Any]) -> Callable[..., Any]:
    """The same call, failing the test when it touches one of the user's files."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for arg in args[:2]:
            if isinstance(arg, str | Path) and any(u in str(arg) for u in USERS):
                raise AssertionError(f"planner touched the user's file {arg}")
        return call(*args, **kwargs)

    return wrapper
