"""All the files of one plan folder, rendered in memory before anything is written."""

from __future__ import annotations

from datetime import datetime

from planner.changes import Change
from planner.export.csvfile import render_csv
from planner.export.gcal import render_gcal
from planner.export.ics import render_ics
from planner.export.report_html import render_html
from planner.export.report_md import render_report
from planner.export.writer import OutputFile, refuse_leaks
from planner.planning import Plan


def plan_files(
    plan: Plan,
    now: datetime,
    *,
    changes: list[Change] | None = None,
    extra: list[OutputFile] | None = None,
    intro: list[str] | None = None,
    modified: frozenset[str] = frozenset(),
) -> list[OutputFile]:
    """Every file of the plan folder; `changes` is set when re-planning."""
    config = plan.loaded.config
    items = plan.items
    name = config.export.calendar_name
    files = [
        OutputFile("plan.csv", render_csv(items).encode("utf-8")),
        OutputFile("plan.ics", render_ics(config, items, now, name, modified)),
    ]
    for key, channel in config.channels.items():
        mine = [i for i in items if i.channel == key]
        label = f"{name} · {channel.label}"
        files.append(OutputFile(f"plan-{key}.ics", render_ics(config, mine, now, label, modified)))
    files.append(OutputFile("plan-gcal.csv", render_gcal(config, items).encode("utf-8")))
    files.append(OutputFile("report.md", render_report(plan, intro).encode("utf-8")))
    html = render_html(plan, now, changes, intro)
    files.append(OutputFile("report.html", html.encode("utf-8")))
    files += extra or []
    refuse_leaks(config, files)
    return files
