"""A plan as the user left it in a spreadsheet, read back as edits of the store's items.

Every difference with what planner wrote is the user's word: a status, a date (a wish for
a planned row, a fact for a locked or published one), a text they now own (clearing the
cell hands it back to the generator), a row they added, a row they deleted. What cannot be
read unambiguously is refused with its row and column, and nothing is written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.calendar import exists_once, month_title
from planner.config.model import Config
from planner.content import USER_FIELDS
from planner.errors import InputError, Problem
from planner.export.csvfile import restore
from planner.items import Item
from planner.labels import COLUMN_TITLES, fold, parse_column, parse_kind, parse_status
from planner.rules import channel_audiences, metric_holds, open_stages, present, stage_of
from planner.sheets import CellValue
from planner.solver.options import sequence_steps
from planner.spreadsheet import CsvStyle, Table
from planner.store.records import Stored

REQUIRED = ("channel", "kind", "start")
"""What a row needs to become an item; rows of the store also need their id."""
FIXED_FIELDS = ("channel", "kind")
"""What an existing row cannot change into (cancel it and add a new row instead)."""
PLAN_FIELDS = ("audience", "phase", "parent", "status")
"""Fields whose typed value must be plannable on a row left to planner (see `_plannable`)."""


@dataclass
class Edits:
    """What one file says the user changed."""

    source: Path
    items: dict[str, Item] = field(default_factory=dict)
    """Edited items as they are now, by id."""
    fields: dict[str, list[str]] = field(default_factory=dict)
    """Which fields each edited item changed."""
    owned: dict[str, frozenset[str]] = field(default_factory=dict)
    """The texts each edited item's user owns from now on."""
    added: list[Item] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    """Ids of the store's items the file holds."""
    extra_columns: list[str] = field(default_factory=list)
    extras: dict[str, dict[str, str]] = field(default_factory=dict)
    style: CsvStyle | None = None

    @property
    def empty(self) -> bool:
        return not (self.items or self.added or self.deleted)


class _CellError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def read_edits(
    table: Table,
    config: Config,
    current: dict[str, Stored],
    new_id: IdMaker,
    base: dict[str, Item],
    since: datetime | None = None,
) -> Edits:
    """The edits of one table against the export it was made from (`base`, see
    `source_export`); deleted rows: see `deleted_rows`. A row left to planner (planned, from
    `since` on) whose audience, phase or parent the user typed must be one the rules can
    plan: otherwise the cell is refused, saying what is allowed."""
    header = [parse_column(str(title)) for title in table.header]
    missing = [c for c in ("id", *REQUIRED) if c not in header]
    if missing:
        raise InputError(
            f"Le plan {table.path} ne peut pas être relu.",
            [
                Problem(
                    f"colonne « {_title(table, c)} » manquante (colonnes lues : "
                    f"{', '.join(str(t) for t in table.header)})",
                    table.path,
                    1,
                )
                for c in missing
            ],
        )
    edits = Edits(table.path, style=table.style)
    edits.extra_columns = [
        str(t) for t, c in zip(table.header, header, strict=True) if c is None and str(t)
    ]
    zone = ZoneInfo(config.calendar.timezone)
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, cells in table.rows:
        values: dict[str, CellValue] = {
            name: cell for name, cell in zip(header, cells, strict=False) if name
        }
        extras = {
            str(table.header[i]): _shown(cell)
            for i, cell in enumerate(cells)
            if i < len(header) and header[i] is None and str(table.header[i])
        }
        try:
            item_id = _text(values.get("id", "")).strip()
            if item_id in seen:
                raise _CellError("id", f"identifiant « {item_id} » en double")
            stored = current.get(item_id) if item_id else None
            if stored is None:
                item = _new_item(values, config, zone)
                if item.kind == "task":
                    _added_task(item, config, current)
                item = item.with_(id=new_id(_wanted_id(item)))
                if _free(item, since):
                    _plannable(item, config, current, PLAN_FIELDS)
                edits.added.append(item)
                owned = frozenset(f for f in USER_FIELDS if _text(values.get(f, "")).strip())
                edits.owned[item.id] = owned
                edits.extras[item.id] = extras
                continue
            seen.add(item_id)
            edits.extras[item_id] = extras
            _edit(edits, values, config, zone, stored, base.get(item_id))
            edited = edits.items.get(item_id)
            if edited is not None and _free(edited, since):
                _plannable(edited, config, current, edits.fields[item_id])
        except _CellError as exc:
            problems.append(_cell_problem(table, number, exc))
    if problems:
        raise InputError(
            f"Le plan {table.path} contient des cellules illisibles ; rien n'a été écrit.",
            problems[:30],
        )
    edits.seen = seen
    return edits


