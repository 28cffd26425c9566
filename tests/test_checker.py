"""The solver-free checker catches each kind of broken plan (so its green light means something)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from planner.calendar import Horizon
from planner.checks import check_plan
from planner.families import F
from planner.items import Item
from planner.planning import Plan
from tests.conftest import PlanCache

MARCH = Horizon.month(2026, 3)


def families(plan: Plan, items: list[Item]) -> set[F]:
    return {v.family for v in check_plan(plan.calendar, items)}


def moved(item: Item, days: int = 0, start: datetime | None = None) -> Item:
    new_start = start or item.start + timedelta(days=days)
    return item.with_(start=new_start, end=new_start + (item.end - item.start))


def first(plan: Plan, **match: str) -> Item:
    return next(i for i in plan.items if all(getattr(i, k) == v for k, v in match.items()))


def replaced(plan: Plan, old: Item, new: Item) -> list[Item]:
    return [new if i.id == old.id else i for i in plan.items]


@pytest.fixture
def march(plans: PlanCache) -> Plan:
    return plans(MARCH)


def test_valid_plan_passes(march: Plan) -> None:
    assert families(march, march.items) == set()


def test_post_on_sunday_breaks_publishing_days(march: Plan) -> None:
    post = first(march, channel="linkedin", kind="post")
    sunday = post.start + timedelta(days=6 - post.start.weekday())
    assert F.PUBLISHING_DAYS in families(march, replaced(march, post, moved(post, start=sunday)))


def test_skool_post_on_saturday_breaks_publishing_days(march: Plan) -> None:
    post = first(march, channel="skool", kind="post")
    saturday = post.start + timedelta(days=5 - post.start.weekday())
    assert F.PUBLISHING_DAYS in families(march, replaced(march, post, moved(post, start=saturday)))


def test_two_posts_a_day_break_the_daily_cap(march: Plan) -> None:
    posts = [i for i in march.items if i.channel == "linkedin"]
    twin = posts[1].with_(
        id="twin", start=posts[1].start.replace(hour=10), end=posts[1].end.replace(hour=10)
    )
    assert F.DAILY_CAP in families(march, [*march.items, twin])


def test_dropping_posts_breaks_the_weekly_band(march: Plan) -> None:
    week = [i for i in march.items if i.channel == "skool" and i.kind == "post"][:4]
    items = [i for i in march.items if i not in week[:3]]
    assert F.WEEKLY_BAND in families(march, items)


def test_wrong_audience_breaks_the_mix(march: Plan) -> None:
    post = first(march, channel="linkedin", audience="of", phase="decision")
    coach = post.with_(audience="coachs", message="Des programmes clairs qui rassurent vos clients")
    found = families(march, replaced(march, post, coach))
    assert F.AUDIENCE_MIX in found


def test_ineligible_audience_breaks_eligibility(march: Plan) -> None:
    post = first(march, channel="linkedin", audience="of")
    assert F.ELIGIBILITY in families(
        march, replaced(march, post, post.with_(audience="certificateurs"))
    )


def test_inactive_phase_breaks_phase_window(march: Plan) -> None:
    post = first(march, channel="linkedin", audience="of")
    assert F.PHASE_WINDOW in families(march, replaced(march, post, post.with_(phase="advocacy")))


def test_phases_out_of_order_break_phase_order(march: Plan) -> None:
    posts = sorted((i for i in march.items if i.audience == "of"), key=lambda i: i.start)
    assert posts[0].phase == "consideration"
    first_post = posts[0].with_(
        phase="decision",
        message="Une ingénierie en mangeant un carry",
        format="Comparatif",
        content_type="comparatif",
    )
    assert F.PHASE_ORDER in families(march, replaced(march, posts[0], first_post))


def test_repeated_message_breaks_rotation(march: Plan) -> None:
    posts = sorted((i for i in march.items if i.audience == "of"), key=lambda i: i.start)
    a, b = posts[0], posts[1]
    assert a.phase == b.phase
    assert F.MESSAGE_ROTATION in families(march, replaced(march, b, b.with_(message=a.message)))


def test_empty_control_point_is_caught(march: Plan) -> None:
    post = first(march, channel="linkedin")
    assert F.CONTROL_POINTS in families(march, replaced(march, post, post.with_(format="")))


def test_lives_too_close_and_repeated(march: Plan) -> None:
    lives = [i for i in march.items if i.kind == "live"]
    second = moved(lives[1], start=lives[0].start + timedelta(days=2))
    found = families(
        march,
        replaced(
            march,
            lives[1],
            second.with_(
                content_type=lives[0].content_type, format=lives[0].format, message=lives[0].message
            ),
        ),
    )
    assert {F.LIVE_SPACING, F.LIVE_ROTATION} <= found


def test_missing_live_breaks_lives_per_month(march: Plan) -> None:
    live = first(march, kind="live")
    items = [i for i in march.items if i.id != live.id and i.parent != live.id]
    assert F.LIVES_PER_MONTH in families(march, items)


def test_live_outside_window(march: Plan) -> None:
    live = first(march, kind="live")
    late = moved(live, start=live.start.replace(hour=18))
    assert F.LIVE_WINDOW in families(march, replaced(march, live, late))


def test_task_on_wrong_day_breaks_preparation(march: Plan) -> None:
    task = first(march, kind="task")
    assert F.LIVE_PREPARATION in families(march, replaced(march, task, moved(task, days=-1)))


def test_nonexistent_local_time_is_caught(march: Plan) -> None:
    post = first(march, channel="linkedin")
    gap = post.start.replace(day=29, hour=2, minute=30)
    assert F.VALID_TIMES in families(march, replaced(march, post, moved(post, start=gap)))


def test_confidential_text_is_caught(march: Plan) -> None:
    post = first(march, channel="linkedin")
    leak = post.with_(description=post.description + "\nPalier à 197\u00a0€")
    assert F.CONFIDENTIALITY in families(march, replaced(march, post, leak))


def test_duplicate_ids_are_caught(march: Plan) -> None:
    a, b = march.items[0], march.items[1]
    assert F.UNIQUE_IDS in families(march, replaced(march, b, b.with_(id=a.id)))
