"""Writing a plan folder's files together with the store, all or nothing.

Only planner's own files are touched; anything else in the folder (notes, the user's
downloads, links) is never read, copied or moved. Each run:
1. writes every new file next to its target as `.<name>.new-<pid>`, synced;
2. writes a journal naming the run and, for each target that exists, a hard link to it
   (`.<name>.old-<pid>`), so the old bytes stay reachable;
3. renames each new file over its target (atomic per file);
4. commits the store (the caller), then 5. removes the journal and the old links.
A run killed before the commit leaves a journal whose run the store does not know: the next
run puts every old file back. Killed after it, the next run just tidies up.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from planner.errors import InputError, os_reason

JOURNAL = ".planner-journal.json"


@dataclass(frozen=True)
class OutputFile:
    name: str
    content: bytes


def _sync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write(path: Path, content: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _keep(target: Path, backup: Path) -> None:
    """The old bytes under another name: a hard link, or a copy where links are refused."""
    try:
        os.link(target, backup)
    except OSError:
        _write(backup, target.read_bytes())


class FolderWrite:
    """One folder's share of a run: staged, swapped in, then finished or rolled back.
    `removed` names files of planner that go (an undo removes what the undone run added)."""

    def __init__(
        self, folder: Path, files: list[OutputFile], run_id: int, removed: list[str]
    ) -> None:
        self.folder = folder
        self.files = files
        self.removed = removed
        self.names = [f.name for f in files] + removed
        self.run_id = run_id
        self.pid = os.getpid()

    def _new(self, name: str) -> Path:
        return self.folder / f".{name}.new-{self.pid}"

    def _old(self, name: str) -> Path:
        return self.folder / f".{name}.old-{self.pid}"

    def stage(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for file in self.files:
                _write(self._new(file.name), file.content)
            for name in self.names:
                target = self.folder / name
                if target.is_file():
                    _keep(target, self._old(name))
            journal = {"run": self.run_id, "pid": self.pid, "files": self.names}
            _write(self.folder / JOURNAL, json.dumps(journal, sort_keys=True).encode())
            _sync(self.folder)
        except OSError as exc:
            self.rollback()
            raise InputError(
                f"Impossible d'écrire dans {self.folder} : {os_reason(exc)}. Rien n'a été changé."
            ) from None

    def swap(self) -> None:
        for file in self.files:
            os.replace(self._new(file.name), self.folder / file.name)
        for name in self.removed:
            with contextlib.suppress(FileNotFoundError):
                (self.folder / name).unlink()
        _sync(self.folder)

    def finish(self) -> None:
        """After the store's commit: the old bytes are no longer needed."""
        for name in self.names:
            with contextlib.suppress(FileNotFoundError):
                self._old(name).unlink()
        with contextlib.suppress(FileNotFoundError):
            (self.folder / JOURNAL).unlink()
        _sync(self.folder)

    def rollback(self) -> None:
        """Before the commit: every file as it was."""
        _undo(self.folder, self.names, self.pid)


def _undo(folder: Path, names: list[str], pid: int) -> None:
    """Put back each file of an uncommitted run: its old bytes, or no file if it had none."""
    for name in names:
        old = folder / f".{name}.old-{pid}"
        if old.is_file():
            os.replace(old, folder / name)
        elif not (folder / f".{name}.new-{pid}").exists():
            with contextlib.suppress(FileNotFoundError):
                (folder / name).unlink()
        with contextlib.suppress(FileNotFoundError):
            (folder / f".{name}.new-{pid}").unlink()
    with contextlib.suppress(FileNotFoundError):
        (folder / JOURNAL).unlink()
    _sync(folder)


def recover(folder: Path, committed: Callable[[int], bool]) -> None:
    """Finish or undo what a killed run left in this folder (see the module docstring)."""
    if not folder.is_dir():
        return
    journal = folder / JOURNAL
    if journal.is_file():
        try:
            data = json.loads(journal.read_text(encoding="utf-8"))
            run, pid = int(data["run"]), int(data["pid"])
            names = [str(n) for n in data["files"]]
        except (ValueError, KeyError, TypeError, OSError):
            journal.unlink()
        else:
            if committed(run):
                journal.unlink()
            else:
                _undo(folder, names, pid)
    for leftover in folder.iterdir():
        if leftover.name.startswith(".") and (".new-" in leftover.name or ".old-" in leftover.name):
            with contextlib.suppress(OSError):
                leftover.unlink()
    _sync(folder)
