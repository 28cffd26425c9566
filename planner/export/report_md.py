"""`report.md`: what the plan achieves against the rules, month by month, in French.

Only reproducible figures appear here (the solver's deterministic time, not wall time), so
two runs with the same inputs and `--now` write the same bytes.
"""

from __future__ import annotations

from datetime import date

from planner.calendar import month_title
from planner.export.figures import (
    kind_counts,
    minutes,
    miss_lines,
    mix_tables,
    month_days,
    month_lives,
    phase_counts,
    week_rows,
)
from planner.families import F, name
from planner.items import Item
from planner.planning import Plan
from planner.solver.solve import SolveStats

STATUS = {
    "optimal": "optimal prouvé",
    "feasible": "réalisable, optimalité non prouvée",
    "infeasible": "impossible",
    "unknown": "inconnu (limite de temps atteinte)",
}


def status_line(stats: SolveStats) -> str:
    text = STATUS.get(stats.status, stats.status)
    if stats.objective is not None:
        text += f" · {float(stats.objective):g} points de préférences manquées"
    if stats.status == "feasible" and stats.gap is not None:
        text += f" (écart à la borne {stats.gap:.1%})"
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
        f"Horizon : du {horizon.start:%d/%m/%Y} au {horizon.end:%d/%m/%Y} · fuseau "
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
    stats = plan.stats
    lines += [
        "",
        f"- {name(F.BEST_SLOT)} : tenu pour {hits} posts sur {posts}.",
        f"- Préférences manquées : {len(plan.misses)} "
        f"({float(sum(m.points for m in plan.misses)):g} points).",
        f"- Calcul : {status_line(stats)}.",
        "",
    ]
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
    campaign = plan.calendar.campaign_month(days[0])
    lines = [f"## {month_title(year, month).capitalize()} (mois {campaign} de la campagne)", ""]
    for table in mix_tables(plan, active, days):
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
        lines += _phases(plan, table.posts)
    lines += _weeks(plan, active, days)
    lives = month_lives(active, days)
    if lives:
        lines += [f"### {name(F.LIVES_PER_MONTH)}", ""]
        lines += [
            f"- {i.start:%d/%m %H:%M} — {i.format} ({minutes(i)} min) : {i.message}" for i in lives
        ] + [""]
    return lines


def _phases(plan: Plan, posts: list[Item]) -> list[str]:
    config = plan.loaded.config
    lines = ["| Audience | Phases du parcours (posts) |", "|---|---|"]
    for audience, counts in phase_counts(posts).items():
        phases = ", ".join(f"{config.phase_label(k).lower()} ({v})" for k, v in counts.items())
        lines.append(f"| {config.audiences[audience].short} | {phases} |")
    return [f"### {name(F.PHASE_WINDOW)}", "", *lines, ""]


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
            f"| {name(miss.family)} | {miss.what} | {float(miss.points):g} | {miss.reason} |"
        )
    return [*lines, ""]
