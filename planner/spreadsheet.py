"""Spreadsheets the marketers edit and give back: CSV and XLSX, read and written without loss.

Generic: it knows tables of cells, not plan items. Everything it reads is refused with a
French `InputError` naming the row and column rather than guessed at, because a wrong guess
(a re-decoded accent, an empty file taken for "everything deleted") silently garbles a plan.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from planner.errors import InputError, Problem, os_reason
from planner.sheets import CellValue, column_letter

# --- Formula neutralisation (shared with planner/export/csvfile.py) ---------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these would run as a formula in a spreadsheet."""


def _escaped(text: str) -> bool:
    """A would-be formula, possibly behind apostrophes: those apostrophes are escaped too, so
    that a text of one's own such as "'-20 %" reads back as written."""
    return text.lstrip("'").startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """Prefix a would-be formula with an apostrophe, the usual spreadsheet escape."""
    return "'" + text if _escaped(text) else text


def restore(text: str) -> str:
    """Undo `neutralise` when reading a plan back."""
    return text[1:] if text.startswith("'") and _escaped(text) else text


# --- Types ------------------------------------------------------------------------------------

SEPARATORS = (",", ";", "\t")
"""Candidate CSV separators; on a tie in the header, the first listed wins."""

_BOMS = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
}
ENCODINGS = ("utf-8", "cp1252", "utf-16-le", "utf-16-be")


@dataclass(frozen=True)
class CsvStyle:
    """How a CSV file was saved, so that it can be written back the way the user's tool saves.

    UTF-16 (Excel's "Texte Unicode") always carries its BOM: without it the file could not be
    told from a binary one when read back.
    """

    separator: str = ","
    bom: bool = False
    encoding: str = "utf-8"

    def __post_init__(self) -> None:
        if self.separator not in SEPARATORS:
            raise ValueError(f"separator must be one of {SEPARATORS!r}, not {self.separator!r}")
        if self.encoding not in ENCODINGS:
            raise ValueError(f"encoding must be one of {ENCODINGS!r}, not {self.encoding!r}")
        if self.bom and self.encoding not in _BOMS:
            raise ValueError(f"{self.encoding} has no byte order mark")
        if self.encoding.startswith("utf-16") and not self.bom:
            raise ValueError("UTF-16 is only written with its byte order mark")


@dataclass
class Table:
    """A sheet as the user left it: the header (row 1) and the non-blank rows below.

    Each row keeps its number as the spreadsheet shows it, for error messages. Every row is as
    wide as the header; empty cells are "". CSV cells are the exact text, apostrophe escapes of
    `neutralise` included (call `restore` on them); XLSX cells are typed values (str, int,
    float, bool, datetime for date cells, time).
    """

    path: Path
    kind: Literal["csv", "xlsx"]
    header: list[str]
    rows: list[tuple[int, list[CellValue]]]
    style: CsvStyle | None


