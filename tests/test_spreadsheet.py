"""planner.spreadsheet: the files marketers re-save in Excel, LibreOffice or Google Sheets are
read back exactly or refused with their row and column; written files are exact and stable."""

from __future__ import annotations

import codecs
import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from planner.errors import InputError
from planner.sheets import CellValue, ColumnSpec, SheetSpec
from planner.spreadsheet import (
    CsvStyle,
    Table,
    read_table,
    restore,
    write_csv,
)
from planner.xlsx_writer import write_xlsx

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
STATUSES = ("planifié", "verrouillé", "publié", "annulé")
HOSTILE = [
    "\\N",
    "=1+1",
    '=HYPERLINK("http://x";"clic")',
    "+33 6 12",
    "-20 %",
    "@moi",
    "'quoted",
    "''=déjà échappé",
    "#N/A",
    ";",
    ",",
    'il dit "bonjour"',
    "ligne 1\nligne 2",
    "retour\r\nWindows",
    "retour\rseul",
    "avec\ttab",
    "\tcommence par tab",
    "emoji 🎉👩‍💻",
    "accents éèàçœ « » €",
    "  espaces autour  ",
    "   ",
    "contrôle \x01\x02\x0b\x0c\x1b\x1f",
    "\x00nul",
    "non-caractère \ufffe\uffff",
    "_x000D_ littéral",
    "_x005F_ et _x0041_",
    "x005F_y",
    "0612345678",
    "2026-03-10",
    "TRUE",
]


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def refusal(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_table(path)
    return caught.value.render()


# --- CSV decoding ---------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_utf8_with_or_without_bom(tmp_path: Path, bom: bytes) -> None:
    path = write(tmp_path, "plan.csv", bom + "id,titre\r\n1, Café crème \r\n".encode())
    table = read_table(path)
    assert table.kind == "csv"
    assert table.header == ["id", "titre"]
    assert table.rows == [(2, ["1", " Café crème "])]
    assert table.style == CsvStyle(",", bool(bom), "utf-8")


def test_legacy_windows_1252_file(tmp_path: Path) -> None:
    path = write(tmp_path, "plan.csv", b"id;titre\r\n1;Caf\xe9 \x80 l\x92\xe9t\xe9 \xabok\xbb\r\n")
    table = read_table(path)
    assert table.rows == [(2, ["1", "Café € l’été «ok»"])]
    assert table.style == CsvStyle(";", False, "cp1252")


def test_stray_legacy_byte_in_utf8_file_names_row_and_column(tmp_path: Path) -> None:
    content = "id;titre;note\r\n1;Café;ok\r\n".encode() + b"2;Caf\xe9 cr\xe8me;ok\r\n"
    message = refusal(write(tmp_path, "plan.csv", content))
    assert "ligne 3, colonne B « titre »" in message
    assert "octets E9 E8" in message
    assert "Caf[E9] cr[E8]me" in message
    assert "\ufffd" not in message
    assert "UTF-8" in message


def test_many_stray_bytes_are_counted_not_all_listed(tmp_path: Path) -> None:
    content = "id;titre\r\n0;é\r\n".encode() + b"".join(b"%d;\xe9\r\n" % n for n in range(12))
    message = refusal(write(tmp_path, "plan.csv", content))
    assert "ligne 12," in message and "ligne 13," not in message
    assert "… et 2 autres cellules" in message


def test_stray_byte_in_header_is_shown_printably(tmp_path: Path) -> None:
    content = "id;titre\r\n1;é\r\n".encode() + b"\r\n"
    content = content.replace(b"titre", b"t\xeftre")
    message = refusal(write(tmp_path, "plan.csv", content))
    assert "ligne 1, colonne B « t[EF]tre »" in message
    message.encode("utf-8")  # no lone surrogate left to crash a terminal


def test_byte_undefined_in_windows_1252_is_refused(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, "plan.csv", b"id,titre\r\n1,a\x81b\r\n"))
    assert "ligne 2, colonne B « titre »" in message
    assert "octets 81" in message


