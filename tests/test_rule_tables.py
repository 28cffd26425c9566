"""Reference quantities of the checker, pinned to values computed by hand from docs/rules.md.

Every expected number below was worked out on paper (the arithmetic is in the comments),
never by calling code: if the checker and these tables disagree, one of them misread the
rules. Dates are 2026 unless said otherwise; the default config is `inputs/`.
"""

from __future__ import annotations

from datetime import date, time
from fractions import Fraction as Fr
from typing import Any

import pytest

from planner.checks import References, WeekBand, share_bounds
from planner.config import Config
from planner.coverage import Coverage
from tests.handmade import DEFAULT, INPUTS, MINIMAL, config_with

YEAR_2026 = Coverage.of([(date(2026, 1, 1), date(2026, 12, 31))])
MARCH = Coverage.of([(date(2026, 3, 1), date(2026, 3, 31))])


def refs(coverage: Coverage = YEAR_2026, config: Config = DEFAULT) -> References:
    return References(config, coverage)


def edited(edit: Any, source: Any = INPUTS) -> Config:
    return config_with(source, edit)


# --- weekly bands -----------------------------------------------------------------------------

# LinkedIn: Monday to Saturday (|D| = 6), 2 to 4 a week, target 3.
# Skool: Monday to Friday (|D| = 5), 3 to 4 a week, no target.
WEEKS = [
    # full week: plancher(2×6/6)=2, plafond(4×6/6)=4, arrondi(3×6/6)=3
    ("linkedin", YEAR_2026, date(2026, 3, 2), WeekBand(2, 4, 3)),
    # Easter Monday 06/04: |O| = 5, plancher(2×5/6) = plancher(1.67) = 1
    ("linkedin", YEAR_2026, date(2026, 4, 6), WeekBand(1, 4, 3)),
    # 14/07 (a Tuesday): |O| = 5 → 1
    ("linkedin", YEAR_2026, date(2026, 7, 13), WeekBand(1, 4, 3)),
    # Christmas week: 24/12 blocked, 25/12 holiday: |O| = 4, plancher(8/6) = 1
    ("linkedin", YEAR_2026, date(2026, 12, 21), WeekBand(1, 4, 3)),
    # cut by a March coverage: C = {30/03, 31/03}: plancher(2×2/6)=0, plafond(4×2/6)=2,
    # arrondi(3×2/6 = 1) = 1
    ("linkedin", MARCH, date(2026, 3, 30), WeekBand(0, 2, 1)),
    # coverage from Thursday 19/03: C = {19, 20, 21}: plancher(2×3/6)=1, plafond(4×3/6)=2,
    # arrondi(3×3/6 = 1.5) = 2 (half up)
    ("linkedin", Coverage.of([(date(2026, 3, 19), date(2026, 3, 31))]), date(2026, 3, 16),
     WeekBand(1, 2, 2)),
    # Skool full week: plancher(3×5/5)=3, plafond(4×5/5)=4
    ("skool", YEAR_2026, date(2026, 3, 2), WeekBand(3, 4, None)),
    # Easter Monday: |O| = 4, plancher(3×4/5) = plancher(2.4) = 2
    ("skool", YEAR_2026, date(2026, 4, 6), WeekBand(2, 4, None)),
    # Ascension Thursday 14/05: |O| = 4 → 2
    ("skool", YEAR_2026, date(2026, 5, 11), WeekBand(2, 4, None)),
    # Christmas week: |O| = 3 (21, 22, 23), plancher(9/5) = 1
    ("skool", YEAR_2026, date(2026, 12, 21), WeekBand(1, 4, None)),
    # cut: C = {30/03, 31/03}: plancher(3×2/5) = 1, plafond(4×2/5) = plafond(1.6) = 2
    ("skool", MARCH, date(2026, 3, 30), WeekBand(1, 2, None)),
    # the week of Sunday 01/03: its only covered day is not a Skool day
    ("skool", MARCH, date(2026, 2, 23), None),
]  # fmt: skip


@pytest.mark.parametrize(("channel", "coverage", "monday", "band"), WEEKS)
def test_weekly_bands(
    channel: str, coverage: Coverage, monday: date, band: WeekBand | None
) -> None:
    assert refs(coverage).week_band(channel, monday) == band


