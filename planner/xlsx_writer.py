"""Writing an XLSX workbook directly as its XML parts, byte-identical for the same input.

Every run writes plan.xlsx, and importing openpyxl alone cost a third of the time a one-month
`planner plan` may take above its solver's imports; the few parts a plan sheet needs (shared
strings, three number formats, a bold header, wrapped cells, a frozen header row, a filter,
a drop-down list) are written here instead. Reading back still goes through openpyxl
(`planner.xlsx_reader`), which also checks these files in the tests.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import UTC, date, datetime, time, timedelta

from planner.errors import InputError, Problem
from planner.sheets import CellValue, ColumnSpec, SheetSpec, column_letter

EXCEL_CELL_LIMIT = 32_767
"""Most characters (UTF-16 units) Excel holds in a cell: longer is refused, never cut."""
MAX_ROW = 1_048_576
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
EXCEL_EPOCH = datetime(1899, 12, 30)

# OOXML's own escape `_xHHHH_` (what Excel writes) keeps characters XML 1.0 cannot hold, and
# the carriage return, which XML parsers turn into a line feed. A literal `_xHHHH_` in a text
# gets its underscore escaped as `_x005F_`, as Excel does, so that it is not decoded.
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LITERAL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def escape(text: str) -> str:
    """XML character data (`xml.sax.saxutils.escape`, whose module imports urllib and
    ssl: 10 ms of every run)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """An XML attribute value with its quotes, as `xml.sax.saxutils.quoteattr` writes it."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


# cellXfs indexes of styles.xml
PLAIN, BOLD, TEXT, WRAP, DATETIME, DAY, CLOCK = range(7)
_FORMAT_STYLE = ((datetime, DATETIME), (date, DAY), (time, CLOCK))

STYLES = (
    f'<styleSheet xmlns="{MAIN}">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/>'
    '<numFmt numFmtId="165" formatCode="dd/mm/yyyy"/><numFmt numFmtId="166" formatCode="hh:mm"/>'
    "</numFmts>"
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="7">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1" '
    'quotePrefix="1"><alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)

DROP_DOWN_ERROR = (
    "Cette valeur n'est pas dans la liste prévue. Choisissez-en une avec la flèche de la "
    "cellule, ou confirmez pour la garder."
)


def to_ooxml(text: str) -> str:
    text = _LITERAL_ESCAPE.sub("_x005F_", text)
    return _XML_UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def serial(value: datetime | date | time) -> str:
    """Excel's day number (1900 system) of a naive date, time or date and time."""
    if isinstance(value, datetime):
        days = (value - EXCEL_EPOCH) / timedelta(days=1)
    elif isinstance(value, date):
        days = float((value - EXCEL_EPOCH.date()).days)
    else:
        days = (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    return repr(days)


class _Strings:
    """The shared strings table, in order of first use."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.uses = 0

    def __call__(self, text: str) -> int:
        self.uses += 1
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in self.index)
        return (
            f'<sst xmlns="{MAIN}" count="{self.uses}" uniqueCount="{len(self.index)}">{items}</sst>'
        )


def _cell(
    reference: str,
    value: CellValue,
    column: ColumnSpec,
    sheet: str,
    strings: _Strings,
    style: int,
) -> str:
    """One value with its true type: texts always as text, never as formulas."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        stored = to_ooxml(value)
        size = max(len(value.encode("utf-16-le")) // 2, len(stored))
        if size > EXCEL_CELL_LIMIT:
            raise InputError(
                f"Un texte est trop long pour une cellule Excel (feuille « {sheet} », cellule "
                f"{reference}, colonne « {column.title} »).",
                [
                    Problem(
                        f"{size} caractères, pour 32 767 au plus ; raccourcissez-le (planner ne "
                        "coupe jamais un texte sans le dire)"
                    )
                ],
            )
        return f'<c r="{reference}" s="{style}" t="s"><v>{strings(stored)}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime | time) and value.tzinfo is not None:
        raise ValueError(f"{reference}: naive local wall-clock times only, got {value!r}")
    if isinstance(value, datetime | date | time):
        kind = next(s for t, s in _FORMAT_STYLE if isinstance(value, t))
        return f'<c r="{reference}" s="{kind}"><v>{serial(value)}</v></c>'
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{reference}: Excel cannot hold {value!r}")
    return f'<c r="{reference}"><v>{value!r}</v></c>'


def _text_style(column: ColumnSpec) -> int:
    return {"wrap": WRAP, "text": TEXT}.get(column.kind, PLAIN)


def _drop_down(choices: tuple[str, ...], ref: str) -> str:
    """A list validation that warns about other values (existing or typed) without blocking."""
    listed = ",".join(choices)
    if any("," in c or '"' in c for c in choices) or len(listed) > 255:
        raise ValueError(f"choices must hold no comma nor quote, 255 characters in all: {choices}")
    return (
        '<dataValidation type="list" errorStyle="warning" allowBlank="1" showErrorMessage="1" '
        f'errorTitle="Valeur hors liste" error={quoteattr(DROP_DOWN_ERROR)} sqref="{ref}">'
        f"<formula1>{escape(quoteattr(listed))}</formula1></dataValidation>"
    )


def _sheet(spec: SheetSpec, strings: _Strings, selected: bool) -> str:
    widths = len(spec.columns)
    last = column_letter(max(widths, 1))
    cols = "".join(
        f'<col min="{n}" max="{n}" width="{c.width}" customWidth="1"'
        + (f' style="{DATETIME}"' if c.kind == "datetime" else "")
        + "/>"
        for n, c in enumerate(spec.columns, start=1)
    )
    rows = [
        '<row r="1">'
        + "".join(
            _cell(f"{column_letter(n)}1", c.title, c, spec.title, strings, BOLD)
            for n, c in enumerate(spec.columns, start=1)
        )
        + "</row>"
    ]
    for number, values in enumerate(spec.rows, start=2):
        if len(values) > widths:
            raise ValueError(f"row {number} of {spec.title!r} has more cells than columns")
        cells = "".join(
            _cell(f"{column_letter(n)}{number}", v, c, spec.title, strings, _text_style(c))
            for n, (c, v) in enumerate(zip(spec.columns, values, strict=False), start=1)
        )
        rows.append(f'<row r="{number}">{cells}</row>')
    tab = ' tabSelected="1"' if selected else ""
    view = f'<sheetView workbookViewId="0"{tab}>'
    if spec.freeze_header:
        view += (
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        )
    view += "</sheetView>"
    bottom = len(spec.rows) + 1
    parts = [
        f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">',
        f'<dimension ref="A1:{last}{bottom}"/>',
        f"<sheetViews>{view}</sheetViews>",
        '<sheetFormatPr defaultRowHeight="15"/>',
        f"<cols>{cols}</cols>" if cols else "",
        f"<sheetData>{''.join(rows)}</sheetData>",
    ]
    if spec.autofilter and spec.columns:
        parts.append(f'<autoFilter ref="A1:{last}{bottom}"/>')
    lists = [
        _drop_down(c.choices, f"{column_letter(n)}2:{column_letter(n)}{MAX_ROW}")
        for n, c in enumerate(spec.columns, start=1)
        if c.choices
    ]
    if lists:
        parts.append(f'<dataValidations count="{len(lists)}">{"".join(lists)}</dataValidations>')
    parts.append(
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    )
    parts.append("</worksheet>")
    return "".join(parts)


def _workbook(sheets: list[SheetSpec]) -> str:
    entries = "".join(
        f'<sheet name={quoteattr(s.title)} sheetId="{n}" r:id="rId{n}"/>'
        for n, s in enumerate(sheets, start=1)
    )
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{escape(_quoted(s.title))}!$A$1:${column_letter(len(s.columns))}${len(s.rows) + 1}"
        "</definedName>"
        for n, s in enumerate(sheets)
        if s.autofilter and s.columns
    )
    defined = f"<definedNames>{names}</definedNames>" if names else ""
    return (
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><bookViews><workbookView/></bookViews>'
        f"<sheets>{entries}</sheets>{defined}</workbook>"
    )


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    office = "application/vnd.openxmlformats-officedocument"
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{office}.spreadsheetml.sheet.'
        'main+xml"/>'
        f"{sheets}"
        f'<Override PartName="/xl/styles.xml" ContentType="{office}.spreadsheetml.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{office}.spreadsheetml.'
        'sharedStrings+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/>'
        f'<Override PartName="/docProps/app.xml" ContentType="{office}.extended-properties+xml"/>'
        "</Types>"
    )