def _free(item: Item, since: datetime | None) -> bool:
    """A row planner places (and may move): planned, not in the past. Locked, published and
    past rows are kept as the user left them, rules or not (the report warns)."""
    return item.status == "planned" and (since is None or item.start >= since)


def _plannable(
    item: Item, config: Config, current: dict[str, Stored], fields: Sequence[str]
) -> None:
    """Refuse, as a cell error, an audience, phase or parent the user typed that planner
    cannot plan this row with: a journey post's audience must be targeted in its month and
    its phase one of that audience's journey (a phase not open yet is the run's to refuse,
    naming its rule, as a move is); a parent must be a live whose sequence has a step of
    the row's type, or a campaign with such a step."""
    if "parent" in fields and item.parent:
        _check_parent(item, config, current)
    spec = config.channels[item.channel]
    journey = item.kind == "post" and spec.planning == "audiences" and not item.parent
    if journey and set(fields) & set(PLAN_FIELDS):
        _check_journey(item, config)
    fixed = spec.audience if spec.planning == "types" else None
    if fixed and "audience" in fields and item.audience != fixed:
        label = config.audiences[fixed].label
        raise _CellError(
            "audience",
            f"l'audience de {spec.label} est toujours « {label} » ({fixed}) : videz la "
            "cellule ou tapez-la",
        )


def _check_journey(item: Item, config: Config) -> None:
    month = config.calendar.campaign_month(item.day)
    when = f"{month_title(item.day.year, item.day.month)} (mois {month} de la campagne)"
    names = channel_audiences(config, item.channel) if item.channel in config.mix else []
    allowed = [a for a in names or config.audiences if present(config, a, month)]
    listed = ", ".join(_named(config.audiences[a].label, a) for a in allowed) or "aucune"
    if not item.audience:
        raise _CellError(
            "audience",
            f"audience vide : ce post en a une ; audiences possibles en {when} : {listed}",
        )
    audience = config.audiences.get(item.audience)
    if audience is None:
        raise _CellError(
            "audience",
            f"audience « {item.audience} » inconnue ; audiences possibles en {when} : {listed}",
        )
    if item.audience not in allowed:
        raise _CellError(
            "audience",
            f"« {audience.label} » n'est pas ciblable en {when} : "
            f"{_untargetable(config, item.audience, month)} ; audiences possibles : {listed}",
        )
    labels = {p.key: p.label for p in config.phases}
    journey = config.journeys.get(item.audience)
    if journey is not None and item.phase in [s.phase for s in journey.stages]:
        return  # open or not yet: the run keeps it, or refuses it naming its rule
    opened = [s.phase for s in open_stages(config, item.audience, month)]
    if not item.phase:
        typed = "phase vide"
    elif item.phase not in labels:
        typed = f"phase « {item.phase} » inconnue"
    else:
        typed = f"phase « {labels[item.phase]} » absente du parcours"
    phases = ", ".join(_named(labels.get(p, p), p) for p in opened)
    raise _CellError(
        "phase", f"{typed} ; phases ouvertes pour {audience.label} en {when} : {phases}"
    )


def _untargetable(config: Config, audience: str, month: int) -> str:
    rule = config.audiences[audience].eligible
    if month < rule.from_month:
        return f"ciblable à partir du mois {rule.from_month}"
    if (
        rule.metric is not None
        and rule.above is not None
        and not metric_holds(config, config.audiences[audience])
    ):
        value = config.metrics.get(rule.metric, 0.0)
        return f"{rule.metric} = {value:g} ne dépasse pas {rule.above:g}"
    return "aucune phase de son parcours n'est encore ouverte"


