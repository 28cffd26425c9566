"""What re-planning changed, item by item (`changes.csv` and the reports)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ChangeKind = Literal["added", "moved", "removed", "changed", "refused"]
CHANGE_COLUMNS = ("id", "change", "before", "after", "why")
CHANGE_TITLES = ("identifiant", "changement", "avant", "après", "raison")
"""changes.csv's header: a file people read, in their words."""


@dataclass(frozen=True)
class Change:
    id: str
    change: ChangeKind
    before: str
    after: str
    why: str
    field: str = "start"
    """What a refused change is about: `start` (a move), `end` or `phase` (an edit)."""


FIELD_WORDS = {
    "end": "fin",
    "audience": "audience",
    "phase": "phase",
    "content_type": "type",
    "format": "format",
    "message": "message",
    "title": "titre",
    "description": "description",
    "status": "statut",
}


def field_word(field: str) -> str:
    """A field's name in the words of changes.csv and the screen."""
    return FIELD_WORDS.get(field, field)
