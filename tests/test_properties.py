"""Generated configs: every valid config gives a plan that meets every hard rule, or names
the rules that clash; never a traceback, never a broken plan.

Configs come from `tests/strategies.py` as YAML files read through `load_config`. Profiles
(`tests/conftest.py`): `ci` by default, derandomized; `PLANNER_HYPOTHESIS=large` locally.
"""

from __future__ import annotations

import io
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from hypothesis import event, given, settings
from icalendar import Calendar as IcsCalendar
from typer.testing import CliRunner

from planner.checks import check_plan
from planner.cli import app
from planner.config import load_config
from planner.errors import InfeasibleError
from planner.export.bundle import plan_files
from planner.export.csvfile import restore
from planner.families import FAMILIES
from planner.items import Item
from planner.planning import Plan, make_plan
from planner.scoring import score_plan, totals
from tests.strategies import Case, configs

NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
RULE_NAMES = tuple(f.name for f in FAMILIES.values() if f.hard)
WHERE = re.compile(r"\[[^\]]*\.ya?ml:\d+ · [^\]]+\]")
"""A conflict line ends with where the rule is written: [file.yaml:12 · channels.x.per_week]."""


def exists_once(moment: datetime) -> bool:
    """The local time exists and is not ambiguous (independent of planner.calendar)."""
    zone = moment.tzinfo
    back = moment.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return False
    return moment.replace(fold=0).utcoffset() == moment.replace(fold=1).utcoffset()


def assert_named_conflicts(error: InfeasibleError) -> None:
    """Exit 1 with the clashing rules: each conflict names its rules, then one line per rule
    instance, by its name and where it is written."""
    assert error.exit_code == 1
    assert error.problems, error.render()
    for problem in error.problems:
        text = problem.render()
        header, *details = text.split("\n      • ")
        assert header.startswith("Conflit "), text
        assert header.rsplit(" : ", 1)[-1].startswith(RULE_NAMES), text
        assert details, text
        for line in details:
            assert line.startswith(RULE_NAMES), text
            assert WHERE.search(line), text


def assert_exports_match(plan: Plan) -> None:
    """The CSV reads back (pandas) to the items' own texts; the ICS holds the same times."""
    files = {f.name: f.content for f in plan_files(plan, NOW)}
    items: dict[str, Item] = {i.id: i for i in plan.items}
    frame = pd.read_csv(io.BytesIO(files["plan.csv"]), dtype=str, keep_default_na=False)
    assert sorted(frame["id"]) == sorted(items)
    for row in frame.itertuples(index=False):
        item = items[row.id]
        for column in ("title", "message", "description", "format"):
            assert restore(getattr(row, column)) == getattr(item, column)
        assert datetime.fromisoformat(row.start) == item.start
    events = IcsCalendar.from_ical(files["plan.ics"]).walk("VEVENT")
    assert len(events) == len(items)
    for vevent in events:
        item = items[str(vevent["UID"]).split("@")[0]]
        assert vevent.decoded("DTSTART") == item.start
        assert vevent.decoded("DTEND") == item.end


def plan_or_conflicts(case: Case) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        loaded = load_config(case.write(Path(tmp) / "inputs"))
        try:
            plan = make_plan(loaded, case.horizon, time_limit=60)
        except InfeasibleError as error:
            event("conflits nommés")
            assert_named_conflicts(error)
            return
    event("plan")
    assert check_plan(plan.loaded.config, plan.items, plan.calendar.coverage) == []
    for item in plan.items:
        assert exists_once(item.start) and exists_once(item.end), item.id
        assert item.start.utcoffset() == item.end.utcoffset(), item.id
    scored = float(sum(totals(score_plan(plan.calendar, plan.items)).values()))
    assert plan.stats.objective is not None
    assert abs(plan.stats.objective - scored) < 0.01
    assert_exports_match(plan)


@given(configs())
def test_generated_config_plans_or_names_its_conflicts(case: Case) -> None:
    plan_or_conflicts(case)


@settings(max_examples=max(settings().max_examples // 5, 10))
@given(configs())
def test_generated_config_through_the_command_line(case: Case) -> None:
    """The same, as a marketer meets it: exit 0 with files, or 1 with the clashing rules
    and nothing written; never an internal error."""
    with tempfile.TemporaryDirectory() as tmp:
        config = case.write(Path(tmp) / "inputs")
        out = Path(tmp) / "out"
        horizon = case.horizon
        span = ["--from", horizon.start.isoformat(), "--to", horizon.end.isoformat()]
        args = ["plan", "--config", str(config), "--out", str(out), "--now", NOW.isoformat()]
        result = CliRunner().invoke(app, [*args, *span])
        assert result.exit_code in (0, 1), result.output
        assert "Erreur interne" not in result.output and "bogue" not in result.output
        if result.exit_code == 0:
            assert (out / horizon.label / "plan.csv").stat().st_size > 0
        else:
            assert "ne peuvent pas toutes tenir" in result.output, result.output
            assert not out.exists()