def test_a_week_blocked_monday_to_friday_needs_no_post() -> None:
    """|O| = 1 (the Saturday): plancher(2×1/6) = 0; the maximum keeps |C| = 6."""
    config = edited(
        lambda d: d["calendar"]["blackouts"].append(
            {"from": "2026-03-09", "to": "2026-03-13", "label": "Séminaire"}
        )
    )
    assert refs(config=config).week_band("linkedin", date(2026, 3, 9)) == WeekBand(0, 4, 3)
    # Skool has no open day left that week: a closed week, minimum 0.
    assert refs(config=config).week_band("skool", date(2026, 3, 9)) == WeekBand(0, 4, None)


# --- audience mix ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "shares"),
    [
        # months 1–2: auditeurs have 0 % (and are not targetable before month 3)
        (1, {"of": Fr(9, 10), "coachs": Fr(1, 10)}),
        (3, {"of": Fr(4, 5), "coachs": Fr(3, 20), "auditeurs": Fr(1, 20)}),
        (4, {"of": Fr(3, 4), "coachs": Fr(3, 20), "auditeurs": Fr(1, 10)}),
        # others 5 %: certificateurs only (ministères need more than 100 active clients)
        (5, {"of": Fr(7, 10), "coachs": Fr(3, 20), "auditeurs": Fr(1, 10),
             "certificateurs": Fr(1, 20)}),
        # after the last row, the last row carries on
        (12, {"of": Fr(7, 10), "coachs": Fr(3, 20), "auditeurs": Fr(1, 10),
              "certificateurs": Fr(1, 20)}),
    ],
)  # fmt: skip
def test_audience_shares_of_the_default_mix(month: int, shares: dict[str, Fr]) -> None:
    assert refs().audience_shares("linkedin", month) == shares


def test_others_shared_by_two_targetable_audiences() -> None:
    """With 150 active clients, ministères join: 5 % / 2 = 1/40 each."""
    config = edited(lambda d: d["metrics"].update(active_clients=150))
    shares = refs(config=config).audience_shares("linkedin", 5)
    assert shares["certificateurs"] == Fr(1, 40)
    assert shares["ministeres"] == Fr(1, 40)


def test_an_untargetable_share_goes_pro_rata_to_the_others() -> None:
    """Auditeurs from month 4: in month 3 their 5 % is shared 80:15 between OF and coachs:
    OF 80 + 5×80/95 = 1600/19 % = 16/19; coachs 15 + 5×15/95 = 300/19 % = 3/19."""
    config = edited(lambda d: d["audiences"]["auditeurs"]["eligible"].update(from_month=4))
    assert refs(config=config).audience_shares("linkedin", 3) == {
        "of": Fr(16, 19),
        "coachs": Fr(3, 19),
    }


def test_others_split_three_ways_over_twelve_posts() -> None:
    """`others` = 100 % between OF, coachs and a third audience: exactly 1/3 each, so 4 posts
    each of 12 (with 33 % the bounds would have been 3 to 4)."""

    def edit(data: dict[str, Any]) -> None:
        data["audiences"]["auditeurs"] = {"label": "Auditeurs", "short": "AU"}
        data["journeys"]["auditeurs"] = data["journeys"]["coachs"]
        data["mix"]["linkedin"] = {
            "others": ["of", "coachs", "auditeurs"],
            "rows": [{"months": [1, 2, 3], "shares": {"others": 100}}],
        }

    shares = refs(config=edited(edit, MINIMAL)).audience_shares("linkedin", 3)
    assert shares == {"of": Fr(1, 3), "coachs": Fr(1, 3), "auditeurs": Fr(1, 3)}
    assert share_bounds(Fr(1, 3), 12) == (4, 4)
    assert share_bounds(Fr(33, 100), 12) == (3, 4)


