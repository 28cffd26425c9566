"""Fixtures of the plan-life tests (test_edits, test_life, test_store): a workspace where
March 2026 (minimal config) is planned once per test module, each test's own copy of it,
and March's items picked by their role. Loaded for every test module by tests/conftest.py;
a module that defines a fixture of the same name uses its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lifecycle import Row, a_post, copy_of, plan, read_rows, the_live

MARCH_NOW = "2026-02-20T09:00"
MARCH = "2026-03"


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with March (minimal config) planned once."""
    out = tmp_path_factory.mktemp("march")
    plan(out, MARCH, MARCH_NOW)
    return out


@pytest.fixture
def out(planned: Path, tmp_path: Path) -> Path:
    """This test's copy of the workspace where March is planned: `tmp_path / "out"`."""
    return copy_of(planned, tmp_path)


@pytest.fixture(scope="module")
def march(planned: Path) -> list[Row]:
    """March's rows as the solver planned them, to pick items by their role."""
    return read_rows(planned / MARCH / "plan.csv")


@pytest.fixture(scope="module")
def live(march: list[Row]) -> str:
    """March's live."""
    return the_live(march)["id"]


@pytest.fixture(scope="module")
def post(march: list[Row]) -> str:
    """A LinkedIn post of March, from its second week on."""
    return a_post(march, "linkedin", MARCH)["id"]
