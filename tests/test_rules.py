"""Rule interpretation pinned to hand-computed values from SPEC.md (not from the code)."""

from __future__ import annotations

from planner.config import LoadedConfig
from planner.rules import BASIS, count_bounds, eligible, mix_target, present


def percent(target, audience: str) -> float:  # type: ignore[no-untyped-def]
    return target.shares.get(audience, 0) * 100 / BASIS


def test_march_mix_is_80_15_5(loaded: LoadedConfig) -> None:
    target = mix_target(loaded.config, "linkedin", 3)
    assert {a: percent(target, a) for a in target.shares} == {
        "of": 80.0,
        "coachs": 15.0,
        "auditeurs": 5.0,
    }
    assert not target.carried_over


def test_may_others_go_to_certificateurs_only(loaded: LoadedConfig) -> None:
    target = mix_target(loaded.config, "linkedin", 5)
    assert percent(target, "certificateurs") == 5.0
    assert "ministeres" not in target.shares
    assert percent(target, "of") == 70.0


def test_months_after_the_table_repeat_the_last_row(loaded: LoadedConfig) -> None:
    target = mix_target(loaded.config, "linkedin", 10)
    assert target.carried_over
    assert target.row_label == "Mai–Juin"
    assert any("reprise" in note for note in target.notes)


def test_ministeres_join_others_above_100_clients(loaded: LoadedConfig) -> None:
    config = loaded.config.model_copy(update={"metrics": {"active_clients": 150}})
    target = mix_target(config, "linkedin", 5)
    assert percent(target, "certificateurs") == 2.5
    assert percent(target, "ministeres") == 2.5


def test_others_without_eligible_audience_are_redistributed(loaded: LoadedConfig) -> None:
    mix = loaded.config.mix["linkedin"]
    row = mix.rows[1].model_copy(update={"shares": {"of": 80, "coachs": 10, "others": 10}})
    config = loaded.config.model_copy(
        update={
            "mix": {"linkedin": mix.model_copy(update={"rows": [mix.rows[0], row, *mix.rows[2:]]})}
        }
    )
    target = mix_target(config, "linkedin", 3)
    # 10 % shared 80:10 between OF and coachs -> 88.89 % and 11.11 %.
    assert round(percent(target, "of"), 2) == 88.89
    assert round(percent(target, "coachs"), 2) == 11.11
    assert sum(target.shares.values()) == BASIS
    assert any("redistribuée" in note for note in target.notes)


def test_eligibility_by_month_and_metric(loaded: LoadedConfig) -> None:
    config = loaded.config
    assert not eligible(config, "auditeurs", 2)
    assert eligible(config, "auditeurs", 3)
    assert not present(config, "certificateurs", 4)
    assert present(config, "certificateurs", 5)
    assert not eligible(config, "ministeres", 12)


def test_count_bounds_are_floor_and_ceil() -> None:
    assert count_bounds(8000, 13) == (10, 11)  # 80 % of 13 = 10.4
    assert count_bounds(500, 13) == (0, 1)
    assert count_bounds(5000, 12) == (6, 6)
