"""One plan, end to end and without I/O: rules → slots → solver → items → checks → reasons."""

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
from planner.content import assemble
from planner.diagnosis import conflict_problems, diagnose
from planner.errors import CheckFailedError, InfeasibleError, InputError, Problem
from planner.items import Item
from planner.scoring import Miss, score_plan
from planner.solver.options import Option, Scope
from planner.solver.solve import Levels, Progress, SolveStats, solve_plan
from planner.why import annotate

MAX_DAYS = 3 * 366


@dataclass
class Plan:
    loaded: LoadedConfig
    calendar: Calendar
    items: list[Item]
    stats: SolveStats
    misses: list[Miss] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)

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


@dataclass
class Continuity:
    """What re-planning adds to a solve: the previous plan's fixed items, the options its
    free items stand on, objective levels before the preferences, and how to read the
    solver's matching back as 'this option continues that item'."""

    fixed: Sequence[Item]
    pinned: Sequence[Option]
    levels: Levels
    previous: Callable[[dict[object, int]], dict[Option, Item]]
    earliest: datetime | None = None
    reserved: Sequence[Item] = ()
    """Rows of earlier plans: new items never take their ids."""


def make_plan(
    loaded: LoadedConfig,
    horizon: Horizon,
    *,
    time_limit: float = 60.0,
    workers: int = 1,
    progress: Progress | None = None,
    continuity: Continuity | None = None,
) -> Plan:
    validate_horizon(loaded, horizon)
    refuse_confidential(scan_config(loaded))
    fixed = list(continuity.fixed) if continuity else []
    calendar = Calendar(loaded.config, horizon, continuity.earliest if continuity else None)
    solution = solve_plan(
        calendar,
        fixed,
        time_limit=time_limit,
        workers=workers,
        progress=progress,
        levels=continuity.levels if continuity else None,
        pinned=continuity.pinned if continuity else (),
    )
    if solution.failed:
        raise no_plan(loaded, calendar, solution.failed, fixed, solution.stats)
    previous = continuity.previous(solution.watched) if continuity else None
    reserved = continuity.reserved if continuity else ()
    items = assemble(calendar, solution.chosen, fixed, previous, reserved)
    misses = score_plan(calendar, items)
    items = annotate(calendar, items, misses)
    refuse_confidential(scan_items(loaded.config, items))
    fixed_ids = {i.id for i in fixed}
    violations = check_plan(calendar, items)
    errors = [v for v in violations if not set(v.items) <= fixed_ids or not v.items]
    if errors:
        raise CheckFailedError(
            "Le plan produit viole une règle dure : c'est un bogue de planner, rien n'a été "
            "écrit. Merci de le signaler avec ce message.",
            [Problem(v.render()) for v in errors],
        )
    warnings = [v for v in violations if v not in errors]
    return Plan(loaded, calendar, items, solution.stats, misses, warnings)


def refuse_confidential(problems: list[Problem]) -> None:
    if problems:
        raise InputError(
            "Contenu confidentiel : ces textes ne doivent jamais être exportés "
            "(seed 000, « Ce qu'on ne dit jamais »). Rien n'a été écrit.",
            problems,
        )


def no_plan(
    loaded: LoadedConfig,
    calendar: Calendar,
    failed: Sequence[Scope],
    fixed: Sequence[Item],
    stats: SolveStats,
) -> InfeasibleError:
    problems: list[Problem] = []
    unknown = False
    for scope in failed:
        groups = diagnose(loaded, calendar, scope, fixed)
        unknown = unknown or not groups
        problems += conflict_problems(scope.label(loaded.config), groups, len(problems) + 1)
    if unknown and not problems:
        return InfeasibleError(
            f"Aucun plan trouvé dans la limite de temps ({stats.wall_seconds:.0f} s) : "
            "relancez avec un --time-limit plus grand."
        )
    return InfeasibleError(
        f"Les règles ne peuvent pas toutes tenir sur {calendar.horizon.label} : "
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
