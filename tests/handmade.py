"""Hand-built configs and plans for the checker's tests: no solver, every item written out.

`march()` is a whole valid month of the default config (March 2026, campaign month 3):
13 LinkedIn posts, 13 Skool posts, two lives with their sequences and preparations, and
the month's rituals. Each checker test breaks exactly one rule of it.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from planner.config import Config, load_config
from planner.coverage import Coverage
from planner.items import Item

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
MINIMAL = ROOT / "tests" / "data" / "minimal"
TZ = "Europe/Paris"
PARIS = ZoneInfo(TZ)
DEFAULT = load_config(INPUTS).config
MARCH = Coverage.of([(date(2026, 3, 1), date(2026, 3, 31))])


@cache
def _sections(source: Path) -> dict[str, Any]:
    """A config folder's YAML sections, parsed once per process (the pure-Python YAML
    parser costs more than the checks themselves, and the mutation run repeats the tests
    hundreds of times)."""
    data: dict[str, Any] = {}
    for file in sorted(source.glob("*.yaml")):
        data.update(yaml.safe_load(file.read_text(encoding="utf-8")))
    return data


def config_with(source: Path, edit: Callable[[dict[str, Any]], None]) -> Config:
    """A config folder's sections, changed by `edit`, validated by the model."""
    data = deepcopy(_sections(source))
    edit(data)
    return Config.model_validate(data)


def m(day: int) -> date:
    """A day of March 2026."""
    return date(2026, 3, day)


