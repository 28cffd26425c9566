"""Every default plan of 2026 is proven optimal, passes the solver-free checker, and the
solver's objective equals the solver-free score of the plan."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from planner.calendar import Horizon
from planner.checks import check_plan
from planner.families import F
from planner.scoring import score_plan, totals
from planner.solver.solve import solve_plan
from tests.conftest import SIX_MONTHS, PlanCache

MONTHS = [Horizon.month(2026, m) for m in range(1, 13)]


@pytest.mark.parametrize("horizon", [*MONTHS, SIX_MONTHS], ids=lambda h: h.label)
def test_default_plan_is_optimal_and_meets_every_rule(plans: PlanCache, horizon: Horizon) -> None:
    plan = plans(horizon)
    assert plan.stats.status == "optimal"
    assert check_plan(plan.calendar, plan.items) == []
    assert all(i.why for i in plan.items)
    kinds = {(i.channel, i.kind) for i in plan.items}
    assert {("linkedin", "post"), ("skool", "post"), ("skool", "live"), ("skool", "task")} <= kinds


@pytest.mark.parametrize("horizon", [MONTHS[2], MONTHS[4], SIX_MONTHS], ids=lambda h: h.label)
def test_objective_equals_the_solver_free_score(plans: PlanCache, horizon: Horizon) -> None:
    plan = plans(horizon)
    solution = solve_plan(plan.calendar)
    scored = totals(score_plan(plan.calendar, plan.items))
    assert {f: round(v, 6) for f, v in solution.penalties.items() if v} == {
        f: round(float(v), 6) for f, v in scored.items()
    }
    assert plan.stats.objective is not None
    assert abs(plan.stats.objective - float(sum(scored.values()))) < 0.01


def test_march_volumes_follow_the_spec(plans: PlanCache) -> None:
    plan = plans(MONTHS[2])
    active = [i for i in plan.items if i.active]
    linkedin = [i for i in active if i.channel == "linkedin"]
    assert 10 <= len(linkedin) <= 16
    assert sum(1 for i in active if i.kind == "live") == 2
    audiences = {i.audience for i in linkedin}
    assert audiences <= {"of", "coachs", "auditeurs"}
    assert "auditeurs" in audiences  # 5 % of ~13 posts rounds to the nearest: 1


def test_dst_offsets_in_march_and_october(plans: PlanCache) -> None:
    for horizon, change in ((MONTHS[2], 29), (MONTHS[9], 25)):
        for item in plans(horizon).items:
            before = item.day.day < change
            summer = (horizon.start.month == 3) != before
            assert item.start.utcoffset() == timedelta(hours=2 if summer else 1), item.id


def test_best_day_misses_are_explained(plans: PlanCache) -> None:
    plan = plans(SIX_MONTHS)
    for miss in plan.misses:
        assert miss.what
        if miss.family == F.BEST_SLOT:
            assert miss.items


def test_six_month_plan_crosses_months_without_breaking_rotation(plans: PlanCache) -> None:
    plan = plans(SIX_MONTHS)
    lives = [i for i in plan.items if i.kind == "live"]
    assert len(lives) == 12
    for before, after in itertools.pairwise(lives):
        assert before.content_type != after.content_type
        assert (after.day - before.day).days >= 7
