"""One plan, end to end and without I/O: rules → slots → solver → items → checks → reasons.

A horizon is solved one calendar month after the other, each month seeing the months
before it (this run's and the plan store's) as fixed context: live spacing and rotation,
message rotation, weekly bands of weeks that straddle two months. The days a plan covers
grow month by month, so each month obeys exactly the rules it would obey if it were
planned alone after the previous one.
"""

from __future__ import annotations

import calendar as stdcal
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from planner.calendar import Calendar, Horizon
from planner.checks import Violation, check_plan
from planner.confidential import scan_config, scan_items
from planner.config.loading import LoadedConfig
from planner.content import Assembly, assemble
from planner.coverage import Coverage
from planner.diagnosis import conflict_problems, diagnose
from planner.errors import CheckFailedError, InfeasibleError, InputError, Problem
from planner.families import F
from planner.items import Item
from planner.notices import notices
from planner.scoring import Miss, score_plan
from planner.solver.context import ModelContext, placement
from planner.solver.options import Option, Scope
from planner.solver.solve import Levels, Progress, SolveStats, build, solve_model
from planner.why import annotate

MAX_DAYS = 3 * 366
CONTEXT_DAYS = 70
"""How far around a month the model looks at other items (longest rule reach: the live
variety gap of 42 days, plus a week)."""


@dataclass
class Facts:
    """What the plan store already holds around the horizon."""

    context: Sequence[Item] = ()
    """Items of other periods (any status)."""
    prior: Coverage = field(default_factory=Coverage)
    """Days earlier plans covered."""
    reserved: frozenset[str] = frozenset()
    """Every id ever planned."""


@dataclass
class Continuity:
    """What re-planning adds: the horizon's rows as the user left them."""

    fixed: Sequence[Item]
    """Rows kept exactly (published, locked, or before `--since`)."""
    free: Sequence[Item]
    """Planned rows: each is pinned where it stands and moves only if it must."""
    owned: dict[str, frozenset[str]] = field(default_factory=dict)
    moved: frozenset[str] = frozenset()
    """Rows the user placed themselves (their `why` says so)."""
    levels: Callable[[ModelContext, list[Item], dict[str, Option]], Levels] | None = None
    """Objective levels before the preferences (stability), given the month's free rows."""


@dataclass
class Plan:
    loaded: LoadedConfig
    calendar: Calendar
    items: list[Item]
    stats: SolveStats
    context: list[Item] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    """Rules that could not apply and why (a share moved, a month without live day…)."""

    @property
    def horizon(self) -> Horizon:
        return self.calendar.horizon


def parse_month(text: str) -> Horizon:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InputError(f"Mois invalide « {text} » : écrivez-le comme 2026-03.")
    return Horizon.month(int(match.group(1)), int(match.group(2)))


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"Date invalide pour {option} : « {text} » (format AAAA-MM-JJ, jour existant)."
        ) from None


def choose_horizon(month: str | None, start: str | None, end: str | None, now: datetime) -> Horizon:
    """--month, or --from/--to, or by default the month after `now`."""
    if month and (start or end):
        raise InputError("Donnez soit --month, soit --from et --to, pas les deux.")
    if month:
        return parse_month(month)
    if start or end:
        if not (start and end):
            raise InputError("--from et --to vont ensemble.")
        first, last = parse_day(start, "--from"), parse_day(end, "--to")
        if last < first:
            raise InputError(f"--to ({last}) est avant --from ({first}).")
        return Horizon(first, last)
    following = date(now.year, now.month, stdcal.monthrange(now.year, now.month)[1])
    following += timedelta(1)
    return Horizon.month(following.year, following.month)


def validate_horizon(loaded: LoadedConfig, horizon: Horizon) -> None:
    start = loaded.config.calendar.campaign_start
    if horizon.start < start:
        raise InputError(
            f"L'horizon commence le {horizon.start:%d/%m/%Y}, avant le début de la campagne "
            f"({start:%m/%Y}, calendar.campaign_start) : les parcours n'y ont pas de sens.",
            [Problem("changez --month/--from, ou campaign_start", loaded.files.get("calendar"))],
        )
    if (horizon.end - horizon.start).days >= MAX_DAYS:
        raise InputError(
            f"Horizon trop long ({(horizon.end - horizon.start).days + 1} jours) : "
            "planifiez trois ans au plus à la fois."
        )


def earliest_for(horizon: Horizon, now: datetime | None) -> datetime | None:
    """Nothing is placed before `now`; a horizon wholly in the past is planned as a whole
    (a look back, said in the report)."""
    if now is None or horizon.end < now.date():
        return None
    return now


def run_coverage(prior: Coverage, horizon: Horizon, earliest: datetime | None) -> Coverage:
    first = horizon.start if earliest is None else max(horizon.start, earliest.date())
    return prior.union(Coverage.of([(first, horizon.end)]))


