"""What a written or read sheet is made of: cell values, column and sheet specs, column
letters. Shared by the spreadsheet front (`planner.spreadsheet`) and the XLSX reader and
writer, so that neither side imports the other for its types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

CellValue = str | int | float | bool | datetime | date | time | None


@dataclass
class ColumnSpec:
    """One column of a written sheet.

    `kind`: "wrap" wraps long texts; "datetime" formats cells the user adds as dates; texts in
    "text" and "wrap" columns are marked as text (Excel's quote prefix) so that editing one
    never turns it into a formula, number or date, while texts in "datetime" and "number"
    columns are not, so that a user's correction of one is taken as a date or number.
    `choices` adds a drop-down list that warns, without blocking, about any other value.
    """

    title: str
    width: float
    kind: Literal["text", "wrap", "datetime", "number"] = "text"
    choices: tuple[str, ...] = ()


@dataclass
class SheetSpec:
    """One worksheet to write: French column titles, then rows of values (None = empty)."""

    title: str
    columns: list[ColumnSpec]
    rows: list[list[CellValue]]
    freeze_header: bool = True
    autofilter: bool = True


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
