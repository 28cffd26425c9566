"""Re-planning: keep what is fixed, move as little as possible, say what changed.

A horizon's rows fall in three groups:
- fixed: published or locked rows, and rows before `--since`/`--now`; they stay exactly as
  the user left them, even where they now break a rule (the report warns);
- free: planned rows; each is pinned where it stands (for a row the user moved, that is
  their wish) and the solver keeps it there if the rules allow;
- gone: cancelled rows and rows the user deleted; they stay gone, and a new item on their
  day counts as one more change.
The objective comes in levels, each kept at its optimum for the next: first the number of
changes (free items moved, changed of phase, removed; items added), then how far moved
items travel, then the usual preferences. The first two are one solve: the distance, at
most REMOVAL_HOURS per free item, is added to the changes weighted by one more than that,
which orders them exactly as two levels would, in one solve instead of two (0.23 s
instead of 0.55 s over the three months a blackout week changes). Changes, SEQUENCE
numbers and cancellations are computed against what calendars hold: each item's last
version written by planner.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from planner.changes import Change, field_word
from planner.checks import check_plan, newly_broken
from planner.coverage import Coverage
from planner.families import F, name
from planner.items import Item
from planner.planning import Plan
from planner.rules import stage_of
from planner.solver import cpsat
from planner.solver.context import VIOLATION_POINTS, ModelContext
from planner.solver.options import Option, live_link
from planner.solver.solve import Level, Levels, Paired
from planner.weekdays import dated

MATCH_WINDOW_DAYS = 14
"""How far a free item may travel and still count as moved (farther: removed and added)."""
REMOVAL_HOURS = 24 * 30
"""Distance cost of removing an item: more than any move within the window."""
LIVE_WISH_CHANGES = 3
"""What putting back a live the user moved costs, in changes, on top of the change itself:
its steps follow it at no cost, but the week's posts around them may have to make room."""
PHASE_WISH_CHANGES = 2
"""What undoing a phase the user typed costs, in changes, on top of the change itself: a
phase the rules allow stays the user's choice even when the month's phase mix then needs
another post to change phase (one change elsewhere is cheaper than undoing theirs)."""
EVENT_FIELDS = (
    "start", "end", "audience", "phase", "content_type", "format", "message", "title",
    "description", "status", "why",
)  # fmt: skip
"""What a calendar event shows: a change in any of them is a new SEQUENCE."""


def _match_key(option: Option) -> tuple[str, str, str, str, str]:
    """What an item keeps through a move: channel, kind, audience, subject, and what it
    belongs to (a live's steps may follow their live to another day)."""
    link = option.link.split("@", 1)[0] if option.link.startswith("live@") else option.link
    return option.channel, option.kind, option.audience, option.subject, link


def stability(
    dropped: Sequence[Item],
    planned: Coverage,
    phased: frozenset[str] = frozenset(),
    following: frozenset[str] = frozenset(),
) -> Callable[[ModelContext, list[Item], dict[str, Option]], Levels]:
    """The levels factory `planning.Continuity.levels` expects; `planned` holds the days
    earlier runs covered (only there is a new item a change), `phased` the free items whose
    phase the user changed in this run, `following` the steps of the lives they moved."""

    def factory(ctx: ModelContext, free: list[Item], pinned: dict[str, Option]) -> Levels:
        scope = ctx.scope
        new = not any(a <= scope.last and scope.first <= b for a, b in planned.spans)

        def levels(model_ctx: ModelContext) -> list[Level]:
            if new and not free:  # a month no run planned yet: nothing to keep stable
                return [model_ctx.preference_objective()]
            changes, distance = stability_levels(
                model_ctx, free, pinned, planned, phased, following
            )
            slack = sum(s.var for s in model_ctx.slacks)
            first = VIOLATION_POINTS * slack + changes + refilled(model_ctx, dropped)
            farthest = REMOVAL_HOURS * len(free)
            return [Paired(first, distance, farthest), model_ctx.preference_objective()]

        return levels

    return factory


def refilled(ctx: ModelContext, dropped: Sequence[Item]) -> cpsat.LinearExprT:
    """New items on a day where the user cancelled or deleted one of that kind on that
    channel, counted as one more change: the cancellation is a wish too."""
    days = {(i.channel, i.kind, i.day) for i in dropped}
    return sum(var for o, var in ctx.x.items() if (o.channel, o.kind, o.day) in days)