def at(day: date, clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def make(
    id: str, channel: str, kind: str, day: date, clock: str, minutes: int, **fields: str
) -> Item:
    start = at(day, clock)
    return Item(
        id=id,
        channel=channel,
        kind=kind,  # type: ignore[arg-type]
        start=start,
        end=start + timedelta(minutes=minutes),
        timezone=TZ,
        audience=fields.pop("audience", ""),
        phase=fields.pop("phase", ""),
        content_type=fields.pop("content_type"),
        format=fields.pop("format", ""),
        message=fields.pop("message", ""),
        title=fields.pop("title", f"{channel} · {id}"),
        description=fields.pop("description", ""),
        parent=fields.pop("parent", ""),
    )


def journey(
    id: str,
    day: date,
    audience: str,
    phase: str,
    msg: int = 0,
    fmt: int = 0,
    clock: str = "08:30",
    config: Config = DEFAULT,
) -> Item:
    """A journey post on LinkedIn: format and message taken from the phase."""
    stage = next(s for s in config.journeys[audience].stages if s.phase == phase)
    pool = [*stage.messages, *stage.briefs]
    return make(
        id,
        "linkedin",
        "post",
        day,
        clock,
        30,
        audience=audience,
        phase=phase,
        content_type=stage.formats[fmt].type,
        format=stage.formats[fmt].label,
        message=pool[msg],
    )


def community(id: str, day: date, key: str, msg: int = 0, clock: str = "09:00") -> Item:
    """A Skool post of a type or a ritual."""
    skool = DEFAULT.channels["skool"]
    kind = (skool.types or {}).get(key)
    if kind is not None:
        fmt, messages = kind.format, kind.messages
    else:
        ritual = skool.rituals[key]
        fmt, messages = ritual.format or ritual.label, ritual.messages
    return make(
        id,
        "skool",
        "post",
        day,
        clock,
        30,
        audience="membres",
        phase="retention",
        content_type=key,
        format=fmt,
        message=messages[msg],
    )


def step(id: str, day: date, key: str, live: str, clock: str = "") -> Item:
    """A published step of a live's sequence (announcement, replay, teaser)."""
    spec = next(s for s in DEFAULT.channels["skool"].lives.sequence if s.key == key)  # type: ignore[union-attr]
    channel = spec.channel or "skool"
    on_skool = channel == "skool"
    return make(
        id,
        channel,
        "post",
        day,
        clock or ("09:00" if on_skool else "08:30"),
        30,
        audience="membres" if on_skool else spec.audience or "",
        phase="retention" if on_skool else spec.phase or "",
        content_type=key,
        format=spec.format or spec.label,
        message=f"{spec.label} : [sujet du live]",
        parent=live,
    )


def live(id: str, day: date, fmt: str, msg: int = 0, clock: str = "12:00") -> Item:
    spec = DEFAULT.channels["skool"].lives.formats[fmt]  # type: ignore[union-attr]
    return make(
        id,
        "skool",
        "live",
        day,
        clock,
        spec.duration_minutes,
        audience="membres",
        phase="retention",
        content_type=fmt,
        format=spec.label,
        message=spec.messages[msg],
    )


def task(id: str, day: date, clock: str, key: str, parent: str = "", minutes: int = 30) -> Item:
    return make(
        id,
        "skool",
        "task",
        day,
        clock,
        minutes,
        audience="membres",
        phase="retention",
        content_type=key,
        message=f"À faire : {key}",
        parent=parent,
    )


def march() -> list[Item]:
    return [
        # LinkedIn: 3 posts a week (1 in the cut week of 30/03), OF 10 (the teaser among
        # them), coachs 2, auditeurs 1 of 13; OF's focus phases hold 8 of its 10 posts.
        journey("li03", m(3), "of", "awareness", msg=0),
        journey("li05", m(5), "of", "consideration", msg=0),
        journey("li07", m(7), "coachs", "consideration", msg=0, clock="09:00"),
        journey("li10", m(10), "of", "decision", msg=0),
        journey("li11", m(11), "auditeurs", "awareness", msg=0, clock="10:00"),
        journey("li12", m(12), "of", "awareness", msg=1),
        journey("li17", m(17), "of", "consideration", msg=1),
        step("teaser-26", m(19), "teaser_live", "live-26"),
        journey("li20", m(20), "of", "decision", msg=1),
        journey("li24", m(24), "of", "decision", msg=2),
        journey("li26", m(26), "of", "consideration", msg=2),
        journey("li28", m(28), "coachs", "decision", msg=0, clock="09:00"),
        journey("li31", m(31), "of", "decision", msg=0),
        # Skool: 3 posts a week (1 in the cut week), rituals in their windows.
        community("sk02", m(2), "spotlight"),
        community("sk04", m(4), "tip"),
        step("annonce-12", m(5), "annonce_live", "live-12"),
        community("sk09", m(9), "question", msg=0),
        community("sk11", m(11), "feedback"),
        step("replay-12", m(13), "replay", "live-12"),
        community("sk16", m(16), "question", msg=1),
        community("sk18", m(18), "resource"),
        step("annonce-26", m(20), "annonce_live", "live-26"),
        community("sk23", m(23), "question", msg=2),
        community("sk25", m(25), "bilan"),
        step("replay-26", m(27), "replay", "live-26"),
        community("sk30", m(30), "question", msg=0),
        # Two lives, fourteen days apart, with their preparations and reminders.
        live("live-12", m(12), "qa"),
        live("live-26", m(26), "masterclass"),
        task("prep-12", m(11), "14:00", "preparation", "live-12"),
        task("prep-26", m(25), "14:00", "preparation", "live-26"),
        task("rappel-12", m(11), "09:00", "rappel_live", "live-12"),
        task("rappel-26", m(25), "09:00", "rappel_live", "live-26"),
        task("kpi-03", m(2), "09:30", "revue_kpi"),
    ]


def changed(plan: list[Item], id: str, /, **changes: Any) -> list[Item]:
    """The plan with one item's fields changed."""
    return [replace(i, **changes) if i.id == id else i for i in plan]


def swapped(plan: list[Item], new: Item) -> list[Item]:
    """The plan with the item of the same id replaced by `new`."""
    return [new if i.id == new.id else i for i in plan]


def without(plan: list[Item], *ids: str) -> list[Item]:
    return [i for i in plan if i.id not in ids]


def moved(plan: list[Item], id: str, day: date, clock: str | None = None) -> list[Item]:
    """The plan with one item moved to another day (and time), keeping its duration."""
    old = next(i for i in plan if i.id == id)
    start = at(day, clock or f"{old.start:%H:%M}")
    return changed(plan, id, start=start, end=start + (old.end - old.start))
