"""Re-planning: keep what is fixed, move as little as possible, say what changed.

Rows of the previous plan fall in three groups:
- fixed: published or locked rows, and rows before `--since`; they stay exactly as the
  user left them, even where they now break a rule (the report warns);
- free: planned rows; each is pinned where it stands (for a row the user moved, that is
  their wish) and the solver keeps it there if the rules allow;
- gone: cancelled rows and rows the user deleted; they stay gone.
The objective comes in levels, each kept at its optimum for the next: first the number of
changes (free items moved or removed, items added), then how far moved items travel, then
the usual preferences. What calendars already hold is the last plan planner wrote (its
snapshot): changes, SEQUENCE numbers and cancellations are computed against it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ortools.sat.python import cp_model

from planner.calendar import Horizon
from planner.changes import Change
from planner.checks import newly_broken
from planner.config.loading import LoadedConfig
from planner.families import F, name
from planner.items import Item
from planner.planning import Continuity, Plan, make_plan
from planner.solver.context import ModelContext
from planner.solver.options import Option, subject_of
from planner.solver.solve import Progress, preference_objective
from planner.weekdays import day_name

MATCH_WINDOW_DAYS = 14
"""How far a free item may travel and still count as moved (farther: removed and added)."""
REMOVAL_HOURS = 24 * 30
"""Distance cost of removing an item: more than any move within the window."""
CONTENT_FIELDS = (
    "audience", "phase", "content_type", "format", "message", "title", "description", "end",
    "status",
)  # fmt: skip


@dataclass
class Replanned:
    plan: Plan
    changes: list[Change]
    modified: frozenset[str]
    """Ids whose calendar event changed (SEQUENCE + 1, LAST-MODIFIED)."""

    @property
    def to_delete(self) -> list[Item]:
        """Cancelled events: Google Calendar ignores STATUS on import, so delete by hand."""
        return [i for i in self.plan.items if i.status == "cancelled" and i.id in self.modified]


def when(moment: datetime) -> str:
    return f"{day_name(moment.weekday())} {moment:%d/%m/%Y %H:%M}"


def replan(
    loaded: LoadedConfig,
    horizon: Horizon,
    current: Sequence[Item],
    snapshot: Sequence[Item] | None,
    since: datetime,
    *,
    time_limit: float = 60.0,
    workers: int = 1,
    progress: Progress | None = None,
) -> Replanned:
    """A new plan from the user's current rows; `snapshot` is what planner last wrote."""
    config = loaded.config
    fixed = [
        i for i in current
        if i.active and (i.status in ("published", "locked") or i.start < since)
    ]  # fmt: skip
    fixed_ids = {i.id for i in fixed}
    free = [i for i in current if i.active and i.id not in fixed_ids and i.kind != "task"]
    pinned = {
        i.id: Option(i.day, i.start.time(), i.channel, i.kind, subject_of(config, i)) for i in free
    }

    before = {i.id: i for i in (snapshot if snapshot is not None else current)}
    user = {i.id: i for i in current}
    dropped = [
        i for i in before.values()
        if i.active and (i.id not in user or not user[i.id].active)
    ]  # fmt: skip

    def levels(ctx: ModelContext) -> list[cp_model.LinearExprT]:
        mine = [i for i in free if ctx.scope.holds(i.channel, i.kind, i.day)]
        changes, distance, preferences = stability_levels(ctx, mine, pinned)
        return [changes + refilled(ctx, dropped), distance, preferences]

    def previous(watched: dict[object, int]) -> dict[Option, Item]:
        by_id = {i.id: i for i in free}
        return {option: by_id[item_id] for (item_id, option), value in watched.items() if value}  # type: ignore[misc]

    reserved = [*current, *before.values()]
    continuity = Continuity(fixed, list(pinned.values()), levels, previous, since, reserved)
    plan = make_plan(
        loaded, horizon, time_limit=time_limit, workers=workers, progress=progress,
        continuity=continuity,
    )  # fmt: skip
    items, changes, modified = compare(plan, before, user)
    plan.items = items
    return Replanned(plan, changes, frozenset(modified))


def refilled(ctx: ModelContext, dropped: list[Item]) -> cp_model.LinearExprT:
    """New items on a day where the user cancelled or deleted one of that kind on that
    channel, counted as one more change: the cancellation is a wish too."""
    days = {(i.channel, i.kind, i.day) for i in dropped}
    return sum(var for o, var in ctx.x.items() if (o.channel, o.kind, o.day) in days)