def test_reserve_of_untargetable_shares_and_unreached_others() -> None:
    """Month 1: auditeurs (from month 3) and certificateurs (from month 5) are not
    targetable, nor is any `others` audience: 60 + 30 + 10 = 100 % go to the reserve. OF and
    coachs, both at 0 %, share it equally: 1/2 each. Month 2 has no `others` at all, and
    coachs at 0 % keep nothing."""

    def edit(data: dict[str, Any]) -> None:
        data["mix"]["linkedin"]["rows"] = [
            {"months": [1], "shares": {"others": 10, "of": 0, "coachs": 0, "auditeurs": 60,
                                       "certificateurs": 30}},
            {"months": [2], "shares": {"of": 100, "coachs": 0}},
        ]  # fmt: skip

    ref = refs(config=edited(edit))
    assert ref.audience_shares("linkedin", 1) == {"of": Fr(1, 2), "coachs": Fr(1, 2)}
    assert ref.audience_shares("linkedin", 2) == {"of": Fr(1)}


@pytest.mark.parametrize(
    ("share", "posts", "bounds"),
    [
        # month 3, 13 posts: OF 10.4, coachs 1.95, auditeurs 0.65
        (Fr(4, 5), 13, (10, 11)),
        (Fr(3, 20), 13, (1, 2)),
        (Fr(1, 20), 13, (0, 1)),
        # month 3, 80 posts: 64, 12 and 4 exactly
        (Fr(4, 5), 80, (64, 64)),
        (Fr(3, 20), 80, (12, 12)),
        (Fr(1, 20), 80, (4, 4)),
        # no share, no post
        (Fr(0), 13, (0, 0)),
    ],
)
def test_share_bounds(share: Fr, posts: int, bounds: tuple[int, int]) -> None:
    assert share_bounds(share, posts) == bounds


@pytest.mark.parametrize(
    ("audience", "month", "targetable"),
    [
        ("auditeurs", 2, False),  # from month 3
        ("auditeurs", 3, True),
        ("certificateurs", 4, False),  # from month 5
        ("certificateurs", 5, True),
        ("ministeres", 1, False),  # active_clients 0 is not above 100
        ("of", 1, True),
    ],
)
def test_targetable_audiences(audience: str, month: int, targetable: bool) -> None:
    assert refs().targetable(audience, month) is targetable


def test_a_metric_must_be_above_its_threshold() -> None:
    """Ministères need more than 100 active clients: exactly 100 is not enough."""
    config = edited(lambda d: d["metrics"].update(active_clients=100))
    assert refs(config=config).untargetable("ministeres", 1) == (
        "active_clients = 100 ne dépasse pas 100"
    )


def test_an_audience_without_an_open_phase_is_not_targetable() -> None:
    """Auditeurs made eligible from month 1: their journey still opens in month 3."""
    config = edited(lambda d: d["audiences"]["auditeurs"]["eligible"].update(from_month=1))
    assert refs(config=config).untargetable("auditeurs", 2) == (
        "aucune phase de son parcours n'est encore ouverte"
    )
    assert refs(config=config).untargetable("auditeurs", 3) is None


# --- phases -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("audience", "month", "focus"),
    [
        ("of", 1, ["awareness"]),
        ("of", 2, ["awareness", "consideration"]),
        ("of", 3, ["consideration", "decision"]),
        ("of", 4, ["decision", "retention"]),
        ("of", 5, ["retention"]),
        ("of", 6, ["retention", "advocacy"]),
        ("of", 7, []),  # the stable mix takes over from month 7
        ("auditeurs", 3, ["awareness"]),
        ("auditeurs", 5, ["consideration"]),
        ("ministeres", 1, ["awareness"]),  # its window has no end
    ],
)
def test_focus_phases(audience: str, month: int, focus: list[str]) -> None:
    assert refs().focus_phases(audience, month) == focus


@pytest.mark.parametrize(
    ("audience", "month", "opened"),
    [
        ("of", 3, ["awareness", "consideration", "decision"]),
        ("of", 6, ["awareness", "consideration", "decision", "retention", "advocacy"]),
        ("auditeurs", 2, []),
        ("auditeurs", 6, ["awareness", "consideration"]),
        ("certificateurs", 8, ["awareness", "consideration"]),
    ],
)
def test_open_phases(audience: str, month: int, opened: list[str]) -> None:
    assert refs().open_phases(audience, month) == opened


