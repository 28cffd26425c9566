"""Hypothesis strategies for valid configs, built as plain data and written as YAML.

The generator never builds pydantic objects: it writes the YAML a marketer would write and
the tests read it back through `load_config`, so a drift between this module and the schema
shows up as a load error instead of being hidden. Weekdays and times come in the spellings
the README accepts ("mardi", "Tue", "8h30"), texts carry accents, emoji, non-breaking
spaces and spreadsheet formula starters, and time zones include odd offsets and clock
changes on other dates than Europe's.

Every feature of the rules is drawn, each one often enough and rarely all at once, so that
about half of the configs plan and the other half end in named conflicts:
- journeys read as cohorts: stages with `timing_days` (weekdays or `tous`), `timing_hours`,
  `less_frequent`, `near_key_moments`, `briefs` (with or without messages), per-journey
  `phase_mix`, and a top-level `phase_mix` starting in any month with renormalised shares;
- calendars with `key_moments` (for some audiences or channels), `key_moment_days`, and
  blackouts for all channels or one, mostly around the horizon;
- channels with `short` tags, `rituals` on `types` channels (posts and tasks, windows from
  the start or the end of the month or days short months lack, some months only, optional
  or required, `counts_as`), lives with `variety_gap_days` and `sequence` steps (posts and
  tasks, on the live's channel or another one of either planning, with an audience and a
  phase from that channel's mix, or a type it stands for, some formats only);
- `campaigns` anchored around the horizon, with post and task steps, counts, optional
  steps, and a step key (`replay`) that live sequences use too;
- `export.titles` and every `preferences` weight (some left to their defaults).
Dated things (anchors, key moments, blackouts) are drawn around the horizon, which is drawn
first (`World`), so that they fall in the planned days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from hypothesis import strategies as st

from planner.calendar import Horizon
from tests.conftest import INPUTS

ZONES = (
    "Europe/Paris",
    "Indian/Reunion",
    "America/Montreal",
    "America/Martinique",
    "Pacific/Noumea",
    "Europe/London",
    "Europe/Dublin",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "America/Santiago",
    "Africa/Cairo",
    "Asia/Jerusalem",
    "UTC",
)
"""Half-hour and 45-minute offsets, a 30-minute clock change (Lord Howe), negative DST
(Dublin), changes on a Friday (Cairo, Jerusalem) or at midnight (Santiago)."""

HOLIDAYS = (
    {"country": "FR"},
    {"country": "FR", "subdivision": "974"},
    {"country": "FR", "subdivision": "57"},
    {"country": "CA", "subdivision": "QC"},
    {"country": "BE"},
)

DAY_SPELLINGS = (
    ("lundi", "Lun", "monday", "MON"),
    ("mardi", "mar", "Tuesday", "tue"),
    ("mercredi", "Mer", "wednesday", "Mércredi"),
    ("jeudi", "JEU", "thursday", "thu"),
    ("vendredi", "ven", "Friday", "fri"),
    ("samedi", "Sam", "saturday", "SAT"),
    ("dimanche", "dim", "Sunday", "sun"),
)

PHASES = ("awareness", "consideration", "decision", "retention", "advocacy")
AUDIENCES = ("of", "coachs", "auditeurs", "certificateurs", "membres", "a1", "grand_public")
CHANNELS = ("linkedin", "skool", "blog", "newsletter")

ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "éèêàâçôûÉÀœ’«» .,;:!?'\"()[]#&*%/\u00a0\u202f=+-@\t\n🎉🤔"
)
"""No digits: generated texts can never spell a confidential price tier (tested apart)."""

text = st.text(ALPHABET, min_size=1, max_size=30).filter(lambda s: s.strip() != "")
short = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=6)


def some(pool: tuple[str, ...], most: int) -> st.SearchStrategy[list[str]]:
    """One to `most` distinct keys from a pool."""
    return st.lists(st.sampled_from(pool), min_size=1, max_size=most, unique=True)


@st.composite
def weekday(draw: st.DrawFn, day: int) -> str:
    return draw(st.sampled_from(DAY_SPELLINGS[day]))


@st.composite
def days(draw: st.DrawFn, min_size: int = 1, max_size: int = 7) -> list[str]:
    chosen = draw(st.sets(st.integers(0, 6), min_size=min_size, max_size=max_size))
    order = draw(st.permutations(sorted(chosen)))
    return [draw(weekday(d)) for d in order]


@st.composite
def clock(draw: st.DrawFn, value: time) -> str:
    """The same time as a marketer might type it: 08:30, 8:30, 8h30, 08H30."""
    style = draw(st.integers(0, 3))
    if style == 0:
        return f"{value:%H:%M}"
    if style == 1:
        return f"{value.hour}:{value.minute:02d}"
    if style == 2:
        return f"{value.hour}h{value.minute:02d}"
    return f"{value.hour:02d}H{value.minute:02d}"


def quarter(low: int = 0, high: int = 95) -> st.SearchStrategy[time]:
    """Quarter hours, with a bias towards 01:30–03:30 where clocks change."""
    any_quarter = st.integers(low, high).map(lambda q: time(q // 4, q % 4 * 15))
    night = st.sampled_from([time(1, 30), time(2, 0), time(2, 30), time(3, 0), time(0, 0)])
    return st.one_of(any_quarter, any_quarter, night)


@st.composite
def window(draw: st.DrawFn) -> dict[str, str]:
    start = draw(quarter(0, 92))
    q = start.hour * 4 + start.minute // 15
    end_q = draw(st.integers(q + 1, min(q + 16, 95)))
    return {"start": draw(clock(start)), "end": draw(clock(time(end_q // 4, end_q % 4 * 15)))}


@st.composite
def band(draw: st.DrawFn) -> dict[str, int]:
    low = draw(st.integers(0, 4))
    high = draw(st.integers(low, low + 3))
    found = {"min": low, "max": high}
    if draw(st.booleans()):
        found["target"] = draw(st.integers(low, high))
    return found


def messages(max_size: int = 3) -> st.SearchStrategy[list[str]]:
    return st.lists(text, min_size=1, max_size=max_size, unique=True)


@st.composite
def content_type(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "label": draw(text),
        "per_week": draw(st.integers(0, 3)),
        "days": draw(days(0, 3)),
        "format": draw(text),
        "template": draw(text) + "\n\n[à compléter]\n",
        "messages": draw(messages()),
    }


@dataclass
class World:
    """What the sections drawn so far offer to the ones drawn next: the horizon (dated
    things are drawn around it), the keys, each channel's planning, types and mix."""

    campaign: date
    zone: str
    horizon: Horizon
    phases: list[str]
    audiences: list[str]
    plannings: dict[str, str] = field(default_factory=dict)
    types: dict[str, list[str]] = field(default_factory=dict)
    mixed: dict[str, list[str]] = field(default_factory=dict)
    """Audiences of each channel planned by audiences: those of its mix, `others` included."""


