"""Hypothesis strategies for valid configs, built as plain data and written as YAML.

The generator never builds pydantic objects: it writes the YAML a marketer would write and
the tests read it back through `load_config`, so a drift between this module and the schema
shows up as a load error instead of being hidden. Weekdays and times come in the spellings
the README accepts ("mardi", "Tue", "8h30"), texts carry accents, emoji, non-breaking
spaces and spreadsheet formula starters, and time zones include odd offsets and clock
changes on other dates than Europe's.
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


@st.composite
def lives(draw: st.DrawFn) -> dict[str, Any]:
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
    return found


def _minutes(clock_text: str) -> int:
    """Minutes after midnight of a time written by `clock`."""
    hour, minute = re.split("[:hH]", clock_text)
    return int(hour) * 60 + int(minute)


@st.composite
def channel(
    draw: st.DrawFn, planning: str, audiences: list[str], phases: list[str]
) -> dict[str, Any]:
    times = sorted(draw(st.sets(quarter(), min_size=1, max_size=5)))
    found: dict[str, Any] = {
        "label": draw(text),
        "planning": planning,
        "days": draw(days(1, 7)),
        "per_week": draw(band()),
        "per_day_max": draw(st.integers(1, 3)),
        "times": [draw(clock(t)) for t in times],
        "duration_minutes": draw(st.sampled_from([5, 15, 30, 60, 120, 240])),
    }
    with_lives = draw(st.integers(0, 3)) == 0
    if planning == "types" or with_lives:
        found["audience"] = draw(st.sampled_from(audiences))
        found["phase"] = draw(st.sampled_from(phases))
    if planning == "types":
        kinds = draw(some(("question", "tip", "celebration", "resource"), 4))
        found["types"] = {k: draw(content_type()) for k in kinds}
    if with_lives:
        found["lives"] = draw(lives())
    return found


@st.composite
def stage(draw: st.DrawFn, phase: str) -> dict[str, Any]:
    start = draw(st.integers(1, 6))
    months: dict[str, int] = {"from": start}
    if draw(st.booleans()):
        months["to"] = draw(st.integers(start, start + 4))
    formats = draw(some(("texte", "carrousel", "video", "etude_de_cas"), 2))
    return {
        "phase": phase,
        "months": months,
        "goal": draw(text),
        "tone": draw(text),
        "formats": [{"label": draw(text), "type": f} for f in formats],
        "messages": draw(messages()),
    }


@st.composite
def journey(draw: st.DrawFn, phases: list[str]) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(phases), min_size=1, max_size=len(phases), unique=True))
    ordered = [p for p in phases if p in chosen]
    return {
        "phase_coverage": draw(st.sampled_from(["when_possible", "required"])),
        "stages": [draw(stage(p)) for p in ordered],
    }


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


def default_patterns() -> list[dict[str, str]]:
    data = yaml.safe_load((INPUTS / "confidential.yaml").read_text(encoding="utf-8"))
    return data["confidential"]["patterns"]


@st.composite
def configs(draw: st.DrawFn) -> Case:
    year = draw(st.integers(2025, 2027))
    campaign = date(year, draw(st.integers(1, 12)), 1)
    zone = draw(st.sampled_from(ZONES))
    phases = draw(st.lists(st.sampled_from(PHASES), min_size=1, max_size=5, unique=True))
    audiences = draw(st.lists(st.sampled_from(AUDIENCES), min_size=1, max_size=4, unique=True))
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
    plannings = {n: draw(st.sampled_from(["audiences", "types"])) for n in names}
    channels = {n: draw(channel(p, audiences, phases)) for n, p in plannings.items()}
    blackouts = []
    for _ in range(draw(st.integers(0, 2))):
        first = campaign + timedelta(draw(st.integers(0, 400)))
        entry: dict[str, Any] = {"label": draw(text)}
        if draw(st.booleans()):
            entry["date"] = first.isoformat()
        else:
            entry |= {
                "from": first.isoformat(),
                "to": (first + timedelta(draw(st.integers(0, 9)))).isoformat(),
            }
        if draw(st.booleans()):
            entry["channels"] = [draw(st.sampled_from(names))]
        blackouts.append(entry)
    sections: dict[str, Any] = {
        "calendar": {
            "campaign_start": f"{campaign:%Y-%m}",
            "timezone": zone,
            "holidays": draw(st.sampled_from(HOLIDAYS)),
            "blackouts": blackouts,
        },
        "channels": channels,
        "phases": [{"key": p, "label": draw(text)} for p in phases],
        "audiences": audience_specs,
        "journeys": {a: draw(journey(phases)) for a in audiences},
        "mix": {n: draw(mix(audiences)) for n, p in plannings.items() if p == "audiences"},
        "confidential": {"patterns": default_patterns()},
        "metrics": metrics,
        "preferences": {
            k: draw(st.integers(0, 100))
            for k in (
                "best_day",
                "best_hour",
                "weekly_target",
                "type_target",
                "rhythm",
                "mix_closeness",
                "live_variety",
                "live_spread",
            )
        },
        "export": {"uid_domain": "planner.test", "calendar_name": draw(text)},
    }
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
    return Case(sections, files, draw(horizon(campaign, zone)))