def _check_parent(item: Item, config: Config, current: dict[str, Stored]) -> None:
    """A row can be attached to a live as a step of the live's sequence, or to a campaign
    as one of its steps; anything else is refused (empty the cell to detach it)."""
    campaign = next((c for c in config.campaigns if c.key == item.parent), None)
    if campaign is not None:
        keys = [s.key for s in campaign.steps]
        if item.content_type in keys:
            return
        raise _CellError(
            "parent",
            f"la campagne « {item.parent} » n'a pas d'étape « {item.content_type} » "
            f"(ses étapes : {', '.join(keys)}) ; videz la cellule pour détacher la ligne",
        )
    stored = current.get(item.parent)
    live = stored.item if stored is not None else None
    rules = config.channels[live.channel].lives if live is not None else None
    if live is None or live.kind != "live" or rules is None:
        raise _CellError(
            "parent",
            f"« {item.parent} » n'est ni un live du plan ni une campagne ; une ligne ne se "
            "rattache qu'à un live (étape de sa séquence) ou à une campagne ; videz la cellule",
        )
    steps = [
        s
        for s in sequence_steps(rules, live.content_type)
        if s.kind == item.kind and (s.channel or live.channel) == item.channel
    ]
    if any(s.key == item.content_type for s in steps):
        return
    kinds = {"post": "un post", "task": "une tâche", "live": "un live"}
    what = f"{kinds[item.kind]} « {item.content_type or 'sans type'} »"
    if not steps:
        raise _CellError(
            "parent",
            f"{what} ne se rattache pas au live « {item.parent} » : sa séquence n'a pas "
            "d'étape de cette nature sur ce canal ; videz la cellule",
        )
    names = ", ".join(_named(s.label, s.key) for s in steps)
    raise _CellError(
        "parent",
        f"{what} ne se rattache pas au live « {item.parent} » : seules ces étapes de sa "
        f"séquence s'y rattachent ici : {names} ; videz la cellule",
    )


def _named(label: str, key: str) -> str:
    return f"« {label} »" if fold(label) == fold(key) else f"« {label} » ({key})"


def source_export(table: Table, exports: list[dict[str, Item]]) -> dict[str, Item]:
    """The export a file was made from: the latest one whose sequences the file's rows
    show. A spreadsheet kept in Google Sheets for weeks still says which version each row
    had, so what planner changed since is not read as the user's word."""
    shown = _sequences(table)
    best: dict[str, Item] = exports[-1] if exports else {}
    hits = -1
    for export in reversed(exports):
        found = sum(1 for k, s in shown.items() if k in export and export[k].sequence == s)
        if found > hits:
            best, hits = export, found
    return best


def _sequences(table: Table) -> dict[str, int]:
    header = [parse_column(str(title)) for title in table.header]
    if "id" not in header or "sequence" not in header:
        return {}
    at, seq = header.index("id"), header.index("sequence")
    found: dict[str, int] = {}
    for _, cells in table.rows:
        if max(at, seq) < len(cells):
            key, number = _text(cells[at]).strip(), _text(cells[seq]).strip()
            if key and number.isdigit():
                found[key] = int(number)
    return found


def deleted_rows(
    current: dict[str, Stored],
    seen: set[str],
    period: tuple[date, date],
    base: dict[str, Item],
) -> list[str]:
    """Active items of the period that the file's export held and the file no longer
    does (an item planned since the file was made is not deleted)."""
    first, last = period
    return sorted(
        key
        for key, item in base.items()
        if item.active
        and key in current
        and current[key].item.active
        and first <= item.day <= last
        and key not in seen
    )


def _cell_problem(table: Table, number: int, error: _CellError) -> Problem:
    """An unreadable cell, named by its row and the column title the user sees."""
    title = _column_title(table, error.column)
    return Problem(f"ligne {number}, colonne « {title} » : {error.message}", table.path, number)


def _column_title(table: Table, column: str) -> str:
    for title in table.header:
        if parse_column(str(title)) == column:
            return str(title)
    return _title(table, column)