@st.composite
def near(draw: st.DrawFn, world: World, margin: int = 25) -> date:
    """A day in the horizon or up to `margin` days around it."""
    span = (world.horizon.end - world.horizon.start).days
    return world.horizon.start + timedelta(draw(st.integers(-margin, span + margin)))


@st.composite
def offsets(draw: st.DrawFn, low: int = -10, high: int = 10) -> dict[str, int]:
    first = draw(st.integers(low, high))
    return {"from": first, "to": draw(st.integers(first, min(first + 6, high)))}


@st.composite
def post_target(draw: st.DrawFn, world: World, channel: str) -> dict[str, Any]:
    """What a step published on `channel` needs: an audience of its mix and a phase on a
    channel planned by audiences; maybe a type it stands for on a channel planned by types."""
    if world.plannings[channel] == "audiences":
        return {
            "audience": draw(st.sampled_from(world.mixed[channel])),
            "phase": draw(st.sampled_from(world.phases)),
        }
    if draw(st.booleans()):
        return {"counts_as": draw(st.sampled_from(world.types[channel]))}
    return {}


def looks(draw: st.DrawFn, found: dict[str, Any]) -> dict[str, Any]:
    """Optional display fields of a step or ritual."""
    if draw(st.booleans()):
        found["format"] = draw(text)
    if draw(st.booleans()):
        found["template"] = draw(text) + "\n[à compléter]\n"
    return found


