"""`planner check --plan FILE`, end to end: « rules that must never be broken silently ».

The promise: a plan edited by hand in a spreadsheet is checked against every hard rule of
docs/rules.md; each violation is named in French with its rule family's name
(`planner.families`); the command exits 1 when a rule is broken and 0 when none is, and never
prints « Erreur interne » or a traceback.

January 2027 is planned once for the module with the default inputs/. Each test breaks one
rule in its own copy of the plan as a user would in a spreadsheet (types cells, cancels,
deletes, duplicates or adds a row) and checks it. The rows a test edits are chosen by their
role in the plan the solver produced (« the month's first live », « the last LinkedIn post of
the second week »), and the target days and times come from the config (its channel days,
holidays, live days and window), so every test holds for any equally good plan.

A plan is checked from two places:
- `workspace`: its month folder next to the store planner.db that knows the plan, as
  `planner check --plan outputs/2027-01/plan.csv --out outputs` does;
- `alone`: the file by itself in a folder named after its month (a plan sent by a
  colleague), with an --out that holds no store.
"""

from __future__ import annotations

import copy
import csv
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any, Literal

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from planner.calendar import Calendar, monday_of
from planner.cli import app
from planner.confidential import compile_patterns, find_leaks
from planner.config.model import Config, LiveRules
from planner.families import F, name
from planner.labels import COLUMN_TITLES, KIND_LABELS, STATUS_LABELS
from tests.conftest import INPUTS, ROOT, config_copy
from tests.lifecycle import (
    Row,
    a_post,
    by_id,
    calendar_of,
    copy_of,
    day_of,
    live_days,
    moment,
    onto_a_holiday,
    pick,
    plan,
    read_rows,
    scheduled,
    start_of,
    two_posts_of_one_week,
    write_rows,
)

MONTH = "2027-01"
NOW = "2026-12-15T09:00"
"""Planned a fortnight ahead: every day of January is covered."""
CANCELLED = STATUS_LABELS["cancelled"]
"""« annulé »: the word a French user types in the status column."""
SECRET = "Offre Pionnier : grille tarifaire à 197 € le palier"
"""A text inputs/confidential.yaml forbids (internal price tier, price grid)."""
VIOLATION = "Violation — "
NAMES = {name(family): family for family in F}
Where = Literal["workspace", "alone"]
PLACES: tuple[Where, ...] = ("workspace", "alone")


# --- the month, planned once ---------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    workspace: Path
    """The `--out` folder of `planner plan`: planner.db and 2027-01/."""
    rows: list[Row]
    """plan.csv as planner wrote it (never edited: tests edit copies)."""
    calendar: Calendar
    """January seen through inputs/: holidays, open days, weekly bands."""

    @property
    def config(self) -> Config:
        return self.calendar.config

    def fresh_rows(self) -> list[Row]:
        return copy.deepcopy(self.rows)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    workspace = tmp_path_factory.mktemp("workspace")
    plan(workspace, MONTH, NOW, config=INPUTS)
    rows = read_rows(workspace / MONTH / "plan.csv")
    return Planned(workspace, rows, calendar_of(MONTH, INPUTS))


def placed(
    planned: Planned, tmp_path: Path, where: Where, file: str = "plan.csv"
) -> tuple[Path, Path]:
    """A test's own copy of the plan file and the `--out` folder to check it with."""
    if where == "workspace":
        out = copy_of(planned.workspace, tmp_path)
        return out / MONTH / file, out
    folder = tmp_path / "sent" / MONTH
    folder.mkdir(parents=True)
    shutil.copy2(planned.workspace / MONTH / file, folder / file)
    out = tmp_path / "no-store"
    out.mkdir()
    return folder / file, out


# --- running the check ---------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    code: int
    output: str
    violations: list[tuple[F, tuple[str, ...]]]
    """Each « Violation — » line: its family and the ids it names."""

    @property
    def families(self) -> set[F]:
        return {family for family, _ in self.violations}


