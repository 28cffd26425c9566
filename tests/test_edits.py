"""Issue 10, behaviour 3: what the user types in plan.csv or plan.xlsx is their word, kept
in every later run; what cannot be read is refused with its row and column, nothing
written; a download re-plans through its ids and leaves its own folder alone."""

from __future__ import annotations

import io
import shutil
import unicodedata
from collections.abc import Callable
from csv import DictReader
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.config import load_config
from planner.labels import COLUMN_TITLES
from tests.conftest import INPUTS, MINIMAL
from tests.lifecycle import (
    Row,
    a_post,
    another_time,
    by_id,
    calendar_of,
    copy_of,
    day_of,
    days_with_room,
    edit_rows,
    events,
    moment,
    onto_a_holiday,
    open_days,
    pick,
    plan,
    planner,
    read_rows,
    replan,
    row_of,
    scheduled,
    set_cells,
    snapshot,
    start_of,
    stored,
    the_live,
    two_posts_of_one_week,
    write_rows,
)

MARCH_NOW, LATER = "2026-02-20T09:00", "2026-02-21T09:00"
APRIL_NOW = "2026-03-20T09:00"
MARCH, APRIL = "2026-03", "2026-04"


@pytest.fixture(scope="module")
def planned_april(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("april")
    plan(out, "2026-04", APRIL_NOW)
    return out


# The items the tests work on, by their role in the March the solver planned.


@pytest.fixture(scope="module")
def skool(march: list[Row]) -> str:
    """A Skool post of March, from its second week on."""
    return a_post(march, "skool", MARCH)["id"]


def set_xlsx(path: Path, item_id: str, **cells: object) -> None:
    """Type cells in plan.xlsx as Excel would save them (French titles)."""
    book = load_workbook(path)
    sheet = book["Plan"]
    titles = [c.value for c in sheet[1]]
    ids = titles.index(COLUMN_TITLES["id"]) + 1
    [row] = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, ids).value == item_id]
    for code, value in cells.items():
        sheet.cell(row, titles.index(COLUMN_TITLES.get(code, code)) + 1).value = value
    book.save(path)


def later_runs(out: Path) -> None:
    """What a user does next: plan the month again, then the next one."""
    plan(out, "2026-03", LATER)
    plan(out, "2026-04", APRIL_NOW)


