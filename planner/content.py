"""From solved placements to plan items: key message, format, texts, ids, and team tasks.

The solver decides where items go, for whom and in which phase; what each one says follows
rules that need no search, so they are applied here, by construction:
- journey messages: per audience, in publishing order (across months too), never the same
  twice in a row while the phase offers another, at most twice a month (a brief once),
  found by a small backtracking search within the capacities the model reserved;
- messages of community types, rituals and live formats rotate per list;
- formats rotate per phase;
- each live gets its preparation task and the task steps of its sequence; each ritual task
  and campaign task gets its day (the first working day of its window).
Items kept from a previous plan anchor all of this; text the user typed stays theirs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from planner.calendar import Calendar, month_title, window_days
from planner.config.model import TASK_MINUTES, CampaignStep, Config, SequenceStep
from planner.items import Item
from planner.rules import BRIEF_PREFIX, Pool, stage_of, stage_pool
from planner.solver.options import Option, editorial, live_link, sequence_steps, task_step_at
from planner.weekdays import day_name

USER_FIELDS = ("message", "title", "description", "format")
"""Texts a user may type in the spreadsheet; from then on they own them."""


@dataclass
class Draft:
    """A placement on its way to becoming an item; `previous` is the item it continues."""

    option: Option
    start: datetime
    end: datetime
    message: str = ""
    format: str = ""
    content_type: str = ""
    parent: str = ""
    previous: Item | None = None
    owned: frozenset[str] = frozenset()

    @property
    def day(self) -> date:
        return self.start.date()


@dataclass
class Assembly:
    """What `assemble` needs to know beyond the chosen options."""

    fixed: Sequence[Item] = ()
    """Items the plan keeps as they are, in this scope or around it."""
    previous: dict[Option, Item] = field(default_factory=dict)
    """For a re-plan: the earlier item each chosen option continues."""
    reserved: frozenset[str] = frozenset()
    """Ids of every item ever planned: a new item never takes one."""
    owned: dict[str, frozenset[str]] = field(default_factory=dict)
    """Fields the user typed, per item id."""
    tasks: dict[tuple[str, str, str], Item] = field(default_factory=dict)
    """Earlier tasks by (parent or month, content type, channel), to keep their ids."""


class AssemblyError(RuntimeError):
    """The options chosen do not make items: no message rotation fits them, or a step's
    live is not there. The model makes sure of both for the months it solves; options
    chosen by another run (the second half of a long plan, `planning._joined`) may not."""


def assemble(
    calendar: Calendar, chosen: Sequence[Option], first: date, last: date, given: Assembly
) -> list[Item]:
    """The new and continued items of the scope [first, last], with their tasks."""
    config = calendar.config
    drafts = [_draft(calendar, o, given) for o in chosen]
    known = [i for i in given.fixed if i.active]
    _journey_messages(config, drafts, known)
    _list_messages(config, drafts, known)
    taken = set(given.reserved) | {i.id for i in given.fixed}
    taken |= {d.previous.id for d in drafts if d.previous is not None}
    steps = [d for d in drafts if d.option.link.startswith("live@")]
    items = _unique_ids([(_item(calendar, d), d) for d in drafts if d not in steps], taken)
    lives = [i for i in [*known, *items] if i.kind == "live" and i.active]
    by_link = {live_link(live.channel, live.day): live for live in lives}
    orphans = sorted({d.option.link for d in steps} - by_link.keys())
    if orphans:
        raise AssemblyError(f"steps without their live: {', '.join(orphans)}")
    items += _unique_ids(
        [(_sequence_item(calendar, d, by_link[d.option.link]), d) for d in steps], taken
    )
    taken |= {i.id for i in items}
    lives = [live for live in lives if first <= live.day <= last]
    existing = [*known, *items]
    tasks = _live_tasks(calendar, lives, existing, taken, given)
    tasks += _ritual_tasks(calendar, first, last, existing, taken, given)
    tasks += _campaign_tasks(calendar, first, last, existing, taken, given)
    return sorted([*items, *tasks], key=lambda i: (i.start, i.id))


def _draft(calendar: Calendar, option: Option, given: Assembly) -> Draft:
    channel = calendar.config.channels[option.channel]
    minutes = channel.duration_minutes
    if option.kind == "live":
        assert channel.lives is not None
        minutes = channel.lives.formats[option.subject].duration_minutes
    slot = calendar.slot(option.day, option.time, minutes)
    assert slot is not None, f"option outside valid local times: {option}"
    previous = given.previous.get(option)
    owned = given.owned.get(previous.id, frozenset()) if previous is not None else frozenset()
    draft = Draft(option, slot[0], slot[1], previous=previous, owned=owned)
    if previous is not None and "message" in owned:
        draft.message = previous.message
    return draft


# --- journey messages ------------------------------------------------------------------------


def _regular(config: Config, item: Item) -> bool:
    return item.kind == "post" and editorial(config, item.channel) and not item.parent


def _journey_messages(config: Config, drafts: list[Draft], known: list[Item]) -> None:
    """Per audience, in publishing order: messages by backtracking, formats by rotation."""
    by_audience: dict[str, list[Draft | Item]] = defaultdict(list)
    for draft in drafts:
        option = draft.option
        if option.kind == "post" and editorial(config, option.channel) and not option.link:
            by_audience[option.audience].append(draft)
    for item in known:
        if _regular(config, item) and item.audience in by_audience:
            by_audience[item.audience].append(item)
    for audience, sequence in by_audience.items():
        sequence.sort(key=lambda p: (p.start, p.option.channel if isinstance(p, Draft) else ""))
        todo = [p for p in sequence if isinstance(p, Draft) and not p.message]
        if todo and not _search(config, audience, sequence, todo):
            raise AssemblyError(f"no message rotation for {audience}")
        for draft in (p for p in sequence if isinstance(p, Draft)):
            _journey_format(config, audience, draft)


def _phase_of(post: Draft | Item) -> str:
    return post.option.phase if isinstance(post, Draft) else post.phase


def _pool(config: Config, audience: str, phase: str) -> Pool:
    stage = stage_of(config, audience, phase)
    return stage_pool(stage) if stage is not None else Pool((), ())


def _search(config: Config, audience: str, sequence: list[Draft | Item], todo: list[Draft]) -> bool:
    """Give each draft a message: never the neighbour's while the phase offers another, at
    most its monthly limit; keep a continued item's message when allowed, else rotate."""
    index = {id(p): n for n, p in enumerate(sequence)}
    used: Counter[tuple[int, int, str]] = Counter(
        (p.start.year, p.start.month, p.message) for p in sequence if p.message
    )

    def allowed(draft: Draft, text: str) -> bool:
        pool = _pool(config, audience, draft.option.phase)
        month = (draft.start.year, draft.start.month)
        if used[(*month, text)] >= pool.limit(text):
            return False
        if len(pool.entries) < 2:
            return True
        n = index[id(draft)]
        neighbours = [sequence[n - 1]] if n else []
        neighbours += sequence[n + 1 : n + 2]
        return all(p.message != text for p in neighbours)

    def candidates(draft: Draft) -> list[str]:
        pool = _pool(config, audience, draft.option.phase)
        entries = list(pool.entries)
        month = (draft.start.year, draft.start.month)
        start = (draft.start.year * 12 + draft.start.month) % max(len(entries), 1)
        rotated = entries[start:] + entries[:start]
        rotated.sort(key=lambda t: used[(*month, t)])
        kept = draft.previous
        if kept is not None and kept.phase == draft.option.phase and kept.message in entries:
            rotated.remove(kept.message)
            rotated.insert(0, kept.message)
        return rotated

    def place(k: int) -> bool:
        if k == len(todo):
            return True
        draft = todo[k]
        month = (draft.start.year, draft.start.month)
        for text in candidates(draft):
            if not allowed(draft, text):
                continue
            draft.message = text
            used[(*month, text)] += 1
            if place(k + 1):
                return True
            used[(*month, text)] -= 1
            draft.message = ""
        return False

    return place(0)


