"""`plan.xlsx`: the plan as people open it — French column titles and words, real dates, a
status drop-down, frozen header and filters — plus a "Règles" sheet summarising the month.

It reads back through `planner.store.edits` like `plan.csv`: the words shown here (statuses,
natures, channels, audiences, phases, types) are accepted there, as are the codes.
"""

from __future__ import annotations

from datetime import datetime

from planner.export.csvfile import UserColumns
from planner.export.figures import mix_tables, month_days, week_rows
from planner.items import CSV_COLUMNS, Item
from planner.labels import COLUMN_TITLES, KIND_LABELS, STATUS_LABELS
from planner.planning import Plan
from planner.sheets import CellValue, ColumnSpec, SheetSpec
from planner.xlsx_writer import write_xlsx

WIDTHS = {
    "id": 26, "channel": 16, "kind": 8, "start": 17, "end": 17, "timezone": 14,
    "audience": 14, "phase": 18, "content_type": 18, "format": 22, "message": 40,
    "title": 48, "description": 60, "status": 12, "why": 48, "sequence": 8, "parent": 24,
}  # fmt: skip
KINDS = {"start": "datetime", "end": "datetime", "description": "wrap", "why": "wrap",
         "sequence": "number"}  # fmt: skip


def _cells(plan: Plan, item: Item) -> dict[str, CellValue]:
    config = plan.loaded.config
    channel = config.channels[item.channel]
    audience = config.audiences.get(item.audience)
    phases = {p.key: p.label for p in config.phases}
    return {
        "id": item.id,
        "channel": channel.label,
        "kind": KIND_LABELS.get(item.kind, item.kind),
        "start": item.start.replace(tzinfo=None),
        "end": item.end.replace(tzinfo=None),
        "timezone": item.timezone,
        "audience": audience.label if audience is not None else item.audience,
        "phase": phases.get(item.phase, item.phase),
        "content_type": item.content_type,
        "format": item.format,
        "message": item.message,
        "title": item.title,
        "description": item.description,
        "status": STATUS_LABELS.get(item.status, item.status),
        "why": item.why,
        "sequence": item.sequence,
        "parent": item.parent,
    }


WIDEST = 60
"""A one-line column grows to its longest value up to this; wrapped ones keep their width."""


def render_xlsx(plan: Plan, now: datetime, user: UserColumns | None = None) -> bytes:
    user = user or UserColumns()
    rows: list[list[CellValue]] = []
    for item in sorted(plan.items, key=lambda i: (i.start, i.id)):
        cells = _cells(plan, item)
        mine = user.values.get(item.id, {})
        rows.append([cells[c] for c in CSV_COLUMNS] + [mine.get(n, "") for n in user.names])
    columns = [
        ColumnSpec(
            COLUMN_TITLES[c],
            WIDTHS[c] if c in KINDS else _fitted(WIDTHS[c], [r[n] for r in rows]),
            KINDS.get(c, "text"),  # type: ignore[arg-type]
            tuple(STATUS_LABELS.values()) if c == "status" else (),
        )
        for n, c in enumerate(CSV_COLUMNS)
    ] + [ColumnSpec(name, 20) for name in user.names]
    sheets = [SheetSpec("Plan", columns, rows), _rules_sheet(plan)]
    return write_xlsx(sheets, now)


def _fitted(least: int, values: list[CellValue]) -> int:
    """Wide enough for the column's longest text (channel names and ids vary by brand)."""
    longest = max((len(str(v)) for v in values), default=0)
    return min(max(least, longest + 2), WIDEST)


def _rules_sheet(plan: Plan) -> SheetSpec:
    """The month's rules in figures: audience mix (target and achieved) and weekly bands."""
    config = plan.loaded.config
    active = [i for i in plan.items if i.active]
    rows: list[list[CellValue]] = []
    for year, month in plan.horizon.months():
        days = month_days(plan, year, month)
        if not days:
            continue
        for table in mix_tables(plan, active, days):
            channel = config.channels[table.channel].label
            for line in table.lines:
                rows.append(
                    [
                        f"{year}-{month:02d}",
                        f"Mix d'audience — {channel}",
                        config.audiences[line.audience].label,
                        f"{line.percent} %",
                        f"{line.low}–{line.high}",
                        line.count,
                    ]
                )
        for row in week_rows(plan, active, days):
            for key, cell in row.cells.items():
                rows.append(
                    [
                        f"{year}-{month:02d}",
                        f"Volume hebdomadaire — {config.channels[key].label}",
                        f"semaine du {row.monday:%d/%m/%Y}",
                        "" if cell.target is None else f"cible {cell.target}",
                        "fermée" if cell.closed else f"{cell.low}–{cell.high}",
                        cell.count,
                    ]
                )
    columns = [
        ColumnSpec("Mois", 10),
        ColumnSpec("Règle", 36),
        ColumnSpec("Pour", 36),
        ColumnSpec("Visé", 12),
        ColumnSpec("Permis", 10),
        ColumnSpec("Obtenu", 10, "number"),
    ]
    return SheetSpec("Règles", columns, rows)
