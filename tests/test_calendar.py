"""Calendar slots: French holidays, blackouts, clock changes, partial weeks."""

from __future__ import annotations

from datetime import date, time

from planner.calendar import Calendar, Horizon
from planner.config import LoadedConfig


def test_french_public_holidays_close_every_channel(loaded: LoadedConfig) -> None:
    calendar = Calendar(loaded.config, Horizon.month(2026, 5))
    for day in (date(2026, 5, 1), date(2026, 5, 8), date(2026, 5, 14), date(2026, 5, 25)):
        assert not calendar.is_open("linkedin", day)
        assert "férié" in (calendar.closed_reason("skool", day) or "")
    assert calendar.is_open("linkedin", date(2026, 5, 5))


def test_blackouts_close_the_day(loaded: LoadedConfig) -> None:
    calendar = Calendar(loaded.config, Horizon.month(2026, 12))
    assert "Réveillon" in (calendar.closed_reason("linkedin", date(2026, 12, 24)) or "")


def test_skool_weekend_is_never_open(loaded: LoadedConfig) -> None:
    calendar = Calendar(loaded.config, Horizon.month(2026, 3))
    assert all(d.weekday() < 5 for d in calendar.open_days("skool"))


def test_clock_change_gap_and_overlap_are_skipped(loaded: LoadedConfig) -> None:
    calendar = Calendar(loaded.config, Horizon.month(2026, 3))
    assert calendar.slot(date(2026, 3, 29), time(2, 30), 30) is None  # does not exist
    assert calendar.slot(date(2026, 10, 25), time(2, 30), 30) is None  # happens twice
    assert calendar.slot(date(2026, 3, 29), time(1, 45), 30) is None  # straddles the change
    start, _end = calendar.slot(date(2026, 3, 29), time(9, 0), 30)  # type: ignore[misc]
    assert start.utcoffset().total_seconds() == 7200  # type: ignore[union-attr]
    start, _ = calendar.slot(date(2026, 3, 27), time(9, 0), 30)  # type: ignore[misc]
    assert start.utcoffset().total_seconds() == 3600  # type: ignore[union-attr]


def test_weeks_cut_by_the_horizon_get_a_proportional_band(loaded: LoadedConfig) -> None:
    calendar = Calendar(loaded.config, Horizon.month(2026, 3))
    assert calendar.week_band("linkedin", date(2026, 3, 2)) == (2, 4)
    # 30-31 March: 2 of LinkedIn's 6 days -> floor(2*2/6)=0 .. ceil(4*2/6)=2.
    assert calendar.week_band("linkedin", date(2026, 3, 30)) == (0, 2)
    # 1 January 2026 (Thursday) is a holiday: the cut week asks no more than its open days.
    january = Calendar(loaded.config, Horizon.month(2026, 1))
    assert january.week_band("skool", date(2025, 12, 29)) == (1, 2)
