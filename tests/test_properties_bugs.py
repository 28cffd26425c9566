"""Planner bugs found by the generated configs of `tests/test_properties.py`, each shrunk by
hand to a minimal config. A fixed bug stays as a regression test named by the rule it
broke; an open one is pinned as a strict xfail: when it is fixed, its test passes, the
xfail turns red, and the marker (and its entry in `KNOWN_BUGS` of
`tests/test_properties.py`) is removed.

Every config below is valid (`load_config` accepts it); planning it must give a plan that
the independent checker accepts, or name the clashing rules.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from planner.calendar import Horizon
from planner.checks import check_plan
from planner.config import load_config
from planner.errors import InfeasibleError
from planner.items import Item
from planner.planning import Facts, make_plan

BASE = """
calendar: {campaign_start: "2026-01", timezone: Europe/Paris}
phases: [{key: retention, label: Fidélisation}]
audiences: {membres: {label: Membres, short: CQ}}
journeys:
  membres:
    stages:
      - {phase: retention, months: {from: 1}, goal: Fidéliser, tone: Complice,
         formats: [{label: Post, type: texte}], messages: [Merci]}
export: {uid_domain: planner.test, calendar_name: Test}
"""
"""What every case shares: one audience, one phase; each case adds its channels."""

SKOOL = """
label: Cercle
planning: types
audience: membres
phase: retention
days: [lundi]
per_week: {min: 0, max: 1}
times: ["09:00"]
types:
  question: {label: Question, per_week: 0, format: Question, template: "[à compléter]",
             messages: [Une question]}
