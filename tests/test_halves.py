"""A fresh plan of a year or more is solved as two halves side by side (planner/planning.py,
`_by_halves`): the joined plan must keep every rule across the seam, depend neither on the
cores nor on timing, and come out as the month-by-month plan when the halves cannot be
joined. The rules at the seam are asserted here from the config's own numbers."""

from __future__ import annotations

import itertools
import os
import threading
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planner import planning
from planner.calendar import Horizon
from planner.checks import check_plan
from planner.config import LoadedConfig, load_config
from planner.content import Assembly, AssemblyError, assemble
from planner.errors import InfeasibleError
from planner.export.bundle import plan_files
from planner.export.report_md import status_line
from planner.items import Item
from planner.planning import Plan, make_plan
from planner.solver.context import ModelContext, placement
from planner.solver.parts import SEARCHES
from planner.solver.solve import Solution
from tests.conftest import MINIMAL, NOW, Edit, config_copy

YEAR = Horizon(date(2026, 3, 1), date(2027, 2, 28))
SEAM = date(2026, 9, 1)
"""The second half's first month: March–August, then September–February."""


@pytest.fixture(scope="module")
def year(loaded: LoadedConfig) -> Plan:
    return make_plan(loaded, YEAR, now=NOW)


def test_the_halves_are_used_from_a_year(
    loaded: LoadedConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The halves run for twelve months (the second half's months then start a thread of
    their own), not for eleven."""
    threads: set[str] = set()
    build = planning.build

    def traced(*args: object, **kwargs: object) -> object:
        threads.add(threading.current_thread().name)
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(planning, "build", traced)
    make_plan(loaded, Horizon(date(2026, 3, 1), date(2027, 1, 31)), now=NOW)
    assert len(threads) == 1
    make_plan(loaded, YEAR, now=NOW)
    assert len(threads) == 3


def test_a_year_keeps_every_rule_across_the_seam(year: Plan) -> None:
    config = year.loaded.config
    assert check_plan(config, year.items, year.calendar.coverage) == []
    lives: dict[str, list[Item]] = defaultdict(list)
    for item in sorted(year.items, key=lambda i: i.start):
        if item.kind == "live" and item.active:
            lives[item.channel].append(item)
    assert lives, "the default programme runs lives"
    for channel, found in lives.items():
        rules = config.channels[channel].lives
        assert rules is not None
        for before, after in itertools.pairwise(found):
            assert (after.day - before.day).days >= rules.min_gap_days, (before.id, after.id)
            if rules.no_repeat_format:
                assert before.content_type != after.content_type, (before.id, after.id)
            assert before.message != after.message, (before.id, after.id)
    for channel, spec in config.channels.items():
        week = [
            i
            for i in year.items
            if i.channel == channel and i.kind == "post" and i.active
            and date(2026, 8, 31) <= i.day <= date(2026, 9, 6)
        ]  # fmt: skip
        assert spec.per_week.min <= len(week) <= spec.per_week.max, channel


def test_every_month_of_both_halves_is_planned(year: Plan) -> None:
    months = {(i.day.year, i.day.month) for i in year.items if i.kind == "post"}
    assert months == {(m.start.year, m.start.month) for m in YEAR.month_chunks()}
    assert any(i.day >= SEAM for i in year.items) and any(i.day < SEAM for i in year.items)


def test_the_same_year_on_one_core(loaded: LoadedConfig, year: Plan) -> None:
    """Each half is one deterministic search per part: on one core the halves take turns
    and the plan is the same, byte for byte in every field the files show."""
    if not hasattr(os, "sched_setaffinity"):
        pytest.skip("no CPU affinity on this system")
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})
    try:
        alone = make_plan(loaded, YEAR, now=NOW)
    finally:
        os.sched_setaffinity(0, cores)
    assert alone.items == year.items


def test_halves_that_cannot_be_joined_give_the_month_by_month_plan(
    loaded: LoadedConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the joined plan still breaks a rule after the seam month is solved again, the
    months are solved one after the other, and the plan is the one a run without halves
    gives."""
    monkeypatch.setattr(planning, "HALVES_FROM", 1000)
    one_by_one = make_plan(loaded, YEAR, now=NOW)
    monkeypatch.setattr(planning, "HALVES_FROM", 12)
    monkeypatch.setattr(planning, "_joined", lambda *args, **kwargs: None)
    fallen_back = make_plan(loaded, YEAR, now=NOW)
    assert fallen_back.items == one_by_one.items
    assert check_plan(loaded.config, fallen_back.items, fallen_back.calendar.coverage) == []


def test_steps_whose_live_is_gone_are_refused(loaded: LoadedConfig) -> None:
    """The second half's months are assembled again after the seam month: if the seam month
    lost a live whose steps the next month holds, the halves do not join (and the months
    are solved one after the other) instead of the plan holding steps of no live."""
    march = make_plan(loaded, Horizon.month(2026, 3), now=NOW)
    every = {i.id: i for i in march.items}
    steps = [
        i for i in march.items
        if i.kind == "post" and i.parent in every and every[i.parent].kind == "live"
    ]  # fmt: skip
    assert steps, "the default lives have posts in their sequence"
    chosen = sorted(placement(every, loaded.config, i) for i in steps)
    with pytest.raises(AssemblyError, match="live"):
        assemble(march.calendar, chosen, date(2026, 3, 1), date(2026, 3, 31), Assembly())
    lives = [every[i.parent] for i in steps if i.parent is not None]
    assert assemble(
        march.calendar, chosen, date(2026, 3, 1), date(2026, 3, 31), Assembly(fixed=lives)
    ), "with their lives, the same steps make items"


def coachs_only(month: int) -> Edit:
    """Campaign month `month` goes all to coachs, who enter the month after: no plan for
    it; the months before keep a mix without them, the months after one with them."""

    def edit(data: dict[str, Any]) -> None:
        data["mix.yaml"]["mix"]["linkedin"]["rows"] = [
            {"months": list(range(1, month)), "shares": {"of": 100}},
            {"months": [month], "shares": {"coachs": 100}},
            {"months": list(range(month + 1, month + 13)), "shares": {"of": 70, "coachs": 30}},
        ]
        data["audiences.yaml"]["audiences"]["coachs"]["eligible"] = {"from_month": month + 1}

    return edit


def month_by_month_error(
    loaded: LoadedConfig, horizon: Horizon, monkeypatch: pytest.MonkeyPatch
) -> str:
    """The error a run without halves gives (halves are on again afterwards)."""
    monkeypatch.setattr(planning, "HALVES_FROM", 1000)
    with pytest.raises(InfeasibleError) as caught:
        make_plan(loaded, horizon)
    monkeypatch.setattr(planning, "HALVES_FROM", 12)
    return caught.value.render()


def test_a_first_half_month_without_a_plan_is_the_error_month_by_month(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """March opens the first half: its conflicts are reported as a month-by-month run
    reports them, and the second half is stopped instead of solved to its end."""
    loaded = load_config(config_copy(MINIMAL, tmp_path / "cfg", coachs_only(3)))
    expected = month_by_month_error(loaded, YEAR, monkeypatch)
    solved: list[date] = []
    solve = planning.solve_model

    def held(ctx: ModelContext, **kwargs: Any) -> Solution:
        """The second half's months wait until the searches are stopped (at most 20 s
        each): a second half that is not stopped solves all six."""
        solved.append(ctx.scope.first)
        if ctx.scope.first >= SEAM:
            SEARCHES.stopping.wait(timeout=20)
        return solve(ctx, **kwargs)

    monkeypatch.setattr(planning, "solve_model", held)
    with pytest.raises(InfeasibleError) as halves:
        make_plan(loaded, YEAR)
    assert halves.value.render() == expected
    assert "mars 2026" in expected
    assert [d for d in solved if d >= SEAM] == [SEAM], "the second half went on"
    assert not SEARCHES.stopping.is_set(), "searches may start again"


def test_a_second_half_month_without_a_plan_is_found_month_by_month(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A month of the second half without a plan, seen without the first half before it,
    leaves the months to be solved one after the other: the error is the month-by-month
    run's."""
    loaded = load_config(config_copy(MINIMAL, tmp_path / "cfg", coachs_only(10)))
    year = Horizon(date(2026, 1, 1), date(2026, 12, 31))
    expected = month_by_month_error(loaded, year, monkeypatch)
    with pytest.raises(InfeasibleError) as halves:
        make_plan(loaded, year)
    assert halves.value.render() == expected
    assert "octobre 2026" in expected


def test_the_screen_and_reports_say_each_month_is_the_best_in_its_half(year: Plan) -> None:
    """« mois par mois, à la suite des précédents » would claim August follows the July
    the plan holds; a second-half month follows its own half's months."""
    assert year.stats.status == "monthly"
    assert "en deux moitiés" in status_line(year.stats)
    [report] = [f.content for f in plan_files(year, NOW) if f.name == "report.md"]
    assert "précédents de sa moitié" in report.decode("utf-8")
