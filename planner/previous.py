"""A previous plan read back from `plan.csv` as a spreadsheet left it.

Google Sheets and Excel re-save with `;` separators, a BOM or Windows-1252, reordered
columns, columns of the user's own, and dates re-typed in French order (`10/03/2026 08:30`).
What can be read unambiguously is read; anything else is rejected with its row and cell.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.config.model import Config
from planner.errors import InputError, Problem
from planner.export.csvfile import restore
from planner.items import CSV_COLUMNS, KINDS, STATUSES, Item
from planner.labels import parse_status

REQUIRED = ("id", "channel", "kind", "start")

_FRENCH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?)?")
_ISO_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")


@dataclass
class PreviousPlan:
    """The rows of a previous plan, with the user's extra columns kept per item."""

    path: Path
    items: list[Item]
    extra_columns: list[str] = field(default_factory=list)
    extras: dict[str, dict[str, str]] = field(default_factory=dict)


def read_plan_csv(path: Path, config: Config) -> PreviousPlan:
    if not path.is_file():
        raise InputError(
            f"Plan introuvable : {path}",
            [Problem("donnez le plan.csv écrit par planner plan", path)],
        )
    text = _decode(path)
    dialect = _dialect(text)
    reader = csv.reader(io.StringIO(text), dialect)
    rows = list(reader)
    if not rows:
        raise InputError(f"Le plan {path} est vide.")
    header = [_column(c) for c in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"Le plan {path} ne peut pas être relu.",
            [
                Problem(
                    f"colonne « {c} » manquante (colonnes lues : {', '.join(rows[0])})", path, 1
                )
                for c in missing
            ],
        )
    extra_columns = [rows[0][i] for i, c in enumerate(header) if c not in CSV_COLUMNS and c]
    items: list[Item] = []
    extras: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        cells = {
            header[i]: restore(value.strip())
            for i, value in enumerate(raw)
            if i < len(header) and header[i]
        }
        try:
            item = _item(cells, config, number)
        except _CellError as exc:
            problems.append(
                Problem(f"ligne {number}, colonne « {exc.column} » : {exc.message}", path, number)
            )
            continue
        if item.id in seen:
            problems.append(
                Problem(
                    f"ligne {number}, colonne « id » : identifiant « {item.id} » en double",
                    path,
                    number,
                )
            )
            continue
        seen.add(item.id)
        items.append(item)
        extras[item.id] = {
            rows[0][i]: raw[i]
            for i, c in enumerate(header)
            if c not in CSV_COLUMNS and c and i < len(raw)
        }
    if problems:
        raise InputError(
            f"Le plan {path} contient des cellules illisibles ; rien n'a été écrit.", problems[:30]
        )
    return PreviousPlan(path, sorted(items, key=lambda i: (i.start, i.id)), extra_columns, extras)


class _CellError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise InputError(f"{path} n'est pas un fichier CSV (fichier binaire ?).")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _dialect(text: str) -> type[csv.Dialect]:
    first = text.split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    separator = max(counts, key=lambda s: counts[s])

    class Dialect(csv.excel):
        delimiter = separator

    return Dialect


def _column(name: str) -> str:
    return name.strip().lower().lstrip("\ufeff")


def parse_moment(text: str, zone: ZoneInfo) -> datetime:
    """ISO 8601 (with or without offset), or French `10/03/2026 08:30`, in the plan's zone."""
    value = text.strip()
    for pattern, order in ((_FRENCH, (2, 1, 0)), (_ISO_SLASH, (0, 1, 2))):
        match = pattern.fullmatch(value)
        if match:
            parts = match.groups()
            year, month, day = (int(parts[i]) for i in order)
            hour, minute, second = (int(p) if p else 0 for p in parts[3:6])
            return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    moment = datetime.fromisoformat(value.replace(" ", "T", 1) if "T" not in value else value)
    return moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)


def _item(cells: dict[str, str], config: Config, number: int) -> Item:
    get = cells.get
    item_id = get("id", "")
    if not item_id:
        raise _CellError("id", "identifiant vide")
    channel = get("channel", "")
    if channel not in config.channels:
        raise _CellError(
            "channel", f"canal inconnu « {channel} » ; canaux : {', '.join(config.channels)}"
        )
    kind = get("kind", "")
    if kind not in KINDS:
        raise _CellError("kind", f"type « {kind} » inconnu ; attendu : {', '.join(KINDS)}")
    status_text = (get("status") or "planned").strip()
    status = parse_status(status_text)
    if status is None:
        raise _CellError(
            "status", f"statut « {status_text} » inconnu ; attendu : {', '.join(STATUSES)}"
        )
    zone = ZoneInfo(config.calendar.timezone)
    start = _moment(cells, "start", zone)
    end = _moment(cells, "end", zone) if get("end") else None
    if end is None:
        end = start + timedelta(minutes=config.channels[channel].duration_minutes)
    if end <= start:
        raise _CellError("end", f"la fin ({end:%d/%m/%Y %H:%M}) n'est pas après le début")
    sequence_text = get("sequence") or "0"
    try:
        sequence = int(float(sequence_text))
    except ValueError:
        raise _CellError("sequence", f"nombre attendu, reçu « {sequence_text} »") from None
    return Item(
        id=item_id,
        channel=channel,
        kind=kind,
        start=start,
        end=end,  # type: ignore[arg-type]
        timezone=config.calendar.timezone,
        audience=get("audience", ""),
        phase=get("phase", ""),
        content_type=get("content_type", ""),
        format=get("format", ""),
        message=get("message", ""),
        title=get("title", ""),
        description=get("description", ""),
        status=status,
        why=get("why", ""),
        sequence=max(sequence, 0),  # type: ignore[arg-type]
        parent=get("parent", ""),
    )


def _moment(cells: dict[str, str], column: str, zone: ZoneInfo) -> datetime:
    text = cells.get(column, "")
    try:
        return parse_moment(text, zone)
    except ValueError:
        raise _CellError(
            column,
            f"date illisible « {text} » (attendu 2026-03-10T08:30:00+01:00 ou 10/03/2026 08:30)",
        ) from None