def test_utf8_bom_file_is_never_read_as_legacy(tmp_path: Path) -> None:
    content = codecs.BOM_UTF8 + b"id,titre\r\n1,Caf\xe9\r\n"
    assert "ligne 2, colonne B « titre »" in refusal(write(tmp_path, "plan.csv", content))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_excel_unicode_text_utf16_is_read_and_written_back_alike(
    tmp_path: Path, encoding: str
) -> None:
    text = 'id\ttitre\r\n1\tCafé 🎉\r\n2\t"deux\tcolonnes"\r\n'
    bom = codecs.BOM_UTF16_LE if encoding == "utf-16-le" else codecs.BOM_UTF16_BE
    original = bom + text.encode(encoding)
    table = read_table(write(tmp_path, "plan.txt", original))
    assert table.style == CsvStyle("\t", True, encoding)
    assert table.rows == [(2, ["1", "Café 🎉"]), (3, ["2", "deux\tcolonnes"])]
    rows = [[str(c) for c in cells] for _, cells in table.rows]
    assert write_csv(table.header, rows, table.style) == original


def test_nul_bytes_are_refused_as_binary(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, "plan.csv", b"id,titre\r\n1,a\x00b\r\n"))
    assert "octets nuls" in message


def test_csv_file_that_is_really_an_xlsx_is_read_as_xlsx(tmp_path: Path) -> None:
    data = write_xlsx([SheetSpec("Plan", [ColumnSpec("id", 8)], [["a"]])], NOW)
    table = read_table(write(tmp_path, "plan.csv", data))
    assert (table.kind, table.header, table.rows) == ("xlsx", ["id"], [(2, ["a"])])


# --- CSV structure --------------------------------------------------------------------------


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_separator_is_sniffed_from_the_header_outside_quotes(
    tmp_path: Path, separator: str
) -> None:
    others = "".join(s for s in ",;\t" if s != separator)
    header = f'"nom{others}{others}{others}"{separator}titre'
    content = f'{header}\r\n1{separator}"a{separator}b ""c"" {others}"\r\n'.encode()
    table = read_table(write(tmp_path, "plan.csv", content))
    assert table.style is not None and table.style.separator == separator
    assert table.header == [f"nom{others * 3}", "titre"]
    assert table.rows == [(2, ["1", f'a{separator}b "c" {others}'])]


def test_quoted_newlines_stay_in_their_cell_and_rows_keep_spreadsheet_numbers(
    tmp_path: Path,
) -> None:
    content = b'id,texte\r\n1,"ligne a\r\nligne b\nligne c"\r\n\r\n, \r\n2,fin\r\n'
    table = read_table(write(tmp_path, "plan.csv", content))
    assert table.rows == [(2, ["1", "ligne a\r\nligne b\nligne c"]), (5, ["2", "fin"])]


def test_lone_carriage_return_line_ends(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "plan.csv", b"id;titre\r1;a\r2;b\r"))
    assert table.rows == [(2, ["1", "a"]), (3, ["2", "b"])]


def test_ragged_rows_are_padded_and_empty_trailing_columns_dropped(tmp_path: Path) -> None:
    content = b"id;titre;;\r\n1;;;\r\n2\r\n3;c;;x\r\n"
    table = read_table(write(tmp_path, "plan.csv", content))
    assert table.header == ["id", "titre", "", ""]
    assert table.rows == [(2, ["1", "", "", ""]), (3, ["2", "", "", ""]), (4, ["3", "c", "", "x"])]
    table = read_table(write(tmp_path, "court.csv", b"id;titre;;\r\n1;a;;\r\n"))
    assert table.header == ["id", "titre"]


@pytest.mark.parametrize(
    "content",
    [b"", b"   \r\n\r\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b";;\r\n ; \r\n"],
    ids=["empty", "blank", "utf8-bom-only", "utf16-bom-only", "separators-only"],
)
def test_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    message = refusal(write(tmp_path, "plan.csv", content))
    assert "ne contient aucune ligne" in message
    assert "tout a été supprimé" in message


@pytest.mark.parametrize(
    "content", [b"id;titre\r\n", b"id;titre", b"id;titre\r\n\r\n;\r\n  ;  \r\n"]
)
def test_header_only_file_is_refused(tmp_path: Path, content: bytes) -> None:
    assert "ne contient aucune ligne sous son en-tête" in refusal(
        write(tmp_path, "plan.csv", content)
    )


def test_blank_header_row_is_refused(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, "plan.csv", b"\r\nid;titre\r\n1;a\r\n"))
    assert "ligne 1" in message and "noms des colonnes" in message


def test_unclosed_quote_is_refused_rather_than_swallowing_rows(tmp_path: Path) -> None:
    content = b'id,titre\r\n1,ok\r\n2,"pas ferm\xc3\xa9\r\n3,perdu\r\n4,perdu\r\n'
    message = refusal(write(tmp_path, "plan.csv", content))
    assert "ligne 3" in message and "guillemets" in message


