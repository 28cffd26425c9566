"""`plan-gcal.csv`: Google Calendar's own CSV import format (local wall-clock times)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from planner.config.model import Config
from planner.items import Item
from planner.spreadsheet import neutralise

COLUMNS = (
    "Subject",
    "Start Date",
    "Start Time",
    "End Date",
    "End Time",
    "All Day Event",
    "Description",
    "Location",
    "Private",
)


def _clock(moment: datetime) -> str:
    """12-hour time as Google expects it, whatever the machine's locale."""
    hour = moment.hour % 12 or 12
    return f"{hour:02d}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def render_gcal(config: Config, items: list[Item]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in sorted(items, key=lambda i: (i.start, i.id)):
        if not item.active:
            continue
        writer.writerow(
            [
                neutralise(v)
                for v in (
                    item.title,
                    f"{item.start:%m/%d/%Y}",
                    _clock(item.start),
                    f"{item.end:%m/%d/%Y}",
                    _clock(item.end),
                    "False",
                    item.description,
                    config.export.location,
                    "True",
                )
            ]
        )
    return buffer.getvalue()