@pytest.mark.parametrize(
    ("audience", "month", "shares"),
    [
        # 30 + 25 + 20 = 75 over the three open phases
        ("auditeurs", 7, {"awareness": Fr(30, 75), "consideration": Fr(25, 75),
                          "decision": Fr(20, 75)}),
        # all five open: the shares as written
        ("of", 7, {"awareness": Fr(3, 10), "consideration": Fr(1, 4), "decision": Fr(1, 5),
                   "retention": Fr(1, 10), "advocacy": Fr(3, 20)}),
        # 30 + 25 = 55
        ("certificateurs", 7, {"awareness": Fr(6, 11), "consideration": Fr(5, 11)}),
        # OF in month 3, for the « less frequent » ceiling: 30 + 25 + 20 = 75
        ("of", 3, {"awareness": Fr(2, 5), "consideration": Fr(1, 3), "decision": Fr(4, 15)}),
        ("membres", 7, {"retention": Fr(1)}),
    ],
)  # fmt: skip
def test_phase_shares(audience: str, month: int, shares: dict[str, Fr]) -> None:
    assert refs().phase_shares(audience, month) == shares


def test_phase_shares_all_zero_are_equal() -> None:
    config = edited(lambda d: d["journeys"]["auditeurs"].update(phase_mix={"advocacy": 100}))
    assert refs(config=config).phase_shares("auditeurs", 7) == {
        "awareness": Fr(1, 3),
        "consideration": Fr(1, 3),
        "decision": Fr(1, 3),
    }


def test_phase_shares_missing_from_the_mix_are_zero() -> None:
    """Only awareness is given (100): consideration and decision, open in month 7, get 0."""
    config = edited(lambda d: d["journeys"]["auditeurs"].update(phase_mix={"awareness": 100}))
    assert refs(config=config).phase_shares("auditeurs", 7) == {
        "awareness": Fr(1),
        "consideration": Fr(0),
        "decision": Fr(0),
    }


# --- lives -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "year", "month", "wanted"),
    [
        # March: 13 Tuesdays, Wednesdays and Thursdays, all covered: 2
        ((2026, 3, 1), (2026, 3, 31), 2026, 3, 2),
        # from 16/03: 7 of 13 (17, 18, 19, 24, 25, 26, 31): arrondi(14/13) = 1
        ((2026, 3, 16), (2026, 3, 31), 2026, 3, 1),
        # February: 12 live days; from 24/02: 3 of 12: arrondi(6/12 = 0.5) = 1 (half up)
        ((2026, 2, 24), (2026, 2, 28), 2026, 2, 1),
        # from 26/02: 1 of 12: arrondi(2/12) = 0
        ((2026, 2, 26), (2026, 2, 28), 2026, 2, 0),
        # April from 16/04: 7 of 14: arrondi(1) = 1
        ((2026, 4, 16), (2026, 4, 30), 2026, 4, 1),
    ],
)
def test_lives_wanted(
    first: tuple[int, int, int], last: tuple[int, int, int], year: int, month: int, wanted: int
) -> None:
    coverage = Coverage.of([(date(*first), date(*last))])
    assert refs(coverage).lives_wanted("skool", year, month) == wanted


def test_a_live_day_is_a_day_of_the_channel_too() -> None:
    """lives.days naming Saturday, a day Skool does not publish: no live that day."""
    config = edited(lambda d: d["channels"]["skool"]["lives"]["days"].append("samedi"))
    ref = refs(config=config)
    assert ref.is_live_day("skool", date(2026, 3, 14)) is False
    assert ref.is_live_day("skool", date(2026, 3, 12)) is True


def test_live_start_grid() -> None:
    """12:00 to 14:00 every 30 minutes."""
    assert refs().live_grid("skool") == [time(12), time(12, 30), time(13), time(13, 30), time(14)]


def test_live_start_grid_by_the_minute() -> None:
    """12:03 to 12:35 every minute (the shortest format, 30 min, fits): both ends are
    starts on the grid, nothing before or after (a live's end is checked apart)."""

    def edit(data: dict[str, Any]) -> None:
        lives = data["channels"]["skool"]["lives"]
        lives.update(window={"start": "12:03", "end": "12:35"}, start_every_minutes=1)

    grid = refs(config=edited(edit)).live_grid("skool")
    assert grid == [time(12, m) for m in range(3, 36)]


