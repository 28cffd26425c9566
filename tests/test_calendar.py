"""Calendar slots: French holidays, blackouts, clock changes, and the weekly band of
docs/rules.md with its covered and open days, pinned to hand-computed values."""

from __future__ import annotations

from datetime import date, time

from planner.calendar import Calendar, Horizon, window_days
from planner.config import LoadedConfig
from planner.config.model import MonthDays
from planner.coverage import Coverage


def month(loaded: LoadedConfig, year: int, number: int, first: int = 1) -> Calendar:
    horizon = Horizon.month(year, number)
    covered = Coverage.of([(date(year, number, first), horizon.end)])
    return Calendar(loaded.config, horizon, None, covered)


def test_french_public_holidays_close_every_channel(loaded: LoadedConfig) -> None:
    calendar = month(loaded, 2026, 5)
    for day in (date(2026, 5, 1), date(2026, 5, 8), date(2026, 5, 14), date(2026, 5, 25)):
        assert not calendar.is_open("linkedin", day)
        assert "férié" in (calendar.closed_reason("skool", day) or "")
    assert calendar.is_open("linkedin", date(2026, 5, 5))


def test_blackouts_close_the_day(loaded: LoadedConfig) -> None:
    calendar = month(loaded, 2026, 12)
    assert "Réveillon" in (calendar.closed_reason("linkedin", date(2026, 12, 24)) or "")


def test_clock_change_gap_and_overlap_are_skipped(loaded: LoadedConfig) -> None:
    calendar = month(loaded, 2026, 3)
    assert calendar.slot(date(2026, 3, 29), time(2, 30), 30) is None  # does not exist
    assert calendar.slot(date(2026, 10, 25), time(2, 30), 30) is None  # happens twice
    assert calendar.slot(date(2026, 3, 29), time(1, 45), 30) is None  # straddles the change
    start, _end = calendar.slot(date(2026, 3, 29), time(9, 0), 30)  # type: ignore[misc]
    assert start.utcoffset().total_seconds() == 7200  # type: ignore[union-attr]
    start, _ = calendar.slot(date(2026, 3, 27), time(9, 0), 30)  # type: ignore[misc]
    assert start.utcoffset().total_seconds() == 3600  # type: ignore[union-attr]


def band(calendar: Calendar, channel: str, monday: date) -> tuple[int, int, int | None]:
    found = calendar.band(channel, monday)
    return found.low, found.high, found.target


def test_full_weeks_get_the_written_band(loaded: LoadedConfig) -> None:
    calendar = month(loaded, 2026, 3)
    assert band(calendar, "linkedin", date(2026, 3, 2)) == (2, 4, 3)
    assert band(calendar, "skool", date(2026, 3, 2)) == (3, 4, None)


def test_a_holiday_lowers_the_minimum(loaded: LoadedConfig) -> None:
    # Easter Monday 06/04/2026: LinkedIn 5 open of 6 days: floor(2 × 5/6) = 1; Skool 4 of 5:
    # floor(3 × 4/5) = 2; the maximum and the target keep all covered days.
    calendar = month(loaded, 2026, 4)
    assert band(calendar, "linkedin", date(2026, 4, 6)) == (1, 4, 3)
    assert band(calendar, "skool", date(2026, 4, 6)) == (2, 4, None)


def test_weeks_cut_by_the_coverage_get_their_share(loaded: LoadedConfig) -> None:
    # 30–31 March alone: 2 of LinkedIn's 6 days: floor(2×2/6)=0, ceil(4×2/6)=2, round(3×2/6)=1.
    calendar = month(loaded, 2026, 3)
    assert band(calendar, "linkedin", date(2026, 3, 30)) == (0, 2, 1)
    # Covered from Wednesday 4 March: 4 of 6 LinkedIn days: floor(8/6)=1, ceil(16/6)=3, 2.
    late = month(loaded, 2026, 3, first=4)
    assert band(late, "linkedin", date(2026, 3, 2)) == (1, 3, 2)


def test_lives_wanted_follow_the_covered_live_days(loaded: LoadedConfig) -> None:
    assert month(loaded, 2026, 3).lives_wanted("skool", 2026, 3) == 2
    # From the 16th: 7 of March 2026's 13 Tuesday–Thursday days: round(2 × 7/13) = 1.
    assert month(loaded, 2026, 3, first=16).lives_wanted("skool", 2026, 3) == 1


def test_ritual_windows_count_from_either_end(loaded: LoadedConfig) -> None:
    last_week = MonthDays.model_validate({"from": -7, "to": -1})
    assert window_days(last_week, 2026, 2) == [date(2026, 2, d) for d in range(22, 29)]
    first_week = MonthDays.model_validate({"from": 1, "to": 7})
    assert window_days(first_week, 2026, 3)[-1] == date(2026, 3, 7)


def test_working_days_skip_holidays_and_blackouts(loaded: LoadedConfig) -> None:
    calendar = month(loaded, 2026, 4)
    assert calendar.previous_working_day("skool", date(2026, 4, 7)) == date(2026, 4, 3)
    december = month(loaded, 2026, 12)
    assert december.previous_working_day("skool", date(2026, 12, 28)) == date(2026, 12, 23)
    assert december.first_working_day("skool", [date(2026, 12, 24), date(2026, 12, 25)]) is None