def _title(table: Table, column: str) -> str:
    """A column's name as the file shows it: French titles in plan.xlsx, codes in plan.csv
    (kept for tools and scripts)."""
    if table.path.suffix.lower() == ".xlsx":
        return COLUMN_TITLES.get(column, column)
    return column


def same_text(typed: str, written: str) -> bool:
    """Whether a cell still holds the text planner wrote, as a spreadsheet program saves it:
    accents decomposed (NFD, macOS), line breaks as CRLF, and characters that a legacy
    encoding cannot hold (emoji, arrows: Excel's « CSV (séparateur : point-virgule) » is
    Windows-1252) turned into one or two « ? ». None of that is the user's word; taken as
    an edit, it would replace the text everywhere, the .ics included."""
    if typed == written:
        return True
    typed, written = (unicodedata.normalize("NFC", _one_newline(t)) for t in (typed, written))
    if typed == written.strip():
        return True
    if "?" not in typed:
        return False
    pattern = "".join(re.escape(c) if _legacy(c) else r"\?{1,2}" for c in written.strip())
    return re.fullmatch(pattern, typed) is not None


def _one_newline(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _legacy(character: str) -> bool:
    """Whether Windows-1252 holds the character."""
    try:
        character.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _shown(cell: CellValue) -> str:
    """A cell of the user's own column as a French spreadsheet shows it (the store keeps
    texts): VRAI/FAUX, 15/01/2027 08:30, 0,25; the English « True » or an ISO date came
    back before."""
    if isinstance(cell, bool):
        return "VRAI" if cell else "FAUX"
    if isinstance(cell, datetime):
        return f"{cell:%d/%m/%Y}" if cell.time() == time(0) else f"{cell:%d/%m/%Y %H:%M}"
    if isinstance(cell, date):
        return f"{cell:%d/%m/%Y}"
    if isinstance(cell, time):
        return f"{cell:%H:%M}"
    if isinstance(cell, float) and not cell.is_integer():
        return repr(cell).replace(".", ",")
    return _text(cell)


def _text(cell: CellValue) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return restore(str(cell).strip()) if isinstance(cell, str) else str(cell)


def _edit(
    edits: Edits,
    values: dict[str, CellValue],
    config: Config,
    zone: ZoneInfo,
    stored: Stored,
    written: Item | None,
) -> None:
    """The differences of one row with what planner wrote for it in the file's export."""
    base = written or stored.exported or stored.item
    current = stored.item
    changes: dict[str, object] = {}
    owned = set(stored.owned)
    for name in FIXED_FIELDS:
        if name in values and _code(name, values[name], config) != getattr(base, name):
            raise _CellError(
                name,
                f"« {_text(values[name])} » : le canal et la nature d'un élément ne se "
                "changent pas ; passez-le à « annulé » et ajoutez une ligne",
            )
    if "status" in values and _text(values["status"]):
        status = _status(values["status"])
        if status != base.status:
            changes["status"] = status
    start = _moment(values.get("start"), zone, "start")
    if start is None:
        raise _CellError("start", "date de début vide")
    end = _moment(values.get("end"), zone, "end") if _text(values.get("end")) else None
    if start != base.start:
        changes["start"] = start
        if end is None or end == base.end:
            end = start + (base.end - base.start)
    if end is not None and end != base.end:
        changes["end"] = end
    final_end = changes.get("end", current.end)  # an end the file did not change is planner's
    final_start = changes.get("start", current.start)
    assert isinstance(final_end, datetime)
    assert isinstance(final_start, datetime)
    if final_end <= final_start:
        raise _CellError("end", f"la fin ({final_end:%d/%m/%Y %H:%M}) n'est pas après le début")
    for name in ("audience", "phase", "content_type", "parent"):
        if name in values:
            value = _code(name, values[name], config)
            if value != getattr(base, name):
                changes[name] = value
    for name in USER_FIELDS:
        if name not in values:
            continue
        text = _text(values[name])
        if same_text(text, getattr(base, name)):
            continue
        if text:
            changes[name] = unicodedata.normalize("NFC", _one_newline(text))
            owned.add(name)
        elif name in owned:
            owned.discard(name)
            changes[name] = getattr(base, name)
    if not changes and frozenset(owned) == stored.owned:
        return
    edits.items[base.id] = current.with_(**changes)
    edits.fields[base.id] = sorted(changes)
    edits.owned[base.id] = frozenset(owned)


def _code(name: str, cell: CellValue, config: Config) -> str:
    """A coded value typed as its code or as the word the spreadsheet shows."""
    text = _text(cell)
    folded = fold(text)
    if name == "kind":
        kind = parse_kind(text)
        if kind is None:
            raise _CellError("kind", f"nature « {text} » inconnue ; attendu : post, live, tâche")
        return kind
    if name == "channel":
        for key, channel in config.channels.items():
            if folded in (fold(key), fold(channel.label), fold(channel.tag)):
                return key
        raise _CellError(
            "channel", f"canal inconnu « {text} » ; canaux : {', '.join(config.channels)}"
        )
    if name == "audience":
        for key, audience in config.audiences.items():
            if folded in (fold(key), fold(audience.label), fold(audience.short)):
                return key
        return text
    if name == "phase":
        for phase in config.phases:
            if folded in (fold(phase.key), fold(phase.label)):
                return phase.key
        return text
    if name == "content_type":
        return _content_type(text, config)
    return text


def _content_type(text: str, config: Config) -> str:
    folded = fold(text)
    for channel in config.channels.values():
        named = {k: t.label for k, t in (channel.types or {}).items()}
        named |= {k: r.label for k, r in channel.rituals.items()}
        if channel.lives is not None:
            named |= {k: f.label for k, f in channel.lives.formats.items()}
            named |= {s.key: s.label for s in channel.lives.sequence}
            named["preparation"] = channel.lives.preparation.label
        for key, label in named.items():
            if folded in (fold(key), fold(label)):
                return key
    for campaign in config.campaigns:
        for step in campaign.steps:
            if folded in (fold(step.key), fold(step.label)):
                return step.key
    return text


def _status(cell: CellValue) -> str:
    text = _text(cell)
    status = parse_status(text)
    if status is None:
        raise _CellError(
            "status",
            f"statut « {text} » inconnu ; attendu : planifié, verrouillé, publié ou annulé",
        )
    return status


def local_moment(naive: datetime, zone: ZoneInfo, column: str) -> datetime:
    """A wall-clock time of the plan's zone: one that does not exist (spring forward) or
    exists twice (fall back) without an offset is refused."""
    moment = naive.replace(tzinfo=zone)
    if exists_once(moment):
        return moment
    back = moment.astimezone(ZoneInfo("UTC")).astimezone(zone)
    if back.replace(tzinfo=None) != naive:
        raise _CellError(
            column,
            f"{naive:%d/%m/%Y %H:%M} n'existe pas à {zone.key} (passage à l'heure d'été) : "
            "choisissez une autre heure",
        )
    first, second = (moment.replace(fold=fold).isoformat() for fold in (0, 1))
    raise _CellError(
        column,
        f"{naive:%d/%m/%Y %H:%M} existe deux fois à {zone.key} (passage à l'heure d'hiver) : "
        f"précisez le décalage, {first} (la première fois) ou {second} (la seconde)",
    )


def _moment(cell: CellValue, zone: ZoneInfo, column: str) -> datetime | None:
    if cell is None or cell == "":
        return None
    if isinstance(cell, datetime):
        if cell.tzinfo is not None:
            return cell.astimezone(zone)
        return local_moment(cell, zone, column)
    if isinstance(cell, date):
        return local_moment(datetime.combine(cell, time(9, 0)), zone, column)
    if isinstance(cell, int | float) and not isinstance(cell, bool) and 1 <= cell < MAX_SERIAL:
        return local_moment(_from_serial(cell), zone, column)
    text = _text(cell)
    try:
        return parse_moment(text, zone, column)
    except ValueError:
        raise _CellError(
            column,
            f"date illisible « {text} » (attendu 2026-03-10T08:30:00+01:00 ou 10/03/2026 08:30)",
        ) from None


EXCEL_DAY_ZERO = datetime(1899, 12, 30)
"""Day 0 of spreadsheet serial dates (1900 system: Excel, LibreOffice, Google Sheets)."""
MAX_SERIAL = 2_958_466
"""The serial of 01/01/10000, past the last date a spreadsheet shows."""


def _from_serial(serial: float) -> datetime:
    """A date typed in plan.xlsx in a cell formatted as a number (« Standard »), as the
    program stores every date: days since day 0, the time as a fraction of a day, to the
    minute."""
    minutes = round(serial * 24 * 60)
    return EXCEL_DAY_ZERO + timedelta(minutes=minutes)


def parse_moment(text: str, zone: ZoneInfo, column: str) -> datetime:
    """ISO 8601 (with or without offset), or French `10/03/2026 08:30`, in the plan's zone."""
    value = text.strip()
    patterns = (
        (r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?)?", (2, 1, 0)),
        (r"(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?", (0, 1, 2)),
    )
    for pattern, order in patterns:
        match = re.fullmatch(pattern, value)
        if match:
            parts = match.groups()
            year, month, day = (int(parts[i]) for i in order)
            hour, minute, second = (int(p) if p else 0 for p in parts[3:6])
            naive = datetime(year, month, day, hour, minute, second)
            return local_moment(naive, zone, column)
    moment = datetime.fromisoformat(value.replace(" ", "T", 1) if "T" not in value else value)
    if moment.tzinfo is not None:
        return moment.astimezone(zone)
    return local_moment(moment, zone, column)


class IdMaker:
    """Ids for rows the user added: never one an item ever had."""

    def __init__(self, taken: frozenset[str]) -> None:
        self.taken = set(taken)

    def __call__(self, wanted: str) -> str:
        candidate, n = wanted, 2
        while candidate in self.taken:
            candidate, n = f"{wanted}-{n}", n + 1
        self.taken.add(candidate)
        return candidate


def _wanted_id(item: Item) -> str:
    if item.kind == "post":
        return f"{item.channel}-{item.start:%Y%m%d-%H%M}"
    if item.kind == "live":
        return f"{item.channel}-live-{item.start:%Y%m%d}"
    return f"{item.channel}-tache-{item.start:%Y%m%d}"


def _new_item(values: dict[str, CellValue], config: Config, zone: ZoneInfo) -> Item:
    """A row the user added: where and what it is must be given; texts are generated unless
    typed."""
    for name in REQUIRED:
        if not _text(values.get(name, "")):
            raise _CellError(name, "obligatoire pour une ligne ajoutée")
    channel = _code("channel", values["channel"], config)
    kind = _code("kind", values["kind"], config)
    start = _moment(values["start"], zone, "start")
    assert start is not None
    spec = config.channels[channel]
    minutes = spec.duration_minutes
    content_type = _code("content_type", values.get("content_type", ""), config)
    if kind == "live" and spec.lives is not None and content_type in spec.lives.formats:
        minutes = spec.lives.formats[content_type].duration_minutes
    end = _moment(values.get("end"), zone, "end") or start + timedelta(minutes=minutes)
    if end <= start:
        raise _CellError("end", f"la fin ({end:%d/%m/%Y %H:%M}) n'est pas après le début")
    audience = _code("audience", values.get("audience", ""), config) or spec.audience or ""
    phase = _code("phase", values.get("phase", ""), config) or spec.phase or ""
    if kind == "post" and spec.planning == "audiences" and not (audience and phase):
        column = "audience" if not audience else "phase"
        raise _CellError(column, "obligatoire pour un post LinkedIn ajouté (audience et phase)")
    if kind == "post" and spec.planning == "types" and not content_type:
        content_type = _rhythm_type(config, channel, start)
    if kind == "post" and spec.planning == "audiences" and not content_type:
        content_type = _format_type(config, audience, phase, _text(values.get("format", "")))
    if kind == "live" and not content_type:
        formats = ", ".join(spec.lives.formats) if spec.lives is not None else "aucun"
        raise _CellError("content_type", f"le format d'un live ajouté est obligatoire ({formats})")
    if kind == "task" and not content_type:
        types = ", ".join(task_types(config, channel)) or "aucun"
        raise _CellError("content_type", f"le type d'une tâche ajoutée est obligatoire ({types})")
    status = _status(values["status"]) if _text(values.get("status", "")) else "planned"
    return Item(
        id=_text(values.get("id", "")).strip(),
        channel=channel,
        kind=kind,  # type: ignore[arg-type]
        start=start,
        end=end,
        timezone=config.calendar.timezone,
        audience=audience,
        phase=phase,
        content_type=content_type,
        format=_text(values.get("format", "")),
        message=_text(values.get("message", "")),
        title=_text(values.get("title", "")),
        description=_text(values.get("description", "")),
        status=status,  # type: ignore[arg-type]
        parent=_text(values.get("parent", "")),
    )


def _format_type(config: Config, audience: str, phase: str, label: str) -> str:
    """The type of a journey post added with a format of its phase but no type: the type
    that format has in the journey (« Post texte » is `texte`), else none."""
    stage = stage_of(config, audience, phase)
    formats = stage.formats if stage is not None else []
    return next((f.type for f in formats if fold(f.label) == fold(label)), "")


def _rhythm_type(config: Config, channel: str, start: datetime) -> str:
    """The type of a community post added without one: the type whose day rhythm holds its
    day (the first one in the config), else the type with the highest weekly target."""
    types = config.channels[channel].types or {}
    for key, spec in types.items():
        if start.weekday() in spec.days:
            return key
    return max(types, key=lambda k: types[k].per_week, default="")


def task_types(config: Config, channel: str) -> dict[str, str]:
    """The types a team task of a channel can have, with their labels: a live's preparation
    and task steps, the channel's ritual tasks, the campaigns' task steps."""
    spec = config.channels[channel]
    found: dict[str, str] = {}
    if spec.lives is not None:
        found["preparation"] = spec.lives.preparation.label
        found |= {s.key: s.label for s in spec.lives.sequence if s.kind == "task"}
    found |= {k: r.label for k, r in spec.rituals.items() if r.kind == "task"}
    for campaign in config.campaigns:
        for step in campaign.steps:
            if step.kind == "task" and config.task_channel(campaign, step) == channel:
                found[step.key] = step.label
    return found


def _added_task(item: Item, config: Config, current: dict[str, Stored]) -> None:
    """An added task belongs to a live, a ritual or a campaign, as the checker wants
    (Cinq points de contrôle, Séquence des lives): what it belongs to is refused here, in
    the user's words, rather than cancelled by the run with a reason that is not theirs."""
    types = task_types(config, item.channel)
    label = config.channels[item.channel].label
    if item.content_type not in types:
        known = ", ".join(f"{k} ({v})" for k, v in types.items()) or "aucun"
        raise _CellError(
            "content_type",
            f"tâche de type inconnu « {item.content_type} » sur {label} "
            f"(Cinq points de contrôle) : une tâche appartient à un live, un rituel ou une "
            f"campagne ; types possibles : {known}",
        )
    spec = config.channels[item.channel]
    live_task = item.content_type == "preparation" or (
        spec.lives is not None and any(s.key == item.content_type for s in spec.lives.sequence)
    )
    campaigns = {c.key for c in config.campaigns}
    if live_task:
        parent = current.get(item.parent)
        if parent is None or parent.item.kind != "live" or not parent.item.active:
            state = "vide" if not item.parent else f"« {item.parent} » n'est pas un live actif"
            raise _CellError(
                "parent",
                f"« Rattaché à » {state} : une tâche « {types[item.content_type]} » appartient "
                "à un live ; donnez l'identifiant du live",
            )
    elif item.content_type in spec.rituals and item.parent:
        raise _CellError(
            "parent",
            f"« {types[item.content_type]} » est un rituel du mois, rattaché à rien : "
            "videz la cellule",
        )
    elif item.parent not in campaigns and item.content_type not in spec.rituals:
        raise _CellError(
            "parent",
            f"une tâche « {types[item.content_type]} » appartient à sa campagne : donnez la "
            f"clé de la campagne ({', '.join(sorted(campaigns))})",
        )


def read_items(
    table: Table, config: Config, *, same_ids: bool = False, new_rows: bool = False
) -> list[Item]:
    """Every row of a plan file as an item, ids kept (checking a plan, importing an old
    folder). `same_ids` lets rows that share an id through, for the checker to name them
    under its rule (Identifiants uniques) rather than as an unreadable cell; `new_rows`
    lets rows added by hand without an id through (replan gives them one), named by their
    row (« ligne-12 »), so that a plan can be checked before it is re-planned."""
    header = [parse_column(str(title)) for title in table.header]
    missing = [c for c in ("id", *REQUIRED) if c not in header]
    if missing:
        raise InputError(
            f"Le plan {table.path} ne peut pas être relu : colonne(s) manquante(s) "
            + ", ".join(f"« {c} »" for c in missing)
        )
    zone = ZoneInfo(config.calendar.timezone)
    items: list[Item] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, cells in table.rows:
        values = {h: c for h, c in zip(header, cells, strict=False) if h}
        try:
            item = _new_item(values, config, zone)
            if not item.id and new_rows:
                item = item.with_(id=f"ligne-{number}")
            if not item.id:
                raise _CellError("id", "identifiant vide")
            if item.id in seen and not same_ids:
                raise _CellError("id", f"identifiant « {item.id} » en double")
            seen.add(item.id)
            extra = {}
            for name in (*USER_FIELDS, "why"):
                extra[name] = _text(values.get(name, ""))
            sequence = _text(values.get("sequence", "")) or "0"
            if not sequence.isdigit():
                raise _CellError("sequence", f"nombre attendu, reçu « {sequence} »")
            items.append(item.with_(sequence=int(sequence), **extra))
        except _CellError as exc:
            problems.append(_cell_problem(table, number, exc))
    if problems:
        raise InputError(f"Le plan {table.path} contient des cellules illisibles.", problems[:30])
    return sorted(items, key=lambda i: (i.start, i.id))


def merge(edits: Sequence[Edits]) -> Edits:
    """Edits of the same folder from two files (plan.csv and plan.xlsx): a field both change
    differently is refused."""
    if len(edits) == 1:
        return edits[0]
    merged = Edits(edits[0].source, style=edits[0].style)
    problems: list[Problem] = []
    for edit in edits:
        for key, item in edit.items.items():
            if key in merged.items:
                previous = merged.items[key]
                for name in edit.fields[key]:
                    if name in merged.fields[key] and getattr(previous, name) != getattr(
                        item, name
                    ):
                        problems.append(
                            Problem(
                                f"{key} : « {COLUMN_TITLES.get(name, name)} » modifié "
                                f"différemment dans "
                                f"{merged.source.name} et {edit.source.name}",
                                edit.source,
                            )
                        )
                changed = {n: getattr(item, n) for n in edit.fields[key]}
                merged.items[key] = previous.with_(**changed)
                merged.fields[key] = sorted(set(merged.fields[key]) | set(edit.fields[key]))
                merged.owned[key] = merged.owned[key] | edit.owned[key]
            else:
                merged.items[key] = item
                merged.fields[key] = edit.fields[key]
                merged.owned[key] = edit.owned[key]
        merged.added += edit.added
        merged.owned |= {i.id: edit.owned[i.id] for i in edit.added}
        merged.deleted = sorted(set(merged.deleted) | set(edit.deleted))
        merged.seen = edit.seen if not merged.seen else merged.seen & edit.seen
        merged.extra_columns += [c for c in edit.extra_columns if c not in merged.extra_columns]
        for key, extras in edit.extras.items():
            merged.extras.setdefault(key, {}).update({k: v for k, v in extras.items() if v})
        if edit.style is not None:
            merged.style = edit.style
    if problems:
        raise InputError(
            "plan.csv et plan.xlsx ont été modifiés tous les deux, et pas de la même façon : "
            "gardez les modifications dans un seul des deux fichiers. Rien n'a été écrit.",
            problems,
        )
    return merged