# --- working days -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "previous"),
    [
        (date(2026, 3, 9), date(2026, 3, 6)),  # Monday → Friday
        (date(2026, 3, 3), date(2026, 3, 2)),
        (date(2026, 4, 7), date(2026, 4, 3)),  # Easter Monday 06/04 skipped
        (date(2026, 7, 15), date(2026, 7, 13)),  # 14/07 skipped
        (date(2026, 12, 28), date(2026, 12, 23)),  # 25/12 holiday, 24/12 blocked
        (date(2027, 1, 4), date(2026, 12, 30)),  # 01/01 holiday, 31/12 blocked
        (date(2026, 1, 2), date(2025, 12, 31)),  # 01/01 holiday; no blackout in 2025
    ],
)
def test_previous_working_day(day: date, previous: date) -> None:
    assert refs().previous_working_day("skool", day) == previous


def test_previous_working_day_in_moselle_skips_good_friday() -> None:
    config = edited(lambda d: d["calendar"]["holidays"].update(subdivision="57"))
    assert refs(config=config).previous_working_day("skool", date(2026, 4, 7)) == date(2026, 4, 2)


def test_previous_working_day_is_searched_a_year_back() -> None:
    """Skool closed from 10/03/2026: the working day before Wednesday 10/03/2027 is Monday
    09/03/2026, 366 days back, the last day searched; before Thursday 11/03/2027, with
    Skool closed until 10/03/2027, 09/03/2026 is 367 days back: none is found."""

    def closed_until(last: str) -> Config:
        return edited(
            lambda d: d["calendar"]["blackouts"].append(
                {"from": "2026-03-10", "to": last, "label": "Fermeture", "channels": ["skool"]}
            )
        )

    years = Coverage.of([(date(2026, 1, 1), date(2027, 12, 31))])
    ref = refs(years, config=closed_until("2027-03-09"))
    assert ref.previous_working_day("skool", date(2027, 3, 10)) == date(2026, 3, 9)
    ref = refs(years, config=closed_until("2027-03-10"))
    assert ref.previous_working_day("skool", date(2027, 3, 11)) is None


def test_a_blackout_of_one_channel_closes_only_that_channel() -> None:
    config = edited(
        lambda d: d["calendar"]["blackouts"].append(
            {"date": "2026-03-06", "label": "Salon", "channels": ["linkedin"]}
        )
    )
    ref = refs(config=config)
    assert ref.previous_working_day("linkedin", date(2026, 3, 9)) == date(2026, 3, 5)
    assert ref.previous_working_day("skool", date(2026, 3, 9)) == date(2026, 3, 6)
    # a task of no channel (a campaign's) only sees blackouts of every channel
    assert ref.is_working(None, date(2026, 3, 6)) is True
    assert ref.is_working(None, date(2026, 12, 24)) is False


def _ritual(key: str) -> Any:
    return DEFAULT.channels["skool"].rituals[key]


@pytest.mark.parametrize(
    ("key", "year", "month", "first", "last", "working"),
    [
        ("revue_kpi", 2026, 1, 1, 7, 2),  # 01/01 holiday → Friday 02/01
        ("revue_kpi", 2026, 3, 1, 7, 2),  # Sunday 01/03 → Monday 02/03
        ("revue_kpi", 2026, 5, 1, 7, 4),  # 01/05 holiday, weekend → Monday 04/05
        ("revue_kpi", 2026, 8, 1, 7, 3),  # Saturday 01/08 → Monday 03/08
        ("revue_kpi", 2026, 11, 1, 7, 2),  # Sunday 01/11 → Monday 02/11
        ("bilan", 2026, 2, 22, 28, 23),  # the last seven days of a 28-day month
        ("bilan", 2026, 3, 25, 31, 25),
        ("bilan", 2026, 12, 25, 31, 28),  # 25/12 holiday, weekend → Monday 28/12
        ("feedback", 2026, 3, 8, 21, 9),
    ],
)
def test_ritual_windows_and_their_first_working_day(
    key: str, year: int, month: int, first: int, last: int, working: int
) -> None:
    ref = refs()
    window = ref.ritual_window(_ritual(key), year, month)
    assert window == [date(year, month, d) for d in range(first, last + 1)]
    assert ref.first_working_day("skool", window) == date(year, month, working)


