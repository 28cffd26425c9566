"""`planner history` (the runs, or one item's versions) and `planner undo` (the last run,
store and files back as they were before it)."""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path

from planner.errors import InputError, Problem
from planner.export.writer import OutputFile
from planner.labels import CHANGE_LABELS, COLUMN_TITLES, STATUS_LABELS
from planner.store.database import STORE_NAME, connect
from planner.store.ingest import VIEW_TABLES
from planner.store.records import Records
from planner.store.session import Session
from planner.weekdays import day_name

SOURCE_WORDS = {"planner": "par planner", "user": "par vous (tableur)", "import": "importé"}


def _when(text: str) -> str:
    moment = datetime.fromisoformat(text)
    return f"{moment:%d/%m/%Y %H:%M}"


def _records(out: Path) -> Records:
    path = out / STORE_NAME
    if not path.is_file():
        raise InputError(f"Aucun plan dans {out} : lancez d'abord planner plan (--out {out}).")
    return Records(connect(path, create=False), path)


def history_lines(out: Path, item_id: str | None) -> list[str]:
    records = _records(out)
    try:
        if item_id is None:
            return _runs(records)
        return _versions(records, item_id)
    finally:
        records.db.close()


def _runs(records: Records) -> list[str]:
    runs = records.runs()
    if not runs:
        return ["Aucun calcul enregistré."]
    lines = [f"{len(runs)} calcul(s), du plus ancien au plus récent :"]
    for run in runs:
        counts = ", ".join(
            f"{n} {CHANGE_LABELS[k]}(s)" for k, n in sorted(run.summary.items()) if n
        )
        lines.append(
            f"  n° {run.id} · {_when(run.now)} · {run.command} · période {run.label} · "
            f"{counts or 'aucun changement'}"
        )
    return lines


def _versions(records: Records, item_id: str) -> list[str]:
    versions = records.versions(item_id)
    if not versions:
        raise InputError(f"Aucun élément « {item_id} » dans {records.path}.")
    runs = {r.id: r for r in records.runs()}
    lines = [f"{item_id} : {len(versions)} version(s)"]
    for version in versions:
        item = version.item
        run = runs.get(version.run)
        where = f"calcul n° {version.run}" + (f" ({run.command})" if run else "")
        changed = ", ".join(COLUMN_TITLES.get(f, f).lower() for f in version.changed)
        lines.append(
            f"  {where} · {SOURCE_WORDS.get(version.source, version.source)} · "
            f"{day_name(item.start.weekday())} {item.start:%d/%m/%Y %H:%M} · "
            f"{STATUS_LABELS.get(item.status, item.status)} · {item.title}"
            + (f" · changé : {changed}" if changed else "")
        )
    return lines


def undo_last(out: Path) -> list[str]:
    if not (out / STORE_NAME).is_file():
        raise InputError(f"Aucun plan dans {out} : rien à annuler.")
    with Session(out, create=False) as session:
        records = session.records
        runs = records.runs()
        if not runs:
            return ["Rien à annuler : aucun calcul enregistré."]
        run = runs[-1]
        before = records.before_files(run.id)
        _refuse_unsaved_edits(records, out, before)
        created = records.folders_created_by(run.id)
        records.forget_run(run.id)
        by_label: dict[str, tuple[list[OutputFile], list[str]]] = {}
        for (label, name), content in sorted(before.items()):
            files, removed = by_label.setdefault(label, ([], []))
            if content is None:
                removed.append(name)
            else:
                files.append(OutputFile(name, content))
        for label, (files, removed) in by_label.items():
            session.stage(label, files, -run.id, removed)
    for label in created:
        with contextlib.suppress(OSError):
            (out / label).rmdir()
    calendars = sorted(out / label / name for label, name in before if name.endswith(".ics"))
    back = [p for p in calendars if p.exists()]
    gone = [p for p in calendars if not p.exists()]
    lines = [f"Calcul n° {run.id} annulé ({run.command}, du {_when(run.now)})."]
    if back:
        lines.append("Réimportez dans vos agendas les calendriers revenus en arrière :")
        lines += [f"  {path}" for path in back]
    if gone:
        lines.append(
            "Ces calendriers n'existent plus : si vous les aviez importés, supprimez leurs "
            "événements de vos agendas :"
        )
        lines += [f"  {path}" for path in gone]
    return lines


def _refuse_unsaved_edits(
    records: Records, out: Path, before: dict[tuple[str, str], bytes | None]
) -> None:
    """Undo puts back the files the run wrote: a spreadsheet the user edited since would
    lose their edits."""
    edited = [
        out / label / name
        for label, name in sorted(before)
        if name in VIEW_TABLES
        and (out / label / name).is_file()
        and (out / label / name).read_bytes() != records.last_export(label, name)
    ]
    if edited:
        raise InputError(
            "Rien n'a été annulé : vous avez modifié ces fichiers depuis ce calcul, et "
            "l'annuler effacerait vos modifications.",
            [
                Problem(
                    "lancez d'abord planner plan (ou replan) pour les enregistrer, puis "
                    "planner undo si besoin",
                    path,
                )
                for path in edited
            ],
        )