def stability_levels(
    ctx: ModelContext,
    free: list[Item],
    pinned: dict[str, Option],
    planned: Coverage,
    phased: frozenset[str] = frozenset(),
    following: frozenset[str] = frozenset(),
) -> tuple[cpsat.LinearExprT, cpsat.LinearExprT]:
    """(changes, distance): each free item is matched to at most one chosen option of its
    kind; its own option means it stays. An item added on a day no earlier run planned is no
    change: a range over a planned month fills its new months as if planned alone. An item
    of `phased` that does not keep the phase the user gave it costs PHASE_WISH_CHANGES more
    (any item that takes another phase counts one change more: its format, message and title
    change with it);
    an item of `following` (a step of a live the user moved) moves, or is planned again
    around its live, as no change."""
    model = ctx.model
    by_key: dict[tuple[str, str, str, str, str], list[Option]] = defaultdict(list)
    for option in ctx.options:
        by_key[_match_key(option)].append(option)
    claims: dict[Option, list[cpsat.IntVar]] = defaultdict(list)
    hinted: set[Option] = set()
    """Two rows on one slot: CP-SAT refuses a model that hints a variable twice."""
    changes: list[cpsat.LinearExprT] = []
    distance: list[cpsat.LinearExprT] = []
    parents = {i.parent for i in free if i.id in following}
    for item in free:
        own = pinned[item.id]
        matched: list[cpsat.IntVar] = []
        same_phase: list[cpsat.IntVar] = []
        at_own: list[cpsat.IntVar] = []
        for option in by_key[_match_key(own)]:
            if abs((option.day - own.day).days) > MATCH_WINDOW_DAYS:
                continue
            stays = option == own and item.id in ctx.own_messages
            var = ctx.stay(item.id, own) if stays else model.new_bool_var("match")
            ctx.watch[(item.id, option)] = var
            claims[option].append(var)
            matched.append(var)
            if option.phase == own.phase:
                same_phase.append(var)
            if option == own:
                at_own.append(var)
            if option != own and item.id not in following:
                changes.append(var)
            elif option not in hinted:  # staying put is likely: start the search there
                hinted.add(option)
                model.add_hint(var, 1)
                model.add_hint(ctx.x[option], 1)
            gap = datetime.combine(option.day, option.time) - datetime.combine(own.day, own.time)
            distance.append(int(abs(gap.total_seconds()) // 3600) * var)
        model.add(sum(matched) <= 1)
        if item.id not in following:
            changes.append(1 - sum(matched))
        changes.append(sum(matched) - sum(same_phase))  # another phase: new texts, a change
        if item.id in phased:
            changes.append(PHASE_WISH_CHANGES * (1 - sum(same_phase)))
        if item.id in parents:
            changes.append(LIVE_WISH_CHANGES * (1 - sum(at_own)))
        distance.append(REMOVAL_HOURS * (1 - sum(matched)))
    for option, variables in claims.items():
        model.add(sum(variables) <= ctx.x[option])
    for option, var in ctx.x.items():  # the plan as it stands: every other option off
        if option not in hinted:
            model.add_hint(var, 0)
    moved = {live_link(i.channel, i.day) for i in free if i.kind == "live" and i.id in parents}
    added = sum(
        var - sum(claims.get(option, []))
        for option, var in ctx.x.items()
        if option.day in planned and option.link not in moved
    )
    return sum(changes) + added, sum(distance)


@dataclass(frozen=True)
class Comparison:
    items: list[Item]
    """The plan's items with their SEQUENCE, and the removed ones as cancelled."""
    changes: list[Change]
    modified: frozenset[str]
    """Ids whose calendar event changed (SEQUENCE + 1, LAST-MODIFIED)."""


def compare(
    plan: Plan,
    exported: dict[str, Item],
    user: dict[str, Item],
    gone: dict[str, str],
    planned: Coverage,
) -> Comparison:
    """Final items against what calendars hold (`exported`); `user` holds the rows as the
    user left them (their wishes), `gone` the reasons of rows the user removed. An item
    added on a day no earlier run planned (a range over a planned month) is new, not a
    change to explain."""
    new = {i.id: i for i in plan.items}
    judge = _Counterfactual(plan) if exported else None
    items: list[Item] = []
    changes: list[Change] = []
    modified: set[str] = set()
    chosen = _chosen_phases(new, exported, user)
    for item in plan.items:
        old = exported.get(item.id)
        wish = user.get(item.id)
        if old is None and judge is not None and wish is not None:  # a row the user added
            elsewhere = wish.start != item.start
            if elsewhere:
                why = f"refusé : {_refusal(judge, plan, item, wish)}"
                asked, placed = dated(wish.start), dated(item.start)
                changes.append(Change(item.id, "refused", asked, placed, why))
            changes += _refused_phase(judge, plan, item, wish)
            if elsewhere:
                items.append(item.with_(sequence=0))
                continue
        if old is None:
            new_day = item.day not in planned
            why = item.why if judge is None or new_day else _added(judge, plan, item)
            changes.append(Change(item.id, "added", "—", dated(item.start), why))
            items.append(item.with_(sequence=0))
            continue
        differs = [f for f in EVENT_FIELDS if getattr(old, f) != getattr(item, f)]
        shown = [f for f in differs if f != "why"]
        also = _modified(item, old, wish, [f for f in shown if f not in ("start", "end")])
        if wish is not None and wish.start != old.start and wish.start != item.start:
            assert judge is not None
            why = _joined(f"refusé : {_refusal(judge, plan, item, wish)}", also)
            changes.append(Change(item.id, "refused", dated(wish.start), dated(item.start), why))
        elif old.start != item.start:
            assert judge is not None
            why = _joined(_moved(judge, plan, item, wish, old), also)
            before, after = _zoned(old, item), _zoned(item, old)
            changes.append(Change(item.id, "moved", before, after, why))
        elif shown:
            why = _modified(item, old, wish, shown) + _balancing(item, old, chosen)
            changes.append(Change(item.id, "changed", dated(old.start), dated(item.start), why))
        if wish is not None and judge is not None:
            changes += _refused_edits(judge, plan, item, wish, old)
        if differs:
            modified.add(item.id)
        items.append(item.with_(sequence=old.sequence + 1 if differs else old.sequence))
    for item_id in sorted(set(exported) | set(user)):
        if item_id in new:
            continue
        old = exported.get(item_id)
        mine = user.get(item_id)
        base = mine or old
        assert base is not None
        if old is not None and not old.active:
            continue
        live = new.get(base.parent) if base.parent else None
        why = gone.get(item_id) or (
            f"son live a changé ({dated(live.start)}) : l'étape est replanifiée autour de lui"
            if live is not None and live.active
            else "son live est retiré"
            if base.kind == "task" or base.parent or judge is None
            else _removed(judge, plan, base)
        )
        cancelled = base.with_(status="cancelled", why=why)
        if old is not None:  # cancelled where calendars have it, not where it was asked
            modified.add(item_id)
            cancelled = cancelled.with_(sequence=old.sequence + 1, start=old.start, end=old.end)
        items.append(cancelled)
        changes.append(Change(item_id, "removed", dated(cancelled.start), "—", why))
    order = {"refused": 0, "moved": 1, "removed": 2, "added": 3, "changed": 4}
    changes.sort(key=lambda c: (order[c.change], c.id))
    return Comparison(sorted(items, key=lambda i: (i.start, i.id)), changes, frozenset(modified))


def _words(fields: Sequence[str]) -> str:
    return ", ".join(field_word(f) for f in fields)


def _joined(why: str, also: str) -> str:
    return f"{why} ; {also}" if also else why


def _modified(item: Item, old: Item, wish: Item | None, fields: Sequence[str]) -> str:
    """« modifié à votre demande : audience ; en conséquence : phase, format » : what the user
    asked for and got, then what followed from it (or from the rest of the plan)."""
    asked = [
        f
        for f in fields
        if wish is not None and getattr(wish, f) == getattr(item, f) != getattr(old, f)
    ]
    rest = [f for f in fields if f not in asked]
    parts = [f"modifié à votre demande : {_words(asked)}"] if asked else []
    if rest:
        parts.append(("en conséquence : " if asked else "modifié : ") + _words(rest))
    return " ; ".join(parts)


def _chosen_phases(
    new: dict[str, Item], exported: dict[str, Item], user: dict[str, Item]
) -> list[Item]:
    """The items whose phase the user changed, and kept."""
    return [
        new[k]
        for k, wish in sorted(user.items())
        if k in new and k in exported
        and wish.phase != exported[k].phase
        and new[k].phase == wish.phase
    ]  # fmt: skip


def _balancing(item: Item, old: Item, chosen: list[Item]) -> str:
    """Why an item changed phase without being asked: the month's phase mix makes room for a
    phase the user chose for another post of its audience."""
    if item.phase == old.phase or any(c.id == item.id for c in chosen):
        return ""
    others = [
        c.id
        for c in chosen
        if (c.channel, c.audience, c.start.year, c.start.month)
        == (item.channel, item.audience, item.start.year, item.start.month)
    ]
    if not others:
        return ""
    return f" ({name(F.PHASE_MIX)} : fait la place à la phase choisie pour {', '.join(others)})"


def _length(item: Item) -> float:
    return item.end.timestamp() - item.start.timestamp()


def _phase_word(plan: Plan, phase: str) -> str:
    found = next((p.label for p in plan.loaded.config.phases if p.key == phase), None)
    return found or phase


def _refused_edits(
    judge: _Counterfactual, plan: Plan, item: Item, wish: Item, old: Item
) -> list[Change]:
    """An end or a phase the user typed that the item does not have: refused, with the rule
    that fixes it (a move is reported on its own, see `compare`)."""
    found: list[Change] = []
    if _length(wish) != _length(old) and _length(item) != _length(wish):
        why = f"fin refusée : {_fixed_length(plan, item)}"
        found.append(Change(item.id, "refused", dated(wish.end), dated(item.end), why, field="end"))
    if wish.phase != old.phase:
        found += _refused_phase(judge, plan, item, wish)
    return found


def _refused_phase(judge: _Counterfactual, plan: Plan, item: Item, wish: Item) -> list[Change]:
    """The phase the user typed (on a row they edited or added), when the item lost it."""
    if not wish.phase or item.phase == wish.phase:
        return []
    why = f"phase refusée : {_phase_refusal(judge, plan, item, wish)}"
    asked, kept = _phase_word(plan, wish.phase), _phase_word(plan, item.phase)
    return [Change(item.id, "refused", asked, kept, why, field="phase")]


def _fixed_length(plan: Plan, item: Item) -> str:
    """The rule that fixes an item's duration, in the words of the config."""
    channel = plan.loaded.config.channels[item.channel]
    rule = name(F.VALID_TIMES)
    minutes = round(_length(item) / 60)
    lives = channel.lives
    if item.kind == "live" and lives is not None and item.content_type in lives.formats:
        spec = lives.formats[item.content_type]
        return (
            f"{rule} : un live « {spec.label} » dure {spec.duration_minutes} min, la durée de "
            "son format (channels.yaml) ; pour une autre durée, choisissez un autre format"
        )
    if item.kind == "post":
        return (
            f"{rule} : un post {channel.label} dure {channel.duration_minutes} min, la durée "
            "du canal (channels.yaml)"
        )
    if item.content_type == "preparation" and lives is not None:
        minutes = lives.preparation.duration_minutes
        return f"{rule} : la préparation d'un live dure {minutes} min (channels.yaml)"
    return (
        f"{rule} : une tâche de planner dure {minutes} min ; passez la ligne à « verrouillé » "
        "pour garder votre fin"
    )


def _phase_refusal(judge: _Counterfactual, plan: Plan, item: Item, wish: Item) -> str:
    """Why an item does not take the phase the user typed."""
    config = plan.loaded.config
    channel = config.channels[item.channel]
    asked = _phase_word(plan, wish.phase)
    journey = channel.planning == "audiences" and item.kind == "post" and not item.parent
    if journey:
        audience = config.audiences.get(item.audience)
        label = audience.label if audience is not None else item.audience
        rule = name(F.PHASE_WINDOW)
        stage = stage_of(config, item.audience, wish.phase)
        if stage is None:
            phases = (
                ", ".join(
                    f"« {_phase_word(plan, s.phase)} »"
                    for s in config.journeys[item.audience].stages
                )
                if item.audience in config.journeys
                else ""
            )
            return f"{rule} : « {asked} » n'est pas une phase du parcours {label} ({phases})"
        month = plan.calendar.campaign_month(item.day)
        if stage.months.start > month:
            return (
                f"{rule} : la phase « {asked} » du parcours {label} ouvre au mois "
                f"{stage.months.start} de la campagne ; {item.day:%m/%Y} en est le mois {month}"
            )
        ignore: tuple[F, ...] = (F.CONTROL_POINTS, F.MESSAGE_ROTATION)  # texts follow phase
    else:
        ignore = ()
    probe = item.with_(phase=wish.phase)
    broken = judge.broken([probe if i.id == item.id else i for i in plan.items], ignore=ignore)
    if not journey:
        kept = _phase_word(plan, item.phase)
        fixed = f"la phase d'un élément {channel.label} est toujours « {kept} »"
        return f"{broken} : {fixed}" if broken else fixed
    if broken:
        return f"avec cette phase, il enfreindrait : {broken}"
    return "meilleur plan d'ensemble (moins de changements ailleurs)"


class _Counterfactual:
    """Rule families a changed version of the plan would newly break, judged on the items
    within reach of the horizon (the plan's own violations, e.g. from fixed rows, do not
    count; a live's tasks and steps follow their live, so they do not count either)."""

    MARGIN = timedelta(days=70)

    def __init__(self, plan: Plan) -> None:
        horizon = plan.calendar.horizon
        self.first, self.last = horizon.start - self.MARGIN, horizon.end + self.MARGIN
        self.plan = plan
        self.context = [i for i in plan.context if self._near(i)]
        self.coverage = Coverage.of(
            [(max(a, self.first), min(b, self.last)) for a, b in plan.calendar.coverage.spans]
        )
        self.baseline = check_plan(plan.loaded.config, self._with(plan.items), self.coverage)

    def _near(self, item: Item) -> bool:
        return item.kind == "live" or self.first <= item.day <= self.last

    def _with(self, items: list[Item]) -> list[Item]:
        return [*items, *self.context]

    def broken(
        self,
        items: list[Item],
        task: bool = False,
        untold: bool = False,
        ignore: tuple[F, ...] = (),
    ) -> str:
        """`task`: a task judged at another place is held to its live's rules too.
        `untold`: a row added without its message or format, which planner fills only for
        the rows it keeps, is not judged on them. `ignore`: other families left out."""
        left_out = [F.CONFIDENTIALITY, *ignore]
        if not task:
            left_out += [F.LIVE_PREPARATION, F.LIVE_SEQUENCE]
        if untold:
            left_out += [F.CONTROL_POINTS, F.COMMUNITY_CONTENT]
        found = newly_broken(
            self.plan.loaded.config,
            self.coverage,
            self.baseline,
            self._with(items),
            ignore=tuple(left_out),
        )
        return ", ".join(name(f) for f in found)


def _zoned(item: Item, other: Item) -> str:
    """When the item starts, with its time zone when the other version's differs: after the
    config's zone changed, « 08:30 → 08:30 » would hide that the hour is another one."""
    when = dated(item.start)
    return when if item.timezone == other.timezone else f"{when} ({item.timezone})"


def _moved(judge: _Counterfactual, plan: Plan, item: Item, wish: Item | None, old: Item) -> str:
    if wish is not None and wish.start == item.start:
        return "déplacé à votre demande"
    if old.timezone != item.timezone:
        return (
            f"le fuseau horaire de la configuration est passé de {old.timezone} à "
            f"{item.timezone} : l'élément garde ses règles d'heure locale"
        )
    if item.kind == "task" or item.parent:
        return "suit son live ou sa campagne"
    return _refusal(judge, plan, item, old)


def _refusal(judge: _Counterfactual, plan: Plan, item: Item, asked: Item) -> str:
    """Why an item does not stand where it was asked (or where it stood)."""
    closed = plan.calendar.closed_reason(asked.channel, asked.day)
    if closed:
        return f"{name(F.PUBLISHING_DAYS)}, le {asked.day:%d/%m} est un {closed}"
    if plan.calendar.earliest is not None and asked.start < plan.calendar.earliest:
        return "créneau déjà passé"
    placed = asked.with_(
        id=item.id,
        sequence=item.sequence,
        status=item.status,
        message=asked.message or item.message,  # a row added without them: planner's
        format=asked.format or item.format,
    )
    back = [placed if i.id == item.id else i for i in plan.items]
    broken = judge.broken(back, task=item.kind == "task")
    if broken:
        return f"à cette place, il enfreindrait : {broken}"
    return "meilleur plan d'ensemble (moins de changements ailleurs)"


def _added(judge: _Counterfactual, plan: Plan, item: Item) -> str:
    broken = judge.broken([i for i in plan.items if item.id not in (i.id, i.parent)])
    return f"nécessaire pour : {broken}" if broken else item.why


def _removed(judge: _Counterfactual, plan: Plan, item: Item) -> str:
    closed = plan.calendar.closed_reason(item.channel, item.day)
    if closed:
        return f"{item.day:%d/%m} : {closed}"
    if plan.calendar.earliest is not None and item.start < plan.calendar.earliest:
        return "créneau déjà passé"
    broken = judge.broken([*plan.items, item], untold=not (item.message and item.format))
    return f"le garder enfreindrait : {broken}" if broken else "plus nécessaire"