"""
"""A community channel that asks for nothing: at most one post a week, on Mondays."""


def config(tmp_path: Path, extra: str, **channel: object) -> Path:
    """BASE with a `skool` channel (SKOOL updated with `channel`) and the `extra` sections."""
    data = yaml.safe_load(BASE)
    data["channels"] = {"skool": {**yaml.safe_load(SKOOL), **channel}}
    data.update(yaml.safe_load(extra) or {})
    folder = tmp_path / "inputs"
    folder.mkdir(parents=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (folder / "rules.yaml").write_text(text, encoding="utf-8")
    return folder


def plans_soundly(folder: Path, horizon: Horizon) -> list[Item]:
    """The property of tests/test_properties.py on one config: a plan the checker accepts
    (make_plan raises CheckFailedError, 'c'est un bogue de planner', when it does not)."""
    loaded = load_config(folder)
    plan = make_plan(loaded, horizon, effort=10)
    assert check_plan(loaded.config, plan.items, plan.calendar.coverage) == []
    return plan.items


MARCH = Horizon.month(2026, 3)
LIVES = yaml.safe_load(
    """
per_month: 1
days: [jeudi]
window: {start: "12:00", end: "13:00"}
preparation: {time: "14:00"}
formats:
  qa: {label: Q&R, duration_minutes: 45, description: Questions, messages: [Vos questions]}
"""
)


def test_a_live_only_on_a_live_day_that_is_a_channel_day(tmp_path: Path) -> None:
    """Lives on Thursdays, posts on Mondays: a live is published on an open day of its
    channel listed in lives.days (docs/rules.md), so March has none and says why (once
    found as a bug: the live landed on a Thursday)."""
    loaded = load_config(config(tmp_path, "", lives=LIVES))
    plan = make_plan(loaded, MARCH, effort=10)
    assert check_plan(loaded.config, plan.items, plan.calendar.coverage) == []
    assert not [i for i in plan.items if i.kind == "live"]
    assert "(jeudi : Cercle n'y publie pas) : pas de live" in "\n".join(plan.notices)


JERUSALEM = 'calendar: {campaign_start: "2026-01", timezone: Asia/Jerusalem}'
"""Jerusalem moves its clocks on Friday 27/03/2026 from 02:00 to 03:00: a working day."""


def test_preparation_in_a_clock_change_gap_takes_the_next_existing_quarter_hour(
    tmp_path: Path,
) -> None:
    """A live every Monday, so one on 30/03, prepared the working day before at 02:30, a
    time Friday 27/03 lacks: the task is at 03:00 that day, as docs/rules.md says (once
    found as a bug, when the checker wanted the time as written)."""
    lives = {
        **LIVES,
        "per_month": 5,
        "days": ["lundi"],
        "no_repeat_format": False,
        "preparation": {"time": "02:30"},
    }
    items = plans_soundly(config(tmp_path, JERUSALEM, lives=lives), MARCH)
    assert [f"{i.start:%d/%m %H:%M}" for i in items if i.day == date(2026, 3, 27)] == [
        "27/03 03:00"
    ]


def test_ritual_task_in_a_clock_change_gap_takes_the_next_existing_quarter_hour(
    tmp_path: Path,
) -> None:
    """A ritual task on the 27th at 02:30 is at 03:00 that day."""
    ritual = {"label": "Revue", "kind": "task", "days": {"from": 27, "to": 27}, "time": "02:30"}
    items = plans_soundly(config(tmp_path, JERUSALEM, rituals={"revue": ritual}), MARCH)
    assert [f"{i.start:%d/%m %H:%M}" for i in items if i.kind == "task"] == ["27/03 03:00"]


def test_a_post_ends_the_day_it_starts(tmp_path: Path) -> None:
    """A post at 23:00 lasting two hours would end the next day, so 23:00 is no candidate
    time (docs/rules.md, « Heures candidates »): with 09:00 too, every post is at 09:00;
    alone, a week that wants a post names its conflict and why (once found as a bug: posts
    at 23:00 that the check refused with « 23:00 + 120 min finit après le 02/03/2026 »)."""
    week = {"min": 1, "max": 1}
    both = config(
        tmp_path / "both", "", times=["09:00", "23:00"], duration_minutes=120, per_week=week
    )
    loaded = load_config(both)
    plan = make_plan(loaded, MARCH, effort=10)
    assert check_plan(loaded.config, plan.items, plan.calendar.coverage) == []
    assert {f"{i.start:%H:%M}" for i in plan.items} == {"09:00"}
    late = config(tmp_path / "late", "", times=["23:00"], duration_minutes=120, per_week=week)
    with pytest.raises(InfeasibleError) as error:
        make_plan(load_config(late), MARCH, effort=10)
    assert "(chaque heure candidate + 120 min finit le lendemain)" in error.value.render()


def test_a_plan_made_before_its_month_names_the_late_hours_not_hours_gone_by(
    tmp_path: Path,
) -> None:
    """Planned in advance (`--now` before the month), the month's first day used to say
    « heures candidates déjà passées » when every candidate time ran past midnight."""
    week = {"min": 1, "max": 1}
    late = config(tmp_path / "late", "", times=["23:00"], duration_minutes=120, per_week=week)
    june = Horizon.month(2026, 6)  # begins on a Monday, a day the channel publishes
    now = datetime(2026, 5, 15, 9, 0, tzinfo=UTC)
    with pytest.raises(InfeasibleError) as error:
        make_plan(load_config(late), june, now=now, effort=10)
    said = error.value.render()
    assert "finit le lendemain" in said
    assert "déjà passées" not in said


def test_campaign_task_on_the_working_days_of_its_channel(tmp_path: Path) -> None:
    """A campaign task on its anchor day, which a blackout closes for `skool` only, the
    campaign's channel (its first channel: no step names one): the window has no working
    day, so no task (once found as a bug, when the checker counted only the blackouts of
    all channels)."""
    extra = """
calendar:
  campaign_start: "2026-01"
  timezone: Europe/Paris
  blackouts: [{date: 2026-03-10, label: Salon, channels: [skool]}]
campaigns:
  - key: sortie
    name: Sortie
    anchor: 2026-03-10
    steps:
      - {key: preparer, label: Préparer la sortie, kind: task, days: {from: 0, to: 0},
         message: Préparer}
"""
    assert not [i for i in plans_soundly(config(tmp_path, extra), MARCH) if i.kind == "task"]


def test_a_same_day_step_is_published_after_its_live(tmp_path: Path) -> None:
    """A replay the day of the live (days 0 to 0): with 09:00 and 13:00 on its channel, the
    replay follows the live (12:00–12:45) at 13:00; with 09:00 only, the conflict names the
    live sequence and the channel's times (once found as a bug: the replay at 09:00, which
    the check refused with « publié avant la fin de son live »)."""
    lives = {
        **LIVES,
        "sequence": [{"key": "replay", "label": "Replay", "days": {"from": 0, "to": 0}}],
    }
    both = config(tmp_path / "both", "", lives=lives, days=["jeudi"], times=["09:00", "13:00"])
    loaded = load_config(both)
    plan = make_plan(loaded, MARCH, effort=10)
    assert check_plan(loaded.config, plan.items, plan.calendar.coverage) == []
    (live,) = [i for i in plan.items if i.kind == "live"]
    (replay,) = [i for i in plan.items if i.parent == live.id and i.content_type == "replay"]
    assert replay.start >= live.end
    early = config(tmp_path / "early", "", lives=lives, days=["jeudi"])
    with pytest.raises(InfeasibleError) as error:
        make_plan(load_config(early), MARCH, effort=10)
    assert "après la fin du live (heures de Cercle : 09:00)" in error.value.render()


def test_a_task_step_starts_before_its_live(tmp_path: Path) -> None:
    """A reminder task the day of the live at 13:00, lives between 12:00 and 16:00: the live
    starts after the task (once found as a bug: the live at 12:00, which the check refused
    with « commence après le début de son live (12:00) »)."""
    reminder = {"key": "rappel", "label": "Rappel", "kind": "task", "time": "13:00"}
    lives = {
        **LIVES,
        "window": {"start": "12:00", "end": "16:00"},
        "sequence": [{**reminder, "days": {"from": 0, "to": 0}}],
    }
    loaded = load_config(config(tmp_path, "", lives=lives, days=["jeudi"]))
    plan = make_plan(loaded, MARCH, effort=10)
    assert check_plan(loaded.config, plan.items, plan.calendar.coverage) == []
    (live,) = [i for i in plan.items if i.kind == "live"]
    (task,) = [i for i in plan.items if i.parent == live.id and i.content_type == "rappel"]
    assert task.start < live.start


def test_a_live_at_a_month_end_leaves_its_replay_to_the_next_month(tmp_path: Path) -> None:
    """The week of 29/06/2026 planned as `--from 2026-06-29 --to 2026-07-05`: one post at
    most, a live on Tuesday 30/06 (June's share of three lives a month) and its replay the
    day after. June's model places the live and keeps the week's room for the replay, which
    July's model publishes on 01/07: no other post that week. (Once found as two bugs: June
    placed a question and the replay, which its week did not count; then June refused any
    live whose replay fell in July, a conflict « Lives par mois » where a plan exists.)"""
    lives = {
        **LIVES,
        "per_month": 3,
        "days": ["mardi"],
        "sequence": [{"key": "replay", "label": "Replay", "days": {"from": 1, "to": 1}}],
    }
    every_day = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    types = yaml.safe_load(SKOOL)["types"]
    types["question"] |= {"per_week": 7, "messages": ["Une question", "Une autre"]}
    loaded = load_config(config(tmp_path, "", lives=lives, days=every_day, types=types))
    plan = make_plan(loaded, Horizon(date(2026, 6, 29), date(2026, 7, 5)), effort=10)
    assert check_plan(loaded.config, plan.items, plan.calendar.coverage) == []
    shown = [(i.content_type, f"{i.start:%d/%m}") for i in plan.items if i.kind != "task"]
    assert shown == [("qa", "30/06"), ("replay", "01/07")]


def test_objective_of_a_plan_over_two_months_is_its_score(tmp_path: Path) -> None:
    """Three posts a week for a type that wants seven: each month's model counts the week
    of 28/09/2026, so the sum of their objectives would count it twice (150 points); a plan
    solved month after month reports its own score instead (100 points)."""
    every_day = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    types = yaml.safe_load(SKOOL)["types"]
    types["question"] |= {"per_week": 7, "messages": ["Une question", "Une autre"]}
    band = {"min": 3, "max": 7, "target": 3}
    folder = config(tmp_path, "", days=every_day, per_week=band, types=types)
    loaded = load_config(folder)
    plan = make_plan(loaded, Horizon(date(2026, 9, 28), date(2026, 10, 4)), effort=10)
    score = sum((m.points for m in plan.misses), Fraction(0))
    assert plan.stats.objective == score, f"objectif {plan.stats.objective}, score {score}"


def test_two_months_of_the_minimal_cases_chain(tmp_path: Path) -> None:
    """Sanity check of the helpers: the base config plans March, then April after it."""
    loaded = load_config(config(tmp_path, ""))
    first = make_plan(loaded, MARCH, effort=10)
    facts = Facts(first.items, first.calendar.coverage, frozenset(i.id for i in first.items))
    second = make_plan(loaded, Horizon(date(2026, 4, 1), date(2026, 4, 30)), effort=10, facts=facts)
    items = [*first.items, *second.items]
    assert check_plan(loaded.config, items, second.calendar.coverage) == []
