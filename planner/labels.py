"""The French words users see for the plan's coded values, and how their own words read back.

`plan.csv` keeps the contract's codes (`planned`, `post`…) for tools and scripts; every
file meant for people (plan.xlsx, calendars, reports, changes.csv) shows these words, and
everything planner reads back accepts both.
"""

from __future__ import annotations

import unicodedata

STATUS_LABELS: dict[str, str] = {
    "planned": "planifié",
    "locked": "verrouillé",
    "published": "publié",
    "cancelled": "annulé",
}
KIND_LABELS: dict[str, str] = {"post": "post", "live": "live", "task": "tâche"}
CHANGE_LABELS: dict[str, str] = {
    "added": "ajouté",
    "moved": "déplacé",
    "removed": "retiré",
    "changed": "modifié",
    "refused": "refusé",
}

COLUMN_TITLES: dict[str, str] = {
    "id": "Identifiant",
    "channel": "Canal",
    "kind": "Nature",
    "start": "Début",
    "end": "Fin",
    "timezone": "Fuseau",
    "audience": "Audience",
    "phase": "Phase",
    "content_type": "Type de contenu",
    "format": "Format",
    "message": "Message clé",
    "title": "Titre",
    "description": "Description",
    "status": "Statut",
    "why": "Pourquoi ici",
    "sequence": "Version",
    "parent": "Rattaché à",
}
"""plan.xlsx's column titles; plan.csv keeps the contract's names for tools."""

_STATUS_SYNONYMS: dict[str, str] = {
    "prevu": "planned",
    "a faire": "planned",
    "fige": "locked",
    "bloque": "locked",
    "canceled": "cancelled",
    "supprime": "cancelled",
}


def plural(count: int, word: str, words: str | None = None) -> str:
    """« 1 post », « 2 posts », « 0 post » (French keeps 0 and 1 in the singular)."""
    return f"{count} {word if count < 2 else (words or word + 's')}"


def decimal(value: float, digits: int = 2) -> str:
    """A number as French readers write it: « 0,65 », « 12,5 » (no trailing zeros)."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return (text or "0").replace(".", ",")


def fold(text: str) -> str:
    """Lower case without accents or surrounding spaces: how a typed word is compared."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(labels: dict[str, str], synonyms: dict[str, str]) -> dict[str, str]:
    found = {fold(code): code for code in labels}
    found |= {fold(word): code for code, word in labels.items()}
    return found | {fold(word): code for word, code in synonyms.items()}


_STATUS_WORDS = _words(STATUS_LABELS, _STATUS_SYNONYMS)
_KIND_WORDS = _words(KIND_LABELS, {"tache": "task"})


def parse_status(text: str) -> str | None:
    """`published`, `publié`, `Publie`… → `published`; None for an unknown word."""
    return _STATUS_WORDS.get(fold(text))


def parse_kind(text: str) -> str | None:
    return _KIND_WORDS.get(fold(text))


_COLUMNS = {fold(code): code for code in COLUMN_TITLES} | {
    fold(title): code for code, title in COLUMN_TITLES.items()
}


def parse_column(title: str) -> str | None:
    """A column title as a user may leave it (either language, any case) → its field."""
    return _COLUMNS.get(fold(title.lstrip("\ufeff")))