SEQUENCE_KEYS = ("annonce_live", "rappel_live", "replay", "teaser_live", "recap_live")


@st.composite
def sequence_step(
    draw: st.DrawFn, world: World, live_channel: str, formats: list[str], key: str
) -> dict[str, Any]:
    kind = draw(st.sampled_from(["post", "post", "task"]))
    found: dict[str, Any] = {"key": key, "label": draw(text)}
    if draw(st.booleans()) or kind == "task":
        found["kind"] = kind
    if kind == "task":
        # Tasks come before their live: mostly in the days before, sometimes the same day.
        found["days"] = draw(offsets(-10, 0))
        if draw(st.integers(0, 3)):
            found["time"] = draw(clock(draw(quarter())))
    else:
        found["days"] = draw(st.one_of(offsets(-10, -1), offsets(1, 7), offsets(-3, 3)))
        target = live_channel
        if draw(st.integers(0, 2)) == 0:
            target = draw(st.sampled_from(sorted(world.plannings)))
            found["channel"] = target
        found |= draw(post_target(world, target))
    if draw(st.integers(0, 2)) == 0:
        found["formats"] = draw(some(tuple(formats), len(formats)))
    if draw(st.integers(0, 2)) == 0:
        found["required"] = draw(st.booleans())
    return looks(draw, found)


@st.composite
def lives(draw: st.DrawFn, world: World, channel: str) -> dict[str, Any]:
    fmt_keys = draw(some(("qa", "masterclass", "ama", "atelier"), 3))
    found: dict[str, Any] = {
        "per_month": draw(st.integers(0, 3)),
        "days": draw(days(1, 4)),
        "window": draw(window()),
        "start_every_minutes": draw(st.sampled_from([15, 30, 60])),
        "min_gap_days": draw(st.integers(0, 10)),
        "comfortable_gap_days": draw(st.integers(0, 20)),
        "no_repeat_format": draw(st.booleans()),
        "reminder_minutes": draw(st.integers(0, 120)),
        "preparation": {
            "label": draw(text),
            "time": draw(clock(draw(quarter()))),
            "duration_minutes": draw(st.integers(5, 90)),
        },
        "formats": {
            k: {
                "label": draw(text),
                "duration_minutes": draw(st.sampled_from([15, 30, 45, 60, 90, 120])),
                "description": draw(text),
                "messages": draw(messages(2)),
            }
            for k in fmt_keys
        },
    }
    start, end = (_minutes(found["window"][k]) for k in ("start", "end"))
    formats = found["formats"].values()
    if found["per_month"] and all(f["duration_minutes"] > end - start for f in formats):
        # Lives wanted in a window no format fits are refused at load: make one fit.
        min(formats, key=lambda f: f["duration_minutes"])["duration_minutes"] = end - start
    if draw(st.booleans()):
        found["variety_gap_days"] = draw(st.integers(0, 90))
    if draw(st.integers(0, 2)):
        keys = draw(st.lists(st.sampled_from(SEQUENCE_KEYS), min_size=1, max_size=3, unique=True))
        found["sequence"] = [draw(sequence_step(world, channel, fmt_keys, k)) for k in keys]
    return found


def _minutes(clock_text: str) -> int:
    """Minutes after midnight of a time written by `clock`."""
    hour, minute = re.split("[:hH]", clock_text)
    return int(hour) * 60 + int(minute)


RITUAL_KEYS = ("spotlight", "feedback", "bilan", "theme", "revue_kpi")


@st.composite
def month_days(draw: st.DrawFn) -> dict[str, int]:
    """Days of a month: from the start (1 to 7), from the end (-7 to -1), or from a day to
    the end (8 to -1); now and then days that short months lack (29 to 31)."""
    style = draw(st.integers(0, 3))
    if style == 0:
        first = draw(st.integers(1, 28))
        return {"from": first, "to": draw(st.integers(first, min(first + 14, 31)))}
    if style == 1:
        first = draw(st.integers(-14, -1))
        return {"from": first, "to": draw(st.integers(first, -1))}
    if style == 2:
        return {"from": draw(st.integers(1, 28)), "to": draw(st.integers(-10, -1))}
    first = draw(st.integers(28, 31))
    return {"from": first, "to": draw(st.integers(first, 31))}


