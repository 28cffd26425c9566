"""`plan.csv`: the plan as a spreadsheet, one row per item, sorted by start."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from planner.changes import CHANGE_COLUMNS, CHANGE_TITLES, Change
from planner.items import CSV_COLUMNS, Item
from planner.labels import CHANGE_LABELS

# Formula neutralisation lives in planner.spreadsheet; re-exported for existing importers.
from planner.spreadsheet import FORMULA_STARTS as FORMULA_STARTS
from planner.spreadsheet import neutralise
from planner.spreadsheet import restore as restore


def row(item: Item) -> dict[str, str]:
    return {
        "id": item.id,
        "channel": item.channel,
        "kind": item.kind,
        "start": item.start.isoformat(),
        "end": item.end.isoformat(),
        "timezone": item.timezone,
        "audience": item.audience,
        "phase": item.phase,
        "content_type": item.content_type,
        "format": item.format,
        "message": item.message,
        "title": item.title,
        "description": item.description,
        "status": item.status,
        "why": item.why,
        "sequence": str(item.sequence),
        "parent": item.parent,
    }


@dataclass(frozen=True)
class UserColumns:
    """Columns the user added in their spreadsheet, carried over by re-planning."""

    names: tuple[str, ...] = ()
    values: dict[str, dict[str, str]] = field(default_factory=dict)


def render_csv(
    items: list[Item], user: UserColumns | None = None
) -> tuple[list[str], list[list[str]]]:
    """plan.csv's header and rows (contract columns, then the user's), sorted by start."""
    user = user or UserColumns()
    rows: list[list[str]] = []
    for item in sorted(items, key=lambda i: (i.start, i.id)):
        mine = user.values.get(item.id, {})
        cells = row(item)
        rows.append([cells[c] for c in CSV_COLUMNS] + [mine.get(n, "") for n in user.names])
    return [*CSV_COLUMNS, *user.names], rows


def render_changes(changes: list[Change]) -> str:
    """changes.csv: what this run changed, in French words."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CHANGE_TITLES)
    for change in changes:
        cells = [getattr(change, c) for c in CHANGE_COLUMNS]
        cells[1] = CHANGE_LABELS.get(change.change, change.change)
        writer.writerow([neutralise(c) for c in cells])
    return buffer.getvalue()