def check(file: Path, out: Path, config: Path = INPUTS) -> Checked:
    """`planner check --plan FILE`, which must end as a command, never as a crash."""
    result = CliRunner().invoke(
        app, ["check", "--config", str(config), "--plan", str(file), "--out", str(out)]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Erreur interne" not in result.output, result.output
    assert "Traceback" not in result.output, result.output
    return Checked(result.exit_code, result.output, violations(result.output))


def violations(output: str) -> list[tuple[F, tuple[str, ...]]]:
    """« Violation — Famille : message [id, id] » lines as (family, ids); an unknown family
    name fails the test (every violation must be named by its family)."""
    found = []
    for line in output.splitlines():
        if not line.startswith(VIOLATION):
            continue
        family, _, rest = line.removeprefix(VIOLATION).partition(" : ")
        assert family in NAMES, f"unnamed family in {line!r}"
        ids = rest.rsplit(" [", 1)[1].rstrip("]").split(", ") if rest.endswith("]") else []
        found.append((NAMES[family], tuple(ids)))
    return found


def assert_clean(checked: Checked) -> None:
    assert checked.code == 0, checked.output
    assert checked.output.startswith("Aucune violation"), checked.output
    assert not checked.violations


def assert_broken(
    checked: Checked, family: F, followers: Iterable[F] = (), because: str = ""
) -> None:
    """Exit 1, the family named in French, and nothing else reported but the families that
    follow from the edit itself."""
    assert checked.code == 1, checked.output
    assert f"{VIOLATION}{name(family)} : " in checked.output, checked.output
    assert "violation(s) des règles dures" in checked.output, checked.output
    unexpected = checked.families - {family, *followers}
    allowed = f" (allowed besides: {because})" if because else ""
    assert not unexpected, f"also reported {sorted(unexpected)}{allowed}:\n{checked.output}"


# --- the month's items by role, and days from the config -----------------------------------


def second_monday(calendar: Calendar) -> date:
    return [d for d in calendar.horizon.days() if d.weekday() == 0][1]


def move(row: Row, calendar: Calendar, day: date, clock: time | None = None) -> None:
    """Type a new start (its own time unless `clock`); an empty end follows the start."""
    row["start"] = moment(calendar, day, start_of(row).time() if clock is None else clock)
    row["end"] = ""


def posts_of(rows: Iterable[Row], channel: str) -> list[Row]:
    """Every active post of a channel, a live's or a campaign's too, in time order."""
    found = [
        r
        for r in rows
        if r["kind"] == "post" and r["channel"] == channel and r["status"] != "cancelled"
    ]
    return sorted(found, key=start_of)


def audience_posts(rows: Iterable[Row], audience: str, calendar: Calendar) -> list[Row]:
    """An audience's LinkedIn journey posts from the month's second week on."""
    second = second_monday(calendar)
    return [
        r
        for r in scheduled(rows, "post", "linkedin")
        if r["audience"] == audience and day_of(r) >= second
    ]


def side_by_side(posts: Iterable[Row]) -> bool:
    """Two posts in a row with the same message (what the rotation rules forbid)."""
    return any(a["message"] == b["message"] for a, b in pairwise(posts))


def without(rows: Iterable[Row], gone: Iterable[Row]) -> list[Row]:
    ids = {r["id"] for r in gone}
    return [r for r in rows if r["id"] not in ids]


def lives(rows: Iterable[Row]) -> list[Row]:
    found = scheduled(rows, "live", "skool")
    if len(found) < 2:
        raise LookupError(f"the plan has {len(found)} Skool lives, not two")
    return found


def live_rules(calendar: Calendar) -> LiveRules:
    rules = calendar.config.channels["skool"].lives
    assert rules is not None
    return rules


def preparation(rows: Iterable[Row], live: Row) -> Row:
    """The live's preparation task (its reminder is a task of the same live too)."""
    return pick(
        (r for r in rows if r["parent"] == live["id"] and r["content_type"] == "preparation"),
        f"preparation of {live['id']}",
    )


# --- the injections --------------------------------------------------------------------------

Edit = Callable[[list[Row], Calendar], None]
"""Changes the rows of plan.csv in place as a user would in a spreadsheet."""


def post_on_a_sunday(rows: list[Row], calendar: Calendar) -> None:
    """The last LinkedIn post of the month's second week, moved to the Sunday that ends its
    week (LinkedIn never publishes on Sundays); no other post changes order."""
    monday = second_monday(calendar)
    sunday = monday + timedelta(days=6)
    assert sunday.weekday() not in calendar.config.channels["linkedin"].days
    week = [r for r in scheduled(rows, "post", "linkedin") if monday_of(day_of(r)) == monday]
    move(pick(reversed(week), f"LinkedIn post of the week of {monday}"), calendar, sunday)


def post_on_a_holiday(rows: list[Row], calendar: Calendar) -> None:
    """The LinkedIn post nearest to the month's first holiday on a LinkedIn day (New Year's
    Day, from the config's holidays), moved onto it at its own time."""
    post, start = onto_a_holiday(rows, calendar, "linkedin")
    post["start"], post["end"] = start, ""


def post_at_an_odd_time(rows: list[Row], calendar: Calendar) -> None:
    """A LinkedIn post of the second week typed at 03:17, not one of LinkedIn's times."""
    odd = time(3, 17)
    assert odd not in calendar.config.channels["linkedin"].times
    post = a_post(rows, "linkedin", MONTH)
    move(post, calendar, day_of(post), odd)


def two_posts_on_one_day(rows: list[Row], calendar: Calendar) -> None:
    """Of two LinkedIn posts of one week, the second moved onto the first one's day, later in
    that day (per_day_max is 1): weekly counts and the order of posts do not change."""
    channel = calendar.config.channels["linkedin"]
    assert channel.per_day_max == 1
    first, second = two_posts_of_one_week(rows, "linkedin")
    busy = start_of(first).time()
    later = [t for t in channel.times if t > busy] or [t for t in channel.times if t != busy]
    move(second, calendar, day_of(first), later[0])


def post_copied_onto_a_busy_day(rows: list[Row], calendar: Calendar) -> None:
    """A Skool post copied into a new row on the next day of its week that holds a Skool post
    of another type, the original cancelled (a move by copy and paste): that day holds two
    posts at Skool's single time; the week keeps its count, each type its order."""
    types = set(calendar.config.channels["skool"].types or {})
    original, busy = pick(
        (
            (p, q)
            for p, q in pairwise(posts_of(rows, "skool"))
            if p["content_type"] in types
            and q["content_type"] != p["content_type"]
            and day_of(p) != day_of(q)
            and monday_of(day_of(p)) == monday_of(day_of(q))
        ),
        "a Skool post followed in its week by one of another type",
    )
    rows.append(original | {"id": f"{original['id']}-copie", "start": busy["start"], "end": ""})
    original["status"] = CANCELLED


def week_emptied(rows: list[Row], calendar: Calendar) -> list[Row]:
    """Skool posts whose removal leaves a full week of the month one post under its minimum:
    posts of Skool's types only (no ritual, no live's post, whose own rules would break
    too), never bringing two equal messages of a type side by side."""
    types = set(calendar.config.channels["skool"].types or {})
    posts = posts_of(rows, "skool")
    for monday in calendar.horizon.weeks():
        if not calendar.horizon.contains(monday + timedelta(days=6)):
            continue
        week = [r for r in posts if monday_of(day_of(r)) == monday]
        surplus = len(week) - calendar.band("skool", monday).low + 1
        chosen: list[Row] = []
        for post in (r for r in week if r["content_type"] in types):
            left = without(posts, [*chosen, post])
            kind = post["content_type"]
            if len(chosen) < surplus and not side_by_side(
                r for r in left if r["content_type"] == kind
            ):
                chosen.append(post)
        if len(chosen) == surplus:
            return chosen
    raise LookupError("no full week whose Skool posts can go under the minimum")


def week_cancelled(rows: list[Row], calendar: Calendar) -> None:
    """Posts of one Skool week typed « annulé » until the week is one under its minimum."""
    for post in week_emptied(rows, calendar):
        post["status"] = CANCELLED


def week_deleted(rows: list[Row], calendar: Calendar) -> None:
    """The same posts, their rows deleted instead."""
    for post in week_emptied(rows, calendar):
        rows.remove(post)


def leaving(rows: list[Row], audience: str, calendar: Calendar, count: int) -> tuple[Row, ...]:
    """The first `count` posts of an audience from the second week on (in publication order)
    that can leave its journey without bringing two equal messages side by side."""
    journey = [r for r in scheduled(rows, "post", "linkedin") if r["audience"] == audience]
    return pick(
        (
            chosen
            for chosen in combinations(audience_posts(rows, audience, calendar), count)
            if not side_by_side(without(journey, chosen))
        ),
        f"{count} {audience} post(s) that can leave its journey",
    )


def posts_retargeted(rows: list[Row], calendar: Calendar) -> None:
    """Two OF posts from the second week retargeted to the coachs, each with a coachs message
    of its phase not used this month (same phases and formats in both journeys): the coachs
    (15 % of the mix) get two posts more than their share allows, OF two fewer."""
    journey = calendar.config.journeys["coachs"]
    used = {r["message"] for r in scheduled(rows, "post", "linkedin") if r["audience"] == "coachs"}
    for post in leaving(rows, "of", calendar, 2):
        stage = next(s for s in journey.stages if s.phase == post["phase"])
        message = pick((m for m in stage.messages if m not in used), f"coachs {stage.phase}")
        used.add(message)
        post.update(audience="coachs", message=message)


def post_to_ministries(rows: list[Row], calendar: Calendar) -> None:
    """An OF post retargeted to the ministries with their own phase, format and message:
    they cannot be targeted while active_clients is not above 100 (audiences.yaml)."""
    config = calendar.config
    rule = config.audiences["ministeres"].eligible
    assert rule.metric is not None and rule.above is not None
    assert not config.metrics[rule.metric] > rule.above
    stage = config.journeys["ministeres"].stages[0]
    [post] = leaving(rows, "of", calendar, 1)
    post.update(
        audience="ministeres",
        phase=stage.phase,
        content_type=stage.formats[0].type,
        format=stage.formats[0].label,
        message=stage.messages[0],
    )


def phase_never_opened(rows: list[Row], calendar: Calendar) -> None:
    """The first LinkedIn post whose audience's journey leaves a phase closed this month
    (the auditors' and certifiers' journeys have no retention), given that phase."""
    config = calendar.config
    for post in scheduled(rows, "post", "linkedin"):
        month = calendar.campaign_month(day_of(post))
        stages = config.journeys[post["audience"]].stages
        opened = {s.phase for s in stages if s.months.start <= month}
        closed = [p.key for p in config.phases if p.key not in opened]
        if closed:
            post["phase"] = closed[0]
            return
    raise LookupError("no LinkedIn post whose audience has a phase closed this month")


def posts_to_a_small_phase(rows: list[Row], calendar: Calendar) -> None:
    """Two OF posts from the second week moved to OF's phase of smallest stable share
    (retention, 10 %), with that phase's format and messages OF has not used this month: the
    phase gets two posts more than its share allows."""
    config = calendar.config
    stages = {s.phase: s for s in config.journeys["of"].stages}
    assert config.phase_mix is not None
    assert calendar.campaign_month(calendar.horizon.start) >= config.phase_mix.from_month
    shares = config.phase_mix.shares
    phase = min(stages, key=lambda p: (shares.get(p, 0), p))
    stage = stages[phase]
    used = {r["message"] for r in scheduled(rows, "post", "linkedin") if r["audience"] == "of"}
    candidates = [r for r in audience_posts(rows, "of", calendar) if r["phase"] != phase]
    journey = [r for r in scheduled(rows, "post", "linkedin") if r["audience"] == "of"]
    two = pick(
        (c for c in combinations(candidates, 2) if not side_by_side(without(journey, c))),
        "two OF posts that can change phase",
    )
    for post in two:
        message = pick((m for m in stage.messages if m not in used), f"OF {phase} message")
        used.add(message)
        post.update(
            phase=phase,
            content_type=stage.formats[0].type,
            format=stage.formats[0].label,
            message=message,
        )


def one_message_three_times(rows: list[Row], calendar: Calendar) -> None:
    """Three OF posts in a row from the second week, the first one's message typed into the
    other two (a message at most twice a month, never twice in a row)."""
    posts = audience_posts(rows, "of", calendar)[:3]
    if len(posts) < 3:
        raise LookupError("fewer than three OF posts from the second week")
    for post in posts[1:]:
        post["message"] = posts[0]["message"]


def type_message_repeated(rows: list[Row], calendar: Calendar) -> None:
    """The second post of a Skool type with several messages takes the first one's message
    (two consecutive posts of a type never share a message)."""
    for key, kind in (calendar.config.channels["skool"].types or {}).items():
        posts = [r for r in scheduled(rows, "post", "skool") if r["content_type"] == key]
        if len(kind.messages) > 1 and len(posts) > 1:
            posts[1]["message"] = posts[0]["message"]
            return
    raise LookupError("no Skool type with two posts and several messages")


def live_cancelled(rows: list[Row], calendar: Calendar) -> None:
    """The month's first live typed « annulé », nothing else (lives.per_month is 2)."""
    lives(rows)[0]["status"] = CANCELLED


def live_on_a_monday(rows: list[Row], calendar: Calendar) -> None:
    """The month's first live moved to the latest open Monday before it (else the first
    after it), at its own time: Mondays are not in lives.days."""
    live = lives(rows)[0]
    assert 0 not in live_rules(calendar).days
    mondays = [
        d for d in calendar.horizon.days() if d.weekday() == 0 and calendar.is_open("skool", d)
    ]
    before = [d for d in mondays if d < day_of(live)]
    move(live, calendar, before[-1] if before else mondays[0])


def live_past_its_window(rows: list[Row], calendar: Calendar) -> None:
    """The month's first live starting at the window's end (a time of the grid): it ends
    after lives.window.end, on its own day, so nothing attached to it moves."""
    live = lives(rows)[0]
    move(live, calendar, day_of(live), live_rules(calendar).window.end)


def lives_too_close(rows: list[Row], calendar: Calendar) -> None:
    """The month's second live moved to the first live day after the first live, closer than
    lives.min_gap_days."""
    first, second = lives(rows)[:2]
    gap = live_rules(calendar).min_gap_days
    day = pick((d for d in live_days(calendar) if d > day_of(first)), "live day after the first")
    assert (day - day_of(first)).days < gap
    move(second, calendar, day)


def lives_same_format(rows: list[Row], calendar: Calendar) -> None:
    """The month's second live given the first one's format (lives.no_repeat_format), with
    another message of that format when it has one; its end follows the format's length."""
    first, second = lives(rows)[:2]
    spec = live_rules(calendar).formats[first["content_type"]]
    others = [m for m in spec.messages if m != first["message"]]
    second.update(
        content_type=first["content_type"],
        format=first["format"],
        message=(others or spec.messages)[0],
        end="",
    )


def replay_cancelled(rows: list[Row], calendar: Calendar) -> None:
    """The first live's replay typed « annulé » (every live has exactly one)."""
    live = lives(rows)[0]
    replay = pick(
        (r for r in rows if r["parent"] == live["id"] and r["content_type"] == "replay"),
        f"replay of {live['id']}",
    )
    replay["status"] = CANCELLED


def preparation_deleted(rows: list[Row], calendar: Calendar) -> None:
    """The row of the first live's preparation task deleted."""
    rows.remove(preparation(rows, lives(rows)[0]))


def preparation_on_the_live_day(rows: list[Row], calendar: Calendar) -> None:
    """The first live's preparation moved to the live's own day (it belongs to the working day
    before)."""
    live = lives(rows)[0]
    move(preparation(rows, live), calendar, day_of(live))


def format_emptied(rows: list[Row], calendar: Calendar) -> None:
    """A LinkedIn post's format cell cleared (every post has a format)."""
    a_post(rows, "linkedin", MONTH)["format"] = ""


def unknown_skool_type(rows: list[Row], calendar: Calendar) -> None:
    """A Skool post of one of its types given a type Skool does not have (« sondage »),
    chosen so that its type's rotation keeps no equal messages side by side without it."""
    types = calendar.config.channels["skool"].types or {}
    assert "sondage" not in types
    posts = scheduled(rows, "post", "skool")
    post = pick(
        (
            r
            for r in posts
            if r["content_type"] in types
            and day_of(r) >= second_monday(calendar)
            and not side_by_side(
                x for x in without(posts, [r]) if x["content_type"] == r["content_type"]
            )
        ),
        "a Skool post of one of its types",
    )
    post["content_type"] = "sondage"


def ritual_cancelled(rows: list[Row], calendar: Calendar) -> None:
    """The month's first required Skool ritual post typed « annulé »."""
    rituals = calendar.config.channels["skool"].rituals
    required = {k for k, r in rituals.items() if r.kind == "post" and r.required}
    post = pick(
        (r for r in scheduled(rows, "post", "skool") if r["content_type"] in required),
        "a required ritual post",
    )
    post["status"] = CANCELLED


def row_duplicated(rows: list[Row], calendar: Calendar) -> None:
    """A LinkedIn post's row copied and pasted below the others, id and all."""
    rows.append(dict(a_post(rows, "linkedin", MONTH)))


def secret_in_a_message(rows: list[Row], calendar: Calendar) -> None:
    """A confidential text typed into a LinkedIn post's message."""
    a_post(rows, "linkedin", MONTH)["message"] = SECRET


def secret_in_a_description(rows: list[Row], calendar: Calendar) -> None:
    """A confidential text typed into a Skool post's description."""
    a_post(rows, "skool", MONTH)["description"] = SECRET


@dataclass(frozen=True)
class Injection:
    key: str
    family: F
    edit: Edit
    followers: frozenset[F] = frozenset()
    """Families the edit itself also breaks (why: `because`); the others are never reported."""
    because: str = ""
    deletes: bool = False
    """The edit deletes a row: in a workspace, the store still holds it, and the check must
    see it gone rather than put it back."""


TYPED_TEXT = (
    "a plan sent alone, without the store that wrote it, cannot tell a message typed by hand "
    "from a wrong one: a message outside its phase's list is reported as Cinq points de "
    "contrôle"
)
LIVE_ITEMS = (
    "the preparation, reminder, announcement and replay of a moved or cancelled live stay as "
    "they were, and the rules on them say so"
)

INJECTIONS = [
    Injection(
        "sunday",
        F.PUBLISHING_DAYS,
        post_on_a_sunday,
        frozenset({F.WEEKLY_BAND}),
        "a post on a day its channel does not publish on does not count in its week: a week "
        "at its minimum goes under it",
    ),
    Injection(
        "holiday",
        F.PUBLISHING_DAYS,
        post_on_a_holiday,
        frozenset({F.WEEKLY_BAND}),
        "the post nearest to the holiday may come from the next week",
    ),
    Injection("odd-time", F.VALID_TIMES, post_at_an_odd_time),
    Injection("two-posts-one-day", F.DAILY_CAP, two_posts_on_one_day),
    Injection("copied-onto-busy-day", F.DAILY_CAP, post_copied_onto_a_busy_day),
    Injection("week-cancelled", F.WEEKLY_BAND, week_cancelled),
    Injection("week-deleted", F.WEEKLY_BAND, week_deleted, deletes=True),
    Injection(
        "retargeted",
        F.AUDIENCE_MIX,
        posts_retargeted,
        frozenset({F.PHASE_MIX}),
        "each audience's monthly count changes, and with it the bounds of its phase shares",
    ),
    Injection(
        "ministries",
        F.ELIGIBILITY,
        post_to_ministries,
        frozenset({F.AUDIENCE_MIX, F.PHASE_MIX}),
        "an audience that cannot be targeted has no share of the mix, and the post's former "
        "audience has one post less (and other phase bounds)",
    ),
    Injection(
        "phase-closed",
        F.PHASE_WINDOW,
        phase_never_opened,
        frozenset({F.PHASE_MIX}),
        "the post still counts in its audience's month but in none of its open phases",
    ),
    Injection("phase-mix", F.PHASE_MIX, posts_to_a_small_phase),
    Injection(
        "message-three-times",
        F.MESSAGE_ROTATION,
        one_message_three_times,
        frozenset({F.CONTROL_POINTS}),
        TYPED_TEXT,
    ),
    Injection("type-message-repeated", F.MESSAGE_ROTATION, type_message_repeated),
    Injection(
        "live-cancelled",
        F.LIVES_PER_MONTH,
        live_cancelled,
        frozenset({F.LIVE_PREPARATION, F.LIVE_SEQUENCE}),
        LIVE_ITEMS,
    ),
    Injection(
        "live-monday",
        F.LIVE_WINDOW,
        live_on_a_monday,
        frozenset({F.LIVE_PREPARATION, F.LIVE_SEQUENCE}),
        LIVE_ITEMS,
    ),
    Injection("live-past-window", F.LIVE_WINDOW, live_past_its_window),
    Injection(
        "lives-too-close",
        F.LIVE_SPACING,
        lives_too_close,
        frozenset({F.LIVE_PREPARATION, F.LIVE_SEQUENCE}),
        LIVE_ITEMS,
    ),
    Injection(
        "lives-same-format",
        F.LIVE_ROTATION,
        lives_same_format,
        frozenset({F.LIVE_SEQUENCE, F.LIVE_WINDOW}),
        "a masterclass has a LinkedIn teaser the other formats do not have, and a longer "
        "format may end after the window",
    ),
    Injection(
        "replay-cancelled",
        F.LIVE_SEQUENCE,
        replay_cancelled,
        frozenset({F.WEEKLY_BAND}),
        "the replay is one of the Skool posts of its week: a week at its minimum goes under it",
    ),
    Injection("preparation-deleted", F.LIVE_PREPARATION, preparation_deleted, deletes=True),
    Injection("preparation-moved", F.LIVE_PREPARATION, preparation_on_the_live_day),
    Injection("format-emptied", F.CONTROL_POINTS, format_emptied),
    Injection("unknown-type", F.COMMUNITY_CONTENT, unknown_skool_type),
    Injection(
        "ritual-cancelled",
        F.RITUALS,
        ritual_cancelled,
        frozenset({F.WEEKLY_BAND}),
        "the ritual is one of the Skool posts of its week: a week at its minimum goes under it",
    ),
    Injection(
        "row-duplicated",
        F.UNIQUE_IDS,
        row_duplicated,
        frozenset(
            {
                F.DAILY_CAP,
                F.MESSAGE_ROTATION,
                F.WEEKLY_BAND,
                F.AUDIENCE_MIX,
                F.PHASE_MIX,
                F.PHASE_FOCUS,
            }
        ),
        "the copy is a second LinkedIn post on the same day with the same message, and one "
        "more post in its week's, audience's and phase's counts: whichever of those rules the "
        "plan held at its limit breaks too",
    ),
    Injection(
        "secret-message",
        F.CONFIDENTIALITY,
        secret_in_a_message,
        frozenset({F.CONTROL_POINTS}),
        TYPED_TEXT,
    ),
    Injection("secret-description", F.CONFIDENTIALITY, secret_in_a_description),
]


def cases(injections: Iterable[Injection], places: Iterable[Where]) -> list[object]:
    """(injection, place) parameters."""
    return [
        pytest.param(injection, where, id=f"{injection.key}-{where}")
        for injection in injections
        for where in places
    ]


# --- editing the files as a spreadsheet would ----------------------------------------------


def edit_csv(path: Path, edit: Edit, planned: Planned) -> None:
    rows = planned.fresh_rows()
    edit(rows, planned.calendar)
    write_rows(path, rows)


def shown(code: str, value: str, config: Config) -> object:
    """A plan.csv value as plan.xlsx shows it: French words, dates as local dates."""
    if not value:
        return None
    if code in ("start", "end"):
        return datetime.fromisoformat(value).replace(tzinfo=None)
    if code == "sequence":
        return int(value)
    words = {
        "status": STATUS_LABELS,
        "kind": KIND_LABELS,
        "channel": {k: c.label for k, c in config.channels.items()},
        "audience": {k: a.label for k, a in config.audiences.items()},
        "phase": {p.key: p.label for p in config.phases},
    }
    return words.get(code, {}).get(value, value)


def edit_xlsx(path: Path, edit: Edit, planned: Planned) -> None:
    """The same edit made in plan.xlsx with Excel: changed cells typed in French, a deleted
    row removed from the sheet, an added row appended."""
    before = by_id(planned.rows)
    after = planned.fresh_rows()
    edit(after, planned.calendar)
    book = load_workbook(path)
    sheet = book["Plan"]
    titles = [cell.value for cell in sheet[1]]
    codes = {title: code for code, title in COLUMN_TITLES.items()}
    column = {codes[title]: index + 1 for index, title in enumerate(titles)}
    line = {sheet.cell(r, column["id"]).value: r for r in range(2, sheet.max_row + 1)}
    for row in after:
        old = before.get(row["id"])
        if old is None:
            sheet.append([shown(codes[t], row[codes[t]], planned.config) for t in titles])
            continue
        for code, value in row.items():
            if value != old[code]:
                sheet.cell(line[row["id"]], column[code]).value = shown(code, value, planned.config)
    kept = {r["id"] for r in after}
    for key in sorted(set(before) - kept, key=lambda k: -line[k]):
        sheet.delete_rows(line[key])
    book.save(path)


@dataclass(frozen=True)
class Style:
    """How Excel saves a CSV for a French user: `;` separator, and its encoding."""

    key: str
    encoding: str

    def save(self, path: Path, rows: list[Row]) -> None:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, list(rows[0]), delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_bytes(buffer.getvalue().encode(self.encoding, errors="replace"))


STYLES = [Style("utf8-bom", "utf-8-sig"), Style("windows-1252", "cp1252")]


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.parametrize("file", ["plan.csv", "plan.xlsx"])
@pytest.mark.parametrize("where", PLACES)
def test_the_plan_as_written_breaks_no_rule(
    planned: Planned, tmp_path: Path, where: Where, file: str
) -> None:
    """The baseline: what planner wrote passes, from its workspace or sent alone."""
    path, out = placed(planned, tmp_path, where, file)
    assert_clean(check(path, out))


@pytest.mark.parametrize(("injection", "where"), cases(INJECTIONS, PLACES))
def test_a_broken_rule_is_named(
    planned: Planned, tmp_path: Path, injection: Injection, where: Where
) -> None:
    """Each hard rule broken by hand in plan.csv is reported under its family's French name,
    exit 1; only the families that follow from the edit itself come with it."""
    path, out = placed(planned, tmp_path, where)
    edit_csv(path, injection.edit, planned)
    assert_broken(check(path, out), injection.family, injection.followers, injection.because)


XLSX = {"sunday", "odd-time", "retargeted", "live-cancelled", "preparation-deleted"}


@pytest.mark.parametrize(
    ("injection", "where"),
    cases([i for i in INJECTIONS if i.key in XLSX], ["workspace"])
    + cases([i for i in INJECTIONS if i.key in XLSX and i.deletes], ["alone"]),
)
def test_a_broken_rule_is_named_in_plan_xlsx(
    planned: Planned, tmp_path: Path, injection: Injection, where: Where
) -> None:
    """The same in plan.xlsx edited with Excel: French words, dates as dates, rows deleted."""
    path, out = placed(planned, tmp_path, where, "plan.xlsx")
    edit_xlsx(path, injection.edit, planned)
    assert_broken(check(path, out), injection.family, injection.followers, injection.because)


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.key)
@pytest.mark.parametrize(
    "injection",
    [None, *(i for i in INJECTIONS if i.key in ("sunday", "live-cancelled", "week-cancelled"))],
    ids=lambda i: "untouched" if i is None else i.key,
)
def test_a_csv_saved_by_excel(
    planned: Planned, tmp_path: Path, style: Style, injection: Injection | None
) -> None:
    """plan.csv saved by Excel with `;`, in UTF-8 with a BOM or in Windows-1252: the same
    verdicts. A text Windows-1252 cannot hold comes back with « ? » where it had characters
    that encoding lacks: as for replan, it is still planner's text, re-saved."""
    path, out = placed(planned, tmp_path, "workspace")
    rows = planned.fresh_rows()
    if injection is not None:
        injection.edit(rows, planned.calendar)
    style.save(path, rows)
    checked = check(path, out)
    if injection is None:
        assert_clean(checked)
    else:
        assert_broken(checked, injection.family, injection.followers, injection.because)