@st.composite
def ritual(draw: st.DrawFn, types: list[str]) -> dict[str, Any]:
    kind = draw(st.sampled_from(["post", "post", "task"]))
    found: dict[str, Any] = {"label": draw(text), "days": draw(month_days())}
    if kind == "task" or draw(st.booleans()):
        found["kind"] = kind
    if kind == "post" and draw(st.integers(0, 2)):
        found["counts_as"] = draw(st.sampled_from(types))
    if draw(st.integers(0, 2)) == 0:
        found["months"] = sorted(draw(st.sets(st.integers(1, 12), min_size=1, max_size=6)))
    if draw(st.integers(0, 2)) == 0:
        found["required"] = draw(st.booleans())
    if kind == "task" and draw(st.integers(0, 3)):
        found["time"] = draw(clock(draw(quarter())))
    if kind == "post" or draw(st.booleans()):
        found["messages"] = draw(messages(2))
    return looks(draw, found)


@st.composite
def channel(draw: st.DrawFn, world: World, key: str) -> dict[str, Any]:
    """A channel without its lives (drawn once every channel and mix is known)."""
    times = sorted(draw(st.sets(quarter(), min_size=1, max_size=5)))
    planning = world.plannings[key]
    found: dict[str, Any] = {
        "label": draw(text),
        "planning": planning,
        "days": draw(days(1, 7)),
        "per_week": draw(band()),
        "per_day_max": draw(st.integers(1, 3)),
        "times": [draw(clock(t)) for t in times],
        "duration_minutes": draw(st.sampled_from([5, 15, 30, 60, 120, 240])),
    }
    if draw(st.booleans()):
        found["short"] = draw(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ·é ", min_size=1, max_size=8))
    if planning == "types" or draw(st.integers(0, 2)) == 0:
        found["audience"] = draw(st.sampled_from(world.audiences))
        found["phase"] = draw(st.sampled_from(world.phases))
    if planning == "types":
        kinds = draw(some(("question", "tip", "celebration", "resource"), 4))
        found["types"] = {k: draw(content_type()) for k in kinds}
        world.types[key] = kinds
        if draw(st.booleans()):
            names = draw(some(RITUAL_KEYS, 3))
            found["rituals"] = {n: draw(ritual(kinds)) for n in names}
    return found


@st.composite
def stage(draw: st.DrawFn, phase: str) -> dict[str, Any]:
    start = draw(st.integers(1, 6))
    months: dict[str, int] = {"from": start}
    if draw(st.booleans()):
        months["to"] = draw(st.integers(start, start + 4))
    formats = draw(some(("texte", "carrousel", "video", "etude_de_cas"), 2))
    pool = draw(st.lists(text, min_size=1, max_size=4, unique=True))
    cut = draw(st.integers(0, len(pool))) if draw(st.integers(0, 3)) == 0 else len(pool)
    found: dict[str, Any] = {
        "phase": phase,
        "months": months,
        "goal": draw(text),
        "tone": draw(text),
        "formats": [{"label": draw(text), "type": f} for f in formats],
    }
    if pool[:cut]:
        found["messages"] = pool[:cut]
    if pool[cut:]:
        found["briefs"] = pool[cut:]
    timing = draw(st.integers(0, 3))
    if timing == 1:
        found["timing_days"] = draw(days(1, 4))
    elif timing == 2:
        found["timing_days"] = draw(st.sampled_from(["tous", "Tous", "tout jour", "all"]))
    if draw(st.integers(0, 2)) == 0:
        found["timing_hours"] = draw(window())
    for flag in ("less_frequent", "near_key_moments"):
        if draw(st.integers(0, 2)) == 0:
            found[flag] = draw(st.booleans())
    if draw(st.integers(0, 3)) == 0:
        found["timing"] = draw(text)
    return found


@st.composite
def phase_shares(draw: st.DrawFn, phases: list[str]) -> dict[str, int]:
    """Some phases with shares (not summing to 100: they are renormalised), one positive."""
    keys = draw(st.lists(st.sampled_from(phases), min_size=1, max_size=len(phases), unique=True))
    found = {k: draw(st.sampled_from([0, 0, 5, 10, 20, 25, 30, 50, 100])) for k in keys}
    if not sum(found.values()):
        found[keys[0]] = draw(st.integers(1, 100))
    return found


@st.composite
def journey(draw: st.DrawFn, phases: list[str]) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(phases), min_size=1, max_size=len(phases), unique=True))
    ordered = [p for p in phases if p in chosen]
    found: dict[str, Any] = {
        "phase_coverage": draw(st.sampled_from(["when_possible", "required"])),
        "stages": [draw(stage(p)) for p in ordered],
    }
    if draw(st.integers(0, 3)) == 0:
        found["phase_mix"] = draw(phase_shares(phases))
    return found