def test_missing_file(tmp_path: Path) -> None:
    assert "introuvable" in refusal(tmp_path / "absent.csv")


# --- CSV writing ----------------------------------------------------------------------------


def test_write_csv_is_rfc4180_and_neutralises_formulas() -> None:
    data = write_csv(["id", "=titre"], [["1", 'a,b "c"\nd'], ["2", "=1+1"], ["3", ""]])
    assert data == b'id,\'=titre\r\n1,"a,b ""c""\nd"\r\n2,\'=1+1\r\n3,\r\n'


def test_write_csv_follows_the_style() -> None:
    data = write_csv(["id", "titre"], [["1", "été"]], CsvStyle(";", True, "utf-8"))
    assert data == codecs.BOM_UTF8 + "id;titre\r\n1;été\r\n".encode()
    legacy = write_csv(["id", "titre"], [["1", "été"]], CsvStyle(";", False, "cp1252"))
    assert legacy == b"id;titre\r\n1;\xe9t\xe9\r\n"


def test_legacy_style_that_cannot_hold_a_text_falls_back_to_utf8(tmp_path: Path) -> None:
    data = write_csv(["id", "titre"], [["1", "été 🎉"]], CsvStyle(";", False, "cp1252"))
    assert data == codecs.BOM_UTF8 + "id;titre\r\n1;été 🎉\r\n".encode()
    table = read_table(write(tmp_path, "plan.csv", data))
    assert table.rows == [(2, ["1", "été 🎉"])]


def test_impossible_styles_are_programming_errors() -> None:
    for arguments in [("|",), (",", True, "cp1252"), (",", False, "utf-16-le"), (",", False, "x")]:
        with pytest.raises(ValueError):
            CsvStyle(*arguments)  # type: ignore[arg-type]


STYLES = [
    CsvStyle(),
    CsvStyle(";", True),
    CsvStyle("\t", True, "utf-16-le"),
    CsvStyle("\t", True, "utf-16-be"),
]
CELL_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"))
# Column names holding separators could outnumber the real ones in the header: a sniffing limit.
NAME = st.text(st.characters(codec="utf-8", exclude_characters="\x00,;\t"))


@st.composite
def csv_tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """A header of at least two columns (one alone tells no separator) and non-blank rows."""
    width = draw(st.integers(1, 4))
    header = draw(st.lists(NAME.filter(str.strip), min_size=width + 1, max_size=width + 1))
    cells = draw(st.lists(st.lists(CELL_TEXT, min_size=width, max_size=width), min_size=1))
    return header, [[f"id{n}", *row] for n, row in enumerate(cells)]


@settings(max_examples=150)
@given(style=st.sampled_from(STYLES), table=csv_tables())
def test_csv_round_trip_keeps_every_text(
    tmp_path_factory: pytest.TempPathFactory,
    style: CsvStyle,
    table: tuple[list[str], list[list[str]]],
) -> None:
    header, rows = table
    width = len(header)
    path = tmp_path_factory.mktemp("csv") / "plan.csv"
    path.write_bytes(write_csv(header, rows, style))
    back = read_table(path)
    assert back.style == style
    assert [restore(h) for h in back.header[:width]] == header
    assert [[restore(str(c)) for c in row[:width]] for _, row in back.rows] == rows
    assert [number for number, _ in back.rows] == list(range(2, len(rows) + 2))