# --- statuses ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["french", "codes"])
def test_statuses_typed_in_plan_csv_are_kept_in_every_later_run(
    out: Path, typed: str, march: list[Row], post: str, skool: str
) -> None:
    """Regression: `plan` after a `replan` dropped published and locked statuses and brought
    a cancelled post back with its old UID."""
    words = {"published": "publié", "locked": "verrouillé", "cancelled": "annulé"}
    linkedin = [r["id"] for r in scheduled(march, "post", "linkedin")]
    other = pick(linkedin[linkedin.index(post) + 1 :], "LinkedIn post after the first one")
    wanted = {post: "published", skool: "locked", other: "cancelled"}
    csv = out / "2026-03" / "plan.csv"
    for key, status in wanted.items():
        set_cells(csv, key, status=words[status] if typed == "french" else status)
    replan(out, csv, MARCH_NOW)
    later_runs(out)
    rows = by_id(read_rows(csv))
    assert {k: rows[k]["status"] for k in wanted} == wanted
    calendar = events(out / "2026-03" / "plan.ics")
    cancelled = calendar[f"{other}@planner.test"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["SEQUENCE"] == 1
    current, _ = stored(out)
    assert {k: current[k].item.status for k in wanted} == wanted


def test_statuses_typed_in_plan_xlsx_are_kept(
    out: Path, march: list[Row], live: str, post: str, skool: str
) -> None:
    xlsx = out / "2026-03" / "plan.xlsx"
    set_xlsx(xlsx, post, status="Publié")
    set_xlsx(xlsx, skool, status="Verrouillé")
    set_xlsx(xlsx, live, status="Annulé")
    later_runs(out)
    rows = by_id(read_rows(out / "2026-03" / "plan.csv"))
    assert (rows[post]["status"], rows[skool]["status"]) == ("published", "locked")
    assert rows[live]["status"] == "cancelled"
    assert rows[f"{live}-prep"]["status"] == "cancelled"  # its task goes with it
    replacements = [r for r in rows.values() if r["kind"] == "live" and r["status"] != "cancelled"]
    assert len(replacements) == 1 and day_of(replacements[0]) != day_of(by_id(march)[live])


# --- texts ------------------------------------------------------------------------------

TYPED = {
    "message": "Mon message à moi",
    "title": "Mon titre",
    "description": "Ma description\nsur deux lignes",
    "format": "Carrousel maison",
}


def test_typed_texts_are_kept_until_the_cell_is_cleared(out: Path, post: str) -> None:
    """Regression: text typed in the spreadsheet was replaced by the generated text."""
    csv = out / "2026-03" / "plan.csv"
    generated = {k: row_of(csv, post)[k] for k in TYPED}
    set_cells(csv, post, **TYPED)
    later_runs(out)
    row = row_of(csv, post)
    assert {k: row[k] for k in TYPED} == TYPED
    current, _ = stored(out)
    assert current[post].owned == frozenset(TYPED)
    set_cells(csv, post, **dict.fromkeys(TYPED, ""))
    plan(out, "2026-03", LATER)
    row = row_of(csv, post)
    assert {k: row[k] for k in TYPED} == generated
    assert stored(out)[0][post].owned == frozenset()


def test_typed_texts_in_plan_xlsx_are_kept(out: Path, skool: str) -> None:
    set_xlsx(out / "2026-03" / "plan.xlsx", skool, message="Mon astuce", title="Astuce maison")
    later_runs(out)
    row = row_of(out / "2026-03" / "plan.csv", skool)
    assert (row["message"], row["title"]) == ("Mon astuce", "Astuce maison")


# --- moves the rules refuse -------------------------------------------------------------

REFUSED = {
    "holiday": "Jours de publication",
    "day taken": "Plafond par jour",
    "live on a monday": "Créneau des lives",
}
"""The rule each move breaks."""


def taken(rows: list[Row]) -> tuple[Row, Row]:
    """A LinkedIn post, and the post of another day of its week: the day asked for. The
    latter is locked so that it cannot make room."""
    return two_posts_of_one_week(rows, "linkedin")


def refused_move(case: str, rows: list[Row]) -> tuple[str, str]:
    """The row moved in that case and the start asked for: a LinkedIn post onto Easter
    Monday, a LinkedIn post onto the day of the locked post, the live onto a Monday."""
    calendar = calendar_of(APRIL)
    mover, locked = taken(rows)
    if case == "holiday":
        post, asked = onto_a_holiday(rows, calendar, "linkedin", besides=[locked["id"]])
        return post["id"], asked
    if case == "day taken":
        clock = another_time(calendar, "linkedin", locked)
        return mover["id"], moment(calendar, day_of(locked), clock)
    lives = calendar.config.channels["skool"].lives
    assert lives is not None and 0 not in lives.days
    monday = pick((d for d in open_days(calendar, "skool") if d.weekday() == 0), "open Monday")
    return the_live(rows)["id"], moment(calendar, monday, lives.window.start)


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_refused_move_is_said_never_silently_undone(
    case: str, planned_april: Path, tmp_path: Path
) -> None:
    """Regression: moves onto Easter Monday, a day that has a post, a Monday for a live were
    undone with "Changements : aucun"."""
    rule = REFUSED[case]
    out = copy_of(planned_april, tmp_path)
    csv = out / "2026-04" / "plan.csv"
    rows = read_rows(csv)
    key, asked = refused_move(case, rows)
    set_cells(csv, key, start=asked, end="")
    set_cells(csv, taken(rows)[1]["id"], status="verrouillé")
    output = replan(out, csv, APRIL_NOW)
    changes = read_rows(out / "2026-04" / "changes.csv")
    [refused] = [r for r in changes if r["changement"] == "refusé"]
    placed = datetime.fromisoformat(row_of(csv, key)["start"])
    assert refused["identifiant"] == key
    assert slot(asked) in refused["avant"]
    assert slot(placed.isoformat()) in refused["après"]
    assert placed != datetime.fromisoformat(asked)
    assert rule in refused["raison"]
    assert "Déplacement refusé" in output and key in output and rule in output


def slot(moment: str) -> str:
    return datetime.fromisoformat(moment).strftime("%d/%m/%Y %H:%M")


def test_two_rows_on_one_slot_are_a_move_like_any_other(
    planned_april: Path, tmp_path: Path
) -> None:
    """Regression: a post moved onto another post's exact slot gave "Aucun plan trouvé dans
    la limite de temps (0 s)": CP-SAT refuses a model that hints a variable twice."""
    out = copy_of(planned_april, tmp_path)
    csv = out / "2026-04" / "plan.csv"
    key, other = (r["id"] for r in two_posts_of_one_week(read_rows(csv), "linkedin"))
    asked = row_of(csv, other)["start"]
    set_cells(csv, key, start=asked, end="")
    replan(out, csv, APRIL_NOW)
    rows = by_id(read_rows(csv))
    assert rows[key]["start"] != rows[other]["start"]
    [change] = [r for r in read_rows(out / "2026-04" / "changes.csv") if r["identifiant"] == key]
    if change["changement"] == "refusé":
        assert slot(asked) in change["avant"] and "Plafond par jour" in change["raison"]
    else:
        assert (change["changement"], slot(asked)) == ("déplacé", slot(rows[key]["start"]))


# --- rows added or deleted by hand ------------------------------------------------------


@pytest.mark.parametrize("typed_id", ["", "mon-post"])
def test_rows_added_by_hand_become_items_with_a_generated_id(
    out: Path, typed_id: str, march: list[Row]
) -> None:
    csv = out / "2026-03" / "plan.csv"
    calendar = calendar_of(MARCH)
    skool = calendar.config.channels["skool"]
    assert skool.types is not None
    question = skool.types["question"].days  # a day of the question's rhythm, if one has room
    day = max(days_with_room(march, calendar, "skool"), key=lambda d: d.weekday() in question)
    clock = skool.times[-1]

    def add(rows: list[dict[str, str]]) -> None:
        row = dict.fromkeys(rows[0], "")
        row.update(id=typed_id, channel="Cercle", kind="post", content_type="Question du jour",
                   start=f"{day:%d/%m/%Y} {clock:%H:%M}", message="Mon post ajouté")  # fmt: skip
        rows.append(row)

    edit_rows(csv, add)
    replan(out, csv, MARCH_NOW)
    [added] = [r for r in read_rows(csv) if r["message"] == "Mon post ajouté"]
    assert added["id"] and added["id"] != typed_id
    assert added["status"] == "planned" and added["start"] == moment(calendar, day, clock)
    assert (added["channel"], added["content_type"]) == ("skool", "question")
    assert "placé à votre demande" in added["why"]
    assert f"{added['id']}@planner.test" in events(out / "2026-03" / "plan.ics")
    plan(out, "2026-03", LATER)
    assert row_of(csv, added["id"])["message"] == "Mon post ajouté"


def test_a_row_added_by_hand_that_the_rules_allow_is_kept(out: Path, march: list[Row]) -> None:
    csv = out / "2026-03" / "plan.csv"
    calendar = calendar_of(MARCH)
    best = calendar.config.audiences["coachs"].best_days  # a day of theirs, if one has room
    day = min(days_with_room(march, calendar, "linkedin"), key=lambda d: d.weekday() not in best)
    start = moment(calendar, day, calendar.config.channels["linkedin"].times[-1])

    def add(rows: list[dict[str, str]]) -> None:
        row = dict.fromkeys(rows[0], "")
        row.update(channel="linkedin", kind="post", audience="coachs", phase="awareness",
                   start=start, message="Mon post ajouté")  # fmt: skip
        rows.append(row)

    edit_rows(csv, add)
    replan(out, csv, MARCH_NOW)
    [added] = [r for r in read_rows(csv) if r["message"] == "Mon post ajouté"]
    assert added["status"] == "planned"


def test_a_deleted_row_is_cancelled_in_calendars(out: Path, post: str) -> None:
    csv = out / "2026-03" / "plan.csv"
    edit_rows(csv, lambda rows: rows.remove(by_id(rows)[post]))
    replan(out, csv, MARCH_NOW)
    event = events(out / "2026-03" / "plan.ics")[f"{post}@planner.test"]
    assert (str(event["STATUS"]), event["SEQUENCE"]) == ("CANCELLED", 1)
    [removed] = [r for r in read_rows(out / "2026-03" / "changes.csv") if r["identifiant"] == post]
    assert removed["changement"] == "retiré"


# --- files refused, nothing written -----------------------------------------------------


@pytest.mark.parametrize("content", ["empty", "bom only", "header only"])
@pytest.mark.parametrize("where", ["folder", "download"])
def test_an_empty_or_header_only_file_is_refused(
    out: Path, tmp_path: Path, content: str, where: str
) -> None:
    """Regression: a plan.csv holding only its header was read as "cancel everything"."""
    csv = out / "2026-03" / "plan.csv"
    header = csv.read_bytes().split(b"\r\n")[0] + b"\r\n"
    target = csv if where == "folder" else tmp_path / "plan.csv"
    target.write_bytes({"empty": b"", "bom only": b"\xef\xbb\xbf", "header only": header}[content])
    before = snapshot(out)
    code, output = planner("replan", "--config", MINIMAL, "--plan", target,
                           "--now", MARCH_NOW, "--out", out)  # fmt: skip
    assert code == 2, output
    assert target.name in output and "Traceback" not in output
    assert snapshot(out) == before
    if where == "folder":
        code, output = plan_code(out, "2026-03", MARCH_NOW)
        assert code == 2, output
        assert snapshot(out) == before


def plan_code(out: Path, month: str, now: str) -> tuple[int, str]:
    return planner("plan", "--config", MINIMAL, "--month", month, "--now", now, "--out", out)


def test_a_stray_windows_1252_byte_is_refused_naming_row_and_column(out: Path, post: str) -> None:
    """Regression: one Windows-1252 byte made the whole file decode as Windows-1252 and
    published rows were re-exported garbled."""
    csv = out / "2026-03" / "plan.csv"
    set_cells(csv, post, status="publié", message="Café")
    raw = csv.read_bytes()
    csv.write_bytes(raw.replace("Café".encode(), b"Caf\xe9", 1))
    before = snapshot(out)
    code, output = plan_code(out, "2026-03", MARCH_NOW)
    assert code == 2, output
    row = 1 + raw[: raw.index("Café".encode())].count(b"\r\n")
    assert f"ligne {row}" in output and "message" in output
    assert snapshot(out) == before


# --- a download -------------------------------------------------------------------------


@pytest.fixture
def download(out: Path, tmp_path: Path) -> Path:
    """plan.csv as saved from Google Sheets in the user's downloads, next to their files
    and a link to another folder."""
    folder = tmp_path / "Téléchargements"
    folder.mkdir()
    (folder / "notes.txt").write_text("mes notes\n", encoding="utf-8")
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text("à moi\n", encoding="utf-8")
    (folder / "lien").symlink_to(elsewhere, target_is_directory=True)
    path = folder / "plan (1).csv"
    shutil.copyfile(out / "2026-03" / "plan.csv", path)
    return path


def test_a_download_replans_through_its_ids_and_writes_nothing_beside_it(
    out: Path, download: Path, post: str
) -> None:
    """Regression: replan of a download copied every file of its folder (links followed)
    into history/."""
    set_cells(download, post, status="publié", message="Publié à la main")
    folder = download.parent
    before = snapshot(folder)
    listing = sorted(p.name for p in folder.iterdir())
    replan(out, download, MARCH_NOW)
    assert snapshot(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == listing
    assert sorted(p.name for p in (folder / "lien").iterdir()) == ["secret.txt"]
    row = row_of(out / "2026-03" / "plan.csv", post)
    assert (row["status"], row["message"]) == ("published", "Publié à la main")
    assert not (out / "history").exists()


def test_a_cancelled_live_in_a_download_stays_cancelled(
    out: Path, download: Path, march: list[Row], live: str, post: str
) -> None:
    """Regression: a replan of a download re-added the cancelled live on the very slot the
    user cancelled. The download is kept in Google Sheets and downloaded again after
    later runs: rows planner changed since are not the user's word."""
    set_cells(download, live, status="annulé")
    replan(out, download, MARCH_NOW)
    first = events(out / "2026-03" / "plan.ics")
    assert str(first[f"{live}@planner.test"]["STATUS"]) == "CANCELLED"
    assert first[f"{live}@planner.test"]["SEQUENCE"] == 1
    set_cells(download, post, message="Encore une retouche")  # edited again, downloaded again
    replan(out, download, LATER)
    plan(out, "2026-03", LATER)
    final = events(out / "2026-03" / "plan.ics")
    assert set(first) <= set(final)
    assert str(final[f"{live}@planner.test"]["STATUS"]) == "CANCELLED"
    assert final[f"{live}@planner.test"]["SEQUENCE"] == 1
    lives = [e for e in final.values() if "LIVE" in str(e["SUMMARY"])]
    active = [e for e in lives if str(e["STATUS"]) == "CONFIRMED"]
    assert len(active) == 1
    assert active[0]["DTSTART"].dt.date() != day_of(by_id(march)[live])
    for uid, event in first.items():  # nothing planner placed since came back or went
        assert str(final[uid]["STATUS"]) == str(event["STATUS"]), uid
    assert row_of(out / "2026-03" / "plan.csv", post)["message"] == "Encore une retouche"


# --- the user's layout ------------------------------------------------------------------


def test_user_columns_and_semicolons_are_kept(out: Path, post: str, skool: str) -> None:
    csv = out / "2026-03" / "plan.csv"
    rows = read_rows(csv)
    for row in rows:
        row["Relu par"] = "Julie" if row["id"] == post else ""
    write_rows(csv, rows, delimiter=";")
    plan(out, "2026-03", LATER)
    assert csv.read_bytes().split(b"\r\n")[0].endswith(b";Relu par")
    rows = read_rows(csv, delimiter=";")
    assert by_id(rows)[post]["Relu par"] == "Julie"
    set_cells(csv, skool, ";", status="publié")
    plan(out, "2026-03", LATER)
    rows = by_id(read_rows(csv, delimiter=";"))
    assert (rows[post]["Relu par"], rows[skool]["status"]) == ("Julie", "published")
    plan(out, "2026-04", APRIL_NOW)
    assert by_id(read_rows(csv, delimiter=";"))[post]["Relu par"] == "Julie"


# --- what a spreadsheet program does to texts it re-saves --------------------------------

EMOJI_TEXT = "Lancement 🎉 → inscriptions ouvertes\nDeuxième ligne"


def resave(csv: Path, encoding: str, text: Callable[[str], str] = lambda t: t) -> None:
    """plan.csv saved again by a spreadsheet program: every cell through `text`, `;` and
    CRLF, in `encoding` (characters it cannot hold become « ? », as Excel does)."""
    rows = [{k: text(v) for k, v in row.items()} for row in read_rows(csv)]
    write_rows(csv, rows, delimiter=";")
    csv.write_bytes(csv.read_text(encoding="utf-8").encode(encoding, errors="replace"))


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1252", lambda t: t),
        ("utf-8", lambda t: unicodedata.normalize("NFD", t)),
        ("utf-8", lambda t: t.replace("\n", "\r\n")),
    ],
    ids=["windows-1252", "nfd", "crlf-in-cells"],
)
def test_a_resaved_file_is_not_read_as_edits(
    out: Path, post: str, encoding: str, text: Callable[[str], str]
) -> None:
    """Excel's « CSV (point-virgule) » is Windows-1252, macOS decomposes accents and Windows
    ends lines inside cells with CRLF: none of it is the user's word. Read as edits, they
    took every text with an emoji or an accent as typed (« Lancement ? ? inscriptions »)
    and sent it on to the calendars."""
    csv = out / "2026-03" / "plan.csv"
    set_cells(csv, post, message=EMOJI_TEXT, description=f"Préparé à l'été\n{EMOJI_TEXT}")
    plan(out, "2026-03", LATER)
    before = {k: v for k, v in snapshot(out).items() if k.endswith((".ics", "plan.xlsx"))}
    owned_before = stored(out)[0][post].owned
    resave(csv, encoding, text)
    output = plan(out, "2026-03", LATER)
    assert "Changements : aucun" in output, output
    row = row_of_any(csv, post)
    assert (row["message"], row["description"]) == (EMOJI_TEXT, f"Préparé à l'été\n{EMOJI_TEXT}")
    assert stored(out)[0][post].owned == owned_before
    after = {k: v for k, v in snapshot(out).items() if k.endswith((".ics", "plan.xlsx"))}
    assert after == before