@st.composite
def shares(draw: st.DrawFn, keys: list[str]) -> dict[str, int]:
    """Non-negative integers summing to 100, one per key."""
    cuts = sorted(
        draw(st.lists(st.integers(0, 100), min_size=len(keys) - 1, max_size=len(keys) - 1))
    )
    bounds = [0, *cuts, 100]
    return {k: bounds[i + 1] - bounds[i] for i, k in enumerate(keys)}


@st.composite
def mix(draw: st.DrawFn, audiences: list[str]) -> dict[str, Any]:
    named = draw(
        st.lists(st.sampled_from(audiences), min_size=1, max_size=len(audiences), unique=True)
    )
    rest = [a for a in audiences if a not in named]
    others = draw(st.lists(st.sampled_from(rest), max_size=len(rest), unique=True)) if rest else []
    keys = named + (["others"] if others or draw(st.booleans()) else [])
    months = draw(st.integers(1, 5))
    cuts = sorted(draw(st.sets(st.integers(2, months), max_size=3))) if months > 1 else []
    bounds = [1, *cuts, months + 1]
    rows = [
        {"months": list(range(bounds[i], bounds[i + 1])), "shares": draw(shares(keys))}
        for i in range(len(bounds) - 1)
    ]
    return {"others": others, "rows": draw(st.permutations(rows))}


CAMPAIGN_KEYS = ("sortie", "salon", "webinaire", "rentree")
STEP_KEYS = ("preparer", "teaser", "annonce", "relance", "replay")
"""`replay` is also a live sequence key: the same content type in two families."""


@st.composite
def campaign_step(draw: st.DrawFn, world: World, key: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["post", "post", "task"]))
    found: dict[str, Any] = {
        "key": key,
        "label": draw(text),
        "days": draw(offsets(-12, 8)),
        "message": draw(text),
    }
    if kind == "task" or draw(st.booleans()):
        found["kind"] = kind
    if kind == "post" or draw(st.booleans()):
        target = draw(st.sampled_from(sorted(world.plannings)))
        found["channel"] = target
        if kind == "post":
            found |= draw(post_target(world, target))
    if kind == "task" and draw(st.integers(0, 3)):
        found["time"] = draw(clock(draw(quarter())))
    if draw(st.integers(0, 2)) == 0:
        found["count"] = draw(st.integers(1, 3))
    if draw(st.integers(0, 2)) == 0:
        found["required"] = draw(st.booleans())
    return looks(draw, found)


@st.composite
def campaign(draw: st.DrawFn, world: World, key: str) -> dict[str, Any]:
    steps = draw(st.lists(st.sampled_from(STEP_KEYS), min_size=1, max_size=3, unique=True))
    found: dict[str, Any] = {
        "key": key,
        "name": draw(text),
        "anchor": draw(near(world, 10)).isoformat(),
        "steps": [draw(campaign_step(world, s)) for s in steps],
    }
    for flag in ("example", "key_moment"):
        if draw(st.booleans()):
            found[flag] = draw(st.booleans())
    return found


@st.composite
def key_moment(draw: st.DrawFn, world: World) -> dict[str, Any]:
    found: dict[str, Any] = {"name": draw(text), "date": draw(near(world, 10)).isoformat()}
    if draw(st.integers(0, 2)) == 0:
        found["audiences"] = draw(some(tuple(world.audiences), 2))
    if draw(st.integers(0, 2)) == 0:
        found["channels"] = draw(some(tuple(world.plannings), 2))
    if draw(st.booleans()):
        found["example"] = draw(st.booleans())
    return found