@settings(max_examples=150)
@given(
    text=st.text(st.sampled_from("abcdef ;,\"'=-\n\r\téèêàâçùûôîïëü"), min_size=1).filter(str.strip)
)
def test_legacy_round_trip_of_french_text(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("csv") / "plan.csv"
    style = CsvStyle(";", False, "cp1252")
    path.write_bytes(write_csv(["id", "titre"], [["1", text]], style))
    table = read_table(path)
    assert restore(str(table.rows[0][1][1])) == text
    assert table.style == (style if any(ord(c) > 127 for c in text) else CsvStyle(";"))


# --- XLSX writing ---------------------------------------------------------------------------

COLUMNS = [
    ColumnSpec("Identifiant", 14),
    ColumnSpec("Début", 18, "datetime"),
    ColumnSpec("Statut", 12, choices=STATUSES),
    ColumnSpec("Texte", 60, "wrap"),
    ColumnSpec("Séquence", 10, "number"),
]
ROWS: list[list[CellValue]] = [
    ["a1", datetime(2026, 3, 10, 8, 30), "planifié", "Bonjour\nà tous", 1],
    ["a2", datetime(2026, 12, 31, 23, 59, 59), "publié", "=1+1", 2.5],
    ["a3", None, "inventé", None, None],
]


def plan_sheet(rows: list[list[CellValue]] | None = None) -> SheetSpec:
    return SheetSpec("Plan", COLUMNS, ROWS if rows is None else rows)


def test_xlsx_has_frozen_bold_header_filter_widths_and_wrapping() -> None:
    sheet = load_workbook(io.BytesIO(write_xlsx([plan_sheet()], NOW))).active
    assert sheet is not None and sheet.title == "Plan"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E4"
    assert [c.value for c in sheet[1]] == [c.title for c in COLUMNS]
    assert all(c.font.bold for c in sheet[1])
    assert [sheet.column_dimensions[x].width for x in "ABCDE"] == [14, 18, 12, 60, 10]
    assert sheet["D2"].alignment.wrap_text
    assert not sheet["A2"].alignment.wrap_text


def test_xlsx_without_frozen_header_nor_filter() -> None:
    spec = SheetSpec("Plan", COLUMNS[:1], [["a"]], freeze_header=False, autofilter=False)
    sheet = load_workbook(io.BytesIO(write_xlsx([spec], NOW))).active
    assert sheet is not None
    assert sheet.freeze_panes is None
    assert sheet.auto_filter.ref is None


def test_xlsx_status_column_has_a_warning_drop_down() -> None:
    sheet = load_workbook(io.BytesIO(write_xlsx([plan_sheet()], NOW))).active
    assert sheet is not None
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"planifié,verrouillé,publié,annulé"'
    assert str(validation.sqref) == "C2:C1048576"
    assert validation.errorStyle == "warning"
    assert validation.showErrorMessage and validation.allow_blank
    assert validation.error is not None and "liste" in validation.error


def test_drop_down_choices_must_fit_an_inline_list() -> None:
    for choices in [("a,b",), ('a"b',), ("x" * 200, "y" * 60)]:
        spec = SheetSpec("Plan", [ColumnSpec("Statut", 10, choices=choices)], [["a"]])
        with pytest.raises(ValueError):
            write_xlsx([spec], NOW)


def test_xlsx_dates_are_real_dates_in_french_format() -> None:
    rows: list[list[CellValue]] = [["a", datetime(2026, 3, 10, 8, 30)], ["b", date(2026, 3, 10)]]
    rows[0] += [None, None, None, time(8, 30)]
    columns = [*COLUMNS, ColumnSpec("Heure", 8, "datetime")]
    sheet = load_workbook(io.BytesIO(write_xlsx([SheetSpec("Plan", columns, rows)], NOW))).active
    assert sheet is not None
    assert sheet["B2"].is_date and sheet["B2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["B2"].value == datetime(2026, 3, 10, 8, 30)
    assert sheet["B3"].is_date and sheet["B3"].number_format == "dd/mm/yyyy"
    assert sheet["F2"].is_date and sheet["F2"].value == time(8, 30)
    assert sheet.column_dimensions["B"].number_format == "dd/mm/yyyy hh:mm"


def test_aware_datetimes_and_non_finite_numbers_are_programming_errors() -> None:
    values: list[CellValue] = [NOW, float("nan"), float("inf")]
    for value in values:
        with pytest.raises(ValueError):
            write_xlsx([plan_sheet([["a", value, "", "", None]])], NOW)


def test_formula_looking_texts_are_written_as_text() -> None:
    data = write_xlsx([plan_sheet([["=A1", "=B1", "+1", "=1+1", "-2"], ["#N/A"]])], NOW)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    for cell in ("A2", "B2", "C2", "D2", "E2", "A3"):
        assert sheet[cell].data_type == "s", cell
    assert sheet["D2"].value == "=1+1"
    # Marked as text where a text is expected, so that editing it keeps it a text; in date and
    # number columns, left for a user's correction to become a date or number.
    assert sheet["A2"].quotePrefix and sheet["D2"].quotePrefix
    assert not sheet["B2"].quotePrefix and not sheet["E2"].quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_too_long_texts_are_refused_never_cut() -> None:
    limit = "a" * 32_767
    table_rows: list[list[CellValue]] = [["a", None, "", limit, None]]
    assert read_back(write_xlsx([plan_sheet(table_rows)], NOW)).rows[0][1][3] == limit
    for text in ["a" * 32_768, "🎉" * 16_384, "\x01" * 5_000]:
        with pytest.raises(InputError) as caught:
            write_xlsx([plan_sheet([["a", None, "", text, None]])], NOW)
        message = caught.value.render()
        assert "cellule D2" in message and "« Texte »" in message and "32 767" in message


def test_rows_wider_than_the_columns_are_programming_errors() -> None:
    with pytest.raises(ValueError):
        write_xlsx([SheetSpec("Plan", COLUMNS[:1], [["a", "b"]])], NOW)


# --- XLSX determinism -----------------------------------------------------------------------


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_xlsx_is_byte_identical_for_the_same_inputs() -> None:
    first = write_xlsx([plan_sheet()], NOW)
    assert write_xlsx([plan_sheet()], NOW) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {(i.date_time, i.external_attr, i.create_system) for i in infos} == {
        ((1980, 1, 1, 0, 0, 0), 0o644 << 16, 3)
    }


def test_only_the_document_dates_follow_now() -> None:
    first = entries(write_xlsx([plan_sheet()], NOW))
    later = entries(write_xlsx([plan_sheet()], datetime(2027, 1, 2, 3, 4, 5)))
    assert first.keys() == later.keys()
    assert [n for n in first if first[n] != later[n]] == ["docProps/core.xml"]
    core = first["docProps/core.xml"].decode()
    assert core.count(">2026-03-01T09:30:00Z<") == 2
    assert later["docProps/core.xml"].decode().count(">2027-01-02T03:04:05Z<") == 2


def test_xlsx_is_identical_across_processes() -> None:
    """Hash randomisation differs per process: set or dict order must not leak into the file."""
    script = (
        "import sys, tests.test_spreadsheet as t; "
        "sys.stdout.buffer.write(t.write_xlsx([t.plan_sheet(), t.hostile_sheet()], t.NOW))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=Path(__file__).parent.parent,
        ).stdout
        for seed in ("1", "2")
    }
    assert outputs == {write_xlsx([plan_sheet(), hostile_sheet()], NOW)}


# --- XLSX reading ---------------------------------------------------------------------------


def read_back(data: bytes) -> Table:
    """read_table on bytes; usable under hypothesis, which forbids per-test fixtures."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "plan.xlsx"
        path.write_bytes(data)
        return read_table(path)


def hostile_sheet() -> SheetSpec:
    columns = [ColumnSpec("id", 8), ColumnSpec("texte ; « titre »", 40, "wrap")]
    return SheetSpec("Textes", columns, [[f"h{n}", text] for n, text in enumerate(HOSTILE)])


def test_xlsx_reads_back_equal() -> None:
    table = read_back(write_xlsx([plan_sheet()], NOW))
    assert (table.kind, table.style) == ("xlsx", None)
    assert table.header == [c.title for c in COLUMNS]
    assert table.rows == [
        (2, ["a1", datetime(2026, 3, 10, 8, 30), "planifié", "Bonjour\nà tous", 1]),
        (3, ["a2", datetime(2026, 12, 31, 23, 59, 59), "publié", "=1+1", 2.5]),
        (4, ["a3", "", "inventé", "", ""]),
    ]


def test_hostile_texts_round_trip_through_xlsx() -> None:
    table = read_back(write_xlsx([hostile_sheet()], NOW))
    assert table.header == ["id", "texte ; « titre »"]
    assert [row[1] for _, row in table.rows] == HOSTILE


@settings(max_examples=40)
@given(texts=st.lists(st.text(st.characters(codec="utf-8")), min_size=1))
def test_any_text_round_trips_through_xlsx(texts: list[str]) -> None:
    spec = SheetSpec("Plan", [ColumnSpec("id", 8), ColumnSpec("t", 8)], [["x", t] for t in texts])
    table = read_back(write_xlsx([spec], NOW))
    assert [row[1] for _, row in table.rows] == texts


def test_plan_sheet_is_preferred_and_blank_rows_skipped() -> None:
    notes = SheetSpec("Notes", [ColumnSpec("note", 10)], [["n"]])
    plan = plan_sheet([["a1"], [None, None, "   "], ["a3", None, "publié"]])
    table = read_back(write_xlsx([notes, plan], NOW))
    assert table.header[0] == "Identifiant"
    assert [(n, row[0]) for n, row in table.rows] == [(2, "a1"), (4, "a3")]


def test_xlsx_header_only_and_empty_sheets_are_refused(tmp_path: Path) -> None:
    header_only = write_xlsx([plan_sheet([])], NOW)
    assert "ne contient aucune ligne sous son en-tête" in refusal(
        write(tmp_path, "plan.xlsx", header_only)
    )
    empty = write_xlsx([SheetSpec("Plan", [], [])], NOW)
    assert "ne contient aucune ligne" in refusal(write(tmp_path, "vide.xlsx", empty))


def test_formulas_without_a_saved_result_are_refused(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["id", "total"])
    sheet.append(["a", "=1+1"])
    workbook.save(tmp_path / "formules.xlsx")
    message = refusal(tmp_path / "formules.xlsx")
    assert "cellule B2" in message and "enregistrez-le à nouveau" in message


def excel_like(cells: list[list[str]]) -> bytes:
    """A minimal workbook with shared strings, as Excel and LibreOffice save them."""
    strings = [text for row in cells for text in row]
    rows = "".join(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{chr(65 + c)}{r}" t="s"><v>{strings.index(text)}</v></c>'
            for c, text in enumerate(row)
        )
        + "</row>"
        for r, row in enumerate(cells, start=1)
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    kinds = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{package}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kinds}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kinds}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kinds}.sharedStrings+xml"/>'
        "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{package}/relationships"><Relationship Id="r1" '
        f'Type="{relations}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{relations}"><sheets>'
        '<sheet name="Feuille1" sheetId="1" r:id="r1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="r1" Type="{relations}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="r2" Type="{relations}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{rows}</sheetData>'
        "</worksheet>",
        "xl/sharedStrings.xml": f'<sst xmlns="{main}">'
        + "".join(f'<si><t xml:space="preserve">{s}</t></si>' for s in strings)
        + "</sst>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_shared_strings_escapes_are_decoded_as_excel_does() -> None:
    stored = ["_x005F_x000D_", "a_x000D_b", "x005F_y", "a_x0001_b", "_x0041_", "&lt;=A1&gt;"]
    table = read_back(excel_like([["id", "texte"], *[[f"i{n}", s] for n, s in enumerate(stored)]]))
    assert [row[1] for _, row in table.rows] == [
        "_x000D_",
        "a\rb",
        "x005F_y",
        "a\x01b",
        "_x0041_",
        "<=A1>",
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("protege.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "mot de passe"),
        ("ancien.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".xls"),
        ("abime.xlsx", b"PK\x03\x04" + b"\x00" * 64, "illisible"),
        ("texte.xlsx", b"id,titre\r\n1,a\r\n", "pas un classeur Excel"),
    ],
)
def test_unreadable_workbooks_are_refused_naming_the_file(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    message = refusal(write(tmp_path, name, content))
    assert expected in message and name in message


def test_truncated_xlsx_is_refused(tmp_path: Path) -> None:
    data = write_xlsx([plan_sheet()], NOW)
    assert "illisible" in refusal(write(tmp_path, "plan.xlsx", data[: len(data) // 2]))


def test_opendocument_is_refused_with_advice(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert "OpenDocument" in refusal(write(tmp_path, "plan.xlsx", buffer.getvalue()))


# --- LibreOffice ----------------------------------------------------------------------------


def libreoffice(source: Path, target: str, profile: Path) -> None:
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(source.parent / "out"),
            str(source),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_and_resaves_without_loss(tmp_path: Path) -> None:
    source = write(tmp_path, "plan.xlsx", write_xlsx([hostile_sheet()], NOW))
    libreoffice(source, "xlsx", tmp_path / "profile")
    # LibreOffice turns a CR LF inside a cell into LF: its limit, not a loss in our files.
    expected = [text.replace("\r\n", "\n") for text in HOSTILE]
    assert [row[1] for _, row in read_table(tmp_path / "out" / "plan.xlsx").rows] == expected
    # A NUL cannot travel in a CSV file (read_table refuses NUL bytes as binary).
    texts = [text for text in HOSTILE if "\x00" not in text]
    spec = SheetSpec("Textes", hostile_sheet().columns, [["h", text] for text in texts])
    source = write(tmp_path, "textes.xlsx", write_xlsx([spec], NOW))
    libreoffice(source, "csv:Text - txt - csv (StarCalc):59,34,76,1", tmp_path / "profile")
    as_csv = read_table(tmp_path / "out" / "textes.csv")
    assert as_csv.style == CsvStyle(";")
    assert [row[1] for _, row in as_csv.rows] == [t.replace("\r\n", "\n") for t in texts]
