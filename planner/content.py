"""From solved placements to plan items: phase, key message, format, texts, ids.

The solver decides where items go and for whom; what each one says follows rules that
need no search, so they are applied here, by construction:
- journey phases: an audience's posts of a month take the active phases in order, in
  contiguous, balanced blocks (each phase gets a post when there are enough posts);
- key messages and formats rotate per audience and message list, so the same message never
  comes twice in a row while the list offers another one;
- a live gets its preparation task on the previous working day.
Items kept from a previous plan (fixed, or matched while re-planning) anchor all three.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from planner.calendar import Calendar
from planner.config.model import Config, LiveRules, Stage
from planner.items import Item
from planner.rules import active_stages
from planner.solver.options import Option
from planner.weekdays import day_name


@dataclass
class Draft:
    """A placement on its way to becoming an item; `previous` is the item it continues."""

    option: Option
    start: datetime
    end: datetime
    phase: str = ""
    message: str = ""
    format: str = ""
    content_type: str = ""
    previous: Item | None = None


def assemble(
    calendar: Calendar,
    chosen: Sequence[Option],
    fixed: Sequence[Item] = (),
    previous: dict[Option, Item] | None = None,
    reserved: Sequence[Item] = (),
) -> list[Item]:
    """Items for the chosen options, plus the fixed items unchanged, plus preparation tasks.

    An item continuing a previous one keeps its id; a new item never takes the id of a
    `reserved` one (an earlier plan's row, cancelled or not), so a calendar never mistakes
    it for an event it already holds.
    """
    previous = previous or {}
    config = calendar.config
    drafts = [_draft(calendar, o, previous.get(o)) for o in chosen]
    anchors = [i for i in fixed if i.active]
    _assign_phases(calendar, drafts, anchors)
    _assign_messages(config, drafts, anchors)
    items = [_item(calendar, d) for d in drafts]
    kept = {d.previous.id for d in drafts if d.previous is not None}
    taken = {i.id for i in [*fixed, *reserved]} | kept
    items = _unique_ids(items, taken, kept)
    lives = [i for i in [*fixed, *items] if i.kind == "live" and i.active]
    own_tasks = {i.id: i.parent for i in reserved if i.kind == "task"}
    items += _tasks(calendar, lives, fixed, taken | {i.id for i in items}, own_tasks)
    return sorted([*fixed, *items], key=lambda i: (i.start, i.id))


def _draft(calendar: Calendar, option: Option, previous: Item | None) -> Draft:
    channel = calendar.config.channels[option.channel]
    minutes = channel.duration_minutes
    if option.kind == "live":
        assert channel.lives is not None
        minutes = channel.lives.formats[option.subject].duration_minutes
    slot = calendar.slot(option.day, option.time, minutes)
    assert slot is not None, f"option outside valid local times: {option}"
    return Draft(option, slot[0], slot[1], previous=previous)


def _editorial(config: Config, channel: str) -> bool:
    return config.channels[channel].planning == "audiences"


# --- phases ---------------------------------------------------------------------------


def _assign_phases(calendar: Calendar, drafts: list[Draft], anchors: list[Item]) -> None:
    config = calendar.config
    groups: dict[tuple[str, int], list[Draft | Item]] = defaultdict(list)
    for draft in drafts:
        option = draft.option
        if option.kind == "post" and _editorial(config, option.channel):
            groups[(option.subject, calendar.campaign_month(option.day))].append(draft)
        else:
            channel = config.channels[option.channel]
            draft.phase = channel.phase or ""
    for item in anchors:
        if item.kind == "post" and _editorial(config, item.channel):
            groups[(item.audience, calendar.campaign_month(item.day))].append(item)
    for (audience, month), posts in groups.items():
        phases = [s.phase for s in active_stages(config, audience, month)]
        posts.sort(key=_start)
        if not any(isinstance(p, Draft) for p in posts):
            continue
        with_previous = _phases_for(posts, phases, soft_anchors=True)
        if _covers(with_previous, phases):
            chosen = with_previous
        else:
            chosen = _phases_for(posts, phases, soft_anchors=False)
        for post, phase in zip(posts, chosen, strict=True):
            if isinstance(post, Draft):
                post.phase = phase


def _start(post: Draft | Item) -> datetime:
    return post.start


def _phases_for(posts: list[Draft | Item], phases: list[str], soft_anchors: bool) -> list[str]:
    """Balanced contiguous blocks, clamped between the phases of anchored posts."""
    n, k = len(posts), len(phases)
    if n >= k:
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        balanced = [i for i, size in enumerate(sizes) for _ in range(size)]
    elif n == 1:
        balanced = [0]
    else:
        balanced = [round(i * (k - 1) / (n - 1)) for i in range(n)]
    fixed: list[int | None] = []
    for post in posts:
        phase = _anchor_phase(post, soft_anchors)
        fixed.append(phases.index(phase) if phase in phases else None)
    result: list[str] = []
    for i, anchored in enumerate(fixed):
        if anchored is not None:
            result.append(phases[anchored])
            continue
        low = max([f for f in fixed[:i] if f is not None], default=0)
        high = min([f for f in fixed[i + 1 :] if f is not None], default=k - 1)
        result.append(phases[min(max(balanced[i], low), max(high, low))])
    return result


def _anchor_phase(post: Draft | Item, soft_anchors: bool) -> str | None:
    if isinstance(post, Item):
        return post.phase
    if soft_anchors and post.previous is not None:
        return post.previous.phase
    return None


def _covers(assigned: list[str], phases: list[str]) -> bool:
    order = [phases.index(p) for p in assigned if p in phases]
    if order != sorted(order):
        return False
    return len(assigned) < len(phases) or set(assigned) >= set(phases)


# --- messages and formats -------------------------------------------------------------


@dataclass(frozen=True)
class Pool:
    """A message list and a format list an item draws from."""

    key: tuple[str, ...]
    messages: tuple[str, ...]
    formats: tuple[tuple[str, str], ...]
    """(label, content_type) pairs."""


def pool_of(
    config: Config, channel: str, kind: str, audience: str, phase: str, content_type: str
) -> Pool | None:
    spec = config.channels[channel]
    if kind == "live" and spec.lives is not None:
        live = spec.lives.formats.get(content_type)
        if live is None:
            return None
        return Pool(
            ("live", channel, content_type), tuple(live.messages), ((live.label, content_type),)
        )
    if kind == "post" and spec.types is not None:
        kind_spec = spec.types.get(content_type)
        if kind_spec is None:
            return None
        return Pool(
            ("type", channel, content_type),
            tuple(kind_spec.messages),
            ((kind_spec.format, content_type),),
        )
    stage = _stage(config, audience, phase)
    if stage is None:
        return None
    return Pool(
        ("stage", audience, phase),
        tuple(stage.messages),
        tuple((f.label, f.type) for f in stage.formats),
    )


def _stage(config: Config, audience: str, phase: str) -> Stage | None:
    journey = config.journeys.get(audience)
    return None if journey is None else next((s for s in journey.stages if s.phase == phase), None)


def _draft_pool(config: Config, draft: Draft) -> Pool:
    option = draft.option
    spec = config.channels[option.channel]
    if option.kind == "post" and _editorial(config, option.channel):
        pool = pool_of(config, option.channel, "post", option.subject, draft.phase, "")
    else:
        pool = pool_of(
            config, option.channel, option.kind, spec.audience or "", draft.phase, option.subject
        )
    assert pool is not None, f"no message list for {option}"
    return pool


def _item_pool(config: Config, item: Item) -> Pool | None:
    return pool_of(config, item.channel, item.kind, item.audience, item.phase, item.content_type)


def _assign_messages(config: Config, drafts: list[Draft], anchors: list[Item]) -> None:
    sequences: dict[tuple[str, ...], list[Draft | Item]] = defaultdict(list)
    pools: dict[tuple[str, ...], Pool] = {}
    for draft in drafts:
        pool = _draft_pool(config, draft)
        pools[pool.key] = pool
        sequences[pool.key].append(draft)
    for item in anchors:
        pool = _item_pool(config, item)
        if pool is not None and item.kind != "task":
            sequences[pool.key].append(item)
    for key, sequence in sequences.items():
        if key in pools:
            sequence.sort(key=_start)
            _rotate(pools[key], sequence)


def _rotate(pool: Pool, sequence: list[Draft | Item]) -> None:
    messages, formats = pool.messages, pool.formats
    first = next(p for p in sequence if isinstance(p, Draft))
    pointer = first.start.month % len(messages)
    format_pointer = first.start.month % len(formats)
    last_message: str | None = None
    for i, post in enumerate(sequence):
        if isinstance(post, Item):
            last_message = post.message
            continue
        upcoming = next(
            (_known_message(p) for p in sequence[i + 1 :] if _known_message(p) is not None), None
        )
        kept = post.previous
        if (
            kept is not None
            and kept.phase == post.phase
            and kept.message in messages
            and _differs(kept.message, last_message, upcoming, messages)
        ):
            post.message = kept.message
        else:
            for step in range(len(messages)):
                candidate = messages[(pointer + step) % len(messages)]
                if (
                    _differs(candidate, last_message, upcoming, messages)
                    or step == len(messages) - 1
                ):
                    post.message = candidate
                    pointer = (pointer + step + 1) % len(messages)
                    break
        labels = [label for label, _ in formats]
        if kept is not None and kept.phase == post.phase and kept.format in labels:
            post.format, post.content_type = formats[labels.index(kept.format)]
        else:
            post.format, post.content_type = formats[format_pointer]
            format_pointer = (format_pointer + 1) % len(formats)
        last_message = post.message


def _known_message(post: Draft | Item) -> str | None:
    if isinstance(post, Item):
        return post.message
    if post.previous is not None and post.previous.phase == post.phase:
        return post.previous.message
    return None


def _differs(
    candidate: str, before: str | None, after: str | None, messages: tuple[str, ...]
) -> bool:
    if len(messages) < 2:
        return True
    if candidate == before:
        return False
    return candidate != after or len(messages) < 3


# --- items ----------------------------------------------------------------------------


def _item(calendar: Calendar, draft: Draft) -> Item:
    config = calendar.config
    option = draft.option
    channel = config.channels[option.channel]
    editorial_post = option.kind == "post" and _editorial(config, option.channel)
    audience = option.subject if editorial_post else channel.audience or ""
    if option.kind == "post":
        item_id = f"{option.channel}-{option.day:%Y%m%d}-{option.time:%H%M}"
    else:
        item_id = f"{option.channel}-live-{option.day:%Y%m%d}"
    previous = draft.previous
    item = Item(
        id=previous.id if previous is not None else item_id,
        channel=option.channel,
        kind="live" if option.kind == "live" else "post",
        start=draft.start,
        end=draft.end,
        timezone=config.calendar.timezone,
        audience=audience,
        phase=draft.phase,
        content_type=draft.content_type,
        format=draft.format,
        message=draft.message,
        title="",
        description="",
        sequence=previous.sequence if previous is not None else 0,
    )
    item = texts(config, item)
    if previous is not None and (previous.start, previous.phase) == (item.start, item.phase):
        item = item.with_(why=previous.why)
    return item


def texts(config: Config, item: Item) -> Item:
    """Title and description from the item's content (the five control points first)."""
    channel = config.channels[item.channel]
    audience = config.audiences[item.audience]
    when = f"{day_name(item.start.weekday())} {item.start:%d/%m/%Y %H:%M} ({item.timezone})"
    lines = [
        f"Audience : {audience.label}",
        f"Phase : {config.phase_label(item.phase)} ({item.phase})",
        f"Message clé : {item.message}",
        f"Format : {item.format}",
        f"Timing : {when}",
    ]
    stage = _stage(config, item.audience, item.phase)
    if stage is not None and item.kind == "post":
        lines += [f"Objectif : {stage.goal}", f"Ton : {stage.tone}"]
        if stage.content:
            lines.append(f"Contenu prioritaire : {stage.content}")
    if audience.approach:
        lines.append(f"Approche : {audience.approach}")
    if item.kind == "task" and channel.lives is not None:
        title = f"Préparer : {item.message}"
    elif item.kind == "live" and channel.lives is not None:
        live = channel.lives.formats[item.content_type]
        title = f"Live {live.label} ({live.duration_minutes} min) — {item.message}"
        lines.append(f"Durée : {live.duration_minutes} min · {live.description}")
    elif channel.types is not None:
        kind = channel.types[item.content_type]
        title = f"{channel.label} · {kind.label} — {item.message}"
        lines += ["", kind.template.rstrip()]
    else:
        title = f"{channel.label} · {item.format} · {audience.short} — {item.message}"
    return item.with_(title=title, description="\n".join(lines))


def _unique_ids(items: list[Item], taken: set[str], kept: set[str]) -> list[Item]:
    """Kept ids stay; any other id is suffixed until no row, past or present, has it."""
    seen = set(taken)
    result: list[Item] = []
    for item in items:
        if item.id in kept:
            result.append(item)
            continue
        candidate, n = item.id, 2
        while candidate in seen:
            candidate = f"{item.id}-{n}"
            n += 1
        seen.add(candidate)
        result.append(item if candidate == item.id else item.with_(id=candidate))
    return result


def _tasks(
    calendar: Calendar,
    lives: list[Item],
    fixed: Sequence[Item],
    taken: set[str],
    own_tasks: dict[str, str],
) -> list[Item]:
    """A preparation task the working day before each live that has none there yet (a fixed
    task of a live that moved stays where it was, and the live gets a new one)."""
    config = calendar.config
    existing = {(i.parent, i.day) for i in fixed if i.kind == "task" and i.active}
    fixed_ids = {i.id for i in fixed}
    tasks: list[Item] = []
    for live in lives:
        rules = config.channels[live.channel].lives
        assert rules is not None
        day = calendar.previous_working_day(live.channel, live.day)
        if (live.id, day) in existing:
            continue
        slot = _task_slot(calendar, day, rules.preparation.time, live.start.time(), rules)
        task_id, n = f"{live.id}-prep", 2
        while task_id in fixed_ids or (task_id in taken and own_tasks.get(task_id) != live.id):
            task_id, n = f"{live.id}-prep-{n}", n + 1
        taken.add(task_id)
        task = live.with_(
            id=task_id,
            kind="task",
            start=slot[0],
            end=slot[1],
            content_type="preparation",
            format=rules.preparation.label,
            message=f"{live.title} ({day_name(live.start.weekday())} {live.start:%d/%m/%Y %H:%M})",
            parent=live.id,
            why="",
            sequence=0,
        )
        tasks.append(texts(config, task))
    return tasks


def _task_slot(
    calendar: Calendar, day: date, wanted: time, live_time: time, rules: LiveRules
) -> tuple[datetime, datetime]:
    """The preparation's configured time; where a clock change skips it that day, the
    live's own time, or else the first quarter hour after the configured time that exists
    (a zone may change its clocks on a working day: Jerusalem, Cairo)."""
    minutes = rules.preparation.duration_minutes
    start = datetime.combine(day, wanted)
    later = [(start + timedelta(minutes=15 * n)).time() for n in range(1, 96)]
    for moment in (wanted, live_time, *later):
        slot = calendar.slot(day, moment, minutes)
        if slot is not None:
            return slot
    raise AssertionError(f"no valid time on {day} for a preparation task")
