"""Shared fixtures: the default config and default plans, solved once per session."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner.calendar import Horizon
from planner.config import LoadedConfig, load_config
from planner.planning import Plan, make_plan

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
NOW = datetime(2026, 2, 20, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
SIX_MONTHS = Horizon(date(2026, 1, 1), date(2026, 6, 30))


@pytest.fixture(scope="session")
def loaded() -> LoadedConfig:
    return load_config(INPUTS)


class PlanCache:
    def __init__(self, loaded: LoadedConfig) -> None:
        self.loaded = loaded
        self.plans: dict[Horizon, Plan] = {}

    def __call__(self, horizon: Horizon) -> Plan:
        if horizon not in self.plans:
            self.plans[horizon] = make_plan(self.loaded, horizon, time_limit=60)
        return self.plans[horizon]


@pytest.fixture(scope="session")
def plans(loaded: LoadedConfig) -> PlanCache:
    return PlanCache(loaded)


@pytest.fixture
def inputs_copy(tmp_path: Path) -> Path:
    """A writable copy of the default inputs/ folder."""
    target = tmp_path / "inputs"
    target.mkdir()
    for file in INPUTS.glob("*.yaml"):
        (target / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    return target
