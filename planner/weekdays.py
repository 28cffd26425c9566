"""Weekday names as marketers write them (French or English) and as the report prints them."""

from __future__ import annotations

import unicodedata
from datetime import datetime

FRENCH_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_ENGLISH = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_NAMES: dict[str, int] = {}
for _i, (_fr, _en) in enumerate(zip(FRENCH_DAYS, _ENGLISH, strict=True)):
    for _name in (_fr, _fr[:3], _en, _en[:3]):
        _NAMES[_fold(_name)] = _i


def parse_weekday(value: object) -> int:
    """Accept 'mardi', 'mar', 'tuesday', 'tue' (any case, accents optional)."""
    if isinstance(value, str) and _fold(value) in _NAMES:
        return _NAMES[_fold(value)]
    raise ValueError(
        f"jour inconnu « {value} » ; écrivez lundi, mardi, mercredi, jeudi, vendredi, "
        "samedi ou dimanche"
    )


def day_name(weekday: int) -> str:
    return FRENCH_DAYS[weekday]


def dated(moment: datetime) -> str:
    """« lundi 15/03/2027 09:00 »."""
    return f"{day_name(moment.weekday())} {moment:%d/%m/%Y %H:%M}"


def day_time(moment: datetime) -> str:
    """« lundi 15/03 09:00 », where the month's context gives the year (reasons, lists)."""
    return f"{day_name(moment.weekday())} {moment:%d/%m %H:%M}"


def days_phrase(weekdays: list[int] | tuple[int, ...]) -> str:
    """'mardi et jeudi', 'lundi, mercredi et vendredi'."""
    names = [FRENCH_DAYS[d] for d in sorted(weekdays)]
    if not names:
        return "aucun jour"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " et " + names[-1]


def month_name(month: int) -> str:
    return FRENCH_MONTHS[month - 1]
