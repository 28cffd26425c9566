"""Helpers for the tests of a plan's life (issue 10): run the CLI on a workspace as a user
would, edit its spreadsheets by hand, and read back its calendars and its store; pick the
items a test works on by their role in the plan the solver produced."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from itertools import combinations
from pathlib import Path
from typing import TypeVar

from icalendar import Calendar as ICalendar
from icalendar import Event
from typer.testing import CliRunner

from planner.calendar import Calendar, Horizon, monday_of
from planner.checks import Violation, check_plan
from planner.cli import app
from planner.config import load_config
from planner.coverage import Coverage
from planner.store.database import STORE_NAME, connect
from planner.store.records import Records, Stored
from tests.conftest import MINIMAL

Row = dict[str, str]
T = TypeVar("T")


def planner(*args: object) -> tuple[int, str]:
    """The `planner` command in this process: exit code and everything it printed."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def plan(out: Path, month: str, now: str, *extra: object, config: Path = MINIMAL) -> str:
    """`planner plan --month`, which must succeed; its console output."""
    code, output = planner(
        "plan", "--config", config, "--month", month, "--now", now, "--out", out, *extra
    )
    assert code == 0, output
    return output


def replan(out: Path, file: Path, now: str, *extra: object, config: Path = MINIMAL) -> str:
    """`planner replan --plan FILE`, which must succeed; its console output."""
    code, output = planner(
        "replan", "--config", config, "--plan", file, "--now", now, "--out", out, *extra
    )
    assert code == 0, output
    return output


def copy_of(workspace: Path, tmp_path: Path) -> Path:
    """A test's own copy of a workspace planned once for its module: `tmp_path / "out"`."""
    out = tmp_path / "out"
    shutil.copytree(workspace, out, symlinks=True)
    return out


def read_rows(path: Path, delimiter: str = ",") -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def write_rows(path: Path, rows: list[Row], delimiter: str = ",") -> None:
    """Save rows as a spreadsheet would (header from the first row, CRLF lines)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, list(rows[0]), delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


def edit_rows(path: Path, change: Callable[[list[Row]], None], delimiter: str = ",") -> None:
    rows = read_rows(path, delimiter)
    change(rows)
    write_rows(path, rows, delimiter)


def by_id(rows: list[Row]) -> dict[str, Row]:
    return {r["id"]: r for r in rows}


def row_of(path: Path, item_id: str) -> Row:
    return by_id(read_rows(path))[item_id]


def set_cells(path: Path, item_id: str, delimiter: str = ",", **cells: str) -> None:
    """Type these cells in one row of a plan.csv (an empty `end` follows the new start)."""

    def change(rows: list[Row]) -> None:
        [row] = [r for r in rows if r["id"] == item_id]
        row.update(cells)

    edit_rows(path, change, delimiter)


def events(path: Path) -> dict[str, Event]:
    """The events of an .ics file, by UID."""
    calendar = ICalendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (links not followed), by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def stored(out: Path) -> tuple[dict[str, Stored], Coverage]:
    """The store's items as they are now, and the days its runs covered."""
    path = out / STORE_NAME
    records = Records(connect(path, create=False), path)
    try:
        return records.current(), records.coverage()
    finally:
        records.db.close()


def violations(out: Path, config: Path = MINIMAL) -> list[Violation]:
    """Every hard-rule violation of the store's whole plan, by the solver-free checker."""
    current, coverage = stored(out)
    items = [s.item for s in current.values()]
    owned = frozenset((k, f) for k, s in current.items() for f in s.owned)
    return check_plan(load_config(config).config, items, coverage, owned)


# --- roles ------------------------------------------------------------------------------
# A test names the items it works on by what they are in the plan the solver produced (the
# month's live, a LinkedIn post of its second week, two posts of one week), never by the id
# the solver happened to give them: another equally good plan leaves the test true. Each
# picker fails loudly (LookupError) when the plan has no such item.


def start_of(row: Row) -> datetime:
    return datetime.fromisoformat(row["start"])


def day_of(row: Row) -> date:
    return start_of(row).date()


def scheduled(rows: Iterable[Row], kind: str, channel: str | None = None) -> list[Row]:
    """The rows of that kind (and channel) that are not cancelled, in time order; for posts,
    only those of the journey or the channel's types (not a step of a live or campaign)."""
    found = [
        r
        for r in rows
        if r["kind"] == kind
        and r["status"] != "cancelled"
        and (channel is None or r["channel"] == channel)
        and not (kind == "post" and r.get("parent"))
    ]
    return sorted(found, key=start_of)


def pick(found: Iterable[T], what: str) -> T:
    """The first of these; `what` names the role in the error when there is none."""
    for thing in found:
        return thing
    raise LookupError(f"found no {what}")