@st.composite
def blackout(draw: st.DrawFn, world: World) -> dict[str, Any]:
    """A day or a span of days, mostly around the horizon, for all channels or one."""
    if draw(st.integers(0, 3)):
        first = draw(near(world, 10))
    else:
        first = world.campaign + timedelta(draw(st.integers(0, 400)))
    entry: dict[str, Any] = {"label": draw(text)}
    if draw(st.booleans()):
        entry["date"] = first.isoformat()
    else:
        last = first + timedelta(draw(st.sampled_from([0, 1, 2, 4, 6, 9, 13])))
        entry |= {"from": first.isoformat(), "to": last.isoformat()}
    if draw(st.booleans()):
        entry["channels"] = [draw(st.sampled_from(sorted(world.plannings)))]
    return entry


TITLE_PARTS = ("{canal}", "{audience}", "{phase}", "{type}", "{format}", "{message}")


@st.composite
def title(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(TITLE_PARTS), min_size=1, max_size=4))
    glue = draw(st.sampled_from([" · ", " — ", " ", " {{x}} ", " | "]))
    return draw(st.sampled_from(["", "🎉 ", "LIVE "])) + glue.join(parts)


@st.composite
def titles(draw: st.DrawFn) -> dict[str, str]:
    keys = draw(st.lists(st.sampled_from(["post", "community", "live", "task"]), unique=True))
    return {k: draw(title()) for k in keys}


def clock_changes(zone: str, first: date, days: int) -> list[date]:
    """Days on which the zone's UTC offset changes, from `first` on."""
    tz = ZoneInfo(zone)
    found = []
    for n in range(days):
        day = first + timedelta(n)
        start = datetime.combine(day, time(0), tzinfo=tz)
        end = datetime.combine(day, time(23, 59), tzinfo=tz)
        if start.utcoffset() != end.utcoffset():
            found.append(day)
    return found


@st.composite
def horizon(draw: st.DrawFn, campaign: date, zone: str) -> Horizon:
    """A month, a span of days, or a span around one of the zone's clock changes."""
    style = draw(st.integers(0, 2))
    if style == 0:
        offset = draw(st.integers(0, 14))
        year, month = divmod(campaign.month - 1 + offset, 12)
        return Horizon.month(campaign.year + year, month + 1)
    changes = clock_changes(zone, campaign, 430) if style == 2 else []
    if changes:
        change = draw(st.sampled_from(changes))
        first = max(campaign, change - timedelta(draw(st.integers(0, 10))))
        return Horizon(first, change + timedelta(draw(st.integers(0, 10))))
    first = campaign + timedelta(draw(st.integers(0, 420)))
    return Horizon(first, first + timedelta(draw(st.integers(0, 45))))


@dataclass
class Case:
    """One generated config: its sections, how they are split into files, and a horizon."""

    sections: dict[str, Any]
    files: dict[str, list[str]] = field(default_factory=dict)
    horizon: Horizon = field(default_factory=lambda: Horizon.month(2026, 3))

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, keys in self.files.items():
            body = {k: self.sections[k] for k in keys}
            text = yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100)
            (folder / name).write_text(text, encoding="utf-8")
        return folder

    def yaml(self) -> str:
        """The whole config as one YAML document, then the horizon: what a report quotes."""
        text = yaml.safe_dump(self.sections, allow_unicode=True, sort_keys=False, width=100)
        return f"{text}# horizon : {self.horizon.start} → {self.horizon.end}\n"


def default_patterns() -> list[dict[str, str]]:
    data = yaml.safe_load((INPUTS / "confidential.yaml").read_text(encoding="utf-8"))
    return data["confidential"]["patterns"]


WEIGHTS = (
    "best_day",
    "best_hour",
    "weekly_target",
    "type_target",
    "rhythm",
    "mix_closeness",
    "open_phases",
    "live_variety",
    "live_spread",
    "optional_steps",
)


