"""`report.md`: what the plan achieves against the rules, month by month, in French.

Only reproducible figures appear here (no computing time), so two runs with the same inputs
and `--now` write the same bytes; and only words a marketer uses, never internal codes.
"""

from __future__ import annotations

from datetime import date

from planner.calendar import month_title
from planner.export.figures import (
    PHASE_STATES,
    MixTable,
    kind_counts,
    live_marks,
    minutes,
    miss_lines,
    mix_tables,
    month_days,
    month_lives,
    phase_note,
    phase_timeline,
    role,
    sequence_of,
    week_rows,
)
from planner.families import F, name
from planner.items import Item
from planner.labels import decimal
from planner.planning import Plan
from planner.solver.solve import SolveStats
from planner.weekdays import day_time

STATUS = {
    "optimal": "optimal prouvé (aucun meilleur plan n'existe)",
    "monthly": "optimal mois par mois (chaque mois est le meilleur possible à la suite des "
    "précédents)",
    "feasible": "bon plan, sans preuve qu'il n'en existe pas de meilleur",
    "infeasible": "impossible",
    "unknown": "aucun plan trouvé dans le temps permis",
    "invalid": "impossible",
}
HALVES = (
    "optimal mois par mois, en deux moitiés calculées en même temps (chaque mois est le "
    "meilleur possible à la suite des précédents de sa moitié)"
)


def status_line(stats: SolveStats) -> str:
    """How good the plan is, in words (the screen and both reports say the same)."""
    text = STATUS.get(stats.status, "inconnu")
    if stats.status == "monthly" and stats.halves:
        text = HALVES
    if stats.objective is not None:
        text += f" · {decimal(float(stats.objective))} points de préférences manquées"
    if stats.status == "feasible" and stats.gap is not None:
        text += f" (un plan meilleur d'au plus {stats.gap:.0%} pourrait exister)"
    return text


def best_slot_hits(plan: Plan) -> tuple[int, int]:
    config = plan.loaded.config
    posts = [
        i
        for i in plan.items
        if i.active and i.kind == "post" and config.channels[i.channel].planning == "audiences"
    ]
    missed = {m.items[0] for m in plan.misses if m.family == F.BEST_SLOT}
    return len([p for p in posts if p.id not in missed]), len(posts)


def render_report(plan: Plan, intro: list[str] | None = None) -> str:
    config = plan.loaded.config
    horizon = plan.horizon
    active = [i for i in plan.items if i.active]
    lines = [f"# Plan éditorial — {_title(plan)}", ""]
    lines += intro or []
    lines += [
        f"Période : du {horizon.start:%d/%m/%Y} au {horizon.end:%d/%m/%Y} · fuseau "
        f"{config.calendar.timezone}",
        "",
        "## En bref",
        "",
        "| Canal | Posts | Lives | Tâches |",
        "|---|---:|---:|---:|",
    ]
    for key, kinds in kind_counts(plan, active).items():
        channel = config.channels[key]
        lines.append(f"| {channel.label} | {kinds['post']} | {kinds['live']} | {kinds['task']} |")
    hits, posts = best_slot_hits(plan)
    lines += [
        "",
        f"- {name(F.BEST_SLOT)} : tenu pour {hits} posts sur {posts}.",
        f"- Préférences manquées : {len(plan.misses)} "
        f"({decimal(float(sum(m.points for m in plan.misses)))} points).",
        f"- Calcul : {status_line(plan.stats)}.",
        "",
    ]
    if plan.notices:
        lines += ["## À savoir", "", *(f"- {notice}" for notice in plan.notices), ""]
    for year, month in horizon.months():
        lines += _month(plan, active, year, month)
    lines += _misses(plan, active)
    if plan.warnings:
        lines += ["## Avertissements (éléments figés qui enfreignent une règle)", ""]
        lines += [f"- {w.render()}" for w in plan.warnings] + [""]
    return "\n".join(lines).rstrip() + "\n"


def _title(plan: Plan) -> str:
    horizon = plan.horizon
    if horizon.is_month:
        return month_title(horizon.start.year, horizon.start.month)
    return f"du {horizon.start:%d/%m/%Y} au {horizon.end:%d/%m/%Y}"


