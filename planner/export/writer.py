"""Writing an output folder safely: all files or none, and never over the user's edits.

The new files are written to a staging folder next to the target, then the folders are
swapped with two renames. A process killed while writing leaves the previous folder as it
was; one killed between the two renames leaves it under a `.previous-` name, which the next
run puts back. Files the user added to the folder are carried over. A manifest of content
hashes tells whether `plan.csv` was edited since planner wrote it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from planner.confidential import compile_patterns, find_leaks
from planner.config.model import Config
from planner.errors import InputError, Problem, os_reason

MANIFEST = ".planner-manifest.json"


@dataclass(frozen=True)
class OutputFile:
    name: str
    content: bytes


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def recover(target: Path) -> None:
    """Put back a folder left aside by an export killed between its two renames, and clear
    what killed exports left behind: once the target exists, a `.previous-` folder is the
    old side of a finished swap and must go, or a later recovery could pick it and bring an
    old plan back over a newer one."""
    asides = sorted(_leftovers(target, ".previous"), key=lambda p: p.stat().st_ctime_ns)
    if asides and not target.exists():
        asides.pop().rename(target)
    for stale in asides:
        shutil.rmtree(stale, ignore_errors=True)
    for staging in _leftovers(target, ".staging"):
        if not _running(int(staging.name.rsplit("-", 1)[1])):
            shutil.rmtree(staging, ignore_errors=True)


def _leftovers(target: Path, prefix: str) -> list[Path]:
    """`<prefix>-<target name>-<pid>` folders next to the target, and only those (the month
    `2026-03` must not pick up the leftovers of the range `2026-03-01_2026-04-30`)."""
    start = f"{prefix}-{target.name}-"
    if not target.parent.is_dir():
        return []
    return [
        p
        for p in target.parent.iterdir()
        if p.name.startswith(start) and p.name[len(start) :].isdigit()
    ]


def _running(pid: int) -> bool:
    """Whether a process still runs (its staging folder may be in use)."""
    if pid == os.getpid() or os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def edited_files(target: Path, names: tuple[str, ...] = ("plan.csv",)) -> list[str]:
    """Files planner wrote in this folder that changed since (per the manifest)."""
    manifest = target / MANIFEST
    if not manifest.exists():
        return [n for n in names if (target / n).exists()]
    try:
        known = json.loads(manifest.read_text(encoding="utf-8")).get("files", {})
    except (ValueError, OSError):
        known = {}
    return [
        n
        for n in names
        if (target / n).exists() and _digest((target / n).read_bytes()) != known.get(n)
    ]


def refuse_leaks(config: Config, files: list[OutputFile]) -> None:
    """Refuse the whole export if any file would carry a confidential pattern."""
    patterns = compile_patterns(config)
    problems: list[Problem] = []
    seen: set[bytes] = set()
    for file in files:
        if file.content in seen:  # the snapshot repeats plan.csv byte for byte
            continue
        seen.add(file.content)
        text = file.content.decode("utf-8", errors="replace")
        whole = find_leaks(patterns, text)
        if not whole:  # the usual case: one search per pattern, not one per line
            continue
        found = len(problems)
        for number, line in enumerate(text.splitlines(), 1):
            for leak in find_leaks(patterns, line):
                message = f"« {leak.excerpt} » ({leak.label}) : {line[:120]}"
                problems.append(Problem(message, Path(file.name), number))
        if len(problems) == found:  # a match across a line break
            problems += [
                Problem(f"« {leak.excerpt} » ({leak.label})", Path(file.name)) for leak in whole
            ]
    if problems:
        raise InputError(
            "Export refusé : un contenu confidentiel apparaîtrait dans les "
            "fichiers. Rien n'a été écrit.",
            problems[:20],
        )


def write_outputs(target: Path, files: list[OutputFile]) -> None:
    """Replace `target` by a folder holding `files` and everything else already there
    (the user's own files, history), except the files being regenerated."""
    recover(target)
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"Impossible de créer le dossier de sortie {parent} : {os_reason(exc)}."
        ) from None
    staging = parent / f".staging-{target.name}-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        _fill(staging, target, files)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # a failed export leaves nothing behind
        raise
    aside = parent / f".previous-{target.name}-{os.getpid()}"
    if target.exists():
        target.rename(aside)
    staging.rename(target)
    _fsync_dir(parent)
    if aside.exists():
        shutil.rmtree(aside)


def _fill(staging: Path, target: Path, files: list[OutputFile]) -> None:
    """The new folder's content: the user's own files carried over, then ours, synced."""
    regenerated = {f.name for f in files} | {MANIFEST}
    if target.exists():
        for entry in sorted(target.iterdir()):
            if entry.name not in regenerated:
                _carry(entry, staging / entry.name)
    for file in files:
        path = staging / file.name
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(file.content)
            handle.flush()
            os.fsync(handle.fileno())
    manifest = {"files": {f.name: _digest(f.content) for f in files}}
    (staging / MANIFEST).write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    _fsync_dir(staging)


def _carry(source: Path, destination: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, destination, copy_function=_link_or_copy)
    else:
        _link_or_copy(str(source), str(destination))


def _link_or_copy(source: str, destination: str) -> str:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)
    return destination


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def history(target: Path, files: list[OutputFile], now: datetime) -> list[OutputFile]:
    """Copies of the folder's current files under history/<now>/, when any would change."""
    if not target.is_dir():
        return []
    new = {f.name: f.content for f in files}
    current = {
        p.name: p.read_bytes()
        for p in sorted(target.iterdir())
        if p.is_file() and not p.name.startswith(".")
    }
    if all(new.get(name) == content for name, content in current.items()):
        return []
    stamp = f"{now:%Y-%m-%dT%H-%M-%S}"
    folder, n = stamp, 2
    while (target / "history" / folder).exists():
        folder, n = f"{stamp}-{n}", n + 1
    return [OutputFile(f"history/{folder}/{name}", content) for name, content in current.items()]
