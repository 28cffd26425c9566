"""A re-plan's changes and distance are solved as one weighted level (`solve.Paired`): the
weighting must order plans exactly as the two levels would, and the bounds it leaves for the
preferences must never let a worse plan in nor cut a plan as good."""

from __future__ import annotations

from itertools import product

from planner.solver.solve import Paired

SPAN = 720 * 3
"""The largest distance of a month with three free rows."""


def weighted(changes: int, distance: int) -> int:
    value = Paired(changes, distance, SPAN).weighted
    assert isinstance(value, int)
    return value


def test_the_weighting_orders_plans_as_changes_then_distance() -> None:
    pairs = list(product(range(5), (0, 1, 17, SPAN - 1, SPAN)))
    assert sorted(pairs, key=lambda p: weighted(*p)) == sorted(pairs)


def test_the_bounds_after_an_optimum_keep_exactly_the_plans_as_good() -> None:
    for changes, distance in [(0, 0), (2, 0), (1, SPAN), (5, 17)]:
        best = weighted(changes, distance)
        for other in product(range(7), (0, 16, 17, 18, SPAN)):
            as_good = weighted(*other) <= best
            kept = all(Paired(*other, SPAN).bounds(best))
            assert as_good or not kept, (changes, distance, other)
            if as_good and not kept:  # only plans with fewer changes, which the optimum rules out
                assert other[0] < changes, (changes, distance, other)
            if other == (changes, distance):
                assert kept