@st.composite
def configs(draw: st.DrawFn, months_only: bool = False) -> Case:
    """A valid config and a horizon; with `months_only`, the horizon is a whole month (the
    first of two planned one after the other)."""
    year = draw(st.integers(2025, 2027))
    campaign_start = date(year, draw(st.integers(1, 12)), 1)
    zone = draw(st.sampled_from(ZONES))
    if months_only:
        offset = draw(st.integers(0, 14))
        y, m = divmod(campaign_start.month - 1 + offset, 12)
        span = Horizon.month(campaign_start.year + y, m + 1)
    else:
        span = draw(horizon(campaign_start, zone))
    phases = draw(st.lists(st.sampled_from(PHASES), min_size=1, max_size=5, unique=True))
    audiences = draw(st.lists(st.sampled_from(AUDIENCES), min_size=1, max_size=4, unique=True))
    world = World(campaign_start, zone, span, phases, audiences)
    metrics = {"clients": draw(st.integers(0, 200))}
    audience_specs: dict[str, Any] = {}
    for a in audiences:
        spec: dict[str, Any] = {"label": draw(text), "short": draw(short)}
        spec["best_days"] = draw(days(0, 3))
        if draw(st.booleans()):
            spec["best_hours"] = draw(window())
        eligible: dict[str, Any] = {"from_month": draw(st.sampled_from([1, 1, 1, 2, 3]))}
        if draw(st.integers(0, 4)) == 0:
            eligible |= {"metric": "clients", "above": draw(st.integers(0, 150))}
        spec["eligible"] = eligible
        audience_specs[a] = spec
    names = draw(st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=3, unique=True))
    world.plannings = {n: draw(st.sampled_from(["audiences", "types"])) for n in names}
    channels = {n: draw(channel(world, n)) for n in names}
    mixes = {n: draw(mix(audiences)) for n, p in world.plannings.items() if p == "audiences"}
    for n, m in mixes.items():
        found = [a for row in m["rows"] for a in row["shares"] if a != "others"] + m["others"]
        world.mixed[n] = sorted(set(found))
    for n, spec in channels.items():
        if "audience" in spec and draw(st.integers(0, 2)) == 0:
            spec["lives"] = draw(lives(world, n))
    moments = draw(st.lists(key_moment(world), max_size=3))
    calendar: dict[str, Any] = {
        "campaign_start": f"{campaign_start:%Y-%m}",
        "timezone": zone,
        "holidays": draw(st.sampled_from(HOLIDAYS)),
        "blackouts": draw(st.lists(blackout(world), max_size=3)),
    }
    if moments:
        calendar["key_moments"] = moments
    if moments or draw(st.booleans()):
        calendar["key_moment_days"] = draw(st.integers(0, 10))
    sections: dict[str, Any] = {
        "calendar": calendar,
        "channels": channels,
        "phases": [{"key": p, "label": draw(text)} for p in phases],
        "audiences": audience_specs,
        "journeys": {a: draw(journey(phases)) for a in audiences},
        "mix": mixes,
        "confidential": {"patterns": default_patterns()},
        "metrics": metrics,
        "preferences": {k: draw(st.integers(0, 100)) for k in WEIGHTS if draw(st.integers(0, 9))},
        "export": {"uid_domain": "planner.test", "calendar_name": draw(text)},
    }
    if draw(st.booleans()):
        sections["phase_mix"] = {
            "from_month": draw(st.integers(1, 12)),
            "shares": draw(phase_shares(phases)),
        }
    if draw(st.integers(0, 2)) == 0:
        keys = draw(st.lists(st.sampled_from(CAMPAIGN_KEYS), min_size=1, max_size=2, unique=True))
        sections["campaigns"] = [draw(campaign(world, k)) for k in keys]
    if draw(st.integers(0, 3)) == 0:
        sections["export"]["titles"] = draw(titles())
    if not sections["mix"]:
        del sections["mix"]
    keys = list(sections)
    split = draw(st.sampled_from(["one", "two", "each"]))
    if split == "one":
        files = {"rules.yaml": keys}
    elif split == "two":
        files = {"a.yaml": keys[: len(keys) // 2], "b.yml": keys[len(keys) // 2 :]}
    else:
        files = {f"{k}.yaml": [k] for k in keys}
    return Case(sections, files, span)
