"""Nothing lost: a `planner plan` killed during its export, or failing, never costs the user
the previous plan or their own files; an edited plan.csv is never overwritten silently.

Real processes are killed with SIGKILL at chosen system calls of the export (see
`tests/killpoints.py`), so the tests show what `kill -9` or a power cut at that instant
leaves on disk, and what the next run makes of it.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.export.writer import MANIFEST, recover
from tests.conftest import MINIMAL, ROOT

FIRST, SECOND = "2026-02-20T09:00", "2026-02-21T09:00"
"""Two --now values: the plans only differ by their ICS DTSTAMP, so which one a folder
holds is visible byte for byte."""

Snapshot = dict[str, bytes]


def plan_args(out: Path, now: str) -> list[str]:
    return ["plan", "--config", str(MINIMAL), "--month", "2026-03", "--now", now, "--out", str(out)]


def plan(out: Path, now: str, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*plan_args(out, now), *extra])
    return result.exit_code, result.output


def snapshot(folder: Path) -> Snapshot:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Snapshot, Snapshot]:
    """The month folder as the first run leaves it and as the second run would, each with
    the user's own notes file carried over."""
    found = []
    for now in (FIRST, SECOND):
        out = tmp_path_factory.mktemp("versions")
        assert plan(out, now)[0] == 0
        (out / "2026-03" / "notes.txt").write_text("mes notes\n", encoding="utf-8")
        found.append(snapshot(out / "2026-03"))
    assert found[0] != found[1]
    return found[0], found[1]


def first_run(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    assert plan(out, FIRST)[0] == 0
    (out / "2026-03" / "notes.txt").write_text("mes notes\n", encoding="utf-8")
    return out


def killed_run(out: Path, point: str, now: str = SECOND) -> None:
    """`planner plan` in its own process, SIGKILLed at `point`; fails if it got past it."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.killpoints", system_call(point, out), *plan_args(out, now)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == -signal.SIGKILL, (point, result.returncode, result.stderr)


KILL_POINTS = [
    "first file",  # first file of the new folder written
    "middle file",
    "last file",
    "staged",  # new folder complete and synced, nothing swapped yet
    "rename:1",  # old folder moved aside, new one not yet in place
    "rename:2",  # new folder in place, old one not yet removed
    "swapped",  # swap synced, old folder not yet removed
    "rmtree:1",  # halfway through removing the old folder
]


def system_call(point: str, out: Path) -> str:
    """The `tests.killpoints` point for a step of the export: one fsync per file written
    (as many as the folder the first run left holds), then the staging folder's, then the
    parent's once swapped."""
    written = [
        p
        for p in (out / "2026-03").iterdir()
        if p.is_file() and p.name not in (MANIFEST, "notes.txt")
    ]
    files = len(written)
    steps = {"first file": 1, "middle file": files // 2, "last file": files,
             "staged": files + 1, "swapped": files + 2}  # fmt: skip
    return f"fsync:{steps[point]}" if point in steps else point


@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_killed_export_leaves_a_whole_plan(
    point: str, tmp_path: Path, versions: tuple[Snapshot, Snapshot]
) -> None:
    old, new = versions
    out = first_run(tmp_path)
    target = out / "2026-03"
    killed_run(out, point)
    if target.exists():
        assert snapshot(target) in (old, new), "a folder mixing two plans"
    else:  # killed between the two renames: the old folder waits aside, whole
        [aside] = [p for p in out.iterdir() if p.name.startswith(".previous-")]
        assert snapshot(aside) == old
    recover(target)  # what the next run does first
    assert snapshot(target) in (old, new)
    assert leftovers(out) == []
    code, output = plan(out, SECOND)
    assert code == 0, output  # the next run is not refused: nothing looks edited
    assert snapshot(target) == new
    assert leftovers(out) == []


def save_as_an_editor_does(path: Path, text: str) -> None:
    """Write a new file and rename it over the old one (a new inode, as most editors and
    spreadsheets save): a hard-linked copy of the old file keeps the old text."""
    fresh = path.with_name(path.name + ".tmp")
    fresh.write_text(text, encoding="utf-8")
    os.replace(fresh, path)


def test_a_second_crash_never_brings_back_an_older_plan(
    tmp_path: Path, versions: tuple[Snapshot, Snapshot]
) -> None:
    """A crash after the swap left the old folder aside; a later crash between the renames
    left a second one. Recovery took the first by name: the plan of two runs before, and
    the user's notes as they were then."""
    out = first_run(tmp_path)
    target = out / "2026-03"
    killed_run(out, "swapped")  # the SECOND plan is in place, the FIRST one left aside
    save_as_an_editor_does(target / "notes.txt", "mes dernières notes\n")
    killed_run(out, "rename:1", FIRST)  # the SECOND plan moved aside, then killed
    assert not target.exists()
    recover(target)
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mes dernières notes\n"
    assert (target / "plan.ics").read_bytes() == versions[1]["plan.ics"]
    assert leftovers(out) == []


def test_a_month_never_takes_the_leftovers_of_a_range(tmp_path: Path) -> None:
    """`.previous-2026-03-*` also matched the leftover of the range 2026-03-01_2026-04-30:
    planning March moved that folder into 2026-03/."""
    out = tmp_path / "out"
    stray = out / ".previous-2026-03-01_2026-04-30-4242"
    stray.mkdir(parents=True)
    (stray / "plan.csv").write_text("id\nrange-only\n", encoding="utf-8")
    assert plan(out, FIRST)[0] == 0
    assert b"range-only" not in (out / "2026-03" / "plan.csv").read_bytes()
    assert stray.exists()


def test_a_failed_export_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, versions: tuple[Snapshot, Snapshot]
) -> None:
    """A disk that fills up while the new folder is written: exit 2 in French, the old
    folder untouched, and no half-written staging folder left next to it."""
    out = first_run(tmp_path)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    code, output = plan(out, SECOND)
    assert code == 2, output
    assert "disque plein" in output
    assert snapshot(out / "2026-03") == versions[0]
    assert leftovers(out) == []


def test_an_edited_plan_is_kept_until_forced(tmp_path: Path) -> None:
    """Refused without --force (exit 2, every file as the user left it, the way out named);
    with --force, plan.csv is regenerated and the user's own files stay."""
    out = first_run(tmp_path)
    target = out / "2026-03"
    csv = target / "plan.csv"
    csv.write_bytes(csv.read_bytes().replace(b"planned", b"published", 1))
    before = snapshot(target)
    code, output = plan(out, SECOND)
    assert code == 2
    assert str(csv) in output and "planner replan" in output and "--force" in output
    assert snapshot(target) == before
    assert leftovers(out) == []
    assert plan(out, SECOND, "--force")[0] == 0
    assert b"published" not in csv.read_bytes()
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mes notes\n"


def test_a_plan_csv_planner_did_not_write_is_kept(tmp_path: Path) -> None:
    """A plan.csv put in the folder by hand (no manifest says planner wrote it) counts as
    the user's: refused without --force."""
    out = first_run(tmp_path)
    (out / "2026-03" / MANIFEST).unlink()
    code, output = plan(out, SECOND)
    assert code == 2, output
    assert "planner replan" in output