def _journey_format(config: Config, audience: str, draft: Draft) -> None:
    stage = stage_of(config, audience, draft.option.phase)
    assert stage is not None
    labels = [f.label for f in stage.formats]
    kept = draft.previous
    if kept is not None and kept.phase == draft.option.phase and kept.format in labels:
        chosen = stage.formats[labels.index(kept.format)]
    else:
        chosen = stage.formats[(draft.day.toordinal() // 7) % len(stage.formats)]
    draft.content_type = chosen.type
    if "format" not in draft.owned:
        draft.format = chosen.label
    elif draft.previous is not None:
        draft.format = draft.previous.format


# --- lists: community types, rituals, lives ---------------------------------------------------


def _list_pool(
    config: Config, channel: str, kind: str, subject: str, link: str = ""
) -> tuple[str, ...]:
    spec = config.channels[channel]
    if link.startswith("campaign@"):
        key = link.split("@", 1)[1]
        return tuple(_campaign_step(config, key, subject).texts)
    if kind == "live" and spec.lives is not None:
        return tuple(spec.lives.formats[subject].messages)
    if subject in (spec.types or {}):
        return tuple((spec.types or {})[subject].messages)
    if subject in spec.rituals:
        return tuple(spec.rituals[subject].messages)
    return ()


def _list_messages(config: Config, drafts: list[Draft], known: list[Item]) -> None:
    """Rotate each list (a type, a ritual, a live format) in publishing order."""
    sequences: dict[tuple[str, str, str], list[Draft | Item]] = defaultdict(list)
    for draft in drafts:
        option = draft.option
        link = option.link if option.link.startswith("campaign@") else ""
        if _list_pool(config, option.channel, option.kind, option.subject, link):
            sequences[(option.channel, option.subject, link)].append(draft)
        draft.content_type = draft.content_type or option.subject
    for item in known:
        campaign = any(c.key == item.parent for c in config.campaigns)
        link = f"campaign@{item.parent}" if campaign else ""
        key = (item.channel, item.content_type, link)
        if key in sequences and item.kind != "task":
            sequences[key].append(item)
    for (channel, subject, link), sequence in sequences.items():
        sequence.sort(key=lambda p: p.start)
        first = next(p for p in sequence if isinstance(p, Draft))
        pool = _list_pool(config, channel, first.option.kind, subject, link)
        _rotate(pool, sequence)


def _rotate(messages: tuple[str, ...], sequence: list[Draft | Item]) -> None:
    first = next(p for p in sequence if isinstance(p, Draft))
    pointer = (first.start.year * 12 + first.start.month) % len(messages)
    for i, post in enumerate(sequence):
        if isinstance(post, Item) or post.message:
            continue
        before = sequence[i - 1].message if i else None
        following = sequence[i + 1] if i + 1 < len(sequence) else None
        after = following.message if isinstance(following, Item) else None
        kept = post.previous
        if (
            kept is not None
            and kept.message in messages
            and _differs(kept.message, before, after, messages)
        ):
            post.message = kept.message
            continue
        steps = range(len(messages))
        order = [(pointer + step) % len(messages) for step in steps]
        # Different from both neighbours when the list allows it, else from the one before.
        chosen = next(
            (n for n in order if messages[n] not in (before, after)),
            next((n for n in order if _differs(messages[n], before, after, messages)), order[-1]),
        )
        post.message = messages[chosen]
        pointer = (chosen + 1) % len(messages)


def _differs(
    candidate: str, before: str | None, after: str | None, messages: tuple[str, ...]
) -> bool:
    if len(messages) < 2:
        return True
    if candidate == before:
        return False
    return candidate != after or len(messages) < 3


# --- items ------------------------------------------------------------------------------------


def _item(calendar: Calendar, draft: Draft) -> Item:
    config = calendar.config
    option = draft.option
    if option.kind == "post":
        item_id = f"{option.channel}-{option.day:%Y%m%d}-{option.time:%H%M}"
    else:
        item_id = f"{option.channel}-live-{option.day:%Y%m%d}"
    previous = draft.previous
    parent = draft.parent
    if option.link.startswith("campaign@"):
        parent = option.link.split("@", 1)[1]
    item = Item(
        id=previous.id if previous is not None else item_id,
        channel=option.channel,
        kind="live" if option.kind == "live" else "post",
        start=draft.start,
        end=draft.end,
        timezone=config.calendar.timezone,
        audience=option.audience,
        phase=option.phase,
        content_type=draft.content_type or option.subject,
        format=draft.format,
        message=draft.message,
        title="",
        description="",
        status=previous.status if previous is not None else "planned",
        sequence=previous.sequence if previous is not None else 0,
        parent=parent,
    )
    item = _step_content(config, item, option)
    return with_texts(config, item, draft.owned, previous)


def _step_content(config: Config, item: Item, option: Option) -> Item:
    """Format and message of a live, a ritual, or a campaign step."""
    spec = config.channels[item.channel]
    if item.kind == "live" and spec.lives is not None:
        return item.with_(format=item.format or spec.lives.formats[option.subject].label)
    if option.subject in spec.rituals and option.link.startswith("ritual@"):
        ritual = spec.rituals[option.subject]
        return item.with_(format=item.format or ritual.format or ritual.label)
    if option.link.startswith("campaign@"):
        step = _campaign_step(config, item.parent, option.subject)
        return item.with_(format=item.format or step.format or step.label)
    if option.subject in (spec.types or {}):
        return item.with_(format=item.format or (spec.types or {})[option.subject].format)
    return item


def _campaign_step(config: Config, key: str, step_key: str) -> CampaignStep:
    campaign = next(c for c in config.campaigns if c.key == key)
    return next(s for s in campaign.steps if s.key == step_key)


def _sequence_item(calendar: Calendar, draft: Draft, live: Item) -> Item:
    """A step of a live's sequence: its parent, format and message come from its live."""
    step = _live_step(calendar.config, live, draft.option.subject)
    if step is None:
        raise AssemblyError(f"no step {draft.option.subject} for {live.id}")
    if "message" not in draft.owned:
        draft.message = f"{live.format} du {_when(live.start)} — {live.message}"
    if "format" not in draft.owned:
        draft.format = step.format or step.label
    elif draft.previous is not None:
        draft.format = draft.previous.format
    draft.content_type = step.key
    draft.parent = live.id
    return _item(calendar, draft)


def _live_step(config: Config, live: Item, key: str) -> SequenceStep | None:
    rules = config.channels[live.channel].lives
    if rules is None:
        return None
    return next((s for s in sequence_steps(rules, live.content_type) if s.key == key), None)


def _when(moment: datetime) -> str:
    return f"{day_name(moment.weekday())} {moment:%d/%m à %H:%M}"


def with_texts(config: Config, item: Item, owned: frozenset[str], previous: Item | None) -> Item:
    """Title and description from the item's content; the fields the user owns stay
    as they typed them."""
    generated = texts(config, item)
    if previous is None:
        return generated
    changes = {f: getattr(previous, f) for f in ("title", "description") if f in owned}
    return generated.with_(**changes) if changes else generated


def texts(config: Config, item: Item) -> Item:
    """Title and description from the item's content (the five control points first)."""
    channel = config.channels[item.channel]
    audience = config.audiences.get(item.audience)
    phases = {p.key: p.label for p in config.phases}
    when = f"{day_name(item.start.weekday())} {item.start:%d/%m/%Y %H:%M} ({item.timezone})"
    lines = []
    if audience is not None:
        lines.append(f"Audience : {audience.label}")
    if item.phase:
        lines.append(f"Phase : {phases.get(item.phase, item.phase)}")
    lines += [
        f"Message clé : {item.message}",
        f"Format : {item.format}",
        f"Timing : {when}",
    ]
    titles = config.export.titles
    fields = {
        "canal": channel.tag,
        "audience": audience.short if audience is not None else "",
        "phase": phases.get(item.phase, item.phase),
        "type": type_label(config, item),
        "format": item.format,
        "message": item.message,
    }
    stage = stage_of(config, item.audience, item.phase) if item.audience else None
    if item.kind == "task":
        title = titles.task.format(**fields)
    elif item.kind == "live":
        title = titles.live.format(**fields)
        if channel.lives is not None and item.content_type in channel.lives.formats:
            live = channel.lives.formats[item.content_type]
            lines.append(f"Durée : {live.duration_minutes} min · {live.description}")
    elif channel.planning == "types":
        title = titles.community.format(**fields)
    else:
        title = titles.post.format(**fields)
    if item.kind == "post" and stage is not None and not item.parent:
        lines += [f"Objectif : {stage.goal}", f"Ton : {stage.tone}"]
        if stage.content:
            lines.append(f"Contenu prioritaire : {stage.content}")
        if item.message in stage.briefs:
            title = BRIEF_PREFIX + title
            lines.insert(0, f"Piste à rédiger : {item.message}")
    if audience is not None and audience.approach:
        lines.append(f"Approche : {audience.approach}")
    template = _template(config, item)
    if template:
        lines += ["", template.rstrip()]
    campaign = next((c for c in config.campaigns if c.key == item.parent), None)
    if campaign is not None:
        lines.append(f"Campagne : {campaign.name} (date d'ancrage {campaign.anchor:%d/%m/%Y})")
        if campaign.example:
            title = "EXEMPLE · " + title
    return item.with_(title=title, description="\n".join(lines))


def type_label(config: Config, item: Item) -> str:
    """What the item is, in words: a type, ritual, step or task label."""
    channel = config.channels[item.channel]
    key = item.content_type
    if key in (channel.types or {}):
        return (channel.types or {})[key].label
    if key in channel.rituals:
        return channel.rituals[key].label
    for spec in config.channels.values():
        if spec.lives is not None:
            if key == "preparation":
                return spec.lives.preparation.label
            step = next((s for s in spec.lives.sequence if s.key == key), None)
            if step is not None:
                return step.label
    for campaign in config.campaigns:
        campaign_step = next((s for s in campaign.steps if s.key == key), None)
        if campaign_step is not None:
            return campaign_step.label
    return item.format or key


def _template(config: Config, item: Item) -> str | None:
    channel = config.channels[item.channel]
    key = item.content_type
    if item.kind == "post" and key in (channel.types or {}):
        return (channel.types or {})[key].template
    if key in channel.rituals:
        return channel.rituals[key].template
    for spec in config.channels.values():
        if spec.lives is not None:
            step = next((s for s in spec.lives.sequence if s.key == key), None)
            if step is not None:
                return step.template
    for campaign in config.campaigns:
        campaign_step = next((s for s in campaign.steps if s.key == key), None)
        if campaign_step is not None:
            return campaign_step.template
    return None


def _unique_ids(made: list[tuple[Item, Draft]], taken: set[str]) -> list[Item]:
    """An item that continues an earlier one keeps its id; a new one is suffixed until no
    row, past or present, has it (an earlier row's id may match its day and time)."""
    seen = set(taken)
    result: list[Item] = []
    for item, draft in made:
        if draft.previous is not None:
            result.append(item)
            continue
        candidate, n = item.id, 2
        while candidate in seen:
            candidate = f"{item.id}-{n}"
            n += 1
        seen.add(candidate)
        result.append(item if candidate == item.id else item.with_(id=candidate))
    return result


# --- team tasks -------------------------------------------------------------------------------


def _task(
    calendar: Calendar,
    base: Item,
    task_id: str,
    content_type: str,
    label: str,
    day: date,
    moment: time,
    minutes: int,
    message: str,
    parent: str,
    given: Assembly,
) -> Item:
    """A task of a rule; one that continues an earlier task (same id) keeps the texts its
    user typed."""
    slot = calendar.task_slot(day, moment, minutes)
    item = base.with_(
        id=task_id,
        kind="task",
        start=slot[0],
        end=slot[1],
        content_type=content_type,
        format=label,
        message=message,
        parent=parent,
        why="",
        sequence=0,
        status="planned",
    )
    owned = given.owned.get(task_id, frozenset())
    earlier = next((t for t in given.tasks.values() if t.id == task_id), None) if owned else None
    if earlier is None:
        return texts(calendar.config, item)
    typed = {f: getattr(earlier, f) for f in ("message", "format") if f in owned}
    return with_texts(calendar.config, item.with_(**typed), owned, earlier)


def _task_id(wanted: str, key: tuple[str, str, str], taken: set[str], given: Assembly) -> str:
    """An earlier task keeps its id; a new one never reuses an id of any other item."""
    earlier = given.tasks.get(key)
    if earlier is not None:
        return earlier.id
    task_id, n = wanted, 2
    while task_id in taken:
        task_id, n = f"{wanted}-{n}", n + 1
    taken.add(task_id)
    return task_id


def _live_tasks(
    calendar: Calendar, lives: list[Item], existing: list[Item], taken: set[str], given: Assembly
) -> list[Item]:
    """The preparation (previous working day) and the task steps of each live's sequence,
    unless an active one is already on its day."""
    config = calendar.config
    have = {(i.parent, i.content_type, i.day) for i in existing if i.kind == "task" and i.active}
    tasks: list[Item] = []
    for live in lives:
        rules = config.channels[live.channel].lives
        assert rules is not None
        prep_day = calendar.previous_working_day(live.channel, live.day)
        label = f"{live.format} du {_when(live.start)} — {live.message}"
        wanted: list[tuple[str, str, date, time, int]] = []
        wanted.append(
            ("preparation", rules.preparation.label, prep_day, rules.preparation.time,
             rules.preparation.duration_minutes)
        )  # fmt: skip
        for step in sequence_steps(rules, live.content_type):
            task = step.kind == "task"
            at = task_step_at(calendar, live.channel, rules, step, live.day) if task else None
            if at is not None:
                wanted.append((step.key, step.label, *at, rules.preparation.duration_minutes))
        for content_type, step_label, day, moment, minutes in wanted:
            if (live.id, content_type, day) in have:
                continue
            suffix = "prep" if content_type == "preparation" else content_type
            task_id = _task_id(f"{live.id}-{suffix}", (live.id, content_type, ""), taken, given)
            tasks.append(
                _task(calendar, live, task_id, content_type, step_label, day, moment, minutes,
                      label, live.id, given)
            )  # fmt: skip
    return tasks


def _owner(calendar: Calendar, channel: str) -> Item:
    """A neutral base for a task that belongs to no live."""
    config = calendar.config
    spec = config.channels[channel]
    return Item(
        id="",
        channel=channel,
        kind="task",
        start=datetime.min,
        end=datetime.min,
        timezone=config.calendar.timezone,
        audience=spec.audience or "",
        phase=spec.phase or "",
        content_type="",
        format="",
        message="",
        title="",
        description="",
    )


def _ritual_tasks(
    calendar: Calendar,
    first: date,
    last: date,
    existing: list[Item],
    taken: set[str],
    given: Assembly,
) -> list[Item]:
    config = calendar.config
    tasks: list[Item] = []
    for key, channel in config.channels.items():
        for name, ritual in channel.rituals.items():
            if ritual.kind != "task":
                continue
            for year, month in _months(first, last):
                if ritual.months is not None and month not in ritual.months:
                    continue
                window = [d for d in window_days(ritual.days, year, month) if calendar.covered(d)]
                day = calendar.first_working_day(key, window)
                moment = ritual.time or time(9, 0)
                if day is None or not first <= day <= last:
                    continue
                stamp = f"{year:04d}-{month:02d}"
                inside = set(window_days(ritual.days, year, month))
                # one kept outside its window (published late) does not stand for the month
                if any(
                    i.kind == "task"
                    and i.active
                    and i.content_type == name
                    and not i.parent
                    and i.day in inside
                    for i in existing
                ) or not calendar.after_now(day, moment):
                    continue  # fmt: skip
                task_id = _task_id(
                    f"{key}-{name}-{year:04d}{month:02d}", (stamp, name, key), taken, given
                )
                message = f"{ritual.label} de {month_title(year, month)}"
                tasks.append(
                    _task(calendar, _owner(calendar, key), task_id, name, ritual.label, day,
                          moment, TASK_MINUTES, message, "", given)
                )  # fmt: skip
    return tasks


def _campaign_tasks(
    calendar: Calendar,
    first: date,
    last: date,
    existing: list[Item],
    taken: set[str],
    given: Assembly,
) -> list[Item]:
    config = calendar.config
    tasks: list[Item] = []
    for campaign in config.campaigns:
        for step in campaign.steps:
            if step.kind != "task":
                continue
            channel = config.task_channel(campaign, step)
            window = [campaign.anchor + timedelta(n) for n in step.days.span()]
            window = [d for d in window if calendar.covered(d)]
            day = calendar.first_working_day(channel, window)
            moment = step.time or time(9, 0)
            if day is None or not first <= day <= last or not calendar.after_now(day, moment):
                continue
            have = sum(
                1
                for i in existing
                if i.kind == "task" and i.active and i.parent == campaign.key
                and i.content_type == step.key
            )  # fmt: skip
            for n in range(have, step.count):
                suffix = f"-{n + 1}" if n else ""
                task_id = _task_id(
                    f"{campaign.key}-{step.key}{suffix}",
                    (campaign.key, step.key, str(n) if n else ""),
                    taken,
                    given,
                )
                message = step.texts[n % len(step.texts)]
                tasks.append(
                    _task(calendar, _owner(calendar, channel), task_id, step.key, step.label,
                          day, moment, TASK_MINUTES, message, campaign.key, given)
                )  # fmt: skip
    return tasks


def _months(first: date, last: date) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found
