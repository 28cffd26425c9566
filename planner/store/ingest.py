"""Bringing the user's spreadsheet edits into the store before a run plans anything.

Every folder whose `plan.csv` or `plan.xlsx` differs from what planner last wrote there is
read back; so is a file given with `replan --plan`, wherever it was saved. Each difference
becomes a version of the item written by the user, in the run that reads it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from planner.config.model import Config
from planner.items import Item
from planner.spreadsheet import CsvStyle, read_table
from planner.store.edits import (
    Edits,
    IdMaker,
    deleted_rows,
    merge,
    read_edits,
    source_export,
)
from planner.store.records import Records, Stored

VIEW_TABLES = ("plan.csv", "plan.xlsx")


@dataclass
class Ingested:
    wishes: dict[str, Item] = field(default_factory=dict)
    """Items as the user left them (their edits are wishes for planned rows)."""
    gone: dict[str, str] = field(default_factory=dict)
    """Items the user cancelled or deleted, and how they said so."""
    touched: set[str] = field(default_factory=set)
    """Folders whose files the user edited: they are rewritten."""
    source: str | None = None
    """For a file given with `replan --plan`: the folder most of its rows come from."""


def ingest(
    records: Records,
    out: Path,
    config: Config,
    run_id: int,
    explicit: Path | None,
    since: datetime | None = None,
) -> Ingested:
    """`since`: rows from then on that are planned are left to planner (see `read_edits`)."""
    found = Ingested()
    current = records.current()
    new_id = IdMaker(records.ids())
    folders = records.folders()
    exports = records.exports_by_run()
    for label, period in folders.items():
        tables = []
        for name in VIEW_TABLES:
            path = out / label / name
            if path.is_file() and path.read_bytes() != records.last_export(label, name):
                tables.append(read_table(path))
        if tables:
            bases = [source_export(t, exports) for t in tables]
            edits = merge(
                [
                    read_edits(t, config, current, new_id, b, since)
                    for t, b in zip(tables, bases, strict=True)
                ]
            )
            edits.deleted = sorted(
                {k for b in bases for k in deleted_rows(current, edits.seen, period, b)}
            )
            _apply(records, run_id, edits, current, found, label)
            found.touched.add(label)
            current = records.current()
    view = _view_label(explicit, out, folders) if explicit is not None else None
    if view is not None:
        found.source = view
    elif explicit is not None:
        table = read_table(explicit)
        base = source_export(table, exports)
        edits = read_edits(table, config, current, new_id, base, since)
        span = _span(edits.seen, current, folders)
        if span is not None:
            edits.deleted = deleted_rows(current, edits.seen, span, base)
        labels = [
            label
            for label, (first, last) in folders.items()
            if any(first <= current[i].item.day <= last for i in edits.items if i in current)
        ]
        counts = {
            label: sum(
                1 for i in edits.seen if i in current and first <= current[i].item.day <= last
            )
            for label, (first, last) in folders.items()
        }
        found.source = max(counts, key=lambda k: counts[k]) if any(counts.values()) else None
        _apply(records, run_id, edits, current, found, found.source)
        found.touched |= set(labels)
    return found


def _view_label(path: Path, out: Path, folders: dict[str, tuple[date, date]]) -> str | None:
    """The folder a file is a view of, if it is one of ours."""
    try:
        resolved = path.resolve()
    except OSError:
        return None
    return next((f for f in folders if resolved == (out / f / path.name).resolve()), None)


def _span(
    ids: set[str], current: dict[str, Stored], folders: dict[str, tuple[date, date]]
) -> tuple[date, date] | None:
    """The folders a downloaded file's rows come from: rows of them it lacks were deleted."""
    days = [current[i].item.day for i in ids if i in current]
    spans = [p for p in folders.values() if any(p[0] <= d <= p[1] for d in days)]
    if not spans:
        return None
    return min(p[0] for p in spans), max(p[1] for p in spans)


def _apply(
    records: Records,
    run_id: int,
    edits: Edits,
    current: dict[str, Stored],
    found: Ingested,
    label: str | None,
) -> None:
    for key, item in edits.items.items():
        stored = current[key]
        extras = {**stored.extras, **edits.extras.get(key, {})}
        records.add_version(
            run_id,
            "user",
            dataclasses.replace(stored, item=item, owned=edits.owned[key], extras=extras),
            edits.fields[key],
        )
        found.wishes[key] = item
        if item.status == "cancelled" and stored.item.active:
            found.gone[key] = "annulé dans le tableur"
    for key in edits.deleted:
        stored = current[key]
        item = stored.item.with_(status="cancelled")
        records.add_version(run_id, "user", dataclasses.replace(stored, item=item), ["status"])
        found.gone[key] = "supprimé du tableur"
    for item in edits.added:
        records.add_version(
            run_id,
            "user",
            Stored(item, edits.owned.get(item.id, frozenset()), "", None, edits.extras[item.id]),
            ["ajouté"],
        )
        found.wishes[item.id] = item
    unchanged = {
        key: extras
        for key, extras in edits.extras.items()
        if key in current and key not in edits.items and extras != current[key].extras
    }
    for key, extras in unchanged.items():
        stored = dataclasses.replace(current[key], extras={**current[key].extras, **extras})
        records.add_version(run_id, "user", stored, ["colonnes"])
    if label is not None:
        columns, style = records.layout(label)
        names = columns + [c for c in edits.extra_columns if c not in columns]
        records.add_layout(run_id, label, names, _style(edits.style) or style)


def _style(style: CsvStyle | None) -> dict[str, object]:
    return dataclasses.asdict(style) if style is not None else {}
