"""`plan.csv`: the plan as a spreadsheet, one row per item, sorted by start."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from planner.changes import CHANGE_COLUMNS, Change
from planner.items import CSV_COLUMNS, Item

# Formula neutralisation lives in planner.spreadsheet; re-exported for existing importers.
from planner.spreadsheet import FORMULA_STARTS as FORMULA_STARTS
from planner.spreadsheet import neutralise
from planner.spreadsheet import restore as restore


def row(item: Item) -> dict[str, str]:
    values = {
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
    return {k: neutralise(v) for k, v in values.items()}


@dataclass(frozen=True)
class UserColumns:
    """Columns the user added in their spreadsheet, carried over by re-planning."""

    names: tuple[str, ...] = ()
    values: dict[str, dict[str, str]] = field(default_factory=dict)


def render_csv(items: list[Item], user: UserColumns | None = None) -> str:
    user = user or UserColumns()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*CSV_COLUMNS, *user.names])
    for item in sorted(items, key=lambda i: (i.start, i.id)):
        mine = user.values.get(item.id, {})
        cells = row(item)
        writer.writerow(
            [cells[c] for c in CSV_COLUMNS] + [neutralise(mine.get(n, "")) for n in user.names]
        )
    return buffer.getvalue()


def render_changes(changes: list[Change]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CHANGE_COLUMNS)
    for change in changes:
        writer.writerow([neutralise(getattr(change, c)) for c in CHANGE_COLUMNS])
    return buffer.getvalue()