# --- Reading ----------------------------------------------------------------------------------

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""Signature of a password-protected XLSX (an encrypted container) and of the old .xls."""

_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_BAD_BYTE = re.compile(r"[\udc80-\udcff]")
_NEVER_EMPTY = (
    "un fichier sans ligne n'est jamais lu comme « tout a été supprimé » : vérifiez que c'est "
    "le bon fichier et qu'il a été enregistré en entier"
)
_REENCODE = (
    "corrigez ces cellules, ou ré-enregistrez le fichier en « CSV UTF-8 » (Excel) ou en "
    "« Texte CSV » avec le jeu de caractères « Unicode (UTF-8) » (LibreOffice)"
)


def read_table(path: Path) -> Table:
    """Read a CSV or XLSX file, decided by its content (a `.csv` that is really an XLSX is read
    as XLSX), or refuse it with a French `InputError`.

    CSV cells come back as their exact text: those that `write_csv` neutralised still carry
    the apostrophe, and the caller applies `restore` (to the header too).
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"Impossible de lire {path}.", [Problem(os_reason(exc), path)]) from None
    if raw.startswith(b"PK\x03\x04"):
        from planner.xlsx_reader import read_xlsx  # openpyxl: only for a workbook to read

        return _table(path, "xlsx", read_xlsx(path, raw), None)
    if raw.startswith(_OLE2):
        raise InputError(
            f"Le fichier {path} ne peut pas être lu.",
            [
                Problem(
                    "classeur protégé par mot de passe, ou ancien format Excel 97-2003 (.xls) : "
                    "enregistrez-le sans mot de passe au format .xlsx ou CSV",
                    path,
                )
            ],
        )
    if path.suffix.lower() in (".xlsx", ".xlsm") and raw.strip():
        raise InputError(
            f"Le fichier {path} n'est pas un classeur Excel valide (fichier abîmé ?).",
            [Problem("ouvrez-le dans Excel ou LibreOffice et enregistrez-le en .xlsx", path)],
        )
    text, encoding, bom = _decode(path, raw)
    separator = _sniff(text)
    records = _csv_records(path, text, separator)
    return _table(path, "csv", records, CsvStyle(separator, bom, encoding))


def _decode(path: Path, raw: bytes) -> tuple[str, str, bool]:
    """The file's text, encoding and BOM, decided once for the whole file.

    UTF-16 by its BOM (Excel's "Texte Unicode"); else UTF-8 when the bytes are valid UTF-8;
    else Windows-1252 only when no valid UTF-8 multi-byte sequence appears at all (a legacy
    Excel save). Anything else mixes encodings: refused, naming its cells, because
    re-decoding the whole file would garble the accents typed correctly.
    """
    for encoding in ("utf-16-le", "utf-16-be"):
        if raw.startswith(_BOMS[encoding]):
            try:
                text = raw[2:].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"Le fichier {path} est un texte UTF-16 abîmé ; rien n'a été lu.",
                    [Problem(f"octets illisibles à partir de l'octet n° {exc.start + 2}", path)],
                ) from None
            if "\x00" in text:
                raise _binary(path)
            return text, encoding, True
    if b"\x00" in raw:
        raise _binary(path)
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8) :] if bom else raw
    try:
        return body.decode("utf-8"), "utf-8", bom
    except UnicodeDecodeError:
        pass
    if not bom and not _UTF8_MULTIBYTE.search(body):
        try:
            return body.decode("cp1252"), "cp1252", False
        except UnicodeDecodeError:
            pass
    raise _mixed_encoding(path, body)


def _binary(path: Path) -> InputError:
    return InputError(
        f"Le fichier {path} n'est pas un tableau CSV : il contient des octets nuls (fichier "
        "binaire ?).",
        [Problem("donnez le fichier .csv ou .xlsx du plan, enregistré par un tableur", path)],
    )


def _mixed_encoding(path: Path, body: bytes) -> InputError:
    """Name the cells holding bytes that are neither UTF-8 nor a consistent legacy file."""
    text = body.decode("utf-8", errors="surrogateescape")
    records = _csv_records(path, text, _sniff(text))
    header = records[0][1] if records else []
    problems = []
    for number, cells in records:
        for index, cell in enumerate(cells):
            if _BAD_BYTE.search(cell):
                bad = " ".join(f"{ord(c) - 0xDC00:02X}" for c in _BAD_BYTE.findall(cell))
                problems.append(
                    Problem(
                        f"ligne {number}, colonne {_column_name(header, index)} : "
                        f"« {_shown(cell)[:80]} » contient des caractères enregistrés dans un "
                        f"autre encodage que le reste du fichier (octets {bad}, hors UTF-8)",
                        path,
                        number,
                    )
                )
    hidden = len(problems) - 10
    more = [Problem(f"… et {hidden} autres cellules", path)] if hidden > 0 else []
    return InputError(
        f"Le fichier {path} mélange des encodages de caractères ; rien n'a été lu, pour ne "
        "rien déformer.",
        [*problems[:10], *more, Problem(_REENCODE, path)],
    )