def make_plan(
    loaded: LoadedConfig,
    horizon: Horizon,
    *,
    now: datetime | None = None,
    effort: float = 60.0,
    progress: Progress | None = None,
    facts: Facts | None = None,
    continuity: Continuity | None = None,
) -> Plan:
    validate_horizon(loaded, horizon)
    refuse_confidential(scan_config(loaded))
    config = loaded.config
    facts = facts or Facts()
    earliest = earliest_for(horizon, now)
    coverage = run_coverage(facts.prior, horizon, earliest)
    calendar = Calendar(config, horizon, earliest, coverage)
    context = [i for i in facts.context if not horizon.contains(i.day)]
    kept = list(continuity.fixed) if continuity else []
    free = list(continuity.free) if continuity else []
    owned = continuity.owned if continuity else {}
    known = {i.id: i for i in [*context, *kept, *free]}
    reserved = frozenset(facts.reserved) | frozenset(known)
    earlier_tasks = {_task_key(i): i for i in [*free, *kept] if i.kind == "task"}
    stats = SolveStats("optimal", objective=0, bound=0)
    broken: set[F] = set()
    new: list[Item] = []
    spent = 0.0
    for chunk in horizon.month_chunks():
        first = chunk.start if earliest is None else max(chunk.start, earliest.date())
        if first > chunk.end:
            continue
        month_calendar = Calendar(
            config,
            horizon,
            earliest,
            run_coverage(facts.prior, Horizon(horizon.start, chunk.end), earliest),
        )
        scope = Scope(chunk.start, chunk.end)
        around = [
            i
            for i in [*context, *kept, *new]
            if i.active
            and (i.kind == "live" or abs((i.day - chunk.start).days) <= CONTEXT_DAYS + 31)
        ]
        mine = [i for i in free if chunk.contains(i.day) and i.kind != "task"]
        every = {**known, **{i.id: i for i in new}}
        pinned = {i.id: placement(every, config, i) for i in mine}
        ctx = build(month_calendar, scope, around, known=every, pinned=pinned.values())
        levels = continuity.levels(ctx, mine, pinned) if continuity and continuity.levels else None
        solution = solve_model(
            ctx, effort=max(effort - spent, 0.5), levels=levels, progress=progress
        )
        spent += solution.stats.deterministic_seconds
        stats.add(solution.stats)
        if not solution.stats.solved:
            raise no_plan(loaded, month_calendar, scope, around, every, solution.stats)
        broken |= {family for family, _ in solution.broken}
        previous = _matched(solution.watched, {i.id: i for i in mine})
        given = Assembly(
            fixed=around,
            previous=previous,
            reserved=reserved | {i.id for i in new},
            owned=owned,
            tasks=earlier_tasks,
        )
        new += assemble(month_calendar, solution.chosen, chunk.start, chunk.end, given)
    items = sorted([*kept, *new], key=lambda i: (i.start, i.id))
    misses = score_plan(calendar, items, context)
    moved = continuity.moved if continuity else frozenset()
    items = annotate(calendar, items, misses, context, moved)
    refuse_confidential(scan_items(config, items))
    fact_ids = {i.id for i in [*context, *kept]}
    owned_fields = frozenset((i, f) for i, fields in owned.items() for f in fields)
    violations = check_plan(config, [*items, *context], coverage, owned_fields)
    errors = [v for v in violations if not (set(v.items) & fact_ids) and v.family not in broken]
    if errors:
        raise CheckFailedError(
            "Le plan produit viole une règle dure : c'est un bogue de planner, rien n'a été "
            "écrit. Merci de le signaler avec ce message.",
            [Problem(v.render()) for v in errors],
        )
    warnings = [v for v in violations if v not in errors]
    texts = notices(calendar, now if earliest is None and now is not None else None)
    return Plan(loaded, calendar, items, stats, context, misses, warnings, texts)


def _task_key(item: Item) -> tuple[str, str, str]:
    """How a task is recognised from one run to the next (see `content.Assembly.tasks`)."""
    if item.parent:
        return (item.parent, item.content_type, "")
    return (f"{item.day:%Y-%m}", item.content_type, item.channel)


def _matched(watched: dict[object, int], free: dict[str, Item]) -> dict[Option, Item]:
    found: dict[Option, Item] = {}
    for key, value in watched.items():
        if value and isinstance(key, tuple) and len(key) == 2 and key[0] in free:
            found[key[1]] = free[key[0]]
    return found


def refuse_confidential(problems: list[Problem]) -> None:
    if problems:
        raise InputError(
            "Contenu confidentiel : ces textes ne doivent jamais être exportés "
            "(règles de confidentialité, confidential.yaml). Rien n'a été écrit.",
            problems,
        )


def no_plan(
    loaded: LoadedConfig,
    calendar: Calendar,
    scope: Scope,
    fixed: Sequence[Item],
    known: dict[str, Item],
    stats: SolveStats,
) -> InfeasibleError:
    groups = diagnose(loaded, calendar, scope, fixed, known)
    if not groups:
        return InfeasibleError(
            f"Aucun plan trouvé pour {scope.label()} dans l'effort de calcul permis "
            f"({stats.deterministic_seconds:.0f} s de temps déterministe) : relancez avec un "
            "--time-limit plus grand."
        )
    problems = conflict_problems(scope.label(), groups, 1)
    return InfeasibleError(
        f"Les règles ne peuvent pas toutes tenir sur {scope.label()} : "
        f"{len(problems)} conflit(s). Dans chacun, assouplir une seule des règles citées "
        "suffit à le résoudre :",
        problems,
    )


def horizon_from_label(label: str, items: Sequence[Item]) -> Horizon:
    """The horizon of a plan folder ('2026-03' or '2026-01-01_2026-06-30'), else the months
    its items cover."""
    if re.fullmatch(r"\d{4}-\d{2}", label):
        return parse_month(label)
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})", label)
    if match:
        return Horizon(
            parse_day(match.group(1), "le dossier"), parse_day(match.group(2), "le dossier")
        )
    if not items:
        raise InputError(
            f"Impossible de retrouver la période du plan (dossier « {label} », aucune ligne)."
        )
    first = min(i.day for i in items)
    last = max(i.day for i in items)
    end = date(last.year, last.month, stdcal.monthrange(last.year, last.month)[1])
    return Horizon(date(first.year, first.month, 1), end)
