"""The reasons' lookups find what reading every item would find, in the same order.

`planner.why.ActiveItems` replaces scans of the whole plan (one per item and per missed
preference) by dictionaries; the reasons stay the same only if each lookup returns exactly
the items, and the order, that a scan of the items returns. Checked here against plain
scans on a three-month default plan (lives, their sequences, rituals, campaigns).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planner.calendar import Horizon
from planner.items import Item
from planner.planning import Plan
from planner.why import ActiveItems
from tests.conftest import PlanCache


@pytest.fixture(scope="module")
def quarter(plans: PlanCache) -> Plan:
    return plans(Horizon(date(2026, 3, 1), date(2026, 5, 31)))


@pytest.fixture(scope="module")
def active(quarter: Plan) -> list[Item]:
    """Active items in time order, then a few inactive ones mixed in, as a plan holds."""
    items = sorted([*quarter.items, *quarter.context], key=lambda i: (i.start, i.id))
    return [i for i in items if i.active] + [i for i in items if not i.active]


def test_the_plan_has_what_the_lookups_serve(quarter: Plan) -> None:
    kinds = {i.kind for i in quarter.items if i.active}
    assert {"post", "live", "task"} <= kinds
    assert any(i.parent for i in quarter.items if i.active)
    assert quarter.misses


def test_parents_children_and_lives(active: list[Item]) -> None:
    index = ActiveItems(active)
    live = [i for i in active if i.active]
    for item in live:
        if item.parent:
            expected = next((i for i in live if i.id == item.parent), None)
            assert index.find(item.parent) is expected
        assert index.children(item.id) == [i for i in live if i.parent == item.id]
    for channel in {i.channel for i in live}:
        assert index.lives(channel) == [
            i for i in live if i.kind == "live" and i.channel == channel
        ]
    assert index.find("pas-un-identifiant") is None


def test_posts_by_day_week_and_month(active: list[Item]) -> None:
    index = ActiveItems(active)
    posts = [i for i in active if i.active and i.kind == "post"]
    channels = sorted({i.channel for i in posts})
    first = min(i.day for i in posts)
    mondays = [first - timedelta(first.weekday()) + timedelta(7 * n) for n in range(14)]
    for channel in channels:
        for monday in mondays:
            week = [monday + timedelta(n) for n in range(7)]
            scanned = [i for i in posts if i.channel == channel and i.day in week]
            assert index.posts_on(channel, reversed(week)) == scanned
        for year, month in [(2026, 3), (2026, 4), (2026, 5), (2026, 6)]:
            scanned = [
                i
                for i in posts
                if i.channel == channel and (i.day.year, i.day.month) == (year, month)
            ]
            assert index.posts_in(channel, year, month) == scanned
    assert index.month_posts(2026, 4) == [
        i for i in posts if (i.day.year, i.day.month) == (2026, 4)
    ]


def test_the_items_of_each_miss_in_plan_order(quarter: Plan, active: list[Item]) -> None:
    index = ActiveItems(active)
    live = [i for i in active if i.active]
    for miss in quarter.misses:
        assert index.among(reversed(miss.items)) == [i for i in live if i.id in miss.items]
