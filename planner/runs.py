"""A run of `planner plan` or `planner replan` on a workspace (an output folder and its
store): read the user's edits, plan the horizon with everything else as context, compare
with what calendars hold, record it, and rewrite every folder the run changed.

A horizon that already has items is re-planned (same ids and UIDs, minimal change); one
that has none is planned from scratch; `--fresh` starts a month over, cancelling its
planned rows so that calendars can be cleaned.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path

from planner.calendar import Calendar, Horizon
from planner.changes import Change
from planner.checks import check_plan
from planner.config.loading import LoadedConfig
from planner.config.model import Config
from planner.content import type_label
from planner.coverage import Coverage
from planner.errors import InputError
from planner.export.bundle import plan_files
from planner.export.csvfile import UserColumns
from planner.export.writer import OutputFile
from planner.families import F, name
from planner.items import Item
from planner.planning import (
    Continuity,
    Facts,
    Plan,
    earliest_for,
    make_plan,
    run_coverage,
    task_key,
    validate_horizon,
)
from planner.replan import EVENT_FIELDS, compare, stability
from planner.scoring import score_plan
from planner.solver.options import sequence_steps
from planner.solver.solve import Progress, SolveStats
from planner.spreadsheet import CsvStyle
from planner.store.ingest import ingest
from planner.store.legacy import import_folders
from planner.store.records import Records, Stored
from planner.store.session import Session


@dataclass
class Outcome:
    plan: Plan
    changes: list[Change]
    folders: list[str]
    to_delete: list[Item]
    """Cancelled events: Google Calendar ignores STATUS on import, so delete by hand."""
    replanned: bool


def fingerprint(loaded: LoadedConfig) -> str:
    return hashlib.sha256(loaded.config.model_dump_json().encode()).hexdigest()[:16]


def run_plan(
    loaded: LoadedConfig,
    out: Path,
    horizon: Horizon | None,
    now: datetime,
    *,
    command: str,
    since: datetime | None = None,
    fresh: bool = False,
    effort: float = 60.0,
    progress: Progress | None = None,
    explicit: Path | None = None,
) -> Outcome:
    config = loaded.config
    if horizon is not None:
        validate_horizon(loaded, horizon)
    with Session(out) as session:
        records = session.records
        if not records.runs():  # in this run's transaction: a failed run imports again
            import_folders(records, out, config, now, fingerprint(loaded))
        asked = horizon or Horizon(now.date(), now.date())
        run_id = records.new_run(
            command, now, asked.label, asked.start, asked.end, fingerprint(loaded)
        )
        ingested = ingest(records, out, config, run_id, explicit, since or now)
        if horizon is None:
            horizon = _source_horizon(records, ingested.source, explicit)
            records.set_run_horizon(run_id, horizon.label, horizon.start, horizon.end)
        current = records.current()
        cut = since or now
        mine = {k: s for k, s in current.items() if horizon.contains(s.item.day)}
        context = [s.item for k, s in current.items() if k not in mine]
        active = {k: s.item for k, s in mine.items() if s.item.active}
        lives = {k for k, i in active.items() if i.kind == "live"} | {
            i.id for i in context if i.kind == "live" and i.active
        }
        fixed = [
            i for i in active.values()
            if i.status in ("published", "locked") or i.start < cut
        ]  # fmt: skip
        fixed_ids = {i.id for i in fixed}
        gone = dict(ingested.gone)
        free: list[Item] = []
        for item in active.values():
            if item.id in fixed_ids or item.kind == "task":
                continue
            if fresh:
                gone[item.id] = "le mois recommence à neuf (--fresh)"
            elif item.parent and item.parent not in lives and _is_live(current, item.parent):
                gone[item.id] = "son live est annulé"
            elif (orphan := _orphan_step(config, current, item)) is not None:
                gone[item.id] = orphan
            else:
                free.append(item)
        tasks = _one_task_each(
            [i for i in active.values() if i.kind == "task" and i.id not in fixed_ids],
            current,
            gone,
            config,
        )
        dropped = [mine[k].item for k in gone if k in mine]
        wished = records.wished_starts()
        continuity = Continuity(
            fixed,
            free,
            owned={k: s.owned for k, s in current.items() if s.owned},
            moved={i.id: i.start for i in free if wished.get(i.id) == i.start},
            tasks=tasks,
            levels=stability(
                dropped,
                records.coverage(),
                _phased(ingested.wishes, mine),
                _following(ingested.wishes, mine, free),
            )
            if free
            else None,
        )
        facts = Facts(context, records.coverage(), records.ids())
        plan = make_plan(
            loaded,
            horizon,
            now=cut,
            effort=effort,
            progress=progress,
            facts=facts,
            continuity=continuity,
        )
        exported = {k: s.exported for k, s in mine.items() if s.exported is not None}
        wishes = {k: i for k, i in ingested.wishes.items() if k in mine}
        comparison = compare(plan, exported, wishes, gone, facts.prior)
        stamp = now.astimezone(UTC).replace(microsecond=0).isoformat()
        outside = [
            _published(current[k], k in gone)
            for k in ingested.wishes.keys() | gone.keys()
            if k in current and k not in mine
        ]
        changed_days: set[date] = set()
        for item in [*comparison.items, *outside]:
            before = current.get(item.id)
            modified = item.id in comparison.modified or (
                before is not None
                and before.exported is not None
                and item.sequence != before.exported.sequence
            )
            stored = Stored(
                item,
                before.owned if before else frozenset(),
                stamp if modified else (before.last_modified if before else ""),
                None,
                before.extras if before else {},
            )
            if before is None or before.item != item or before.exported != item:
                records.add_version(
                    run_id, "planner", stored, _changed(before.exported if before else None, item)
                )
                changed_days.add(item.day)
                if before is not None and before.exported is not None:
                    changed_days.add(before.exported.day)
        span = run_coverage(Coverage(), horizon, earliest_for(horizon, cut))
        for first, last in span.spans:
            records.add_coverage(run_id, first, last)
        records.add_folder(horizon.label, horizon.start, horizon.end, run_id)
        state = records.current()
        labels = {horizon.label} | ingested.touched
        labels |= {
            label
            for label, (first, last) in records.folders().items()
            if any(first <= d <= last for d in changed_days)
        }
        replanned = bool(exported)
        for label in sorted(labels):
            first, last = records.folders()[label]
            base = plan if label == horizon.label else None
            view = view_plan(loaded, records, Horizon(first, last), state, base)
            ids = {i.id for i in view.items}
            had = records.last_exports(label)
            changes = [c for c in comparison.changes if c.id in ids] if had else None
            files = _files(records, label, view, now, changes, state)
            for file in files:
                path = out / label / file.name
                records.add_before(run_id, label, file.name, _read(path))
                records.add_export(run_id, label, file.name, file.content)
            session.stage(label, files, run_id)
        stats = plan.stats
        records.finish_run(
            run_id,
            stats.status,
            None if stats.objective is None else str(stats.objective),
            None if stats.bound is None else str(stats.bound),
            {c: sum(1 for x in comparison.changes if x.change == c) for c in _KINDS},
        )
        horizon_items = [s.item for s in state.values() if horizon.contains(s.item.day)]
        plan.items = sorted(horizon_items, key=lambda i: (i.start, i.id))
        to_delete = [
            i for i in comparison.items if i.status == "cancelled" and i.id in comparison.modified
        ]
        return Outcome(plan, comparison.changes, sorted(labels), to_delete, replanned)


_KINDS = ("added", "moved", "removed", "changed", "refused")


def _following(
    wishes: dict[str, Item], mine: dict[str, Stored], free: list[Item]
) -> frozenset[str]:
    """Free steps of the lives the user moved in this run: they go where their live now is
    (a live's announcement, preparation and replay moving with it are no changes of the
    user's plan; counted as such, they outweighed the move and the live was put back)."""
    moved = {
        key
        for key, wish in wishes.items()
        if wish.kind == "live"
        and key in mine
        and (old := mine[key].exported) is not None
        and wish.start != old.start
    }
    return frozenset(i.id for i in free if i.parent in moved)


def _phased(wishes: dict[str, Item], mine: dict[str, Stored]) -> frozenset[str]:
    """Rows whose phase the user changed or typed (on a row they added) in this run: their
    phase is their choice."""
    return frozenset(
        key
        for key, wish in wishes.items()
        if key in mine
        and wish.phase
        and ((old := mine[key].exported) is None or wish.phase != old.phase)
    )


def _published(stored: Stored, gone: bool) -> Item:
    """A row the user edited in another month's folder: kept as they left it (that month
    is re-planned when they plan it), with a new SEQUENCE where its event changed."""
    item = stored.item
    old = stored.exported
    if old is None:
        return item
    if any(getattr(old, f) != getattr(item, f) for f in EVENT_FIELDS):
        return item.with_(sequence=old.sequence + 1)
    return item.with_(sequence=old.sequence)


def _source_horizon(records: Records, label: str | None, explicit: Path | None) -> Horizon:
    if label is None:
        raise InputError(
            f"Aucune ligne de {explicit} n'est connue de {records.path} : ce plan "
            "vient-il d'un autre dossier ? Donnez --out avec le dossier où il a été planifié."
        )
    first, last = records.folders()[label]
    return Horizon(first, last)


def _orphan_step(config: Config, current: dict[str, Stored], item: Item) -> str | None:
    """Why a step of a live's sequence no longer belongs to it (the user changed the live's
    format to one whose sequence has no such step), or None when it still does. The step is
    removed, and the steps the new format needs are planned like any missing step."""
    stored = current.get(item.parent)
    if stored is None or stored.item.kind != "live":
        return None
    live = stored.item
    rules = config.channels[live.channel].lives
    if rules is None or live.content_type not in rules.formats:
        return None
    step = next((s for s in rules.sequence if s.key == item.content_type), None)
    if step is None or any(s.key == step.key for s in sequence_steps(rules, live.content_type)):
        return None
    label = rules.formats[live.content_type].label
    return (
        f"{name(F.LIVE_SEQUENCE)} : le live {live.id} est maintenant « {label} », dont la "
        f"séquence n'a pas d'étape « {step.label} »"
    )


def _one_task_each(
    tasks: list[Item], current: dict[str, Stored], gone: dict[str, str], config: Config
) -> list[Item]:
    """The planned tasks the rules regenerate, one per live step or ritual month: a task the
    user added for a live step or a ritual month that already has one takes its place (it is
    their word, with their texts); the other is removed, saying by which row and rule."""
    campaigns = {c.key for c in config.campaigns}
    groups: dict[tuple[str, str, str], list[Item]] = {}
    for item in sorted(tasks, key=lambda i: (i.start, i.id)):
        if item.id not in gone:
            groups.setdefault(task_key(item), []).append(item)
    kept: list[Item] = []
    for group in groups.values():
        if group[0].parent in campaigns:  # a campaign step may ask for several
            kept += group
            continue
        group.sort(key=lambda i: current[i.id].exported is not None)  # stable: added first
        winner, *others = group
        kept.append(winner)
        for other in others:
            family = (
                F.LIVE_PREPARATION
                if winner.content_type == "preparation"
                else F.LIVE_SEQUENCE
                if winner.parent
                else F.RITUALS
            )
            each = "par live" if winner.parent else "par mois"
            who = "votre ligne ajoutée" if current[winner.id].exported is None else "la même"
            label = type_label(config, winner)
            gone[other.id] = (
                f"remplacé par {winner.id}, {who} : une seule tâche « {label} » {each} "
                f"({name(family)})"
            )
    return kept


def _is_live(current: dict[str, Stored], key: str) -> bool:
    return key in current and current[key].item.kind == "live"


def _changed(before: Item | None, item: Item) -> list[str]:
    if before is None:
        return ["créé"]
    return [
        f.name for f in dataclasses.fields(Item) if getattr(before, f.name) != getattr(item, f.name)
    ]


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _files(
    records: Records,
    label: str,
    view: Plan,
    now: datetime,
    changes: list[Change] | None,
    state: dict[str, Stored],
) -> list[OutputFile]:
    columns, style = records.layout(label)
    values = {i.id: state[i.id].extras for i in view.items if i.id in state and state[i.id].extras}
    user = UserColumns(tuple(columns), values) if columns else None
    csv_style = CsvStyle(**style) if style else None  # type: ignore[arg-type]
    last_modified = {
        i.id: datetime.fromisoformat(state[i.id].last_modified)
        for i in view.items
        if i.id in state and state[i.id].last_modified
    }
    return plan_files(
        view,
        now,
        changes=changes,
        last_modified=last_modified,
        user_columns=user,
        style=csv_style,
    )


def view_plan(
    loaded: LoadedConfig,
    records: Records,
    horizon: Horizon,
    state: dict[str, Stored],
    base: Plan | None,
) -> Plan:
    """A folder as a view of the store: its items now, and its figures."""
    items = sorted(
        (s.item for s in state.values() if horizon.contains(s.item.day)),
        key=lambda i: (i.start, i.id),
    )
    context = [s.item for s in state.values() if not horizon.contains(s.item.day)]
    if base is not None:
        return dataclasses.replace(base, items=items, context=context)
    calendar = Calendar(loaded.config, horizon, None, records.coverage())
    misses = score_plan(calendar, items, context)
    owned = frozenset((k, f) for k, s in state.items() for f in s.owned)
    violations = check_plan(loaded.config, [*items, *context], records.coverage(), owned)
    stats = _last_stats(records, horizon)
    score = sum((m.points for m in misses), Fraction(0))
    if stats.objective != score:  # edits or other months changed it since it was solved
        stats = SolveStats("feasible", score)
    return Plan(loaded, calendar, items, stats, context, misses, violations, [])


def _last_stats(records: Records, horizon: Horizon) -> SolveStats:
    runs = [r for r in records.runs() if r.label == horizon.label]
    if not runs:
        return SolveStats("optimal")
    row = records.db.execute(
        "SELECT status, objective, bound FROM runs WHERE id = ?", (runs[-1].id,)
    ).fetchone()
    status, objective, bound = row
    return SolveStats(
        status,
        None if objective is None else Fraction(objective),
        None if bound is None else Fraction(bound),
    )
