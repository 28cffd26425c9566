"""A re-plan keeps, without a model, each month whose rows all still keep every rule: the
solver, asked for as few changes as possible, would have no other choice. These tests hold
the shortcut to exactly what the solver gives, and to the rules."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from planner import planning
from planner.coverage import Coverage
from tests.conftest import INPUTS, config_copy
from tests.lifecycle import planner, stored, violations

NOW = "2026-12-15T09:00"
RANGE = ("--from", "2027-01-01", "--to", "2027-03-31")
FAIR = ("2027-02-15", "2027-02-16", "2027-02-17", "2027-02-18", "2027-02-19")
"""A trade fair week added to the rules after the quarter was planned."""


def with_fair(data: dict[str, Any]) -> None:
    data["calendar.yaml"]["calendar"]["blackouts"] += [
        {"date": day, "label": "Salon"} for day in FAIR
    ]


def run(out: Path, config: Path, period: tuple[str, ...] = RANGE) -> str:
    code, output = planner("plan", "--config", config, *period, "--now", NOW, "--out", out)
    assert code == 0, output
    return output


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("quarter") / "out"
    run(out, INPUTS)
    return out


def without_times(output: str, out: Path) -> str:
    """The console output without its solving time and its folder."""
    return re.sub(r" · [\d,]+ s$", "", output.replace(str(out), "OUT"), flags=re.M)


def folder_files(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith("planner.db")
    }


def test_months_kept_as_they_stand_are_what_the_solver_gives(
    quarter: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quarter re-planned after a fair week in February, once as planner does it and
    once with every month solved: the two workspaces are byte for byte the same."""
    shortcuts = months_kept(monkeypatch)
    kept, solved, fair = kept_and_solved(quarter, tmp_path, monkeypatch, RANGE)
    assert any(shortcuts.values()), "no month was kept: the test would prove nothing"
    assert not all(shortcuts.values()), "February breaks the new rule: it cannot be kept"
    assert folder_files(kept) == folder_files(solved)
    assert violations(kept, fair) == []


def months_kept(monkeypatch: pytest.MonkeyPatch) -> dict[int, bool]:
    """Each re-planned month (by number) and whether it was kept as it stood."""
    standing = planning._as_they_stand
    found: dict[int, bool] = {}

    def spy(month: Any, *args: Any) -> Any:
        rows = standing(month, *args)
        found[month.chunk.start.month] = rows is not None
        return rows

    monkeypatch.setattr(planning, "_as_they_stand", spy)
    return found


def kept_and_solved(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, period: tuple[str, ...]
) -> tuple[Path, Path, Path]:
    """Two copies of `workspace` re-planned after the fair week, the first as planner does
    it, the second with every month solved (the console says the same of both), and the
    config with the fair."""
    fair = config_copy(INPUTS, tmp_path / "inputs", with_fair)
    kept, solved = tmp_path / "kept", tmp_path / "solved"
    shutil.copytree(workspace, kept)
    shutil.copytree(workspace, solved)
    output = run(kept, fair, period)
    monkeypatch.setattr(planning, "_as_they_stand", lambda *args: None)
    assert without_times(run(solved, fair, period), solved) == without_times(output, kept)
    return kept, solved, fair


def test_a_month_whose_rows_still_hold_keeps_them_and_its_figures(
    quarter: Path, tmp_path: Path
) -> None:
    """January is before the fair: its rows stay where they were, with their versions."""
    out = tmp_path / "out"
    shutil.copytree(quarter, out)
    before = {k: s.item for k, s in stored(out)[0].items() if s.item.day.month == 1}
    run(out, config_copy(INPUTS, tmp_path / "inputs", with_fair))
    after = {k: s.item for k, s in stored(out)[0].items() if s.item.day.month == 1}
    assert after == before
    february = [s.item for s in stored(out)[0].values() if s.item.day.month == 2]
    assert all(i.day.isoformat() not in FAIR for i in february if i.active)


HALF_YEAR = ("--from", "2027-01-01", "--to", "2027-06-30")


@pytest.fixture(scope="module")
def half_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("half_year") / "out"
    run(out, INPUTS, HALF_YEAR)
    return out


def test_months_far_from_a_change_are_kept(
    half_year: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six months re-planned after the fair week in February: May and June, far from it,
    are kept as they stand, every row where it was (messages may rotate on). Their context
    holds only the items near them: their check once read January as empty, and they were
    solved again for nothing."""
    out = tmp_path / "out"
    shutil.copytree(half_year, out)

    def placed() -> set[tuple[str, str, str, datetime, str]]:
        items = [s.item for s in stored(out)[0].values() if s.item.day.month >= 5]
        return {(i.id, i.channel, i.kind, i.start, i.audience) for i in items if i.active}

    before = placed()
    kept = months_kept(monkeypatch)
    fair = config_copy(INPUTS, tmp_path / "inputs", with_fair)
    run(out, fair, HALF_YEAR)
    assert kept.get(5) and kept.get(6)
    assert placed() == before
    assert violations(out, fair) == []


def test_six_months_kept_or_solved_give_the_same_plan(
    half_year: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The six months re-planned after the fair week, as planner does it and with every
    month solved: the same workspaces. A month solved again once saw the run's later months
    as planned but empty: May added a post on its last day, which June then removed."""
    kept, solved, _ = kept_and_solved(half_year, tmp_path, monkeypatch, HALF_YEAR)
    assert folder_files(kept) == folder_files(solved)


def test_a_month_re_run_without_change_says_the_same_score(tmp_path: Path) -> None:
    """A month kept as it stands has no model: its figure is its own score, the same as the
    first run's solver found."""
    out = tmp_path / "out"
    args = ("plan", "--month", "2027-01", "--now", NOW, "--out", out)
    first = planner(*args)[1]
    again = planner(*args)[1]
    line = next(x for x in first.splitlines() if x.startswith("Solveur"))
    assert "optimal prouvé" in line
    assert (
        line.split(" · ")[:2]
        == next(x for x in again.splitlines() if x.startswith("Solveur")).split(" · ")[:2]
    )


def test_coverage_without_a_span_keeps_what_is_around_it() -> None:
    d = date
    spans = Coverage.of([(d(2027, 1, 1), d(2027, 3, 31)), (d(2027, 5, 1), d(2027, 5, 31))])
    assert spans.without(d(2027, 2, 1), d(2027, 5, 10)).spans == (
        (d(2027, 1, 1), d(2027, 1, 31)),
        (d(2027, 5, 11), d(2027, 5, 31)),
    )
    assert spans.without(d(2026, 1, 1), d(2026, 12, 31)) == spans
    assert spans.without(d(2027, 1, 1), d(2027, 12, 31)).spans == ()