def _relations(entries: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'
        for rid, kind, target in entries
    )
    return f'<Relationships xmlns="{PACKAGE_RELS}">{items}</Relationships>'


def _core(now: datetime) -> str:
    moment = now.astimezone(UTC) if now.tzinfo else now
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/'
        'XMLSchema-instance"><dc:creator>planner</dc:creator>'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
    'properties"><Application>planner</Application></Properties>'
)


def write_xlsx(sheets: list[SheetSpec], now: datetime) -> bytes:
    """An XLSX workbook, byte-identical for the same sheets and `now` (UTC when naive),
    which dates the document properties; zip entries get a fixed order, date and
    permissions. A text longer than a cell holds raises `InputError`."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    strings = _Strings()
    parts = [
        (f"xl/worksheets/sheet{n}.xml", _sheet(s, strings, n == 1))
        for n, s in enumerate(sheets, start=1)
    ]
    office = f"{RELS}"
    book_rels = [
        (f"rId{n}", f"{office}/worksheet", f"worksheets/sheet{n}.xml")
        for n in range(1, len(sheets) + 1)
    ]
    book_rels += [
        (f"rId{len(sheets) + 1}", f"{office}/styles", "styles.xml"),
        (f"rId{len(sheets) + 2}", f"{office}/sharedStrings", "sharedStrings.xml"),
    ]
    package = [
        ("rId1", f"{office}/officeDocument", "xl/workbook.xml"),
        ("rId2", f"{PACKAGE_RELS}/metadata/core-properties", "docProps/core.xml"),
        ("rId3", f"{office}/extended-properties", "docProps/app.xml"),
    ]
    files = [
        ("[Content_Types].xml", _content_types(len(sheets))),
        ("_rels/.rels", _relations(package)),
        ("docProps/app.xml", APP),
        ("docProps/core.xml", _core(now)),
        ("xl/_rels/workbook.xml.rels", _relations(book_rels)),
        ("xl/sharedStrings.xml", strings.xml()),
        ("xl/styles.xml", STYLES),
        ("xl/workbook.xml", _workbook(sheets)),
        *parts,
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, (HEADER + text).encode("utf-8"))
    return buffer.getvalue()
