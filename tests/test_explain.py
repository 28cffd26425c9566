"""planner explain: any item of a default plan, in full."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.calendar import Horizon
from planner.cli import app
from planner.explain import explain, render_explanation
from planner.families import F
from tests.conftest import PlanCache

MONTHS = [Horizon.month(2026, m) for m in range(1, 13)]


def test_every_kind_of_item_of_march_is_explained(plans: PlanCache) -> None:
    """One item of each channel, kind and content type (each is explained the same way)."""
    plan = plans(MONTHS[2])
    kinds = {(i.channel, i.kind, i.content_type): i for i in reversed(plan.items)}
    for item in kinds.values():
        explanation = explain(plan.calendar, plan.items, item.id)
        assert all(ok for _, ok in explanation.rules), item.id
        text = "\n".join(render_explanation(explanation))
        assert item.id in text and "Règles dures" in text
        if item.kind != "task":
            assert explanation.tried, item.id


@pytest.mark.parametrize("horizon", MONTHS, ids=lambda h: h.label)
def test_one_item_of_each_kind_every_month(plans: PlanCache, horizon: Horizon) -> None:
    plan = plans(horizon)
    for kind in ("post", "live", "task"):
        item = next(i for i in plan.items if i.kind == kind)
        assert render_explanation(explain(plan.calendar, plan.items, item.id))


def test_next_best_slot_costs_at_least_the_current_one(plans: PlanCache) -> None:
    plan = plans(MONTHS[2])
    post = next(i for i in plan.items if i.channel == "linkedin")
    explanation = explain(plan.calendar, plan.items, post.id)
    best = explanation.best
    assert best is not None
    assert best.delta >= 0  # the plan is optimal: no single move improves it
    blocked = {f for a in explanation.tried for f in a.broken}
    assert F.DAILY_CAP in blocked  # other LinkedIn days of the month are taken


def test_explain_command(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["plan", "--month", "2026-03", "--now", "2026-02-20T09:00", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0
    plan_csv = tmp_path / "2026-03" / "plan.csv"
    item_id = plan_csv.read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    result = runner.invoke(app, ["explain", item_id, "--plan", str(plan_csv)])
    assert result.exit_code == 0, result.output
    assert "Le déplacer" in result.output
    result = runner.invoke(app, ["explain", "nope", "--plan", str(plan_csv)])
    assert result.exit_code == 2
    assert "Aucun élément « nope »" in result.output
