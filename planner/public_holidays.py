"""One country's public holidays from the `holidays` package, without its 250 countries.

`holidays.country_holidays("FR")` imports the package's `countries` module, which imports
every country it knows: a third of a one-month `planner plan`. The registry says which
file holds a country; that one file is loaded on its own (it only imports the package's
shared parts), and the result is the package's own holiday set.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable
from pathlib import Path

import holidays
from holidays.holiday_base import HolidayBase
from holidays.registry import COUNTRIES


def country_class(code: str) -> type[HolidayBase]:
    """The class of a country code ("FR", "FRA" or "France"); NotImplementedError if none."""
    for module, names in COUNTRIES.items():
        if code in names:
            name = f"holidays.countries.{module}"
            loaded = sys.modules.get(name) or _load(name, module)
            return getattr(loaded, names[0])
    raise NotImplementedError(f"unknown country {code!r}")


def _load(name: str, module: str) -> object:
    path = Path(holidays.__file__).parent / "countries" / f"{module}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise NotImplementedError(f"no module for {name}")
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[name] = loaded
    spec.loader.exec_module(loaded)
    return loaded


def country_holidays(
    code: str, subdiv: str | None = None, years: Iterable[int] = (), language: str | None = None
) -> HolidayBase:
    """Like `holidays.country_holidays`: NotImplementedError for an unknown country or
    subdivision."""
    return country_class(code)(subdiv=subdiv, years=list(years), language=language)