def test_a_blackout_added_after_planning(planned: Planned, tmp_path: Path) -> None:
    """A blackout typed into calendar.yaml after planning (inputs/ has none in January 2027)
    on the day of a LinkedIn post, for LinkedIn only: that post now breaks Jours de
    publication, and the blackout's label says why."""
    day = day_of(a_post(planned.rows, "linkedin", MONTH))
    assert not any(b.first <= day <= b.last for b in planned.config.calendar.blackouts)

    def blackout(data: dict[str, Any]) -> None:
        data["calendar.yaml"]["calendar"]["blackouts"].append(
            {"date": day.isoformat(), "label": "Séminaire d'équipe", "channels": ["linkedin"]}
        )

    config = config_copy(INPUTS, tmp_path / "inputs", blackout)
    path, out = placed(planned, tmp_path, "workspace")
    checked = check(path, out, config)
    assert_broken(checked, F.PUBLISHING_DAYS)
    assert "Séminaire d'équipe" in checked.output


def test_the_secret_text_is_confidential(planned: Planned) -> None:
    """SECRET is one of the texts inputs/confidential.yaml forbids (else the confidentiality
    cases would test nothing)."""
    assert find_leaks(compile_patterns(planned.config), SECRET)


def test_a_message_typed_by_hand_is_the_users(planned: Planned, tmp_path: Path) -> None:
    """docs/rules.md, Rotation des messages: « Un message tapé par l'utilisateur dans le
    tableur lui appartient : il n'a pas à venir des listes »."""
    path, out = placed(planned, tmp_path, "workspace")

    def typed(rows: list[Row], calendar: Calendar) -> None:
        a_post(rows, "linkedin", MONTH)["message"] = "Notre nouveau guide, écrit à la main"

    edit_csv(path, typed, planned)
    assert_clean(check(path, out))


