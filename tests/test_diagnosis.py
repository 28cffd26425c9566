"""Deliberately broken rules: the named clashing rules, exit code 1, and minimality —
relaxing any one reported rule (all its listed instances) makes the horizon feasible."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.calendar import Calendar, Horizon
from planner.cli import app
from planner.config import load_config
from planner.coverage import Coverage
from planner.diagnosis import Checker, diagnose
from planner.families import F, name
from planner.solver.options import Scope
from planner.solver.solve import build, solve_model

runner = CliRunner()


def replace(folder: Path, file: str, old: str, new: str, count: int = 1) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def regex(folder: Path, file: str, pattern: str, new: str) -> None:
    path = folder / file
    text, n = re.subn(pattern, new, path.read_text(encoding="utf-8"), flags=re.S)
    assert n, pattern
    path.write_text(text, encoding="utf-8")


def blackout(folder: Path, line: str) -> None:
    replace(folder, "calendar.yaml", "  blackouts:", f"  blackouts:\n    - {line}")


@dataclass
class Broken:
    name: str
    edit: Callable[[Path], None]
    horizon: Horizon
    families: set[F]


MARCH = Horizon.month(2026, 3)
FIRST_WEEK = Horizon(date(2026, 3, 2), date(2026, 3, 8))

CASES = [
    Broken(
        "band larger than the publishing days",
        lambda f: replace(
            f,
            "channels.yaml",
            "days: [lundi, mardi, mercredi, jeudi, vendredi, samedi]",
            "days: [samedi]",
        ),
        FIRST_WEEK,
        {F.WEEKLY_BAND, F.DAILY_CAP},
    ),
    Broken(
        "lives that cannot be 7 days apart",
        lambda f: replace(f, "channels.yaml", "per_month: 2", "per_month: 6"),
        MARCH,
        {F.LIVES_PER_MONTH, F.LIVE_SPACING},
    ),
    Broken(
        "live gap longer than the month",
        lambda f: replace(f, "channels.yaml", "min_gap_days: 7", "min_gap_days: 30"),
        MARCH,
        {F.LIVES_PER_MONTH, F.LIVE_SPACING},
    ),
    Broken(
        # A window no format fits at all is refused when loading (tests/test_config_guards.py).
        "a live window only one format fits, which may not repeat",
        lambda f: replace(
            f,
            "channels.yaml",
            'window: {start: "12:00", end: "14:00"}',
            'window: {start: "12:00", end: "12:30"}',
        ),
        MARCH,
        {F.LIVES_PER_MONTH, F.LIVE_ROTATION},
    ),
    Broken(
        "one live format that may not repeat",
        lambda f: (
            regex(f, "channels.yaml", r"\n        masterclass:.*", "\n")
            or regex(f, "channels.yaml", r"\n        - key: teaser_live.*?(?=\n      formats:)", "")
        ),
        MARCH,
        {F.LIVES_PER_MONTH, F.LIVE_ROTATION},
    ),
    Broken(
        "phase coverage impossible with the mix",
        lambda f: (
            replace(
                f,
                "mix.yaml",
                "of: 80, coachs: 15, auditeurs: 5",
                "of: 80, coachs: 20, auditeurs: 0",
            )
            or replace(
                f,
                "journeys.yaml",
                "  auditeurs:\n    stages:",
                "  auditeurs:\n    phase_coverage: required\n    stages:",
            )
        ),
        MARCH,
        {F.PHASE_FOCUS, F.AUDIENCE_MIX},
    ),
]


def horizon_label(horizon: Horizon) -> str:
    return horizon.label


def args(horizon: Horizon) -> list[str]:
    if horizon.is_month:
        return ["--month", horizon.label]
    return ["--from", str(horizon.start), "--to", str(horizon.end)]


def calendar_of(folder: Path, horizon: Horizon) -> Calendar:
    covered = Coverage.of([(horizon.start, horizon.end)])
    return Calendar(load_config(folder).config, horizon, None, covered)


def feasible_without(folder: Path, horizon: Horizon, relaxed: set[F]) -> bool:
    """Every rule enforced except the `relaxed` families (the horizon is one month)."""
    checker = Checker(calendar_of(folder, horizon), Scope(horizon.start, horizon.end), (), {})
    return checker.holds(k for k in checker.guards if k[0] not in relaxed) is True


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_broken_rules_are_named_and_minimal(
    inputs_copy: Path, tmp_path: Path, case: Broken
) -> None:
    case.edit(inputs_copy)
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["plan", "--config", str(inputs_copy), *args(case.horizon), "--out", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert not (out / horizon_label(case.horizon)).exists()
    assert "Conflit 1" in result.output
    assert re.search(r"\w+\.yaml:\d+ · \w+", result.output), result.output
    loaded = load_config(inputs_copy)
    calendar = calendar_of(inputs_copy, case.horizon)
    scope = Scope(case.horizon.start, case.horizon.end)
    assert not solve_model(build(calendar, scope)).stats.solved
    conflicts = diagnose(loaded, calendar, scope)
    assert len(conflicts) == 1, conflicts
    assert set(conflicts[0].families) == case.families
    assert conflicts[0].instances
    for family in case.families:
        assert name(family) in result.output
    assert not feasible_without(inputs_copy, case.horizon, set())
    for family in case.families:
        assert feasible_without(inputs_copy, case.horizon, {family}), family


def test_check_exits_1_with_the_same_diagnosis(inputs_copy: Path) -> None:
    replace(
        inputs_copy,
        "channels.yaml",
        "days: [lundi, mardi, mercredi, jeudi, vendredi, samedi]",
        "days: [samedi]",
    )
    result = runner.invoke(app, ["check", "--config", str(inputs_copy), "--month", "2026-03"])
    assert result.exit_code == 1
    assert "Volume hebdomadaire" in result.output and "Plafond par jour" in result.output


def test_a_partly_blocked_week_lowers_its_minimum_instead_of_failing(
    inputs_copy: Path, tmp_path: Path
) -> None:
    """Issue 12: Monday to Friday blocked leaves LinkedIn's Saturday: minimum
    floor(2 × 1/6) = 0, so the month plans."""
    blackout(inputs_copy, "{from: 2026-03-09, to: 2026-03-13, label: Salon, channels: [linkedin]}")
    result = runner.invoke(
        app,
        ["plan", "--config", str(inputs_copy), "--month", "2026-03", "--out", str(tmp_path),
         "--now", "2026-02-20T09:00"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_check_on_default_inputs_warns_about_skool_targets() -> None:
    result = runner.invoke(app, ["check", "--month", "2026-03"])
    assert result.exit_code == 0, result.output
    assert "= 5 posts par semaine" in result.output
    assert "3–4" in result.output


def test_check_warns_about_a_window_that_never_fits(inputs_copy: Path) -> None:
    CASES[3].edit(inputs_copy)
    result = runner.invoke(app, ["check", "--config", str(inputs_copy), "--month", "2026-03"])
    assert result.exit_code == 1
    assert "ne tient jamais dans la plage 12:00–12:30" in result.output
