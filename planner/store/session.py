"""One run on a workspace: the store's transaction and the folders' files, all or nothing.

Opening takes the workspace (a second run waits, then refuses), finishes or undoes what a
killed run left in the folders, and begins the transaction. Closing with success swaps
every staged folder in, commits, then tidies up; any failure puts everything back.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from types import TracebackType

from planner.export.writer import JOURNAL, FolderWrite, OutputFile, recover
from planner.store.database import begin, connect, store_path
from planner.store.records import Records


class Session:
    def __init__(self, out: Path, create: bool = True) -> None:
        self.out = out
        self.path = store_path(out)
        self.made_out = not out.exists()
        self.created = not self.path.exists()
        self.db: sqlite3.Connection = connect(self.path, create=create)
        begin(self.db, self.path)
        self.records = Records(self.db, self.path)
        self.writes: list[FolderWrite] = []
        for folder in self._folders():
            recover(folder, self._committed)

    def _folders(self) -> list[Path]:
        """The store's folders, and any other that holds a journal: a killed first run of a
        month left one in a folder the store does not know yet."""
        known = {self.out / label for label in self.records.folders()}
        journaled = {
            p
            for p in self.out.iterdir()
            if p.is_dir() and not p.is_symlink() and (p / JOURNAL).is_file()
        }
        return sorted(known | journaled)

    def _committed(self, run_id: int) -> bool:
        """Whether a run's files belong to the store's state (an undo stages its files
        under the negative id of the run it undoes)."""
        if run_id < 0:
            return not self.records.has_run(-run_id)
        return self.records.has_run(run_id)

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if error is None:
                self._commit()
            else:
                self._rollback()
        finally:
            self.db.close()
        if error is not None and self.created:
            self._forget()

    def _forget(self) -> None:
        """A first run that failed leaves no store (and no folder) behind."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{self.path}{suffix}").unlink()
        if self.made_out:
            with contextlib.suppress(OSError):
                self.out.rmdir()

    def stage(
        self, label: str, files: list[OutputFile], run_id: int, removed: list[str] | None = None
    ) -> None:
        """Write a folder's new files aside; they replace the old ones (and the `removed`
        ones go) at commit."""
        write = FolderWrite(self.out / label, files, run_id, removed or [])
        self.writes.append(write)
        write.stage()

    def _commit(self) -> None:
        try:
            for write in self.writes:
                write.swap()
        except OSError:
            self._rollback()
            raise
        self.db.execute("COMMIT")
        for write in self.writes:
            write.finish()

    def _rollback(self) -> None:
        for write in self.writes:
            with contextlib.suppress(OSError):
                write.rollback()
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