def _month(plan: Plan, active: list[Item], year: int, month: int) -> list[str]:
    config = plan.loaded.config
    days = month_days(plan, year, month)
    campaign = plan.calendar.campaign_month(date(year, month, 1))
    lines = [f"## {month_title(year, month).capitalize()} (mois {campaign} de la campagne)", ""]
    if not days:
        return [*lines, "Aucun jour de ce mois n'est à la charge de ce plan.", ""]
    tables = mix_tables(plan, active, days)
    for table in tables:
        target = table.target
        lines += [
            f"### {name(F.AUDIENCE_MIX)} — {config.channels[table.channel].label} "
            f"(ligne « {target.row_label} »)",
            "",
            "| Audience | Part visée | Posts | Part obtenue | Plage permise |",
            "|---|---:|---:|---:|---:|",
        ]
        for line in table.lines:
            lines.append(
                f"| {config.audiences[line.audience].label} | {line.percent} % | "
                f"{line.count} | {line.achieved * 100:.0f} % | {line.low}–{line.high} |"
            )
        lines += [""] + [f"- {note}" for note in target.notes] + ([""] if target.notes else [])
    lines += _phases(plan, year, month, tables)
    lines += _weeks(plan, active, days)
    lines += _lives(plan, active, days)
    lines += _rituals_and_campaigns(plan, active, days)
    return lines


def _phases(plan: Plan, year: int, month: int, tables: list[MixTable]) -> list[str]:
    """Each audience's phases this month: in focus or open, with their journey posts."""
    config = plan.loaded.config
    spans = phase_timeline(plan, [(year, month)], [tables])
    if not spans:
        return []
    lines = [
        "### Phases du parcours : ouvertes et au premier plan",
        "",
        phase_note(plan, [(year, month)]),
        "",
        "| Audience | Phase | État | Posts du parcours |",
        "|---|---|---|---:|",
    ]
    for span in spans:
        (cell,) = span.cells
        lines.append(
            f"| {config.audiences[span.audience].label} | {config.phase_label(span.phase)} | "
            f"{PHASE_STATES[cell.state]} | {cell.count} |"
        )
    return [*lines, ""]


def _weeks(plan: Plan, active: list[Item], days: list[date]) -> list[str]:
    channels = plan.loaded.config.channels
    header = "| Semaine | " + " | ".join(c.label for c in channels.values()) + " |"
    lines = [f"### {name(F.WEEKLY_BAND)}", "", header, "|---|" + "---:|" * len(channels)]
    for row in week_rows(plan, active, days):
        cells = [
            "fermée" if cell.closed else f"{cell.count} ({cell.low}–{cell.high})"
            for cell in row.cells.values()
        ]
        lines.append(f"| {row.monday:%d/%m} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def _what(plan: Plan, item: Item) -> str:
    """An item in a list: its label, « (tâche) » for a team task."""
    label = role(plan.loaded.config, item).label
    return f"{label} (tâche)" if item.kind == "task" else label


def _lives(plan: Plan, active: list[Item], days: list[date]) -> list[str]:
    lives = month_lives(active, days)
    if not lives:
        return []
    marks = live_marks(plan, active)
    lines = ["### Lives du mois et leur séquence", ""]
    for live in lives:
        lines.append(
            f"- {marks[live.id].label} · {day_time(live.start)} — {live.format} "
            f"({minutes(live)} min) : {live.message}"
        )
        lines += [
            f"  - {day_time(i.start)} — {_what(plan, i)}" for i in sequence_of(active, live.id)
        ]
    return [*lines, ""]


def _rituals_and_campaigns(plan: Plan, active: list[Item], days: list[date]) -> list[str]:
    config = plan.loaded.config
    mine = [i for i in active if i.day in days]
    roles = {i.id: role(config, i) for i in mine}
    lines: list[str] = []
    rituals = [i for i in mine if roles[i.id].ritual]
    if rituals:
        lines += [f"### {name(F.RITUALS)}", ""]
        lines += [f"- {day_time(i.start)} — {_what(plan, i)}" for i in rituals] + [""]
    steps = [(i, c) for i in mine if (c := roles[i.id].campaign) is not None]
    if steps:
        lines += [f"### {name(F.CAMPAIGNS)}", ""]
        for item, campaign in steps:
            example = " — EXEMPLE" if campaign.example else ""
            lines.append(
                f"- {day_time(item.start)} — {_what(plan, item)} · {campaign.name}{example}"
            )
        lines.append("")
    return lines


def _misses(plan: Plan, active: list[Item]) -> list[str]:
    lines = ["## Préférences manquées", ""]
    if not plan.misses:
        return [*lines, "Aucune.", ""]
    lines += [
        "| Préférence | Quoi | Points | Pourquoi (règle qui l'emporte) |",
        "|---|---|---:|---|",
    ]
    for miss in miss_lines(plan, active):
        lines.append(
            f"| {name(miss.family)} | {miss.what} | {decimal(float(miss.points))} | {miss.reason} |"
        )
    return [*lines, ""]