def test_the_installed_command(planned: Planned, tmp_path: Path) -> None:
    """The installed command's entry point (planner.cli:entry, which ends the process with
    os._exit) in a process of its own: exit 1, the family named, no traceback."""
    path, out = placed(planned, tmp_path, "workspace")
    edit_csv(path, post_on_a_sunday, planned)
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", "from planner.cli import entry; entry()", "check"]
    done = subprocess.run(
        [*command, "--config", str(INPUTS), "--plan", str(path), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{VIOLATION}{name(F.PUBLISHING_DAYS)} : " in done.stdout
    assert "Traceback" not in done.stderr and "Erreur interne" not in done.stderr, done.stderr


# --- rules of other months: the focus phases (months 1 to 6), a dated campaign --------------


def focus_phases_left(rows: list[Row], calendar: Calendar) -> None:
    """In month 3, every OF post of a focus phase but one retyped as an awareness post (the
    phase open before them), with that phase's format and messages in turn: the focus
    phases no longer hold the majority of OF's posts."""
    stage = next(s for s in calendar.config.journeys["of"].stages if s.phase == "awareness")
    focus = [
        r
        for r in scheduled(rows, "post", "linkedin")
        if r["audience"] == "of" and r["phase"] != "awareness"
    ]
    for n, row in enumerate(focus[1:]):
        row["phase"] = "awareness"
        row["format"] = stage.formats[0].label
        row["content_type"] = stage.formats[0].type
        row["message"] = stage.messages[n % len(stage.messages)]


def campaign_post_cancelled(rows: list[Row], calendar: Calendar) -> None:
    """A required post of the example campaign, typed « annulé »."""
    campaign = calendar.config.campaigns[0]
    required = {s.key for s in campaign.steps if s.kind == "post" and s.required}
    post = pick(
        (r for r in rows if r["parent"] == campaign.key and r["content_type"] in required),
        "a required campaign post",
    )
    post["status"] = CANCELLED


@pytest.mark.parametrize(
    ("month", "now", "edit", "family", "followers"),
    [
        pytest.param(
            "2026-03",
            "2026-02-20T09:00",
            focus_phases_left,
            F.PHASE_FOCUS,
            # Awareness posts in a row take its few messages again.
            {F.MESSAGE_ROTATION},
            id="focus-phases",
        ),
        pytest.param(
            "2027-03",
            "2027-02-20T09:00",
            campaign_post_cancelled,
            F.CAMPAIGNS,
            # The campaign's post is one of the Skool posts of its week.
            {F.WEEKLY_BAND},
            id="campaign",
        ),
    ],
)
def test_a_rule_of_another_month_is_named(
    tmp_path: Path, month: str, now: str, edit: Edit, family: F, followers: set[F]
) -> None:
    plan(tmp_path, month, now, config=INPUTS)
    path = tmp_path / month / "plan.csv"
    rows = read_rows(path)
    calendar = calendar_of(month, INPUTS)
    assert_clean(check(path, tmp_path))
    edit(rows, calendar)
    write_rows(path, rows)
    assert_broken(check(path, tmp_path), family, followers)


def test_a_row_added_without_an_id_is_checked_under_its_row(
    planned: Planned, tmp_path: Path
) -> None:
    """Rows added by hand get their id from replan; `check --plan` refused them as
    « identifiant vide », so a plan could not be checked before it was re-planned."""
    path, out = placed(planned, tmp_path, "workspace")

    def added(rows: list[Row], calendar: Calendar) -> None:
        post = a_post(rows, "linkedin", MONTH)
        rows.append(post | {"id": "", "end": "", "message": "Ajouté à la main"})

    edit_csv(path, added, planned)
    checked = check(path, out)
    assert "identifiant vide" not in checked.output, checked.output
    row = len(planned.rows) + 2  # the header is row 1
    assert_broken(checked, F.DAILY_CAP, [F.PHASE_MIX, F.WEEKLY_BAND], "one post more")
    assert any(f"ligne-{row}" in ids for _, ids in checked.violations), checked.output


@pytest.mark.parametrize(
    ("statuses", "code"),
    [(("locked", "published"), 0), (("locked", "planned"), 1)],
    ids=["both-fixed", "one-free"],
)
def test_a_rule_that_fixed_rows_break_is_a_warning(
    planned: Planned, tmp_path: Path, statuses: tuple[str, str], code: int
) -> None:
    """docs/rules.md, « Éléments figés »: a rule that published or locked rows break is a
    warning, never a failure, as replan says it; a free row in the break is still one."""
    path, out = placed(planned, tmp_path, "workspace")

    def same_day(rows: list[Row], calendar: Calendar) -> None:
        first, second = two_posts_of_one_week(rows, "linkedin")
        two_posts_on_one_day(rows, calendar)  # moves `second` onto `first`'s day
        first["status"], second["status"] = statuses

    edit_csv(path, same_day, planned)
    checked = check(path, out)
    assert checked.code == code, checked.output
    cap = f"{name(F.DAILY_CAP)} : "
    if code == 0:
        assert f"Avertissement — {cap}" in checked.output, checked.output
        assert not checked.violations, checked.output
    else:
        assert F.DAILY_CAP in checked.families, checked.output