def the_live(rows: Iterable[Row]) -> Row:
    """The month's live (the minimal config plans one a month)."""
    lives = scheduled(rows, "live")
    if len(lives) != 1:
        raise LookupError(f"the plan has {len(lives)} lives, not one")
    return lives[0]


def preparation_of(rows: Iterable[Row], live: str) -> Row:
    """The preparation task of a live."""
    return pick(
        (r for r in scheduled(rows, "task") if r["parent"] == live),
        f"preparation task of {live}",
    )


def a_post(rows: Iterable[Row], channel: str, month: str) -> Row:
    """A post of that channel away from the month's edges and the rules that straddle two
    months: its first one from the month's second Monday on."""
    second = [d for d in month_horizon(month).days() if d.weekday() == 0][1]
    return pick(
        (r for r in scheduled(rows, "post", channel) if day_of(r) >= second),
        f"{channel} post from {second}",
    )


def two_posts_of_one_week(
    rows: Iterable[Row], channel: str, besides: Iterable[str] = ()
) -> tuple[Row, Row]:
    """Two posts of that channel on two days of one week (the month's first such pair), none
    of them in `besides`: moving one onto the other's day changes no weekly count."""
    skip = set(besides)
    posts = [r for r in scheduled(rows, "post", channel) if r["id"] not in skip]
    return pick(
        (
            (a, b)
            for a, b in combinations(posts, 2)
            if day_of(a) != day_of(b) and monday_of(day_of(a)) == monday_of(day_of(b))
        ),
        f"two {channel} posts on two days of one week",
    )


# --- days and moments of a month, from the config ---------------------------------------


def month_horizon(month: str) -> Horizon:
    year, number = (int(part) for part in month.split("-"))
    return Horizon.month(year, number)


def calendar_of(month: str, config: Path = MINIMAL) -> Calendar:
    """The month seen through a config, as a run that plans it alone from its first day
    does: its open days, holidays, blackouts, time zone, weekly bands."""
    horizon = month_horizon(month)
    coverage = Coverage.of([(horizon.start, horizon.end)])
    return Calendar(load_config(config).config, horizon, coverage=coverage)


def moment(calendar: Calendar, day: date, clock: time) -> str:
    """A `start` cell: that day and local time, with the config zone's offset that day."""
    return datetime.combine(day, clock, tzinfo=calendar.tz).isoformat()


def open_days(calendar: Calendar, channel: str, weekdays: list[int] | None = None) -> list[date]:
    """The month's days the channel may publish on (or hold a live on, with the lives'
    weekdays): its weekdays, no holiday, no blackout."""
    return [d for d in calendar.horizon.days() if calendar.is_open(channel, d, weekdays)]


def live_days(calendar: Calendar, channel: str = "skool") -> list[date]:
    """The month's days a live of the channel may take, in order."""
    lives = calendar.config.channels[channel].lives
    assert lives is not None, channel
    return open_days(calendar, channel, lives.days)


def free_days(rows: Iterable[Row], calendar: Calendar, channel: str) -> list[date]:
    """The channel's open days of the month that hold none of its posts."""
    taken = {day_of(r) for r in scheduled(rows, "post", channel)}
    return [d for d in open_days(calendar, channel) if d not in taken]


def days_with_room(rows: list[Row], calendar: Calendar, channel: str) -> list[date]:
    """Where one more post of the channel breaks no rule of days or volume: its open days
    that hold none of its posts, in weeks that hold fewer of its posts than their weekly
    band allows (a week shared with another month: on the month's days only)."""
    posts = scheduled(rows, "post", channel)
    return [
        d
        for d in free_days(posts, calendar, channel)
        if sum(monday_of(day_of(r)) == monday_of(d) for r in posts)
        < calendar.band(channel, monday_of(d)).high
    ]


def another_time(calendar: Calendar, channel: str, row: Row) -> time:
    """A candidate time of the channel other than the row's: its latest one."""
    busy = start_of(row).time()
    return [t for t in calendar.config.channels[channel].times if t != busy][-1]


def onto_a_holiday(
    rows: Iterable[Row], calendar: Calendar, channel: str, besides: Iterable[str] = ()
) -> tuple[Row, str]:
    """A move the holidays refuse: the channel's post nearest to a holiday that falls on one
    of its weekdays (none in `besides`), asked onto that holiday at the post's own time."""
    weekdays = calendar.config.channels[channel].days
    holiday = pick(
        (d for d in calendar.horizon.days() if d in calendar.holidays and d.weekday() in weekdays),
        f"holiday on a {channel} weekday",
    )
    skip = set(besides)
    posts = [r for r in scheduled(rows, "post", channel) if r["id"] not in skip]
    if not posts:
        raise LookupError(f"found no {channel} post")
    post = min(posts, key=lambda r: (abs((day_of(r) - holiday).days), start_of(r)))
    return post, moment(calendar, holiday, start_of(post).time())
