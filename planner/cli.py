"""The `planner` command: parse options, call the library, print, exit with SPEC's codes.

0 success · 1 the rules cannot be met (or an internal error) · 2 bad input.
"""

from __future__ import annotations

import time as clock
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planner.calendar import Calendar
from planner.cli_french import FrenchGroup
from planner.confidential import scan_config
from planner.config.loading import LoadedConfig, load_config
from planner.errors import EXIT_BAD_INPUT, EXIT_INFEASIBLE, InputError, PlannerError, os_reason
from planner.explain import explain as run_explain
from planner.explain import render_explanation
from planner.export.bundle import SNAPSHOT, plan_files
from planner.export.csvfile import UserColumns
from planner.export.report_md import best_slot_hits, status_line
from planner.export.writer import edited_files, history, recover, write_outputs
from planner.labels import CHANGE_LABELS
from planner.planning import (
    Plan,
    choose_horizon,
    horizon_from_label,
    make_plan,
    no_plan,
    refuse_confidential,
    validate_horizon,
)
from planner.previous import read_plan_csv
from planner.replan import replan as run_replan
from planner.solver.solve import solve_plan
from planner.static import static_warnings

app = typer.Typer(
    cls=FrenchGroup,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Planifie les publications (LinkedIn, Skool, lives) à partir des règles de inputs/.",
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

T = TypeVar("T")

ConfigOption = Annotated[Path, typer.Option("--config", help="Fichier YAML ou dossier de règles.")]
MonthOption = Annotated[str | None, typer.Option("--month", help="Mois à planifier (2026-03).")]
FromOption = Annotated[str | None, typer.Option("--from", help="Premier jour (2026-01-01).")]
ToOption = Annotated[str | None, typer.Option("--to", help="Dernier jour inclus (2026-06-30).")]
NowOption = Annotated[
    str | None,
    typer.Option(
        "--now", help="Date et heure de référence (ISO 8601) ; fixe DTSTAMP et le mois par défaut."
    ),
]
LimitOption = Annotated[
    float, typer.Option("--time-limit", min=1.0, help="Limite de temps du solveur, en secondes.")
]
WorkersOption = Annotated[
    int,
    typer.Option(
        "--workers",
        min=1,
        max=64,
        help="Fils de calcul du solveur ; à nombre de fils égal, le plan est reproductible.",
    ),
]


@app.callback()
def main() -> None:
    """Planifie les publications (LinkedIn, Skool, lives) à partir des règles de inputs/."""


def run(action: Callable[[], T]) -> T:
    """Turn every failure into a French sentence and an exit code, never a traceback."""
    try:
        return action()
    except PlannerError as exc:
        say(err, "[bold red]Erreur[/] : ", exc.render())
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        say(err, "", "Interrompu : rien n'a été écrit.")
        raise typer.Exit(130) from None
    except OSError as exc:
        say(err, "[bold red]Erreur[/] de fichier : ", f"{os_reason(exc)}.")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except Exception as exc:
        text = f"({type(exc).__name__}: {exc}). C'est un bogue de planner : merci de le signaler."
        say(err, "[bold red]Erreur interne[/] ", text)
        raise typer.Exit(EXIT_INFEASIBLE) from None


def say(console: Console, styled_prefix: str, text: str) -> None:
    """Print user-facing text verbatim (no markup, no hard wrapping inside paths)."""
    console.print(styled_prefix + escape(text), soft_wrap=True)


def parse_now(text: str | None, loaded: LoadedConfig) -> datetime:
    zone = ZoneInfo(loaded.config.calendar.timezone)
    if text is None:
        return datetime.now(zone).replace(microsecond=0)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"--now invalide « {text} » : écrivez par exemple "
            "2026-02-20T09:00 ou 2026-02-20T09:00:00+01:00."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def solve_with_status(action: Callable[[Callable[[float, float], None]], Plan]) -> Plan:
    with err.status("Résolution en cours…") as status:

        def progress(objective: float, elapsed: float) -> None:
            status.update(
                f"Résolution en cours… meilleur plan : {objective:.0f} points ({elapsed:.1f} s)"
            )

        return action(progress)


def summary(plan: Plan, target: Path, wall: float) -> None:
    config = plan.loaded.config
    table = Table(title=f"Plan {plan.horizon.label}", title_justify="left")
    for column in ("Canal", "Posts", "Lives", "Tâches"):
        table.add_column(column, justify="left" if column == "Canal" else "right")
    for key, channel in config.channels.items():
        mine = [i for i in plan.items if i.channel == key and i.active]
        table.add_row(
            channel.label,
            *(str(sum(1 for i in mine if i.kind == k)) for k in ("post", "live", "task")),
        )
    out.print(table)
    hits, posts = best_slot_hits(plan)
    lines = [
        f"Meilleur créneau tenu : {hits}/{posts} posts · préférences manquées : {len(plan.misses)}",
        f"Solveur : {status_line(plan.stats)} · {wall:.2f} s",
    ]
    for line in lines:
        say(out, "", line)
    for warning in plan.warnings:
        say(out, "[yellow]Avertissement[/] : ", warning.render())
    say(out, "", f"Fichiers écrits dans {target}/")


@app.command()
def plan(
    config: ConfigOption = Path("inputs"),
    month: MonthOption = None,
    start: FromOption = None,
    end: ToOption = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Dossier de sortie.")] = Path("outputs"),
    now: NowOption = None,
    time_limit: LimitOption = 60.0,
    workers: WorkersOption = 1,
    force: Annotated[
        bool, typer.Option("--force", help="Écraser un plan.csv modifié à la main.")
    ] = False,
) -> None:
    """Écrit le plan d'un mois (ou d'une période) dans OUT/<période>/."""

    def action() -> None:
        started = clock.perf_counter()
        loaded = load_config(config)
        moment = parse_now(now, loaded)
        horizon = choose_horizon(month, start, end, moment)
        target = out_dir / horizon.label
        recover(target)
        edited = [] if force else edited_files(target)
        if edited:
            raise InputError(
                f"{target / edited[0]} a été modifié depuis que planner l'a écrit : il n'est "
                "pas écrasé. Pour repartir de vos modifications : planner replan --plan "
                f"{target / 'plan.csv'} ; pour les abandonner : ajoutez --force."
            )
        result = solve_with_status(
            lambda progress: make_plan(
                loaded, horizon, time_limit=time_limit, workers=workers, progress=progress
            )
        )
        write_outputs(target, plan_files(result, moment))
        summary(result, target, clock.perf_counter() - started)

    run(action)


@app.command()
def check(
    config: ConfigOption = Path("inputs"),
    month: MonthOption = None,
    start: FromOption = None,
    end: ToOption = None,
    now: NowOption = None,
    time_limit: LimitOption = 60.0,
) -> None:
    """Vérifie les règles : erreurs, avertissements, et si elles peuvent toutes tenir."""

    def action() -> None:
        loaded = load_config(config)
        refuse_confidential(scan_config(loaded))
        horizon = choose_horizon(month, start, end, parse_now(now, loaded))
        validate_horizon(loaded, horizon)
        calendar = Calendar(loaded.config, horizon)
        warnings = static_warnings(loaded, calendar)
        for warning in warnings:
            say(out, "[yellow]Avertissement[/] : ", warning)
        with err.status("Vérification avec le solveur…"):
            solution = solve_plan(calendar, time_limit=time_limit)
        if solution.failed:
            raise no_plan(loaded, calendar, solution.failed, (), solution.stats)
        say(
            out,
            "",
            f"Configuration valide ({len(warnings)} avertissement(s)) : toutes les "
            f"règles dures peuvent tenir sur {horizon.label}.",
        )

    run(action)


@app.command()
def replan(
    plan_csv: Annotated[Path, typer.Option("--plan", help="Le plan.csv à re-planifier.")],
    config: ConfigOption = Path("inputs"),
    since: Annotated[
        str | None, typer.Option("--since", help="Rien ne change avant ce moment (défaut : --now).")
    ] = None,
    now: NowOption = None,
    time_limit: LimitOption = 60.0,
    workers: WorkersOption = 1,
) -> None:
    """Re-planifie après des changements : garde ce qui est figé, bouge le moins possible."""

    def action() -> None:
        started = clock.perf_counter()
        loaded = load_config(config)
        moment = parse_now(now, loaded)
        target = plan_csv.parent
        recover(target)
        previous = read_plan_csv(plan_csv, loaded.config)
        snapshot_path = target / SNAPSHOT
        snapshot = None
        if snapshot_path.is_file() and snapshot_path != plan_csv:
            snapshot = read_plan_csv(snapshot_path, loaded.config).items
        horizon = horizon_from_label(target.name, previous.items)
        cut = parse_now(since, loaded) if since else moment
        result = solve_with_status(
            lambda progress: run_replan(
                loaded,
                horizon,
                previous.items,
                snapshot,
                cut,
                time_limit=time_limit,
                workers=workers,
                progress=progress,
            )
        )
        columns = UserColumns(tuple(previous.extra_columns), previous.extras)
        files = plan_files(
            result.plan,
            moment,
            changes=result.changes,
            modified=result.modified,
            user_columns=columns,
        )
        write_outputs(target, files + history(target, files, moment))
        summary(result.plan, target, clock.perf_counter() - started)
        counts = Counter(c.change for c in result.changes)
        say(
            out,
            "",
            "Changements : "
            + (
                ", ".join(f"{n} {CHANGE_LABELS[k]}(s)" for k, n in sorted(counts.items()))
                or "aucun"
            )
            + " (détail dans changes.csv et report.md).",
        )
        for item in result.to_delete:
            say(
                out,
                "[yellow]À supprimer à la main dans Google Agenda[/] : ",
                f"{item.title} ({item.start:%d/%m/%Y %H:%M})",
            )

    run(action)


@app.command()
def explain(
    item_id: Annotated[str, typer.Argument(help="Identifiant de l'élément (colonne id).")],
    plan_csv: Annotated[Path, typer.Option("--plan", help="Le plan.csv qui le contient.")],
    config: ConfigOption = Path("inputs"),
) -> None:
    """Explique un élément : règles tenues, préférences, coût d'un déplacement."""

    def action() -> None:
        loaded = load_config(config)
        previous = read_plan_csv(plan_csv, loaded.config)
        horizon = horizon_from_label(plan_csv.parent.name, previous.items)
        calendar = Calendar(loaded.config, horizon)
        for line in render_explanation(run_explain(calendar, previous.items, item_id)):
            say(out, "", line)

    run(action)