def stability_levels(
    ctx: ModelContext, free: list[Item], pinned: dict[str, Option]
) -> list[cp_model.LinearExprT]:
    """[changes, distance, preferences]: each free item is matched to at most one chosen
    option of its channel, kind and subject; its own option means it stays."""
    model = ctx.model
    by_subject: dict[tuple[str, str, str], list[Option]] = defaultdict(list)
    for option in ctx.options:
        by_subject[(option.channel, option.kind, option.subject)].append(option)
    claims: dict[Option, list[cp_model.IntVar]] = defaultdict(list)
    changes: list[cp_model.LinearExprT] = []
    distance: list[cp_model.LinearExprT] = []
    for item in free:
        own = pinned[item.id]
        matched: list[cp_model.IntVar] = []
        for option in by_subject[(own.channel, own.kind, own.subject)]:
            if abs((option.day - own.day).days) > MATCH_WINDOW_DAYS:
                continue
            var = model.new_bool_var("match")
            ctx.watch[(item.id, option)] = var
            claims[option].append(var)
            matched.append(var)
            if option != own:
                changes.append(var)
            else:  # staying put is the likely answer: start the search there
                model.add_hint(var, 1)
                model.add_hint(ctx.x[option], 1)
            gap = datetime.combine(option.day, option.time) - datetime.combine(own.day, own.time)
            distance.append(int(abs(gap.total_seconds()) // 3600) * var)
        model.add(sum(matched) <= 1)
        changes.append(1 - sum(matched))
        distance.append(REMOVAL_HOURS * (1 - sum(matched)))
    for option, variables in claims.items():
        model.add(sum(variables) <= ctx.x[option])
    added = sum(ctx.x.values()) - sum(v for vs in claims.values() for v in vs)
    return [sum(changes) + added, sum(distance), preference_objective(ctx)]


def compare(
    plan: Plan, before: dict[str, Item], user: dict[str, Item]
) -> tuple[list[Item], list[Change], set[str]]:
    """Final items (SEQUENCE bumped where the event changed) and the list of changes."""
    new = {i.id: i for i in plan.items}
    items: list[Item] = []
    changes: list[Change] = []
    modified: set[str] = set()
    for item in plan.items:
        old = before.get(item.id)
        if old is None:
            changes.append(Change(item.id, "added", "—", when(item.start), _added(plan, item)))
            items.append(item)
            continue
        differs = [f for f in CONTENT_FIELDS if getattr(old, f) != getattr(item, f)]
        if old.start != item.start:
            why = _moved(plan, item, user.get(item.id), old)
            changes.append(Change(item.id, "moved", when(old.start), when(item.start), why))
        elif differs:
            why = "modifié : " + ", ".join(differs)
            changes.append(Change(item.id, "changed", when(old.start), when(item.start), why))
        changed = old.start != item.start or bool(differs)
        if changed:
            modified.add(item.id)
        items.append(item.with_(sequence=old.sequence + 1 if changed else old.sequence))
    for item_id in sorted((set(before) | set(user)) - set(new)):
        old, mine = before.get(item_id), user.get(item_id)
        gone = (mine or old).with_(status="cancelled")  # type: ignore[union-attr]
        if old is not None and old.status == "cancelled":
            items.append(gone)
            continue
        if (mine or old).kind == "task":  # type: ignore[union-attr]
            why = "son live est retiré"
        elif mine is None:
            why = "supprimé du tableur"
        elif mine.status == "cancelled":
            why = "annulé dans le tableur"
        else:
            why = _removed(plan, mine)
        if old is not None:
            modified.add(item_id)
            gone = gone.with_(sequence=old.sequence + 1)
        items.append(gone.with_(why=why))
        changes.append(Change(item_id, "removed", when(gone.start), "—", why))
    order = {"moved": 0, "removed": 1, "added": 2, "changed": 3}
    changes.sort(key=lambda c: (order[c.change], c.id))
    return sorted(items, key=lambda i: (i.start, i.id)), changes, modified


def _broken(plan: Plan, items: list[Item]) -> str:
    """Rule families a counterfactual version of the plan would newly break. The plan's own
    violations (its warnings, from fixed rows) do not count; a live's preparation task
    follows its live, so it does not count either."""
    broken = newly_broken(plan.calendar, plan.warnings, items, ignore=(F.LIVE_PREPARATION,))
    return ", ".join(name(f) for f in broken)


def _moved(plan: Plan, item: Item, wish: Item | None, old: Item) -> str:
    if item.kind == "task":
        return f"suit son live ({item.parent}) : la veille ouvrée"
    if wish is not None and wish.start == item.start:
        return "déplacé à votre demande (plan.csv)"
    target = wish or old
    closed = plan.calendar.closed_reason(target.channel, target.day)
    if closed:
        return f"{target.day:%d/%m} : {closed}"
    back = [target.with_(sequence=i.sequence) if i.id == item.id else i for i in plan.items]
    broken = _broken(plan, back)
    return f"à sa place, il enfreindrait : {broken}" if broken else "meilleur plan d'ensemble"


def _added(plan: Plan, item: Item) -> str:
    broken = _broken(plan, [i for i in plan.items if item.id not in (i.id, i.parent)])
    return f"nécessaire pour : {broken}" if broken else item.why


def _removed(plan: Plan, item: Item) -> str:
    closed = plan.calendar.closed_reason(item.channel, item.day)
    if closed:
        return f"{item.day:%d/%m} : {closed}"
    broken = _broken(plan, [*plan.items, item])
    return f"le garder enfreindrait : {broken}" if broken else "plus nécessaire"