def test_a_quarterly_ritual_has_no_window_outside_its_months() -> None:
    ref = refs()
    assert ref.ritual_window(_ritual("theme"), 2026, 3) == []
    assert ref.ritual_window(_ritual("theme"), 2026, 4)[0] == date(2026, 4, 1)


def test_a_task_day_skips_a_day_blocked_for_its_channel() -> None:
    """Skool is blocked on Monday 02/03: March's KPI review goes to Tuesday 03/03, whether
    the window is covered (a year) or not at all (coverage from 10/03); a task of no channel
    only sees blackouts of every channel."""
    config = edited(
        lambda d: d["calendar"]["blackouts"].append(
            {"date": "2026-03-02", "label": "Inventaire", "channels": ["skool"]}
        )
    )
    later = Coverage.of([(date(2026, 3, 10), date(2026, 3, 31))])
    for coverage in (YEAR_2026, later):
        ref = refs(coverage, config=config)
        window = ref.ritual_window(_ritual("revue_kpi"), 2026, 3)
        assert ref.first_working_day("skool", window) == date(2026, 3, 3)
        assert ref.task_day("skool", window) == date(2026, 3, 3)
        assert ref.task_day(None, window) == date(2026, 3, 2)


def test_a_task_goes_to_the_first_covered_working_day() -> None:
    """Nothing is placed before `--now`: from 04/03, March's KPI review is on 04/03."""
    ref = refs(Coverage.of([(date(2026, 3, 4), date(2026, 3, 31))]))
    window = ref.ritual_window(_ritual("revue_kpi"), 2026, 3)
    assert ref.task_day("skool", window) == date(2026, 3, 4)


@pytest.mark.parametrize(
    ("day", "month"),
    [(date(2026, 1, 15), 1), (date(2026, 12, 31), 12), (date(2027, 3, 16), 15)],
)
def test_campaign_month(day: date, month: int) -> None:
    assert refs().campaign_month(day) == month


# --- local times ----------------------------------------------------------------------------

SPRING = date(2026, 3, 29)  # Paris: 02:00 → 03:00
AUTUMN = date(2026, 10, 25)  # Paris: 03:00 → 02:00


@pytest.mark.parametrize(
    ("day", "clock", "minutes", "valid"),
    [
        (SPRING, time(2, 30), 30, False),  # does not exist
        (SPRING, time(2, 0), 30, False),  # does not exist either
        (SPRING, time(1, 45), 30, False),  # ends at 03:15, at another UTC offset
        (SPRING, time(1, 30), 30, False),  # ends at 03:00 (02:00 does not exist)
        (SPRING, time(1, 0), 30, True),
        (SPRING, time(3, 0), 30, True),
        (SPRING, time(8, 30), 30, True),
        (AUTUMN, time(2, 30), 30, False),  # happens twice
        (AUTUMN, time(2, 0), 30, False),  # happens twice
        (AUTUMN, time(1, 45), 30, False),  # ends at 02:15, which happens twice
        (AUTUMN, time(1, 0), 30, True),
        (AUTUMN, time(3, 0), 30, True),
        (date(2026, 3, 3), time(23, 45), 30, False),  # ends the next day
        (date(2026, 3, 3), time(23, 30), 29, True),
    ],
)
def test_valid_local_times_in_paris(day: date, clock: time, minutes: int, valid: bool) -> None:
    assert (refs().time_issue(day, clock, minutes) is None) is valid


@pytest.mark.parametrize("day", [SPRING, AUTUMN])
def test_a_zone_without_daylight_saving_has_every_time(day: date) -> None:
    config = edited(lambda d: d["calendar"].update(timezone="Indian/Reunion"))
    ref = refs(config=config)
    for clock in (time(1, 45), time(2, 0), time(2, 30)):
        assert ref.time_issue(day, clock, 30) is None
