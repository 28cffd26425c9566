"""Reading an XLSX workbook back with openpyxl: the values the user saw (cached results,
never formulas), texts exactly as stored. Imported only when a workbook is read, so that a
run which only writes plan.xlsx never pays for openpyxl."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path

from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.workbook.workbook import Workbook as LoadedWorkbook
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from planner.errors import InputError, Problem
from planner.sheets import CellValue

_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_DECODED = {*range(0x20), 0x5F, 0xFFFE, 0xFFFF, *range(0xD800, 0xE000)}
"""Escapes decoded on reading: only those a writer needs, so that a literal `_x0041_` left
unescaped by another tool still reads as written."""


def _from_ooxml(text: str) -> str:
    def decoded(match: re.Match[str]) -> str:
        code = int(match.group(1), 16)
        return chr(code) if code in _DECODED else match.group()

    return _OOXML_ESCAPE.sub(decoded, text)


def read_xlsx(path: Path, raw: bytes) -> list[tuple[int, list[CellValue]]]:
    """Row 1 and the rows below of the sheet "Plan", else of the first sheet, as cached
    values (what the user saw), never formulas."""
    if _is_opendocument(raw):
        raise InputError(
            f"Le fichier {path} est un classeur OpenDocument (.ods), pas un .xlsx.",
            [Problem("enregistrez-le au format .xlsx ou CSV depuis LibreOffice", path)],
        )
    try:
        # openpyxl warns in English about features it drops (extensions, styles): noise here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = _load(raw, data_only=True)
            formulas = _load(raw, data_only=False)
    except Exception as exc:  # a damaged file surfaces as any of a dozen exception types
        raise InputError(
            f"Le classeur {path} est illisible ; rien n'a été lu.",
            [Problem(f"fichier abîmé ou d'un format non pris en charge ({exc!r:.120})", path)],
        ) from None
    if not values.worksheets:
        raise InputError(f"Le classeur {path} n'a aucune feuille de calcul.")
    sheet = next((s for s in values.worksheets if s.title == "Plan"), values.worksheets[0])
    formula_sheet = formulas[sheet.title]
    records: list[tuple[int, list[CellValue]]] = []
    uncached: list[Problem] = []
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        row: list[CellValue] = []
        for cell in cells:
            if cell.value is None and formula_sheet[cell.coordinate].data_type == "f":
                uncached.append(
                    Problem(
                        f"ligne {number}, cellule {cell.coordinate} : formule sans résultat "
                        "enregistré",
                        path,
                        number,
                    )
                )
            row.append(_read_cell(cell.value))
        records.append((number, row))
    if uncached:
        raise InputError(
            f"Le classeur {path} contient des formules dont le résultat n'a pas été enregistré ; "
            "rien n'a été lu. Ouvrez-le dans Excel ou LibreOffice et enregistrez-le à nouveau.",
            uncached[:10],
        )
    return records


class _ExactStrings(ExcelReader):  # type: ignore[misc]
    """openpyxl's reader, but shared strings (what Excel and LibreOffice save) are kept as
    stored: openpyxl deletes every "x005F_" in them, garbling a text that holds one."""

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is None:
            return
        with self.archive.open(part.PartName[1:]) as source:
            self.shared_strings = [
                Text.from_tree(node).content
                for _, node in iterparse(source)
                if node.tag == f"{{{SHEET_MAIN_NS}}}si"
            ]


def _load(raw: bytes, data_only: bool) -> LoadedWorkbook:
    reader = _ExactStrings(io.BytesIO(raw), data_only=data_only, keep_links=False)
    reader.read()
    return reader.wb


def _is_opendocument(raw: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except (zipfile.BadZipFile, KeyError):
        return False


def _read_cell(value: object) -> CellValue:
    if value is None:
        return ""
    if isinstance(value, str):
        return _from_ooxml(value)
    return value  # type: ignore[return-value]
