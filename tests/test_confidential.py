"""Confidentiality: an internal price tier in the rules, in any spelling, is refused before
anything is solved or written, naming the file, the line and the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.conftest import MINIMAL, config_copy

SPELLINGS = [
    "197 €",
    "197€",
    "197 EUR",
    "197 euros",
    "197 Euros",
    "197 eur.",
    "197\u00a0€",  # non-breaking space, as word processors type before €
    "197\u202f€",  # narrow no-break space, as French typography wants
    "197\u2009€",  # thin space
    "197\u200b€",  # zero-width space, invisible after a copy-paste
    "197,00 €",
    "197.00€",
    "€197",
    "EUR 197",
    "１９７ €",  # full-width digits
    "247 €",
    "50€",
]
HARMLESS = ["1970 €", "2197 €", "19,70 €", "0,50 €", "197 000 €", "197 participants"]

PLACES: dict[str, tuple[str, str, Any]] = {
    "journey message": (
        "journeys.yaml",
        "journeys.of.stages[0].messages[0]",
        lambda d: d["journeys.yaml"]["journeys"]["of"]["stages"][0]["messages"],
    ),
    "skool template": (
        "channels.yaml",
        "channels.skool.types.tip.template",
        lambda d: d["channels.yaml"]["channels"]["skool"]["types"]["tip"],
    ),
}


def with_text(tmp_path: Path, place: str, text: str) -> Path:
    def put(data: dict[str, Any]) -> None:
        target = PLACES[place][2](data)
        if isinstance(target, list):
            target[0] = f"Le palier à {text} reste entre nous"
        else:
            target["template"] = f"Astuce : [à compléter]\nOffre à {text} pour les pionniers\n"

    return config_copy(MINIMAL, tmp_path / "inputs", put)


@pytest.fixture
def no_solving(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refusing must come before the solver: calling it fails the test."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("solver called before the confidentiality check")

    monkeypatch.setattr("planner.planning.solve_model", forbidden)
    monkeypatch.setattr("planner.verify.solve_model", forbidden)


@pytest.mark.usefixtures("no_solving")
@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("text", SPELLINGS)
def test_a_price_tier_is_refused_before_solving(place: str, text: str, tmp_path: Path) -> None:
    folder = with_text(tmp_path, place, text)
    file, key, _ = PLACES[place]
    out = tmp_path / "out"
    for args in (["check"], ["plan", "--out", str(out)]):
        result = CliRunner().invoke(app, [*args, "--config", str(folder), "--month", "2026-03"])
        assert result.exit_code == 2, result.output
        assert "ne doit jamais être publié" in result.output, result.output
        assert f"{folder / file}:" in result.output and f" · {key}" in result.output
    assert not out.exists()


@pytest.mark.parametrize("text", HARMLESS)
def test_other_amounts_are_not_price_tiers(text: str, tmp_path: Path) -> None:
    folder = with_text(tmp_path, "journey message", text)
    result = CliRunner().invoke(app, ["check", "--config", str(folder), "--month", "2026-03"])
    assert result.exit_code == 0, result.output


def test_the_default_rules_refuse_the_same_spellings(tmp_path: Path) -> None:
    """tests/data/minimal carries a copy of inputs/confidential.yaml: they must not drift."""
    inputs = Path(__file__).resolve().parent.parent / "inputs" / "confidential.yaml"
    assert (MINIMAL / "confidential.yaml").read_bytes() == inputs.read_bytes()
