"""Confidential patterns (internal price tiers, M13…) that must never leave the tool."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex

from planner.config.loading import LoadedConfig, render_path
from planner.config.model import Config
from planner.errors import InputError, Problem
from planner.items import Item
from planner.labels import decimal
from planner.patterns import SEARCH_BUDGET, compile_pattern

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " "})
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
"""Soft hyphen, zero-width spaces and joiners: invisible, they would split a tier in two."""
_RETOUCHED = re.compile("[" + "".join(map(chr, [*_SPACES, *_INVISIBLE])) + "]")
"""Whether a text holds any of those: most hold none, and `str.translate` with a table
costs a dictionary lookup per character (a quarter of a six-month export's scan)."""


@dataclass(frozen=True)
class Leak:
    label: str
    excerpt: str


@dataclass(frozen=True)
class UserPattern:
    """A compiled pattern and where it was written, for the message if it runs too long."""

    label: str
    compiled: regex.Pattern[str]
    file: Path | None
    line: int | None
    key: str


def compile_patterns(config: Config) -> list[UserPattern]:
    """The config's patterns, compiled once per process (exports search every file)."""
    found: list[UserPattern] = []
    for i, spec in enumerate(config.confidential.patterns):
        file, line = spec._origin
        key = render_path(("confidential", "patterns", i, "pattern"))
        found.append(UserPattern(spec.label, compile_pattern(spec.pattern), file, line, key))
    return found


def find_leaks(patterns: list[UserPattern], text: str) -> list[Leak]:
    """Matches in a text as a reader sees it: non-breaking and thin spaces read as plain
    spaces, invisible characters dropped, full-width digits (NFKC) read as digits.
    A search that outlasts its budget refuses the export: a pattern that cannot be checked
    must never let a text through unchecked."""
    return list(_leaks(tuple(patterns), text))


@functools.lru_cache(maxsize=8192)
def _leaks(patterns: tuple[UserPattern, ...], text: str) -> tuple[Leak, ...]:
    """Remembered per text: a run checks the same item texts several times (each month's
    checks, the whole plan's, the counterfactuals of a re-plan's reasons)."""
    normal = reader_text(text)
    leaks: list[Leak] = []
    for pattern in patterns:
        try:
            match = pattern.compiled.search(normal, timeout=SEARCH_BUDGET)
        except TimeoutError:
            raise _too_slow(pattern, len(normal)) from None
        if match:
            leaks.append(Leak(pattern.label, match.group(0)))
    return tuple(leaks)


def reader_text(text: str) -> str:
    """The text as `find_leaks` searches it; each step only when there is work for it."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        if _RETOUCHED.search(text):
            text = text.translate(_INVISIBLE).translate(_SPACES)
    return text


def _too_slow(pattern: UserPattern, length: int) -> InputError:
    message = (
        f"l'expression régulière « {pattern.label} » est trop lente à vérifier (plus de "
        f"{decimal(SEARCH_BUDGET)} s sur un texte de {length} caractères) : simplifiez-la, "
        "en évitant les répétitions imbriquées comme (\\w+\\s?)+"
    )
    return InputError(
        "Un motif confidentiel ne peut pas être vérifié : rien n'a été écrit.",
        [Problem(message, pattern.file, pattern.line, pattern.key)],
    )


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


def item_leaks(config: Config, items: Sequence[Item]) -> Iterator[tuple[Item, str, Leak]]:
    """Each exported field of these items that matches a pattern. An item's fields are
    searched together first, joined by line breaks (one search per pattern instead of one
    per field); only an item that matches there is searched field by field. Patterns that
    anchor on the start or end of a text (^, $, \\A, \\Z) are always searched per field."""
    patterns = compile_patterns(config)
    anchored = [p for p in patterns if _ANCHORS.search(p.compiled.pattern)]
    free = [p for p in patterns if p not in anchored]
    for item in items:
        fields = [(f, str(getattr(item, f))) for f in EXPORTED_FIELDS]
        suspects = anchored
        if free and find_leaks(free, "\n".join(text for _, text in fields)):
            suspects = patterns
        if not suspects:
            continue
        for field, text in fields:
            for leak in find_leaks(suspects, text):
                yield item, field, leak


_ANCHORS = re.compile(r"(?<!\\)[$^]|\\[AZz]")


def scan_items(config: Config, items: list[Item]) -> list[Problem]:
    """Exported item fields that match a confidential pattern, naming the item and field."""
    return [
        Problem(
            f"« {leak.excerpt} » ({leak.label}) dans le champ « {field} » de l'élément {item.id}"
        )
        for item, field, leak in item_leaks(config, items)
    ]


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
