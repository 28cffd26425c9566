"""The `planner` command: parse options, call the library, print, exit with the codes of the README.

0 success · 1 the rules cannot be met (or an internal error) · 2 bad input.
"""

from __future__ import annotations

import os
import sys
import time as clock
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar
from zoneinfo import ZoneInfo

import typer

from planner.changes import field_word
from planner.cli_french import FrenchGroup
from planner.config.loading import LoadedConfig, load_config
from planner.console import RED, YELLOW, progress, say, table
from planner.errors import EXIT_BAD_INPUT, EXIT_INFEASIBLE, InputError, PlannerError, os_reason
from planner.labels import CHANGE_LABELS, decimal
from planner.planning import Plan, choose_horizon

if TYPE_CHECKING:  # imported by the commands that run the solver, not by every command
    from planner.runs import Outcome

app = typer.Typer(
    cls=FrenchGroup,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Planifie les publications (LinkedIn, Skool, lives) à partir des règles de inputs/.",
)

T = TypeVar("T")

ConfigOption = Annotated[Path, typer.Option("--config", help="Fichier YAML ou dossier de règles.")]
MonthOption = Annotated[str | None, typer.Option("--month", help="Le mois, par exemple 2026-03.")]
FromOption = Annotated[str | None, typer.Option("--from", help="Premier jour (2026-01-01).")]
ToOption = Annotated[str | None, typer.Option("--to", help="Dernier jour inclus (2026-06-30).")]
OutOption = Annotated[
    Path,
    typer.Option("--out", help="Dossier des plans ; planner y garde leur historique (planner.db)."),
]
NowOption = Annotated[
    str | None,
    typer.Option(
        "--now",
        help="Date et heure de référence, par exemple 2026-12-15T09:00 (défaut : maintenant) : "
        "rien n'est placé ni déplacé avant.",
    ),
]
LimitOption = Annotated[
    float,
    typer.Option(
        "--time-limit",
        min=0.1,
        help="Effort de calcul permis pour chaque mois, en secondes de temps déterministe du "
        "solveur (le même plan sur toute machine).",
    ),
]


@app.callback()
def main() -> None:
    """Planifie vos publications à partir de vos règles (dossier inputs/)."""


def run(action: Callable[[], T]) -> T:
    """Turn every failure into a French sentence and an exit code, never a traceback."""
    try:
        return action()
    except typer.Exit:
        raise
    except PlannerError as exc:
        say(sys.stderr, " : " + exc.render(), "Erreur", RED)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        say(sys.stderr, "Interrompu : rien n'a été écrit.")
        raise typer.Exit(130) from None
    except OSError as exc:
        say(sys.stderr, f" de fichier : {os_reason(exc)}.", "Erreur", RED)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except Exception as exc:
        text = f"({type(exc).__name__}: {exc}). C'est un bogue de planner : merci de le signaler."
        say(sys.stderr, " " + text, "Erreur interne", RED)
        raise typer.Exit(EXIT_INFEASIBLE) from None


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
    return moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)


def solving(action: Callable[[Callable[[float, float], None]], T]) -> T:
    with progress("Résolution en cours…") as update:

        def shown(objective: float, elapsed: float) -> None:
            update(
                f"Résolution en cours… meilleur plan : {objective:.0f} points "
                f"({decimal(elapsed, 1)} s)"
            )

        return action(shown)


def command_text() -> str:
    """The command as the user typed it, for `planner history`."""
    return " ".join(["planner", *sys.argv[1:]]) if sys.argv[1:] else "planner"


def summary(plan: Plan, folders: list[str], base: Path, wall: float) -> None:
    from planner.export.report_md import best_slot_hits, status_line

    config = plan.loaded.config
    rows = []
    for key, channel in config.channels.items():
        mine = [i for i in plan.items if i.channel == key and i.active]
        counts = [str(sum(1 for i in mine if i.kind == k)) for k in ("post", "live", "task")]
        rows.append([channel.label, *counts])
    table(sys.stdout, f"Plan {plan.horizon.label}", ["Canal", "Posts", "Lives", "Tâches"], rows)
    hits, posts = best_slot_hits(plan)
    say(sys.stdout, f"Meilleur créneau tenu : {hits}/{posts} posts · préférences manquées : "
        f"{len(plan.misses)}")  # fmt: skip
    say(sys.stdout, f"Solveur : {status_line(plan.stats)} · {decimal(wall)} s")
    for notice in plan.notices:
        say(sys.stdout, " : " + notice, "À savoir", YELLOW)
    for warning in plan.warnings:
        say(sys.stdout, " : " + warning.render(), "Avertissement", YELLOW)
    say(sys.stdout, "Fichiers écrits dans " + ", ".join(f"{base / f}/" for f in folders))


def report_changes(outcome: Outcome) -> None:
    counts = Counter(c.change for c in outcome.changes)
    if outcome.replanned:
        listed = ", ".join(f"{n} {CHANGE_LABELS[k]}(s)" for k, n in sorted(counts.items()))
        detail = f"{listed} (détail dans changes.csv et report.md)." if listed else "aucun."
        say(sys.stdout, f"Changements : {detail}")
    for change in outcome.changes:
        if change.change == "refused" and change.field == "start":
            asked = f"{change.id} demandé le {change.before}, placé le {change.after}"
            say(sys.stdout, f" : {asked} : {change.why}", "Déplacement refusé", YELLOW)
        elif change.change == "refused":
            word = field_word(change.field)
            asked = f"{change.id}, {word} demandée : {change.before}, gardée : {change.after}"
            say(sys.stdout, f" : {asked} : {change.why}", "Modification refusée", YELLOW)
    for item in outcome.to_delete:
        where = "À supprimer à la main dans Google Agenda"
        say(sys.stdout, f" : {item.title} ({item.start:%d/%m/%Y %H:%M})", where, YELLOW)


