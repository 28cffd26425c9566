"""A plan item (post, live, preparation task) as users see it in `plan.csv` and calendars."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal

Kind = Literal["post", "live", "task"]
Status = Literal["planned", "locked", "published", "cancelled"]

KINDS: tuple[Kind, ...] = ("post", "live", "task")
STATUSES: tuple[Status, ...] = ("planned", "locked", "published", "cancelled")

CSV_COLUMNS = (
    "id",
    "channel",
    "kind",
    "start",
    "end",
    "timezone",
    "audience",
    "phase",
    "content_type",
    "format",
    "message",
    "title",
    "description",
    "status",
    "why",
    "sequence",
    "parent",
)
"""The columns of plan.csv (README, « Fichiers produits »), then `sequence` (ICS SEQUENCE)
and `parent` (a task's live), which re-planning reads back."""


@dataclass(frozen=True)
class Item:
    id: str
    channel: str
    kind: Kind
    start: datetime
    end: datetime
    timezone: str
    audience: str
    phase: str
    content_type: str
    format: str
    message: str
    title: str
    description: str
    status: Status = "planned"
    why: str = ""
    sequence: int = 0
    parent: str = ""

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def active(self) -> bool:
        return self.status != "cancelled"

    def with_(self, **changes: object) -> Item:
        return replace(self, **changes)  # type: ignore[arg-type]
