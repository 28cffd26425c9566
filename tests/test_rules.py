"""The model's reading of the rules, pinned to hand-computed values from docs/rules.md (not
from the code): exact shares, open and focus phases, the steady phase mix."""

from __future__ import annotations

from fractions import Fraction

from planner.config import LoadedConfig
from planner.rules import (
    count_bounds,
    eligible,
    focus_stages,
    mix_target,
    open_stages,
    phase_shares,
    present,
    steady,
)


def test_march_mix_is_80_15_5(loaded: LoadedConfig) -> None:
    target = mix_target(loaded.config, "linkedin", 3)
    assert target.shares == {
        "of": Fraction(80, 100),
        "coachs": Fraction(15, 100),
        "auditeurs": Fraction(5, 100),
    }
    assert not target.carried_over


def test_may_others_go_to_certificateurs_only(loaded: LoadedConfig) -> None:
    target = mix_target(loaded.config, "linkedin", 5)
    assert target.shares["certificateurs"] == Fraction(5, 100)
    assert "ministeres" not in target.shares
    assert target.shares["of"] == Fraction(70, 100)


def test_months_after_the_table_repeat_the_last_row(loaded: LoadedConfig) -> None:
    target = mix_target(loaded.config, "linkedin", 10)
    assert target.carried_over
    assert target.row_label == "Mai–Juin"
    assert any("reprise" in note for note in target.notes)


def test_ministeres_join_others_above_100_clients(loaded: LoadedConfig) -> None:
    config = loaded.config.model_copy(update={"metrics": {"active_clients": 150}})
    target = mix_target(config, "linkedin", 5)
    assert target.shares["certificateurs"] == Fraction(25, 1000)
    assert target.shares["ministeres"] == Fraction(25, 1000)


def test_others_without_eligible_audience_are_redistributed(loaded: LoadedConfig) -> None:
    mix = loaded.config.mix["linkedin"]
    row = mix.rows[1].model_copy(update={"shares": {"of": 80, "coachs": 10, "others": 10}})
    config = loaded.config.model_copy(
        update={
            "mix": {"linkedin": mix.model_copy(update={"rows": [mix.rows[0], row, *mix.rows[2:]]})}
        }
    )
    target = mix_target(config, "linkedin", 3)
    # 10 % shared 80:10 between OF and coachs: 80 + 80/9 = 800/9 %, 10 + 10/9 = 100/9 %.
    assert target.shares["of"] == Fraction(8, 9)
    assert target.shares["coachs"] == Fraction(1, 9)
    assert sum(target.shares.values()) == 1
    assert any("redistribuée" in note for note in target.moved)


def test_others_split_in_three_stay_exact(loaded: LoadedConfig) -> None:
    """60 % of others between three eligible audiences is exactly a fifth each: over 12 posts
    each gets 2 or 3 (12/5 = 2.4), whatever the rounding of a written percentage."""
    config = loaded.config.model_copy(update={"metrics": {"active_clients": 150}})
    mix = config.mix["linkedin"]
    shares = {"of": 40, "coachs": 0, "auditeurs": 0, "others": 60}
    rows = [r.model_copy(update={"shares": shares}) for r in mix.rows]
    others = [*mix.others, "auditeurs"]
    channel_mix = mix.model_copy(update={"rows": rows, "others": others})
    config = config.model_copy(update={"mix": {"linkedin": channel_mix}})
    target = mix_target(config, "linkedin", 6)
    assert target.shares["certificateurs"] == Fraction(1, 5)
    assert target.shares["ministeres"] == Fraction(1, 5)
    assert target.shares["auditeurs"] == Fraction(1, 5)
    assert [count_bounds(target.shares[a], 12) for a in ("certificateurs", "auditeurs")] == [
        (2, 3),
        (2, 3),
    ]


def test_eligibility_by_month_and_metric(loaded: LoadedConfig) -> None:
    config = loaded.config
    assert not eligible(config, "auditeurs", 2)
    assert eligible(config, "auditeurs", 3)
    assert not present(config, "certificateurs", 4)
    assert present(config, "certificateurs", 5)
    assert not eligible(config, "ministeres", 12)


def test_count_bounds_are_exact_floor_and_ceil() -> None:
    assert count_bounds(Fraction(80, 100), 13) == (10, 11)  # 10.4
    assert count_bounds(Fraction(5, 100), 13) == (0, 1)  # 0.65
    assert count_bounds(Fraction(1, 2), 12) == (6, 6)
    assert count_bounds(Fraction(1, 3), 12) == (4, 4)  # 33.33 % would give 3–4


def phases(stages) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.phase for s in stages]


def test_phases_open_and_stay_open(loaded: LoadedConfig) -> None:
    config = loaded.config
    assert phases(open_stages(config, "of", 1)) == ["awareness"]
    assert phases(open_stages(config, "of", 3)) == ["awareness", "consideration", "decision"]
    assert phases(open_stages(config, "of", 13)) == [
        "awareness", "consideration", "decision", "retention", "advocacy",
    ]  # fmt: skip
    assert phases(open_stages(config, "auditeurs", 7)) == [
        "awareness", "consideration", "decision",
    ]  # fmt: skip


def test_focus_phases_are_the_seed_windows_until_month_6(loaded: LoadedConfig) -> None:
    config = loaded.config
    assert phases(focus_stages(config, "of", 1)) == ["awareness"]
    assert phases(focus_stages(config, "of", 2)) == ["awareness", "consideration"]
    assert phases(focus_stages(config, "of", 3)) == ["consideration", "decision"]
    assert phases(focus_stages(config, "of", 4)) == ["decision", "retention"]
    assert phases(focus_stages(config, "of", 5)) == ["retention"]
    assert phases(focus_stages(config, "of", 6)) == ["retention", "advocacy"]
    assert not steady(config, 6)
    assert steady(config, 7)
    assert focus_stages(config, "of", 7) == []


def test_steady_phase_mix_is_renormalised_over_open_phases(loaded: LoadedConfig) -> None:
    config = loaded.config
    assert phase_shares(config, "of", 13) == {
        "awareness": Fraction(30, 100),
        "consideration": Fraction(25, 100),
        "decision": Fraction(20, 100),
        "retention": Fraction(10, 100),
        "advocacy": Fraction(15, 100),
    }
    # Auditeurs in month 7: awareness, consideration, decision open: 30 + 25 + 20 = 75.
    assert phase_shares(config, "auditeurs", 7) == {
        "awareness": Fraction(30, 75),
        "consideration": Fraction(25, 75),
        "decision": Fraction(20, 75),
    }
