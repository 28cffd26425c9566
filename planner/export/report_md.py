"""`report.md`: what the plan achieves against the rules, month by month, in French.

Only reproducible figures appear here (the solver's deterministic time, not wall time), so
two runs with the same inputs and `--now` write the same bytes.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from planner.calendar import month_title
from planner.families import F, name
from planner.items import Item
from planner.planning import Plan
from planner.rules import channel_audiences, count_bounds, mix_target
from planner.scoring import Miss
from planner.solver.solve import SolveStats
from planner.why import miss_reason

STATUS = {
    "optimal": "optimal prouvé",
    "feasible": "réalisable, optimalité non prouvée",
    "infeasible": "impossible",
    "unknown": "inconnu (limite de temps atteinte)",
}


def status_line(stats: SolveStats) -> str:
    text = STATUS.get(stats.status, stats.status)
    if stats.objective is not None:
        text += f" · objectif {stats.objective:.2f} points"
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
    for key, channel in config.channels.items():
        kinds = Counter(i.kind for i in active if i.channel == key)
        lines.append(f"| {channel.label} | {kinds['post']} | {kinds['live']} | {kinds['task']} |")
    hits, posts = best_slot_hits(plan)
    stats = plan.stats
    lines += [
        "",
        f"- {name(F.BEST_SLOT)} : tenu pour {hits} posts sur {posts}.",
        f"- Préférences manquées : {len(plan.misses)} "
        f"({float(sum(m.points for m in plan.misses)):g} points).",
        f"- Solveur CP-SAT : {status_line(stats)} · borne "
        f"{stats.bound if stats.bound is not None else 0:.2f} · effort "
        f"{stats.deterministic_seconds:.2f} s de temps déterministe · {stats.variables} "
        f"variables, {stats.constraints} contraintes (le temps réel s'affiche à l'écran).",
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
    calendar = plan.calendar
    days = [d for d in plan.horizon.days() if (d.year, d.month) == (year, month)]
    campaign = calendar.campaign_month(days[0])
    lines = [f"## {month_title(year, month).capitalize()} (mois {campaign} de la campagne)", ""]
    for key, channel in config.channels.items():
        if channel.planning != "audiences":
            continue
        posts = [i for i in active if i.channel == key and i.kind == "post" and i.day in days]
        target = mix_target(config, key, campaign)
        lines += [
            f"### {name(F.AUDIENCE_MIX)} — {channel.label} (ligne « {target.row_label} »)",
            "",
            "| Audience | Part visée | Posts | Part obtenue | Plage permise |",
            "|---|---:|---:|---:|---:|",
        ]
        for audience in channel_audiences(config, key):
            share = target.shares.get(audience, 0)
            count = sum(1 for p in posts if p.audience == audience)
            if not share and not count:
                continue
            low, high = count_bounds(share, len(posts))
            got = count / len(posts) if posts else 0.0
            lines.append(
                f"| {config.audiences[audience].label} | {share / 100:g} % | {count} | "
                f"{got * 100:.0f} % | {low}–{high} |"
            )
        lines += [""] + [f"- {note}" for note in target.notes] + ([""] if target.notes else [])
        lines += _phases(plan, posts)
    lines += _weeks(plan, active, days)
    lives = [i for i in active if i.kind == "live" and i.day in days]
    if lives:
        lines += [f"### {name(F.LIVES_PER_MONTH)}", ""]
        lines += [
            f"- {i.start:%d/%m %H:%M} — {i.format} ({(i.end - i.start).seconds // 60} min) "
            f": {i.message}"
            for i in lives
        ] + [""]
    return lines


def _phases(plan: Plan, posts: list[Item]) -> list[str]:
    config = plan.loaded.config
    lines = ["| Audience | Phases du parcours (posts) |", "|---|---|"]
    for audience in sorted({p.audience for p in posts}):
        counts = Counter(p.phase for p in posts if p.audience == audience)
        phases = ", ".join(f"{config.phase_label(k).lower()} ({v})" for k, v in counts.items())
        lines.append(f"| {config.audiences[audience].short} | {phases} |")
    return [f"### {name(F.PHASE_WINDOW)}", "", *lines, ""]


def _weeks(plan: Plan, active: list[Item], days: list[date]) -> list[str]:
    config = plan.loaded.config
    calendar = plan.calendar
    mondays = sorted({d - timedelta(d.weekday()) for d in days})
    header = "| Semaine | " + " | ".join(c.label for c in config.channels.values()) + " |"
    lines = [f"### {name(F.WEEKLY_BAND)}", "", header, "|---|" + "---:|" * len(config.channels)]
    for monday in mondays:
        if not any(calendar.week_share(c, monday).inside for c in config.channels.values()):
            continue
        cells = []
        for key in config.channels:
            week = [
                i
                for i in active
                if i.kind == "post"
                and i.channel == key
                and monday <= i.day <= monday + timedelta(6)
                and plan.horizon.contains(i.day)
            ]
            if not week and not calendar.week_open_days(key, monday):
                cells.append("fermée")
                continue
            low, high = calendar.week_band(key, monday)
            cells.append(f"{len(week)} ({low}–{high})")
        lines.append(f"| {monday:%d/%m} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def _misses(plan: Plan, active: list[Item]) -> list[str]:
    lines = ["## Préférences manquées", ""]
    if not plan.misses:
        return [*lines, "Aucune.", ""]
    lines += [
        "| Préférence | Quoi | Points | Pourquoi (règle qui l'emporte) |",
        "|---|---|---:|---|",
    ]
    for miss in plan.misses:
        lines.append(_miss_row(plan, active, miss))
    return [*lines, ""]


def _miss_row(plan: Plan, active: list[Item], miss: Miss) -> str:
    reason = miss_reason(plan.calendar, active, miss)
    return f"| {name(miss.family)} | {miss.what} | {float(miss.points):g} | {reason} |"
