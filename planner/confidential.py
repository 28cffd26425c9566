"""Confidential patterns (internal price tiers, M13…) that must never leave the tool."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from planner.config.loading import LoadedConfig
from planner.config.model import Config
from planner.errors import Problem
from planner.items import Item

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " "})
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
"""Soft hyphen, zero-width spaces and joiners: invisible, they would split a tier in two."""


@dataclass(frozen=True)
class Leak:
    label: str
    excerpt: str


def compile_patterns(config: Config) -> list[tuple[str, re.Pattern[str]]]:
    return [(p.label, re.compile(p.pattern, re.IGNORECASE)) for p in config.confidential.patterns]


def find_leaks(patterns: list[tuple[str, re.Pattern[str]]], text: str) -> list[Leak]:
    """Matches in a text as a reader sees it: non-breaking and thin spaces read as plain
    spaces, invisible characters dropped, full-width digits (NFKC) read as digits."""
    normal = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_SPACES)
    leaks: list[Leak] = []
    for label, pattern in patterns:
        match = pattern.search(normal)
        if match:
            leaks.append(Leak(label, match.group(0)))
    return leaks


def scan_config(loaded: LoadedConfig) -> list[Problem]:
    """Every text of the config that matches a confidential pattern, with file and key."""
    patterns = compile_patterns(loaded.config)
    data = loaded.config.model_dump(by_alias=True, exclude={"confidential"})
    problems: list[Problem] = []
    for path, text in _texts(data, ()):
        for leak in find_leaks(patterns, text):
            problems.append(
                Problem(
                    f"« {leak.excerpt} » ({leak.label}) ne doit jamais être "
                    f"publié : {loaded.locate(path)}"
                )
            )
    return problems


FieldPath = tuple[str | int, ...]


def _texts(value: object, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _texts(child, (*path, key))
    elif isinstance(value, list | tuple):
        for i, child in enumerate(value):
            yield from _texts(child, (*path, i))


def scan_items(config: Config, items: list[Item]) -> list[Problem]:
    """Exported item fields that match a confidential pattern, naming the item and field."""
    patterns = compile_patterns(config)
    problems: list[Problem] = []
    for item in items:
        for field in EXPORTED_FIELDS:
            for leak in find_leaks(patterns, str(getattr(item, field))):
                problems.append(
                    Problem(
                        f"« {leak.excerpt} » ({leak.label}) dans le champ "
                        f"« {field} » de l'élément {item.id}"
                    )
                )
    return problems


EXPORTED_FIELDS = (
    "title",
    "description",
    "message",
    "format",
    "why",
    "audience",
    "phase",
    "content_type",
)