def _shown(text: str) -> str:
    """A text with its undecodable bytes shown as [E9], printable on any terminal."""
    return _BAD_BYTE.sub(lambda m: f"[{ord(m.group()) - 0xDC00:02X}]", text)


def _column_name(header: list[str], index: int) -> str:
    letter = column_letter(index + 1)
    title = _shown(header[index].strip()) if index < len(header) else ""
    return f"{letter} « {title} »" if title else letter


def _sniff(text: str) -> str:
    """The separator used most in the header line, quoted parts aside."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "\r\n":
            break
        elif char in counts:
            counts[char] += 1
    return max(SEPARATORS, key=lambda s: counts[s])


def _csv_records(path: Path, text: str, separator: str) -> list[tuple[int, list[str]]]:
    """Every record with its spreadsheet row number (a blank line is a row too).

    Strict quoting: an unclosed quote would otherwise swallow the rest of the file into one
    cell without a word.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            records.append((len(records) + 1, cells))
    except csv.Error as exc:
        number = len(records) + 1
        reason = (
            "cellule trop longue (plus de 131 072 caractères)"
            if "field limit" in str(exc)
            else "guillemets mal fermés (une cellule ouverte par « \" » n'est pas refermée "
            "correctement)"
        )
        raise InputError(
            f"Le fichier {path} n'est pas un CSV lisible ; rien n'a été lu.",
            [Problem(f"ligne {number} : {reason}", path, number)],
        ) from None
    return records


def _blank(cells: Sequence[CellValue]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _table(
    path: Path,
    kind: Literal["csv", "xlsx"],
    records: Sequence[tuple[int, Sequence[CellValue]]],
    style: CsvStyle | None,
) -> Table:
    """Header and non-blank rows, all as wide as the widest non-blank content; an empty or
    header-only file is refused, never taken for a table with no rows."""
    filled = [(number, cells) for number, cells in records if not _blank(cells)]
    if not filled:
        raise InputError(
            f"Le fichier {path} ne contient aucune ligne : il est vide.",
            [Problem(_NEVER_EMPTY, path)],
        )
    if filled[0][0] != 1:
        raise InputError(
            f"La ligne 1 du fichier {path} est vide ; elle doit porter les noms des colonnes.",
            [Problem("remettez la ligne d'en-tête en ligne 1", path, 1)],
        )
    width = max(_width(cells) for _, cells in filled)
    header = [c if isinstance(c, str) else str(c) for c in _padded(filled[0][1], width)]
    rows = [(number, _padded(cells, width)) for number, cells in filled[1:]]
    if not rows:
        raise InputError(
            f"Le fichier {path} ne contient aucune ligne sous son en-tête.",
            [Problem(_NEVER_EMPTY, path)],
        )
    return Table(path, kind, header, rows, style)


def _width(cells: Sequence[CellValue]) -> int:
    return max((i + 1 for i, c in enumerate(cells) if not _blank([c])), default=0)


def _padded(cells: Sequence[CellValue], width: int) -> list[CellValue]:
    kept: list[CellValue] = ["" if c is None else c for c in cells[:width]]
    return kept + [""] * (width - len(kept))


# --- CSV writing ------------------------------------------------------------------------------


def write_csv(header: list[str], rows: list[list[str]], style: CsvStyle = CsvStyle()) -> bytes:
    """RFC 4180 (CRLF, minimal quoting) in the given style, every cell neutralised.

    Text that a legacy Windows-1252 file cannot hold (an emoji, say) is never dropped: the
    whole file is then written in UTF-8 with a BOM, which Excel opens as well.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=style.separator, lineterminator="\r\n")
    for cells in [header, *rows]:
        writer.writerow([neutralise(c) for c in cells])
    text = buffer.getvalue()
    try:
        encoded = text.encode(style.encoding)
    except UnicodeEncodeError:
        return codecs.BOM_UTF8 + text.encode("utf-8")
    return _BOMS[style.encoding] + encoded if style.bom else encoded
