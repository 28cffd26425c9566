"""`planner check`: the rules themselves (errors, warnings, can they all hold?), or an existing
plan against every hard rule of the current config (`--plan`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from planner.calendar import Calendar, Horizon
from planner.checks import Violation, check_plan
from planner.confidential import scan_config
from planner.config.loading import LoadedConfig
from planner.content import USER_FIELDS
from planner.coverage import Coverage
from planner.errors import InputError
from planner.items import Item
from planner.notices import notices
from planner.planning import horizon_from_label, no_plan, refuse_confidential, validate_horizon
from planner.solver.options import Scope
from planner.solver.solve import build, solve_model
from planner.spreadsheet import read_table
from planner.static import static_warnings
from planner.store.database import STORE_NAME, connect
from planner.store.edits import read_items, same_text
from planner.store.records import Records, Stored


@dataclass
class ConfigNotes:
    """What the rules themselves say before any solving."""

    warnings: list[str]
    notices: list[str]

    @property
    def lines(self) -> list[str]:
        return [f"Avertissement : {w}" for w in self.warnings] + [
            f"À savoir : {n}" for n in self.notices
        ]


def config_notes(loaded: LoadedConfig, horizon: Horizon) -> ConfigNotes:
    refuse_confidential(scan_config(loaded))
    validate_horizon(loaded, horizon)
    calendar = Calendar(loaded.config, horizon, None, Coverage.of([(horizon.start, horizon.end)]))
    return ConfigNotes(static_warnings(loaded, calendar), notices(calendar))


def check_feasible(loaded: LoadedConfig, horizon: Horizon, effort: float, warnings: int) -> str:
    """Whether every hard rule can hold, month by month (exit 1 naming the conflicts)."""
    for chunk in horizon.month_chunks():
        month = Calendar(loaded.config, horizon, None, Coverage.of([(horizon.start, chunk.end)]))
        scope = Scope(chunk.start, chunk.end)
        solution = solve_model(build(month, scope), effort=effort)
        if not solution.stats.solved:
            raise no_plan(loaded, month, scope, [], {}, solution.stats)
    return (
        f"Configuration valide ({warnings} avertissement(s)) : toutes les règles dures "
        f"peuvent tenir sur {horizon.label}."
    )


FIXED = ("published", "locked")
"""Statuses planner never changes: a rule such items break is a warning, never a failure
(docs/rules.md, « Éléments figés »), as in replan."""


@dataclass
class FileCheck:
    lines: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


def check_file(loaded: LoadedConfig, path: Path, out: Path) -> FileCheck:
    """Every hard rule on a plan file. When the store knows the plan, it gives the items of
    the months outside the file, the covered days and the texts the user owns: those the
    store already knew, and those typed since planner wrote the file."""
    if not path.is_file():
        raise InputError(f"Plan introuvable : {path}")
    items = read_items(read_table(path), loaded.config, same_ids=True, new_rows=True)
    context: list[Item] = []
    owned: frozenset[tuple[str, str]] = frozenset()
    period = _file_period(path, items)
    coverage = Coverage.of([(period.start, period.end)]) if period else Coverage()
    store = out / STORE_NAME
    if store.is_file():
        records = Records(connect(store, create=False), store)
        state = records.current()
        if {i.id for i in items} & set(state):
            coverage = records.coverage()
            context = _outside(state, items, period or horizon_from_label("", items))
            items = [_as_stored(i, state) for i in items]
            owned = _owned(state, items)
        records.db.close()
    violations = check_plan(loaded.config, [*items, *context], coverage, owned)
    ids = {i.id for i in items}
    violations = [v for v in violations if not v.items or set(v.items) & ids]
    fixed = {i.id for i in [*items, *context] if i.status in FIXED}
    warnings = [v for v in violations if v.items and set(v.items) <= fixed]
    violations = [v for v in violations if v not in warnings]
    found = FileCheck(violations=violations)
    for violation in violations:
        found.lines.append(f"Violation — {violation.render()}")
    for warning in warnings:
        found.lines.append(f"Avertissement — {warning.render()} (éléments publiés ou verrouillés)")
    if violations:
        found.lines.append(
            f"{len(violations)} violation(s) des règles dures dans {path} ({len(items)} éléments)."
        )
    else:
        found.lines.append(
            f"Aucune violation : les {len(items)} éléments de {path} respectent toutes les "
            "règles dures."
            + (
                f" {len(warnings)} avertissement(s) : des éléments publiés ou verrouillés "
                "enfreignent une règle ; planner les garde tels quels."
                if warnings
                else ""
            )
        )
    return found


def _file_period(path: Path, items: list[Item]) -> Horizon | None:
    """The folder's period when the file sits in one (`2026-03/plan.csv`), else the whole
    months its items cover; None for a file without rows in a folder of no period."""
    try:
        return horizon_from_label(path.parent.name, items)
    except InputError:
        return None


def _outside(state: dict[str, Stored], items: list[Item], period: Horizon) -> list[Item]:
    """The stored items the file does not speak for: those of other periods. A stored item
    of the file's period that the file lacks was deleted by the user, so it is not put
    back."""
    ids = {i.id for i in items}
    return [s.item for k, s in state.items() if k not in ids and not period.contains(s.item.day)]


def _as_stored(item: Item, state: dict[str, Stored]) -> Item:
    """The file's texts that are the store's as a spreadsheet re-saved them (`same_text`:
    accents, line ends, « ? » for what Windows-1252 cannot hold) read as the store's, as
    replan reads them."""
    stored = state.get(item.id)
    if stored is None:
        return item
    kept = {
        name: getattr(stored.item, name)
        for name in USER_FIELDS
        if getattr(item, name) != getattr(stored.item, name)
        and same_text(getattr(item, name), getattr(stored.item, name))
    }
    return item.with_(**kept) if kept else item


def _owned(state: dict[str, Stored], items: list[Item]) -> frozenset[tuple[str, str]]:
    """Texts the user owns: those the store says so, those that differ from what the
    store holds (typed in the spreadsheet since the last run), and those of rows the store
    does not know (added by hand)."""

    def owns(item: Item, name: str) -> bool:
        text = getattr(item, name)
        stored = state.get(item.id)
        if stored is None:
            return bool(text)
        return name in stored.owned or bool(text and text != getattr(stored.item, name))

    return frozenset((i.id, n) for i in items for n in USER_FIELDS if owns(i, n))
