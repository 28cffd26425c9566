"""All the files of one plan folder, rendered in memory before anything is written."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from planner.changes import Change
from planner.confidential import compile_patterns, find_leaks
from planner.config.model import Config
from planner.errors import InputError, Problem
from planner.export.csvfile import UserColumns, render_changes, render_csv
from planner.export.gcal import render_gcal
from planner.export.ics import Calendars
from planner.export.report_html import render_html
from planner.export.report_md import render_report
from planner.export.writer import OutputFile
from planner.export.xlsx import render_xlsx
from planner.labels import CHANGE_LABELS
from planner.planning import Plan
from planner.spreadsheet import CsvStyle, write_csv


def plan_files(
    plan: Plan,
    now: datetime,
    *,
    changes: list[Change] | None = None,
    last_modified: dict[str, datetime] | None = None,
    user_columns: UserColumns | None = None,
    style: CsvStyle | None = None,
) -> list[OutputFile]:
    """Every file of the plan folder; `changes` is set when re-planning."""
    config = plan.loaded.config
    items = plan.items
    name = config.export.calendar_name
    header, rows = render_csv(items, user_columns)
    files = [
        OutputFile("plan.csv", write_csv(header, rows, style or CsvStyle())),
        OutputFile("plan.xlsx", render_xlsx(plan, now, user_columns)),
    ]
    calendars = Calendars(config, now, last_modified)
    files.append(OutputFile("plan.ics", calendars.render(name, items)))
    for key, channel in config.channels.items():
        mine = [i for i in items if i.channel == key]
        files.append(
            OutputFile(f"plan-{key}.ics", calendars.render(f"{name} · {channel.label}", mine))
        )
    files.append(OutputFile("plan-gcal.csv", render_gcal(config, items).encode("utf-8")))
    intro = None if changes is None else changes_summary(plan, changes, now)
    files.append(OutputFile("report.md", render_report(plan, intro).encode("utf-8")))
    files.append(OutputFile("report.html", render_html(plan, now, changes).encode("utf-8")))
    if changes is not None:
        files.append(OutputFile("changes.csv", render_changes(changes).encode("utf-8")))
    refuse_leaks(config, files)
    return files


def refuse_leaks(config: Config, files: list[OutputFile]) -> None:
    """Refuse the whole export if any text file would carry a confidential pattern."""
    patterns = compile_patterns(config)
    problems: list[Problem] = []
    for file in files:
        if file.name.endswith(".xlsx"):
            continue  # same texts as plan.csv, which is scanned
        text = file.content.decode("utf-8", errors="replace")
        whole = find_leaks(patterns, text)
        if not whole:  # the usual case: one search per pattern, not one per line
            continue
        found = len(problems)
        for number, line in enumerate(text.splitlines(), 1):
            for leak in find_leaks(patterns, line):
                message = f"« {leak.excerpt} » ({leak.label}) : {line[:120]}"
                problems.append(Problem(message, Path(file.name), number))
        if len(problems) == found:  # a match across a line break
            problems += [
                Problem(f"« {leak.excerpt} » ({leak.label})", Path(file.name)) for leak in whole
            ]
    if problems:
        raise InputError(
            "Export refusé : un contenu confidentiel apparaîtrait dans les "
            "fichiers. Rien n'a été écrit.",
            problems[:20],
        )


def changes_summary(plan: Plan, changes: list[Change], now: datetime) -> list[str]:
    """The top of a re-planning report: counts, each change, events to delete by hand."""
    counts = {kind: sum(1 for c in changes if c.change == kind) for kind in CHANGE_LABELS}
    lines = [
        f"## Re-planification du {now:%d/%m/%Y %H:%M}",
        "",
        ", ".join(f"{n} {CHANGE_LABELS[k]}(s)" for k, n in counts.items()) + "."
        if changes
        else "Aucun changement : le plan est identique.",
        "",
    ]
    if changes:
        lines += ["| Élément | Changement | Avant | Après | Pourquoi |", "|---|---|---|---|---|"]
        lines += [
            f"| {c.id} | {CHANGE_LABELS[c.change]} | {c.before} | {c.after} | {c.why} |"
            for c in changes
        ]
        lines.append("")
    removed = [c for c in changes if c.change == "removed"]
    if removed:
        lines += [
            "Google Agenda met à jour les événements par UID mais ignore leur statut « annulé » "
            "à l'import : ces événements réimportés portent « ANNULÉ – » dans leur titre ; "
            "supprimez-les à la main :",
            "",
            *[f"- {c.id} ({c.before})" for c in removed],
            "",
        ]
    return lines