def test_a_text_typed_in_a_resaved_file_is_still_an_edit(out: Path, post: str) -> None:
    csv = out / "2026-03" / "plan.csv"
    set_cells(csv, post, message="Réunion d'été ?")
    resave(csv, "cp1252")
    plan(out, "2026-03", LATER)
    assert row_of_any(csv, post)["message"] == "Réunion d'été ?"


def row_of_any(csv: Path, item_id: str) -> Row:
    """A row of plan.csv in whichever encoding and separator the last save kept."""
    data = csv.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    delimiter = ";" if text.split("\n")[0].count(";") > 3 else ","
    rows = list(DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    return by_id(rows)[item_id]


def test_a_missing_column_of_plan_xlsx_is_named_by_its_title(out: Path) -> None:
    """plan.xlsx shows French titles: « colonne « start » manquante » named a column the
    user never saw."""
    xlsx = out / "2026-03" / "plan.xlsx"
    book = load_workbook(xlsx)
    sheet = book["Plan"]
    titles = [c.value for c in sheet[1]]
    sheet.delete_cols(titles.index(COLUMN_TITLES["start"]) + 1)
    book.save(xlsx)
    code, output = planner(
        "replan", "--config", MINIMAL, "--plan", xlsx, "--now", LATER, "--out", out
    )
    assert code == 2, output
    assert f"colonne « {COLUMN_TITLES['start']} » manquante" in output


def test_dates_of_plan_xlsx_shown_as_numbers_are_read_as_dates(out: Path) -> None:
    """A Début or Fin column formatted « Standard » shows, and saves, each date as the
    number of days since 30/12/1899 (46402.354166 is 15/01/2027 08:30): it was refused as
    « date illisible »."""
    xlsx = out / "2026-03" / "plan.xlsx"
    book = load_workbook(xlsx)
    sheet = book["Plan"]
    titles = [c.value for c in sheet[1]]
    day_zero = datetime(1899, 12, 30)
    for code in ("start", "end"):
        column = titles.index(COLUMN_TITLES[code]) + 1
        for row in range(2, sheet.max_row + 1):
            cell = sheet.cell(row, column)
            if isinstance(cell.value, datetime):
                cell.value = (cell.value - day_zero).total_seconds() / 86400
                cell.number_format = "General"
    book.save(xlsx)
    output = replan(out, xlsx, LATER)
    assert "Changements : aucun" in output, output


# --- ends and phases typed on planned rows (default rules, January 2027) ---------------

JANUARY, JANUARY_NOW = "2027-01", "2026-12-15T09:00"


@pytest.fixture(scope="module")
def planned_january(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("january")
    plan(out, JANUARY, JANUARY_NOW, config=INPUTS)
    return out


def _january(planned_january: Path, tmp_path: Path) -> tuple[Path, Path, list[Row]]:
    out = copy_of(planned_january, tmp_path)
    csv = out / JANUARY / "plan.csv"
    return out, csv, read_rows(csv)


def _changes_of(out: Path, key: str, month: str = JANUARY) -> list[Row]:
    return [r for r in read_rows(out / month / "changes.csv") if r["identifiant"] == key]


@pytest.mark.parametrize("where", ["plan.csv", "plan.xlsx"])
@pytest.mark.parametrize("kind", ["post", "live"])
def test_an_end_typed_on_a_planned_row_is_refused_naming_its_rule(
    planned_january: Path, tmp_path: Path, where: str, kind: str
) -> None:
    """Regression: a new end on a planned row went back with "Changements : aucun" and an
    empty changes.csv. A post lasts its channel's duration, a live its format's: the end is
    refused, visibly, with that rule."""
    out, csv, rows = _january(planned_january, tmp_path)
    row = scheduled(rows, kind, "linkedin" if kind == "post" else "skool")[-1]
    key, start, end = row["id"], start_of(row), datetime.fromisoformat(row["end"])
    asked = end + timedelta(minutes=60)
    if where == "plan.csv":
        set_cells(csv, key, end=asked.isoformat())
    else:
        set_xlsx(out / JANUARY / "plan.xlsx", key, end=asked.replace(tzinfo=None))
    output = plan(out, JANUARY, JANUARY_NOW, config=INPUTS)
    assert "Changements : aucun" not in output
    assert "Modification refusée" in output and key in output
    [refused] = _changes_of(out, key)
    assert refused["changement"] == "refusé"
    assert slot(asked.isoformat()) in refused["avant"] and slot(row["end"]) in refused["après"]
    assert "fin refusée" in refused["raison"] and "Heures candidates" in refused["raison"]
    assert f"{round((end - start).total_seconds() / 60)} min" in refused["raison"]
    assert row_of(csv, key)["end"] == row["end"]
    assert "Aucun changement" not in (out / JANUARY / "report.md").read_text(encoding="utf-8")
    assert "Changements : aucun" in plan(out, JANUARY, JANUARY_NOW, config=INPUTS)


def _journey_post(rows: list[Row]) -> tuple[Row, str]:
    """A LinkedIn post of the audience with the most posts, and another phase that the month
    already gives that audience (so it is open)."""
    posts = [r for r in scheduled(rows, "post", "linkedin") if not r["parent"]]
    audience = max(
        {r["audience"] for r in posts}, key=lambda a: sum(r["audience"] == a for r in posts)
    )
    mine = [r for r in posts if r["audience"] == audience]
    row = mine[len(mine) // 2]
    other = pick(
        sorted({r["phase"] for r in mine} - {row["phase"]}), f"another open phase of {audience}"
    )
    return row, other


def test_a_phase_the_audience_has_open_is_kept_as_the_users_choice(
    planned_january: Path, tmp_path: Path
) -> None:
    """Regression: awareness -> decision on a planned post was silently undone. The phase is
    kept; the month's phase mix makes room for it (another post may change phase, and says
    why)."""
    out, csv, rows = _january(planned_january, tmp_path)
    row, phase = _journey_post(rows)
    set_cells(csv, row["id"], phase=phase)
    output = plan(out, JANUARY, JANUARY_NOW, config=INPUTS)
    assert "Changements : aucun" not in output
    after = row_of(csv, row["id"])
    assert (after["phase"], after["start"]) == (phase, row["start"])
    [change] = _changes_of(out, row["id"])
    assert change["changement"] == "modifié"
    assert "modifié à votre demande : phase" in change["raison"]
    before = by_id(rows)
    for other in read_rows(out / JANUARY / "changes.csv"):
        key = other["identifiant"]
        if key != row["id"] and key in before and "phase" in other["raison"]:
            assert "Mix de phases" in other["raison"] and row["id"] in other["raison"]
    assert "Changements : aucun" in plan(out, JANUARY, JANUARY_NOW, config=INPUTS)
    assert row_of(csv, row["id"])["phase"] == phase


def test_a_phase_not_open_yet_is_refused_naming_its_rule(tmp_path: Path) -> None:
    """Regression: a phase of the audience's journey that is not open yet in the month made
    an internal error (no message rotation); it is refused like a move, naming its rule, and
    the run goes on. (A phase the journey lacks is a typing error: exit 2,
    tests/test_plannable_edits.py.) April 2026 is month 4 of the default campaign, when
    journeys still have phases to open."""
    out, month = tmp_path / "out", 4
    plan(out, "2026-04", "2026-03-20T09:00", config=INPUTS)
    csv = out / "2026-04" / "plan.csv"
    config = load_config(INPUTS).config
    posts = [r for r in scheduled(read_rows(csv), "post", "linkedin") if not r["parent"]]
    row, typed = pick(
        (
            (r, stage.phase)
            for r in posts
            for stage in config.journeys[r["audience"]].stages
            if stage.months.start > month
        ),
        "a post whose journey has a phase that opens after April 2026",
    )
    set_cells(csv, row["id"], phase=typed)
    output = plan(out, "2026-04", "2026-03-20T09:00", config=INPUTS)
    assert "Modification refusée" in output and row["id"] in output
    changes = _changes_of(out, row["id"], "2026-04")
    [refused] = [r for r in changes if r["changement"] == "refusé"]
    assert "phase refusée" in refused["raison"]
    assert "Phases ouvertes du parcours" in refused["raison"]
    assert row_of(csv, row["id"])["phase"] == row["phase"]


def test_a_new_audience_says_what_else_changed_with_it(
    planned_january: Path, tmp_path: Path
) -> None:
    """Regression: a post given another audience also took another phase, format, message
    and title, and changes.csv said only "déplacé"."""
    out, csv, rows = _january(planned_january, tmp_path)
    config = load_config(INPUTS).config
    coachs = config.audiences["coachs"]
    row = pick(
        (
            r
            for r in scheduled(rows, "post", "linkedin")
            if r["audience"] == "of" and not r["parent"] and start_of(r).day > 7
            and start_of(r).weekday() not in coachs.best_days
        ),
        "a post for OF off the coaches' best days",
    )  # fmt: skip
    set_cells(csv, row["id"], audience="coachs")
    plan(out, JANUARY, JANUARY_NOW, config=INPUTS)
    after = row_of(csv, row["id"])
    [change] = [r for r in _changes_of(out, row["id"]) if r["changement"] != "refusé"]
    assert "audience" in change["raison"]
    shown = {"phase": "phase", "format": "format", "message": "message", "title": "titre"}
    for field, word in shown.items():
        if after[field] != row[field]:
            assert word in change["raison"], (field, change)


def test_a_row_added_with_a_format_of_its_phase_takes_that_formats_type(
    planned_january: Path, tmp_path: Path
) -> None:
    """A LinkedIn row added with its phase's format (« Post texte ») but no type was
    reported as breaking « Cinq points de contrôle » (« format « Post texte » () absent de la
    phase »): the format's type is the journey's."""
    out, csv, rows = _january(planned_january, tmp_path)
    config = load_config(INPUTS).config
    [stage] = [s for s in config.journeys["of"].stages if s.phase == "awareness"]
    shape = stage.formats[0]
    added = dict.fromkeys(rows[0], "") | {
        "channel": "linkedin",
        "kind": "post",
        "start": "2027-01-16T09:00:00+01:00",
        "audience": "of",
        "phase": "awareness",
        "format": shape.label,
        "message": "Notre message à nous",
        "title": "Notre titre",
        "status": "verrouillé",
    }
    write_rows(csv, [*rows, added])
    output = replan(out, csv, JANUARY_NOW, config=INPUTS)
    assert "Cinq points de contrôle" not in output, output
    [row] = [r for r in read_rows(csv) if r["title"] == "Notre titre"]
    assert (row["format"], row["content_type"], row["status"]) == (
        shape.label,
        shape.type,
        "locked",
    )


def test_the_users_own_xlsx_columns_come_back_as_a_french_sheet_shows_them(
    out: Path, post: str
) -> None:
    """The user's columns of plan.xlsx are kept as text: a tick box came back as the English
    « True », a date as « 2027-01-03 00:00:00 », a share as « 0.25 »."""
    xlsx = out / "2026-03" / "plan.xlsx"
    book = load_workbook(xlsx)
    sheet = book["Plan"]
    titles = [c.value for c in sheet[1]]
    ids = titles.index(COLUMN_TITLES["id"]) + 1
    [row] = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, ids).value == post]
    typed = {"Validé": True, "Relu le": datetime(2026, 3, 2), "Part": 0.25, "Refusé": False}
    for n, (title, value) in enumerate(typed.items(), start=len(titles) + 1):
        sheet.cell(1, n).value = title
        sheet.cell(row, n).value = value
    book.save(xlsx)
    later_runs(out)
    shown = by_id(read_rows(out / "2026-03" / "plan.csv"))[post]
    assert {k: shown[k] for k in typed} == {
        "Validé": "VRAI",
        "Relu le": "02/03/2026",
        "Part": "0,25",
        "Refusé": "FAUX",
    }


def test_a_ritual_added_before_a_published_one_takes_the_other_message(
    planned_january: Path, tmp_path: Path
) -> None:
    """The month's « Membre à l'honneur » published and moved out of its window: the new one
    planned in the window took the published one's message (two messages in the list), and
    the run then warned « Rotation des messages … deux fois de suite »."""
    out, csv, rows = _january(planned_january, tmp_path)
    config = load_config(INPUTS).config
    [ritual] = [k for k, r in config.channels["skool"].rituals.items() if r.kind == "post"][:1]
    [row] = [r for r in rows if r["content_type"] == ritual and r["kind"] == "post"]
    later = datetime.fromisoformat(row["start"]) + timedelta(days=7)
    set_cells(csv, row["id"], status="publié", start=later.isoformat(), end="")
    output = replan(out, csv, JANUARY_NOW, config=INPUTS)
    assert "Rotation des messages" not in output, output
    same = [r for r in read_rows(csv) if r["content_type"] == ritual and r["status"] != "cancelled"]
    assert len(same) == 2, same
    assert same[0]["message"] != same[1]["message"], same


def test_a_stale_copy_does_not_undo_a_later_move_nor_refuse_its_end(
    planned_january: Path, tmp_path: Path
) -> None:
    """A copy of plan.xlsx kept from before a move, edited elsewhere and re-planned: its
    untouched end of the moved row was checked against the row's new start and refused
    (« la fin … n'est pas après le début »)."""
    out, csv, rows = _january(planned_january, tmp_path)
    xlsx = out / JANUARY / "plan.xlsx"
    stale = tmp_path / "copie.xlsx"
    shutil.copy2(xlsx, stale)
    posts = [r for r in scheduled(rows, "post", "linkedin") if not r["parent"]]
    taken = {datetime.fromisoformat(r["start"]).date() for r in posts}

    def next_day_free(row: Row) -> bool:
        day = datetime.fromisoformat(row["start"]).date() + timedelta(days=1)
        return day.weekday() < 5 and day not in taken  # the same week, a working day

    moved = pick((r for r in posts if next_day_free(r)), "a post whose next day is free")
    locked = posts[-1] if posts[-1] is not moved else posts[0]
    start = datetime.fromisoformat(moved["start"]).replace(tzinfo=None) + timedelta(days=1)
    end = datetime.fromisoformat(moved["end"]).replace(tzinfo=None) + timedelta(days=1)
    set_xlsx(xlsx, moved["id"], start=start, end=end)
    replan(out, xlsx, JANUARY_NOW, config=INPUTS)
    now_at = row_of(csv, moved["id"])["start"]
    assert now_at != moved["start"]  # the move held
    set_xlsx(stale, locked["id"], status="Verrouillé")
    replan(out, stale, JANUARY_NOW, config=INPUTS)
    after = by_id(read_rows(csv))
    assert after[locked["id"]]["status"] == "locked"
    assert after[moved["id"]]["start"] == now_at


QUARTER = "2027-01-01_2027-03-31"


@pytest.fixture(scope="module")
def planned_quarter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("quarter")
    code, output = planner(
        "plan", "--config", INPUTS, "--from", "2027-01-01", "--to", "2027-03-31",
        "--now", JANUARY_NOW, "--out", out,
    )  # fmt: skip
    assert code == 0, output
    return out


def teased_live(rows: list[Row]) -> Row:
    """A live of the quarter after the first whose format has a step of its own before it
    (the masterclass's LinkedIn teaser): moving it moves posts on two channels."""
    rules = load_config(INPUTS).config.channels["skool"].lives
    assert rules is not None
    teased = {f for s in rules.sequence if s.formats and s.days.start < 0 for f in s.formats}
    lives = [r for r in rows if r["kind"] == "live"]
    return pick(
        (r for r in lives[1:] if r["content_type"] in teased),
        "a live whose format has a step of its own before it (a teaser)",
    )


def test_the_steps_of_a_live_the_user_moved_say_their_live_moved(
    planned_quarter: Path, tmp_path: Path
) -> None:
    """A locked live moved by hand keeps its new date; its steps planned around the old one
    are replaced, and changes.csv said « son live est retiré » of them although it stands."""
    out = copy_of(planned_quarter, tmp_path)
    csv = out / QUARTER / "plan.csv"
    live = teased_live(read_rows(csv))
    start = datetime.fromisoformat(live["start"]) - timedelta(days=12)
    set_cells(csv, live["id"], status="verrouillé", start=start.isoformat(), end="")
    replan(out, csv, JANUARY_NOW, config=INPUTS)
    steps = {r["id"] for r in read_rows(csv) if r["parent"] == live["id"]}
    removed = [
        r for r in read_rows(out / QUARTER / "changes.csv")
        if r["changement"] == "retiré" and r["identifiant"] in steps
    ]  # fmt: skip
    assert removed
    assert all("son live a changé" in r["raison"] for r in removed), removed


def test_a_live_moved_by_hand_stays_and_its_steps_follow_it(
    planned_quarter: Path, tmp_path: Path
) -> None:
    """A live moved in the spreadsheet two days later, a day its rules allow, was put back:
    its announcement, teaser and replay moving with it counted as changes of the plan and
    outweighed the user's one move (« meilleur plan d'ensemble »)."""
    out = copy_of(planned_quarter, tmp_path)
    csv = out / QUARTER / "plan.csv"
    rows = read_rows(csv)
    rules = load_config(INPUTS).config.channels["skool"].lives
    assert rules is not None
    live = teased_live(rows)
    days = [datetime.fromisoformat(r["start"]) for r in rows if r["kind"] == "live"]
    start = datetime.fromisoformat(live["start"])

    def allowed(moment: datetime) -> bool:
        others = [d for d in days if d != start]
        far = all(abs((moment.date() - d.date()).days) >= rules.min_gap_days for d in others)
        return moment.weekday() in rules.days and far

    moves = [start + timedelta(days=n) for n in (2, -2, 1, -1, 7, -7)]
    wanted = pick((m for m in moves if allowed(m)), "another day the live's rules allow")
    set_cells(csv, live["id"], start=wanted.isoformat(), end="")
    output = replan(out, csv, JANUARY_NOW, config=INPUTS)
    assert "Déplacement refusé" not in output, output
    after = by_id(read_rows(csv))
    assert datetime.fromisoformat(after[live["id"]]["start"]) == wanted
    changes = {r["identifiant"]: r for r in read_rows(out / QUARTER / "changes.csv")}
    assert "déplacé à votre demande" in changes[live["id"]]["raison"]
    steps = [r for r in after.values() if r["parent"] == live["id"] and r["status"] != "cancelled"]
    assert steps and all(
        r["id"] not in changes
        or "suit son live" in changes[r["id"]]["raison"]
        or changes[r["id"]]["changement"] == "ajouté"
        for r in steps
    )


def test_a_refused_move_leaves_the_posts_content_alone(
    planned_january: Path, tmp_path: Path
) -> None:
    """A move to a time the channel does not have is refused; the post went back to its
    slot with another phase, format, message and title (« modifié : phase, type, … »)."""
    out, csv, rows = _january(planned_january, tmp_path)
    posts = [r for r in scheduled(rows, "post", "linkedin") if not r["parent"]]
    post = posts[0]
    odd = datetime.fromisoformat(post["start"]) + timedelta(minutes=15)
    set_cells(csv, post["id"], start=odd.isoformat(), end="")
    output = replan(out, csv, JANUARY_NOW, config=INPUTS)
    assert "Déplacement refusé" in output and post["id"] in output
    after = row_of(csv, post["id"])
    fields = ("start", "phase", "content_type", "format", "message", "title")
    assert {k: after[k] for k in fields} == {k: post[k] for k in fields}


def test_the_phase_typed_on_an_added_row_is_kept_or_refused_never_replaced(
    planned_january: Path, tmp_path: Path
) -> None:
    """A LinkedIn row added with an audience and a phase came out with another phase and no
    word of it when another edit of the same run made room tight (a locked post)."""
    out, csv, rows = _january(planned_january, tmp_path)
    posts = [r for r in scheduled(rows, "post", "linkedin") if not r["parent"]]
    set_cells(csv, posts[len(posts) // 2]["id"], status="verrouillé")
    config = load_config(INPUTS).config
    audience = "coachs"
    phase = config.journeys[audience].stages[0].phase
    last = max(datetime.fromisoformat(r["start"]) for r in posts)
    added = dict.fromkeys(rows[0], "") | {
        "channel": "linkedin",
        "kind": "post",
        "start": (last - timedelta(days=5)).replace(hour=9, minute=0).isoformat(),
        "audience": audience,
        "phase": phase,
        "title": "Ajout Alice",
    }
    write_rows(csv, [*read_rows(csv), added])
    replan(out, csv, JANUARY_NOW, config=INPUTS)
    [row] = [r for r in read_rows(csv) if r["title"] == "Ajout Alice"]
    if row["phase"] != phase:
        said = [r for r in _changes_of(out, row["id"]) if r["changement"] == "refusé"]
        assert any("phase refusée" in r["raison"] for r in said), said


def test_a_row_removed_in_a_busy_replan_is_cancelled_where_calendars_have_it(
    planned_january: Path, tmp_path: Path
) -> None:
    """Many edits at once, one of them a post moved to a Sunday: the post was removed
    rather than put back, and cancelled at the Sunday the user typed, so « À supprimer à la
    main dans Google Agenda » named a date where the calendar had no event."""
    out, csv, rows = _january(planned_january, tmp_path)
    first = by_id(rows)
    posts = [r for r in scheduled(rows, "post", "linkedin") if not r["parent"]]
    skool = [r for r in scheduled(rows, "post", "skool") if not r["parent"]]
    moved = datetime.fromisoformat(posts[1]["start"])
    sunday = moved + timedelta(days=6 - moved.weekday())
    cancelled_by_user = posts[-4]["id"]
    deleted = posts[-1]["id"]
    edits = {
        posts[1]["id"]: {"start": sunday.isoformat()},
        posts[3]["id"]: {
            "start": (datetime.fromisoformat(posts[3]["start"]) - timedelta(days=1)).isoformat(),
            "end": "",
        },
        posts[-3]["id"]: {"status": "locked"},
        skool[1]["id"]: {"status": "published"},
        cancelled_by_user: {"status": "cancelled"},
        posts[-2]["id"]: {"message": "Mon message à moi", "title": "Mon titre à moi"},
    }
    kept = [r | edits.get(r["id"], {}) for r in rows if r["id"] != deleted]
    added = dict.fromkeys(rows[0], "") | {
        "channel": "linkedin",
        "kind": "post",
        "start": "2027-01-23T09:00:00+01:00",
        "audience": "coachs",
        "phase": "consideration",
    }
    write_rows(csv, [*kept, added])
    output = plan(out, JANUARY, JANUARY_NOW, config=INPUTS)
    for row in read_rows(csv):
        was = first.get(row["id"])
        if row["status"] != "cancelled" or was is None or row["id"] in (cancelled_by_user, deleted):
            continue
        assert row["start"] == was["start"], (row["id"], row["start"], was["start"])
        shown = datetime.fromisoformat(was["start"]).strftime("%d/%m/%Y %H:%M")
        assert f"({shown})" in output


def test_a_time_the_channel_does_not_have_goes_to_the_nearest_one(
    planned_january: Path, tmp_path: Path
) -> None:
    """README: a refused move is placed « au plus près ». A post typed at an hour its channel
    does not have went back to its own hour, hours away, where the channel's nearest hour
    that day was free: the model offered each day only the audience's preferred hours."""
    out, csv, rows = _january(planned_january, tmp_path)
    times = load_config(INPUTS).config.channels["linkedin"].times
    post = next(r for r in scheduled(rows, "post", "linkedin") if not r["parent"])
    start = datetime.fromisoformat(post["start"])
    latest = max(times)
    asked = start.replace(hour=latest.hour, minute=latest.minute) + timedelta(minutes=50)
    assert asked.date() == start.date() and asked.time() not in times
    set_cells(csv, post["id"], start=asked.isoformat(), end="")
    output = replan(out, csv, JANUARY_NOW, config=INPUTS)
    assert "Déplacement refusé" in output
    placed = datetime.fromisoformat(row_of(csv, post["id"])["start"])
    assert placed.date() == start.date()
    assert placed.time() == latest, (placed, asked)
