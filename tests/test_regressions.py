"""One test per bug found by the robustness suite (issue 7), each named after its symptom.

Each case is the smallest config that showed the bug; the docstring says what went wrong.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from ical.calendar_stream import IcsCalendarStream
from typer.testing import CliRunner

from planner.calendar import Horizon
from planner.checks import check_plan
from planner.cli import app
from planner.config import load_config
from planner.errors import InfeasibleError, InputError, Problem
from planner.export.bundle import plan_files
from planner.planning import make_plan
from tests.conftest import MINIMAL, config_copy

MARCH = Horizon.month(2026, 3)
NOW = datetime(2026, 2, 20, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


def refused_at_load(folder: Path) -> Problem:
    """The one problem load_config finds, which must say where it is (file and line)."""
    with pytest.raises(InputError) as caught:
        load_config(folder)
    [problem] = caught.value.problems
    assert problem.file is not None and problem.line
    return problem


def test_lives_on_an_audience_channel_get_the_channel_audience(tmp_path: Path) -> None:
    """A channel planned by audiences may hold lives (the schema allows it); each live took
    its format key as audience and crashed with KeyError: 'qa'."""

    def move_lives(data: dict[str, Any]) -> None:
        channels = data["channels.yaml"]["channels"]
        channels["linkedin"] |= {"audience": "of", "phase": "awareness"}
        channels["linkedin"]["lives"] = channels["skool"].pop("lives")

    folder = config_copy(MINIMAL, tmp_path / "cfg", move_lives)
    plan = make_plan(load_config(folder), MARCH)
    lives = [i for i in plan.items if i.kind == "live"]
    assert lives and all(i.channel == "linkedin" and i.audience == "of" for i in lives)
    assert check_plan(plan.loaded.config, plan.items, plan.calendar.coverage) == []


def test_a_calendar_name_with_a_line_break_is_escaped_in_ics(tmp_path: Path) -> None:
    """A calendar name (or channel label) typed on two lines in YAML went raw into
    X-WR-CALNAME, and icalendar refused to write the file (AssertionError)."""

    def two_lines(data: dict[str, Any]) -> None:
        data["settings.yaml"]["export"]["calendar_name"] = "Plan\nde mars"
        data["channels.yaml"]["channels"]["skool"]["label"] = "Cercle\nQALIA"

    folder = config_copy(MINIMAL, tmp_path / "cfg", two_lines)
    plan = make_plan(load_config(folder), MARCH)
    files = {f.name: f.content for f in plan_files(plan, NOW)}
    for name in ("plan.ics", "plan-skool.ics"):
        text = files[name].decode("utf-8")
        assert IcsCalendarStream.calendar_from_ics(text).events
        assert "X-WR-CALNAME:Plan\\nde mars" in text


def test_a_blank_message_is_refused_at_load(tmp_path: Path) -> None:
    """A message of spaces passed the schema (min_length 1), then the checker rejected the
    plan for an empty control point: "bogue de planner", exit 1, instead of naming the line."""

    def blank(data: dict[str, Any]) -> None:
        data["journeys.yaml"]["journeys"]["of"]["stages"][0]["messages"][1] = "   "

    problem = refused_at_load(config_copy(MINIMAL, tmp_path / "cfg", blank))
    assert (problem.file.name, problem.path) == (
        "journeys.yaml",
        "journeys.of.stages[0].messages[1]",
    )
    assert "texte vide" in problem.message


def test_a_message_listed_twice_is_refused_at_load(tmp_path: Path) -> None:
    """Two equal messages in one list made the rotation publish one twice in a row; the
    checker then rejected the plan as a bug of planner (exit 1) on long horizons."""

    def twice(data: dict[str, Any]) -> None:
        formats = data["channels.yaml"]["channels"]["skool"]["lives"]["formats"]
        formats["qa"]["messages"] = ["Vos questions Qualiopi", "Vos questions Qualiopi"]

    problem = refused_at_load(config_copy(MINIMAL, tmp_path / "cfg", twice))
    assert (problem.file.name, problem.path) == (
        "channels.yaml",
        "channels.skool.lives.formats.qa.messages",
    )
    assert "« Vos questions Qualiopi » en double" in problem.message


def test_no_and_on_are_texts_not_booleans(tmp_path: Path) -> None:
    """YAML 1.1 reads NO, ON, yes, off… as booleans: Norway's holidays (country: NO) and an
    audience with initials ON were refused as 'texte attendu, reçu « False »'."""
    folder = config_copy(MINIMAL, tmp_path / "cfg")
    for name, old, new in (
        ("calendar.yaml", "{country: FR}", "{country: NO}"),
        ("audiences.yaml", "short: CO", "short: ON"),
        (
            "channels.yaml",
            "      per_month: 1\n",
            "      per_month: 1\n      no_repeat_format: false\n",
        ),
    ):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    config = load_config(folder).config
    assert config.calendar.holidays.country == "NO"
    assert config.audiences["coachs"].short == "ON"
    lives = config.channels["skool"].lives
    assert lives is not None and lives.no_repeat_format is False


def test_system_errors_are_said_in_french(tmp_path: Path) -> None:
    """A system error reached the user in English ('Not a directory (/dev/null).', 'File
    exists'): the operating system's own text, not a sentence a marketer reads."""
    taken = tmp_path / "out"
    taken.write_text("un fichier, pas un dossier\n", encoding="utf-8")
    for args, says in (
        (["--config", "/dev/null"], "ce n'est pas un dossier : /dev/null"),
        (
            ["--config", str(MINIMAL), "--out", str(taken)],
            f"un fichier porte déjà ce nom : {taken}",
        ),
    ):
        result = CliRunner().invoke(app, ["plan", "--month", "2026-03", *args])
        assert result.exit_code == 2, result.output
        assert says in result.output
        assert not re.search(r"\b(Not a|File exists|directory)\b", result.output), result.output


def test_a_preparation_skipped_by_a_clock_change_moves_to_an_existing_time(
    tmp_path: Path,
) -> None:
    """Jerusalem moves its clocks on Friday 27 March 2026 at 02:00. A Monday live at 02:00
    prepared at 02:30 has its task on that Friday, where neither time exists: planning
    crashed on an assertion instead of skipping to the first time that exists."""

    def friday_change(data: dict[str, Any]) -> None:
        calendar = data["calendar.yaml"]["calendar"]
        calendar["timezone"] = "Asia/Jerusalem"
        calendar["blackouts"] = [
            {"date": f"2026-03-{day:02d}", "label": "Autre live", "channels": ["skool"]}
            for day in (2, 9, 16, 23)
        ]
        lives = data["channels.yaml"]["channels"]["skool"]["lives"]
        lives |= {"days": ["lundi"], "window": {"start": "02:00", "end": "02:45"}}
        lives |= {"start_every_minutes": 15, "preparation": {"time": "02:30"}}

    folder = config_copy(MINIMAL, tmp_path / "cfg", friday_change)
    plan = make_plan(load_config(folder), MARCH)
    [task] = [i for i in plan.items if i.kind == "task"]
    assert task.start.date().isoformat() == "2026-03-27"
    assert (task.start.hour, task.start.minute) == (3, 0)  # 02:30 does not exist that day
    assert check_plan(plan.loaded.config, plan.items, plan.calendar.coverage) == []


def test_a_week_without_any_audience_says_why_it_cannot_hold(tmp_path: Path) -> None:
    """When no audience can be addressed in a month (eligibility, journey phases, 0 %
    shares: rules applied before solving), the only conflict named was the weekly volume
    with '4 jour(s) ouvert(s) sur 4' — a rule that looks easy to meet, and no reason. Now
    the mix rule that gives the addressable audience 0 % is named with it."""

    def nobody_in_march(data: dict[str, Any]) -> None:
        data["mix.yaml"]["mix"]["linkedin"]["rows"][1]["shares"] = {"coachs": 100}
        data["audiences.yaml"]["audiences"]["coachs"]["eligible"] = {"from_month": 4}

    folder = config_copy(MINIMAL, tmp_path / "cfg", nobody_in_march)
    with pytest.raises(InfeasibleError) as caught:
        make_plan(load_config(folder), MARCH)
    text = caught.value.render()
    assert "Volume hebdomadaire — LinkedIn" in text
    assert "Mix d'audience mensuel — OF : 0 % des posts LinkedIn de mars 2026" in text


def test_a_required_phase_with_a_zero_share_says_so(tmp_path: Path) -> None:
    """An audience whose journey requires a post for each active phase, with a 0 % share
    in the mix: the conflict named only the coverage rule, not the mix that blocks it."""

    def zero_share(data: dict[str, Any]) -> None:
        data["mix.yaml"]["mix"]["linkedin"]["rows"][1]["shares"] = {"of": 100, "coachs": 0}
        data["journeys.yaml"]["journeys"]["coachs"]["phase_coverage"] = "required"

    folder = config_copy(MINIMAL, tmp_path / "cfg", zero_share)
    with pytest.raises(InfeasibleError) as caught:
        make_plan(load_config(folder), MARCH)
    text = caught.value.render()
    assert "Phases au premier plan — CO" in text
    assert "Mix d'audience mensuel — OF : 100 % des posts LinkedIn de mars 2026" in text


def test_a_conflict_that_is_slow_under_assumptions_is_still_named(tmp_path: Path) -> None:
    """OF gets 8 % of about 13 posts (1 or 2) but its journey requires one post for each of
    its 3 active phases. The plain model is infeasible in milliseconds, but with the rules
    as CP-SAT assumptions the diagnosis ran out of time and the user read 'Aucun plan
    trouvé dans la limite de temps (0 s) : relancez avec un --time-limit plus grand'."""

    def eight_percent(data: dict[str, Any]) -> None:
        linkedin = data["channels.yaml"]["channels"]["linkedin"]
        linkedin |= {"per_week": {"min": 3, "max": 3}, "per_day_max": 3}
        linkedin["times"] = ["09:00", "10:00"]
        data["mix.yaml"]["mix"]["linkedin"]["rows"][1]["shares"] = {"of": 8, "coachs": 92}
        journey = data["journeys.yaml"]["journeys"]["of"]
        journey["phase_coverage"] = "required"
        journey["stages"].append(
            {
                "phase": "retention",
                "months": {"from": 1},
                "goal": "Fidéliser",
                "tone": "Complice",
                "formats": [{"label": "Nouveautés", "type": "nouveautes"}],
                "messages": ["Nouvelle fonctionnalité", "Ce que font les meilleurs"],
            }
        )

    folder = config_copy(MINIMAL, tmp_path / "cfg", eight_percent)
    with pytest.raises(InfeasibleError) as caught:
        make_plan(load_config(folder), MARCH)
    text = caught.value.render()
    assert "Phases au premier plan — OF : au moins un post" in text, text
    assert "Mix d'audience mensuel — " in text, text