@app.command()
def plan(
    config: ConfigOption = Path("inputs"),
    month: MonthOption = None,
    start: FromOption = None,
    end: ToOption = None,
    out_dir: OutOption = Path("outputs"),
    now: NowOption = None,
    time_limit: LimitOption = 60.0,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="Recommencer la période à neuf : ses éléments planifiés sont annulés (les "
            "publiés et verrouillés restent).",
        ),
    ] = False,
) -> None:
    """Planifie un mois (défaut : le mois qui suit --now) ou une période ; sur une période
    déjà planifiée, re-planifie en bougeant le moins possible."""

    def action() -> None:
        from planner.runs import run_plan

        started = clock.perf_counter()
        loaded = load_config(config)
        moment = parse_now(now, loaded)
        horizon = choose_horizon(month, start, end, moment)
        outcome = solving(
            lambda progress: run_plan(
                loaded,
                out_dir,
                horizon,
                moment,
                command=command_text(),
                fresh=fresh,
                effort=time_limit,
                progress=progress,
            )
        )
        summary(outcome.plan, outcome.folders, out_dir, clock.perf_counter() - started)
        report_changes(outcome)

    run(action)


@app.command()
def replan(
    plan_file: Annotated[
        Path,
        typer.Option("--plan", help="Le plan.csv ou plan.xlsx modifié (où qu'il soit)."),
    ],
    config: ConfigOption = Path("inputs"),
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Dossier des plans (défaut : celui du fichier, ou outputs)."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Rien ne change avant ce moment (défaut : --now).")
    ] = None,
    now: NowOption = None,
    time_limit: LimitOption = 60.0,
) -> None:
    """Re-planifie après des changements : garde ce qui est figé, bouge le moins possible."""

    def action() -> None:
        from planner.runs import run_plan

        started = clock.perf_counter()
        loaded = load_config(config)
        moment = parse_now(now, loaded)
        if not plan_file.is_file():
            raise InputError(
                f"Plan introuvable : {plan_file} (donnez le plan.csv ou plan.xlsx modifié)."
            )
        base = out_dir or workspace_of(plan_file)
        outcome = solving(
            lambda progress: run_plan(
                loaded,
                base,
                None,
                moment,
                command=command_text(),
                since=parse_now(since, loaded) if since else None,
                effort=time_limit,
                progress=progress,
                explicit=plan_file,
            )
        )
        summary(outcome.plan, outcome.folders, base, clock.perf_counter() - started)
        report_changes(outcome)

    run(action)


def workspace_of(path: Path) -> Path:
    """The workspace a plan file belongs to: its folder's parent when that holds a store."""
    from planner.store.database import STORE_NAME

    parent = path.resolve().parent.parent
    return parent if (parent / STORE_NAME).is_file() else Path("outputs")


@app.command()
def check(
    config: ConfigOption = Path("inputs"),
    month: MonthOption = None,
    start: FromOption = None,
    end: ToOption = None,
    now: NowOption = None,
    time_limit: LimitOption = 60.0,
    plan_file: Annotated[
        Path | None,
        typer.Option("--plan", help="Vérifier ce plan (CSV ou XLSX) contre les règles."),
    ] = None,
    out_dir: OutOption = Path("outputs"),
) -> None:
    """Vérifie les règles (et un plan avec --plan) : erreurs, avertissements, conflits."""

    def action() -> None:
        from planner.verify import check_feasible, check_file, config_notes

        loaded = load_config(config)
        if plan_file is not None:
            found = check_file(loaded, plan_file, out_dir)
            for line in found.lines:
                say(sys.stdout, line)
            if found.violations:
                raise typer.Exit(EXIT_INFEASIBLE)
            return
        horizon = choose_horizon(month, start, end, parse_now(now, loaded))
        notes = config_notes(loaded, horizon)
        for line in notes.lines:
            say(sys.stdout, line)
        with progress("Vérification avec le solveur…"):
            say(sys.stdout, check_feasible(loaded, horizon, time_limit, len(notes.warnings)))

    run(action)


@app.command()
def explain(
    item_id: Annotated[
        str, typer.Argument(metavar="IDENTIFIANT", help="Identifiant de l'élément (colonne id).")
    ],
    plan_file: Annotated[
        Path | None, typer.Option("--plan", help="Un plan.csv ou plan.xlsx qui le contient.")
    ] = None,
    config: ConfigOption = Path("inputs"),
    out_dir: OutOption = Path("outputs"),
) -> None:
    """Explique un élément : règles tenues, préférences, coût d'un déplacement."""

    def action() -> None:
        from planner.explain import explain_item

        loaded = load_config(config)
        for line in explain_item(loaded, item_id, plan_file, out_dir):
            say(sys.stdout, line)

    run(action)


@app.command()
def history(
    item_id: Annotated[
        str | None,
        typer.Argument(metavar="IDENTIFIANT", help="Un élément : toutes ses versions."),
    ] = None,
    out_dir: OutOption = Path("outputs"),
) -> None:
    """Liste les calculs passés, ou les versions d'un élément."""

    def action() -> None:
        from planner.store.history import history_lines

        for line in history_lines(out_dir, item_id):
            say(sys.stdout, line)

    run(action)


@app.command()
def undo(out_dir: OutOption = Path("outputs")) -> None:
    """Annule le dernier calcul : l'historique et les fichiers reviennent à leur état d'avant."""

    def action() -> None:
        from planner.store.history import undo_last

        for line in undo_last(out_dir):
            say(sys.stdout, line)

    run(action)


def entry() -> None:
    """The installed command: skip the interpreter's teardown once everything is flushed."""
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    else:
        code = 0
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
