"""Shared fixtures: the default config and default plans, solved once per session."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, settings

from planner.calendar import Horizon
from planner.config import LoadedConfig, load_config
from planner.planning import Plan, make_plan

pytest_plugins = ["tests.march_workspace"]
"""The March workspace fixtures of the plan-life tests."""

settings.register_profile(
    "ci",
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "large",
    max_examples=2000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("PLANNER_HYPOTHESIS", "ci"))
"""Property tests: `ci` (default) is derandomized, so CI runs the same examples every time
and stays within its budget (about a minute); `PLANNER_HYPOTHESIS=large` runs five times
more, with fresh random examples on each run, for local hunting (about ten minutes)."""

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
MINIMAL = ROOT / "tests" / "data" / "minimal"
"""A small valid config (two channels, lives, three phases) that plans in a blink."""
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
            self.plans[horizon] = make_plan(self.loaded, horizon, effort=60)
        return self.plans[horizon]


@pytest.fixture(scope="session")
def plans(loaded: LoadedConfig) -> PlanCache:
    return PlanCache(loaded)


@pytest.fixture
def inputs_copy(tmp_path: Path) -> Path:
    """A writable copy of the default inputs/ folder."""
    return config_copy(INPUTS, tmp_path / "inputs")


Edit = Callable[[dict[str, Any]], None]
"""Changes a config given as {file name: parsed YAML}, in place."""


def config_copy(source: Path, target: Path, edit: Edit | None = None) -> Path:
    """Copy a config folder; with `edit`, files are parsed, edited and written back."""
    target.mkdir(parents=True, exist_ok=True)
    files = {f.name: f.read_text(encoding="utf-8") for f in sorted(source.glob("*.yaml"))}
    if edit is not None:
        data = {name: yaml.safe_load(text) for name, text in files.items()}
        edit(data)
        files = {
            name: yaml.safe_dump(d, allow_unicode=True, sort_keys=False) for name, d in data.items()
        }
    for name, text in files.items():
        (target / name).write_text(text, encoding="utf-8")
    return target
