"""Generated configs: every valid config gives a plan that meets every hard rule, or names
the rules that clash; never a traceback, never a broken plan.

Configs come from `tests/strategies.py` as YAML files read through `load_config`. Profiles
(`tests/conftest.py`): `ci` by default, derandomized; `PLANNER_HYPOTHESIS=large` locally.
Each test takes a fraction of the profile's examples, so that `ci` stays around two
minutes on two cores; the planner bugs found so far are pinned in
`tests/test_properties_bugs.py` and recognised here (`known_bug`), so that these tests keep
hunting for new ones.
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
from hypothesis import event, given, note, settings
from icalendar import Calendar as IcsCalendar
from typer.testing import CliRunner

from planner.calendar import Horizon
from planner.checks import check_plan
from planner.cli import app
from planner.config import LoadedConfig, load_config
from planner.config.model import Config
from planner.errors import CheckFailedError, InfeasibleError
from planner.export.bundle import plan_files
from planner.export.csvfile import restore
from planner.families import FAMILIES
from planner.items import Item
from planner.planning import Facts, Plan, make_plan
from planner.scoring import score_plan, totals
from tests.strategies import Case, configs

NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
EFFORT = 10.0
"""Solver budget per plan, in deterministic seconds (the same plan on any machine)."""
RULE_NAMES = tuple(f.name for f in FAMILIES.values() if f.hard)
WHERE = re.compile(r"\[[^\]]*\.ya?ml:\d+ · [^\]]+\]")
"""A conflict line ends with where the rule is written: [file.yaml:12 · channels.x.per_week]."""

KnownBug = Callable[[Config, Horizon, str], bool]
"""Whether one line of a failed check is a known bug, given the config and the horizon."""


KNOWN_BUGS: dict[str, KnownBug] = {}
"""Violations the planner is known to produce, each pinned by a minimal config in
`tests/test_properties_bugs.py` (none open today): a `CheckFailedError` made only of these
is counted as an event, not as a new failure."""


def examples(share: int) -> int:
    """A share (in percent) of the profile's examples, at least five."""
    return max(settings().max_examples * share // 100, 5)


def exists_once(moment: datetime) -> bool:
    """The local time exists and is not ambiguous (independent of planner.calendar)."""
    zone = moment.tzinfo
    back = moment.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return False
    return moment.replace(fold=0).utcoffset() == moment.replace(fold=1).utcoffset()


def known_bug(config: Config, horizon: Horizon, lines: list[str]) -> str | None:
    """The known bugs behind every line of a failed check, if all lines have one."""
    names = set()
    for line in lines:
        found = [name for name, bug in KNOWN_BUGS.items() if bug(config, horizon, line)]
        if not found:
            return None
        names.add(found[0])
    return ", ".join(sorted(names)) if names else None


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


def assert_sound(plan: Plan, items: list[Item] | None = None) -> None:
    """The independent checker finds nothing on the plan's covered days (warnings
    included: a plan made from nothing has no fact to excuse a broken rule), and every
    time exists once in the zone."""
    config = plan.loaded.config
    items = plan.items if items is None else items
    violations = check_plan(config, items, plan.calendar.coverage)
    assert violations == [], "\n".join(v.render() for v in violations)
    ids = [i.id for i in items]
    assert len(ids) == len(set(ids))
    for item in items:
        assert exists_once(item.start) and exists_once(item.end), item.id
        assert item.start.utcoffset() == item.end.utcoffset(), item.id


@contextmanager
def loaded_case(case: Case) -> Iterator[LoadedConfig]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = case.write(Path(tmp) / "inputs")
        note(case.yaml())
        yield load_config(folder)


def plan_or_conflicts(
    loaded: LoadedConfig, horizon: Horizon, facts: Facts | None = None
) -> Plan | None:
    """The plan, or None when the rules clash and the error names them; a failed check
    made only of known bugs is None too (an event says which)."""
    try:
        plan = make_plan(loaded, horizon, effort=EFFORT, facts=facts)
    except InfeasibleError as error:
        event("conflits nommés")
        assert_named_conflicts(error)
        return None
    except CheckFailedError as error:
        bug = known_bug(loaded.config, horizon, [p.message for p in error.problems])
        if bug is None:
            raise
        event(f"bogue connu : {bug}")
        return None
    event("plan")
    return plan


@settings(max_examples=examples(15))
@given(configs())
def test_generated_config_plans_or_names_its_conflicts(case: Case) -> None:
    with loaded_case(case) as loaded:
        plan = plan_or_conflicts(loaded, case.horizon)
    if plan is None:
        return
    assert_sound(plan)
    assert plan.stats.objective is not None
    scored = float(sum(totals(score_plan(plan.calendar, plan.items)).values()))
    assert abs(plan.stats.objective - scored) < 0.01
    assert_exports_match(plan)


@settings(max_examples=examples(3))
@given(configs())
def test_the_same_config_plans_the_same_items(case: Case) -> None:
    """Planning is reproducible: the solver's budget is deterministic time, one worker."""
    with loaded_case(case) as loaded:
        first = plan_or_conflicts(loaded, case.horizon)
        if first is None:
            return
        again = make_plan(loaded, case.horizon, effort=EFFORT)
    assert again.items == first.items


def following(horizon: Horizon) -> Horizon:
    day = horizon.end + timedelta(1)
    return Horizon.month(day.year, day.month)


@settings(max_examples=examples(6))
@given(configs(months_only=True))
def test_a_month_planned_after_the_previous_one(case: Case) -> None:
    """The second month sees the first one's items as facts, as `planner.runs` passes
    them from the plan store; both months together still pass the checker."""
    with loaded_case(case) as loaded:
        first = plan_or_conflicts(loaded, case.horizon)
        if first is None:
            return
        assert_sound(first)
        facts = Facts(
            context=first.items,
            prior=first.calendar.coverage,
            reserved=frozenset(i.id for i in first.items),
        )
        second = plan_or_conflicts(loaded, following(case.horizon), facts)
    if second is None:
        return
    event("deux mois")
    assert second.warnings == [], "\n".join(w.render() for w in second.warnings)
    assert_sound(second, [*first.items, *second.items])


@settings(max_examples=examples(3))
@given(configs())
def test_generated_config_through_the_command_line(case: Case) -> None:
    """The same, as a marketer meets it: exit 0 with files, or 1 with the clashing rules
    and nothing written; never an internal error."""
    with tempfile.TemporaryDirectory() as tmp:
        config = case.write(Path(tmp) / "inputs")
        note(case.yaml())
        out = Path(tmp) / "out"
        horizon = case.horizon
        span = ["--from", horizon.start.isoformat(), "--to", horizon.end.isoformat()]
        args = ["plan", "--config", str(config), "--out", str(out), "--now", NOW.isoformat()]
        limit = ["--time-limit", str(EFFORT)]
        result = CliRunner().invoke(app, [*args, *span, *limit])
        assert result.exit_code in (0, 1), result.output
        assert "Erreur interne" not in result.output, result.output
        if "bogue" in result.output:
            lines = [line[4:] for line in result.output.splitlines() if line.startswith("  - ")]
            assert known_bug(load_config(config).config, horizon, lines), result.output
            event("bogue connu")
            return
        event(f"code de sortie {result.exit_code}")
        if result.exit_code == 0:
            assert (out / horizon.label / "plan.csv").stat().st_size > 0
        else:
            assert "ne peuvent pas toutes tenir" in result.output, result.output
            assert not (out / horizon.label).exists()
