"""`report.html` as a marketer sees it: one chip per item, a live's sequence marked and
linked like its live, labelled rituals and campaign steps, shaded closed days, journey
phases, charts whose numbers match report.md and the rules, re-planning changes, French
words only, and nothing fetched from outside.

The tests assert rules and structure, never one of several equally good solver choices.
The browser tests open the real page in headless Chromium (Debian's, never a downloaded
one). Without it they skip locally, and fail when PLANNER_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from planner.calendar import Horizon
from planner.changes import Change
from planner.config import LoadedConfig, load_config
from planner.config.model import Config
from planner.coverage import Coverage
from planner.errors import InputError
from planner.export.bundle import plan_files
from planner.export.report_html import render_html
from planner.export.report_md import render_report
from planner.families import F
from planner.items import Item
from planner.planning import Facts, Plan, make_plan
from planner.rules import focus_stages, open_stages, present
from planner.why import ActiveItems, miss_reason
from tests.conftest import INPUTS, NOW, PlanCache, config_copy
from tests.test_cli import invoke

if TYPE_CHECKING:  # playwright is a test extra; the browser tests skip (or fail) without it
    from playwright.sync_api import BrowserContext
    from playwright.sync_api import Page as BrowserPage

SPRING = Horizon(date(2026, 3, 1), date(2026, 6, 30))
"""Four months: Easter Monday, May holidays, a new audience in May, advocacy in June."""

# --- reading the page back ------------------------------------------------------------


@dataclass(eq=False)
class Node:
    """Compared by identity: `chip in node.parents` must not walk the whole tree."""

    tag: str
    attrs: dict[str, str]
    parents: list[Node]
    text: str = ""
    classes: set[str] = field(default_factory=set)

    def within(self, tag: str, attr: str) -> str:
        """An attribute of the nearest enclosing `tag` (the day cell, the month section)."""
        return next(p for p in reversed(self.parents) if p.tag == tag).attrs[attr]


class Page(HTMLParser):
    """Every element of the page with its attributes, its ancestors and its text (what a
    reader sees: the style sheet is not text)."""

    VOID = frozenset({"meta", "br", "img", "input", "link", "hr"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[Node] = []
        self.stack: list[Node] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        node = Node(tag, values, list(self.stack), classes=set(values.get("class", "").split()))
        self.nodes.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1].tag == "style":
            return
        for node in self.stack:
            node.text += data

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.nodes
            if (tag is None or n.tag == tag)
            and (cls is None or cls in n.classes)
            and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def cell(self, day: date) -> Node:
        (found,) = self.find("td", data_date=day.isoformat())
        return found

    def chip(self, item_id: str) -> Node:
        (found,) = self.find("li", "chip", data_id=item_id)
        return found

    def inside(self, node: Node, cls: str) -> list[Node]:
        """Descendants of `node` with class `cls` (they follow it in document order)."""
        found: list[Node] = []
        for other in self.nodes[self.nodes.index(node) + 1 :]:
            if node not in other.parents:
                break
            if cls in other.classes:
                found.append(other)
        return found

    def readable(self) -> str:
        """Everything a reader can see or hover: the body's text and every tooltip."""
        (body,) = self.find("body")
        return "\n".join([body.text, *(n.attrs["title"] for n in self.nodes if "title" in n.attrs)])


_FILES: dict[int, tuple[Plan, dict[str, str]]] = {}


def files_of(plan: Plan) -> dict[str, str]:
    """The plan's two reports, rendered once per plan."""
    if id(plan) not in _FILES:
        files = {"report.html": render_html(plan, NOW), "report.md": render_report(plan)}
        _FILES[id(plan)] = (plan, files)
    return _FILES[id(plan)][1]


def html_of(plan: Plan) -> str:
    return files_of(plan)["report.html"]


@pytest.fixture(scope="module")
def march(plans: PlanCache) -> Plan:
    return plans(Horizon.month(2026, 3))


@pytest.fixture(scope="module")
def spring(plans: PlanCache) -> Plan:
    return plans(SPRING)


@pytest.fixture(scope="module")
def split(plans: PlanCache, loaded: LoadedConfig) -> Plan:
    """The end of March planned after its beginning and after April, as the plan store
    does: the live of the 10th, and the week of 30/03 (in April too), are in its context."""
    first = [i for i in plans(Horizon.month(2026, 3)).items if i.day < date(2026, 3, 11)]
    april = plans(Horizon.month(2026, 4))
    prior = Coverage.of(
        [(date(2026, 3, 1), date(2026, 3, 10)), (april.horizon.start, april.horizon.end)]
    )
    facts = Facts(context=[*first, *april.items], prior=prior)
    return make_plan(loaded, Horizon(date(2026, 3, 11), date(2026, 3, 31)), facts=facts)


@pytest.fixture(scope="module")
def after_live(march: Plan) -> Plan:
    """March with its first live in another period's plan, and that live's sequence here."""
    live = min((i for i in march.items if i.kind == "live"), key=lambda i: i.start)
    return replace(march, items=[i for i in march.items if i != live], context=[live])


def busy_rules(data: dict[str, Any]) -> None:
    """Blackouts (one per channel, one for all, a week without Skool) and the example
    campaign moved to March."""
    data["calendar.yaml"]["calendar"]["blackouts"] += [
        {"date": "2026-03-10", "label": "Séminaire <équipe> & co", "channels": ["linkedin"]},
        {"from": "2026-03-17", "to": "2026-03-18", "label": "Salon Qualiopi"},
        {"from": "2026-03-02", "to": "2026-03-06", "label": "Migration", "channels": ["skool"]},
    ]
    data["campaigns.yaml"]["campaigns"][0]["anchor"] = "2026-03-20"


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    folder = config_copy(INPUTS, tmp_path_factory.mktemp("busy") / "inputs", busy_rules)
    return make_plan(load_config(folder), Horizon.month(2026, 3))


def active(plan: Plan) -> list[Item]:
    return [i for i in plan.items if i.active]


def lives_of(plan: Plan) -> dict[str, Item]:
    return {i.id: i for i in [*plan.context, *plan.items] if i.kind == "live"}


def monday(day: date) -> date:
    return day - timedelta(day.weekday())


def expected_label(config: Config, item: Item, lives: dict[str, Item]) -> str:
    """What a chip says the item is, from the config alone."""
    channel = config.channels[item.channel]
    campaign = next((c for c in config.campaigns if c.key == item.parent), None)
    if campaign is not None:
        return next(s.label for s in campaign.steps if s.key == item.content_type)
    if item.parent in lives:
        rules = next(c.lives for c in config.channels.values() if c.lives is not None)
        if item.content_type == "preparation":
            return rules.preparation.label
        return next(s.label for s in rules.sequence if s.key == item.content_type)
    if item.content_type in channel.rituals:
        return f"Rituel · {channel.rituals[item.content_type].label}"
    if item.kind == "post" and channel.types and item.content_type in channel.types:
        return channel.types[item.content_type].label
    return item.format


# --- the page, without a browser ---------------------------------------------------------


@pytest.mark.parametrize("which", ["march", "spring", "busy"])
def test_every_active_item_is_one_labelled_chip_on_its_day(
    which: str, request: pytest.FixtureRequest
) -> None:
    plan: Plan = request.getfixturevalue(which)
    config = plan.loaded.config
    page = Page(html_of(plan))
    ids = Counter(n.attrs["data-id"] for n in page.nodes if "data-id" in n.attrs)
    assert ids == Counter(i.id for i in active(plan))
    assert set(ids.values()) == {1}
    lives = lives_of(plan)
    for item in active(plan):
        chip = page.chip(item.id)
        assert chip.within("td", "data-date") == item.day.isoformat()
        (initials,) = page.inside(chip, "ini")
        short = config.audiences[item.audience].short if item.audience else "—"
        assert initials.text == short, "colour is never the only cue"
        channel = config.channels[item.channel].label.split(" — ")[0]
        phase = config.phase_label(item.phase) if item.phase else ""
        for part in (f"{item.start:%H:%M}", channel, expected_label(config, item, lives), phase):
            assert part in chip.text, (item.id, part)
        assert ("k-task" in chip.classes) == (item.kind == "task")
        if item.kind == "task":
            assert [b.text for b in page.inside(chip, "task")] == ["☐ tâche"]
        if item.kind == "live":
            minutes = (item.end - item.start).seconds // 60
            assert f"LIVE {minutes} min" in chip.text
            assert f"{item.end:%H:%M}" in chip.text
    months = [n.attrs["data-month"] for n in page.find("table", "grid")]
    assert months == [f"{y}-{m:02d}" for y, m in plan.horizon.months()]


@pytest.mark.parametrize("which", ["march", "spring", "split", "after_live"])
def test_a_live_sequence_carries_its_live_marker_and_links_to_it(
    which: str, request: pytest.FixtureRequest
) -> None:
    plan: Plan = request.getfixturevalue(which)
    page = Page(html_of(plan))
    lives = lives_of(plan)
    shown = {i.id for i in active(plan) if i.kind == "live"}
    markers: dict[str, str] = {}
    for live in shown:
        chip = page.chip(live)
        assert chip.attrs["id"] == f"i-{live}" and chip.attrs["data-live"] == live
        (badge,) = page.inside(chip, "lv")
        markers[live] = badge.text
    in_order = sorted((lives[k] for k in shown), key=lambda i: i.start)
    assert [markers[i.id] for i in in_order] == [f"L{n}" for n in range(1, len(shown) + 1)]
    linked = [i for i in active(plan) if i.parent in lives]
    assert linked and {i.parent for i in linked if i.parent in shown} == shown
    for item in linked:
        live = lives[item.parent]
        chip = page.chip(item.id)
        assert chip.attrs["data-live"] == live.id
        tip = f"Séquence du live du {live.start:%d/%m}"
        assert chip.attrs["title"].startswith(tip)
        (badge,) = page.inside(chip, "lv")
        assert badge.attrs["title"].startswith(tip)
        if live.id in shown:
            assert badge.tag == "a" and badge.attrs["href"] == f"#i-{live.id}"
            assert badge.text == markers[live.id]
            colour = {c for c in page.chip(live.id).classes if re.fullmatch(r"s\d+", c)}
            assert colour and colour <= chip.classes, "same colour as its live"
        else:
            assert badge.tag == "span" and f"{live.start:%d/%m}" in badge.text
    for item in active(plan):
        if item.kind != "live" and item.parent not in lives:
            assert "data-live" not in page.chip(item.id).attrs
            assert not page.inside(page.chip(item.id), "lv")
    listed = {
        n.attrs["href"]: n.parents[-1]
        for n in page.find("a", "lv")
        if "lives" in n.parents[-2].classes
    }
    assert set(listed) == {f"#i-{live}" for live in shown}, "the month lists its lives"
    for item in linked:  # each with its sequence
        if item.parent in shown:
            assert f"{item.start:%d/%m %H:%M}" in listed[f"#i-{item.parent}"].text


def test_rituals_are_labelled_and_tasks_look_like_tasks(march: Plan) -> None:
    config = march.loaded.config
    page = Page(html_of(march))
    rituals = config.channels["skool"].rituals
    found = [i for i in active(march) if i.content_type in rituals]
    wanted = {k for k, r in rituals.items() if r.months is None or 3 in r.months}
    assert {i.content_type for i in found} == wanted, "each ritual of March, once"
    for item in found:
        chip = page.chip(item.id)
        assert f"Rituel · {rituals[item.content_type].label}" in chip.text
    (review,) = [i for i in found if i.kind == "task"]
    assert "k-task" in page.chip(review.id).classes
    md = files_of(march)["report.md"]
    assert all(f"Rituel · {rituals[i.content_type].label}" in md for i in found)


def test_campaign_steps_show_their_campaign_and_the_example_mark(busy: Plan) -> None:
    (campaign,) = busy.loaded.config.campaigns
    page = Page(html_of(busy))
    steps = [i for i in active(busy) if i.parent == campaign.key]
    required = {s.key for s in campaign.steps if s.required}
    assert required <= {i.content_type for i in steps}
    for item in steps:
        chip = page.chip(item.id)
        assert f"Campagne · {campaign.name}" in chip.text
        assert [n.text for n in page.inside(chip, "ex")] == ["EXEMPLE"]
        assert ("k-task" in chip.classes) == (item.kind == "task")
    assert any("EXEMPLE" in n.text for n in page.find("ul", "legend"))
    md = files_of(busy)["report.md"]
    assert sum(f"{campaign.name} — EXEMPLE" in line for line in md.splitlines()) == len(steps)


def test_notices_are_said_under_a_savoir(busy: Plan) -> None:
    assert busy.notices, "a week without Skool leaves the rituals of days 1 to 7 no day"
    (section,) = Page(html_of(busy)).find("section", "notices")
    assert "À savoir" in section.text
    assert all(notice in section.text for notice in busy.notices)
    md = files_of(busy)["report.md"]
    assert "## À savoir" in md and all(f"- {notice}" in md for notice in busy.notices)
    assert not Page(html_of(replace(busy, notices=[]))).find("section", "notices")


ENGLISH = re.compile(
    r"\b(planned|published|locked|cancell?ed|task|awareness|consideration|decision|retention"
    r"|advocacy|solver|feasible)\b",
    re.IGNORECASE,
)
JARGON = re.compile(r"seed|déterministe|variables?\b|contraintes?\b|CP-SAT|solveur", re.I)
CODE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
"""A snake_case key of the config (revue_kpi, annonce_live…) shown as a value."""


@pytest.mark.parametrize("which", ["march", "busy"])
def test_the_reports_speak_the_marketers_french(which: str, request: pytest.FixtureRequest) -> None:
    plan: Plan = request.getfixturevalue(which)
    files = files_of(plan)
    ids = sorted((i.id for i in [*plan.items, *plan.context]), key=len, reverse=True)
    for text in (Page(files["report.html"]).readable(), files["report.md"]):
        for item_id in ids:  # identifiers are the user's handle for `planner explain`
            text = text.replace(item_id, "")
        for pattern in (ENGLISH, JARGON, CODE):
            assert not pattern.findall(text), pattern.pattern


def test_statuses_are_in_french_on_the_chips(march: Plan) -> None:
    posts = [i for i in march.items if i.kind == "post"]
    words = {posts[0].id: "publié", posts[1].id: "verrouillé"}
    status = {posts[0].id: "published", posts[1].id: "locked"}
    items = [i.with_(status=status[i.id]) if i.id in status else i for i in march.items]
    page = Page(render_html(replace(march, items=items), NOW))
    for item_id, word in words.items():
        assert [n.text for n in page.inside(page.chip(item_id), "st")] == [word]
    assert not page.inside(page.chip(posts[2].id), "st"), "planned is the default, unsaid"


def test_same_inputs_give_the_same_bytes_but_for_now(tmp_path: Path) -> None:
    outputs = []
    for run, now in enumerate(("2026-02-20T09:00", "2026-02-21T17:45")):
        code, output = invoke(
            "plan", "--month", "2026-03", "--now", now, "--out", str(tmp_path / str(run))
        )
        assert code == 0, output
        outputs.append((tmp_path / str(run) / "2026-03" / "report.html").read_text("utf-8"))
    changed = [
        (a, b)
        for a, b in zip(outputs[0].splitlines(), outputs[1].splitlines(), strict=True)
        if a != b
    ]
    assert len(changed) == 1, "the only time on the page is --now"
    assert "20/02/2026 à 09:00" in changed[0][0] and "21/02/2026 à 17:45" in changed[0][1]


def test_the_page_fetches_nothing_and_prints_on_a4_landscape(march: Plan) -> None:
    html = html_of(march)
    for forbidden in ("http:", "https:", "//", "<script", "<link", "@import", "url(", "src="):
        assert forbidden not in html, forbidden
    assert "<path" not in html, "path data such as 'M13 4' would trip the confidentiality scan"
    assert "@page { size: A4 landscape" in html
    assert html.startswith('<!DOCTYPE html>\n<html lang="fr">')


def test_item_text_is_escaped(march: Plan) -> None:
    nasty = "<script>alert(\"x\")</script> & 'q' [Membre] </li>"
    live = next(i for i in march.items if i.kind == "live")
    items = [
        i.with_(message=nasty, title=f"T {nasty}", format=f"F {nasty}") if i.id == live.id else i
        for i in march.items
    ]
    html = render_html(replace(march, items=items), NOW)
    assert "<script" not in html
    page = Page(html)
    chip = page.chip(live.id)
    assert f"T {nasty}" in chip.attrs["title"].splitlines()
    assert f"F {nasty}" in chip.text
    assert any(nasty in n.text for n in page.find("li") if "chip" not in n.classes)


def test_holidays_are_shaded_and_named(spring: Plan) -> None:
    page = Page(html_of(spring))
    for day, name in ((date(2026, 4, 6), "Lundi de Pâques"), (date(2026, 5, 14), "Ascension")):
        cell = page.cell(day)
        assert "holiday" in cell.classes
        assert f"Jour férié ({name})" in cell.text
        assert not page.inside(cell, "chip")
    assert "holiday" not in page.cell(date(2026, 4, 7)).classes


def test_blackouts_are_shaded_and_named_per_channel(busy: Plan) -> None:
    page = Page(html_of(busy))
    for day in (date(2026, 3, 17), date(2026, 3, 18)):
        cell = page.cell(day)
        assert "blackout" in cell.classes and "Jour bloqué (Salon Qualiopi)" in cell.text
        assert not page.inside(cell, "chip")
    cell = page.cell(date(2026, 3, 10))
    assert "blackout" in cell.classes
    assert "LinkedIn : jour bloqué (Séminaire <équipe> & co)" in cell.text
    channels = {c.attrs["data-id"].split("-")[0] for c in page.inside(cell, "chip")}
    assert "linkedin" not in channels
    assert channels == {i.channel for i in active(busy) if i.day == date(2026, 3, 10)}


def md_rows(report: str, pattern: str) -> list[tuple[int, tuple[str, ...]]]:
    """Matching table rows of report.md, each with the index of its month section."""
    found, month = [], -1
    for line in report.splitlines():
        if line.startswith("## ") and "campagne" in line:
            month += 1
        match = re.fullmatch(pattern, line)
        if match and month >= 0:
            found.append((month, match.groups()))
    return found


def counted_posts(plan: Plan) -> list[Item]:
    """Posts that count for the rules: this plan's and other periods' on covered days."""
    items = [*plan.items, *plan.context]
    return [i for i in items if i.active and i.kind == "post" and plan.calendar.covered(i.day)]


@pytest.mark.parametrize("which", ["march", "spring", "split"])
def test_mix_and_weekly_charts_match_report_md_and_the_rules(
    which: str, request: pytest.FixtureRequest
) -> None:
    plan: Plan = request.getfixturevalue(which)
    files = files_of(plan)
    page = Page(files["report.html"])
    sections = [n.attrs["id"] for n in page.find("section", "month")]
    mix = [(sections.index(n.within("section", "id")), n.attrs) for n in page.find("g", "mix-row")]
    md_mix = md_rows(files["report.md"], r"\| .+ \| ([\d.]+) % \| (\d+) \| \d+ % \| (\d+)–(\d+) \|")
    assert [
        (m, (a["data-target"], a["data-count"], a["data-low"], a["data-high"])) for m, a in mix
    ] == md_mix
    posts = counted_posts(plan)
    for month, attrs in mix:
        year, number = map(int, sections[month][2:].split("-"))
        mine = [
            p
            for p in posts
            if p.channel == "linkedin" and (p.day.year, p.day.month) == (year, number)
        ]
        assert int(attrs["data-total"]) == len(mine)
        assert int(attrs["data-count"]) == sum(p.audience == attrs["data-audience"] for p in mine)
        assert int(attrs["data-low"]) <= int(attrs["data-count"]) <= int(attrs["data-high"])

    weeks: dict[tuple[int, str], list[str]] = {}
    for node in page.find("g", "week"):
        a = node.attrs
        month = sections.index(node.within("section", "id"))
        day = date.fromisoformat(a["data-week"])
        cell = (
            "fermée"
            if a["data-closed"] == "true"
            else f"{a['data-count']} ({a['data-low']}–{a['data-high']})"
        )
        weeks.setdefault((month, f"{day:%d/%m}"), []).append(cell)
        if a["data-closed"] == "false":
            count = sum(1 for p in posts if p.channel == a["data-channel"] and monday(p.day) == day)
            assert int(a["data-count"]) == count
            band = plan.calendar.band(a["data-channel"], day)
            assert (int(a["data-low"]), int(a["data-high"])) == (band.low, band.high)
            assert band.low <= count <= band.high
    md_weeks = md_rows(files["report.md"], r"\| (\d\d/\d\d) \| (.+) \|")
    assert [((m, g[0]), g[1].split(" | ")) for m, g in md_weeks] == list(weeks.items())


def test_a_week_that_straddles_two_months_counts_both(split: Plan) -> None:
    page = Page(html_of(split))
    april = [i for i in split.context if i.kind == "post" and i.day >= date(2026, 4, 1)]
    for channel in ("linkedin", "skool"):
        (week,) = page.find("g", "week", data_channel=channel, data_week="2026-03-30")
        mine = [i for i in split.items if i.kind == "post" and i.channel == channel]
        days = [date(2026, 3, 30) + timedelta(n) for n in range(7)]
        found = sum(1 for i in [*mine, *april] if i.channel == channel and i.day in days)
        assert found > sum(1 for i in mine if i.day in days), "April's posts count too"
        assert int(week.attrs["data-count"]) == found


def test_journey_phases_follow_the_rules_month_by_month(spring: Plan) -> None:
    config = spring.loaded.config
    page = Page(html_of(spring))
    journey = [i for i in active(spring) if i.kind == "post" and i.channel == "linkedin"]
    journey = [i for i in journey if not i.parent]
    (overall,) = page.find("section", "phases")
    cells = [n for n in page.find("g", "phase") if overall in n.parents]
    assert {c.attrs["data-audience"] for c in cells} == {
        "of",
        "coachs",
        "auditeurs",
        "certificateurs",
    }
    for cell in cells:
        a = cell.attrs
        first = date.fromisoformat(a["data-month"] + "-01")
        month = spring.calendar.campaign_month(first)
        audience, phase = a["data-audience"], a["data-phase"]
        state = "closed"
        if present(config, audience, month):
            if phase in {s.phase for s in focus_stages(config, audience, month)}:
                state = "focus"
            elif phase in {s.phase for s in open_stages(config, audience, month)}:
                state = "open"
        assert a["data-state"] == state, a
        count = sum(
            1
            for p in journey
            if (p.audience, p.phase) == (audience, phase)
            and (p.day.year, p.day.month) == (first.year, first.month)
        )
        assert int(a["data-count"]) == count
        words = {"focus": "au premier plan", "open": "ouverte"}
        if state in words:
            assert f"{words[state]} · {count} post" in cell.text
    march_ce = page.find("g", "phase", data_audience="certificateurs", data_month="2026-03")
    assert march_ce and all(c.attrs["data-state"] == "closed" for c in march_ce)
    by_month = [n for n in page.find("g", "phase") if overall not in n.parents]
    months = {f"{y}-{m:02d}" for y, m in SPRING.months()}
    assert {n.attrs["data-month"] for n in by_month} == months, "each month shows its phases"
    md = files_of(spring)["report.md"]
    rows = md_rows(md, r"\| ([^|]+) \| ([^|]+) \| (au premier plan|ouverte) \| (\d+) \|")
    assert len(rows) == sum(1 for n in by_month if n.attrs["data-state"] != "closed")


def test_misses_are_listed_with_their_reasons_and_flagged_on_chips(march: Plan) -> None:
    page = Page(html_of(march))
    rows = page.find("tr", "miss")
    assert len(rows) == len(march.misses) > 0
    for row, miss in zip(rows, march.misses, strict=True):
        assert miss.what in row.text
        assert miss_reason(march.calendar, ActiveItems(active(march)), miss) in row.text
        if len(miss.items) == 1:
            assert page.inside(page.chip(miss.items[0]), "flag")


def test_replan_changes_are_highlighted_on_the_grid_and_listed(march: Plan) -> None:
    posts = [i for i in march.items if i.kind == "post"]
    moved, added, removed = posts[0], posts[1], posts[2]
    items = [i.with_(status="cancelled") if i.id == removed.id else i for i in march.items]
    changes = [
        Change(moved.id, "moved", "lundi 02/03 10:00", f"{moved.start:%d/%m %H:%M}", "jour bloqué"),
        Change(added.id, "added", "", f"{added.start:%d/%m %H:%M}", "rythme de la semaine"),
        Change(removed.id, "removed", f"{removed.start:%d/%m %H:%M}", "", "annulé à la main"),
    ]
    html = render_html(replace(march, items=items), NOW, changes, ["Replan : 3 changements."])
    page = Page(html)
    for item, code, word in ((moved, "moved", "déplacé"), (added, "added", "ajouté")):
        chip = page.chip(item.id)
        assert f"c-{code}" in chip.classes
        assert word in chip.text
    assert not page.find("li", data_id=removed.id), "a removed item is never an active chip"
    (ghost,) = page.find("li", "ghost", data_removed_id=removed.id)
    assert ghost.within("td", "data-date") == removed.day.isoformat()
    assert "retiré" in ghost.text
    listed = [n.attrs["data-change-id"] for n in page.find("tr") if "data-change-id" in n.attrs]
    assert listed == [moved.id, added.id, removed.id]
    assert "lundi 02/03 10:00" in page.find("tr", data_change_id=moved.id)[0].text
    assert any(n.text == "Replan : 3 changements." for n in page.find("p"))


def test_a_confidential_text_in_the_page_refuses_the_export(march: Plan) -> None:
    items = [
        i.with_(title=f"{i.title} (tarif 247 €)") if n == 0 else i
        for n, i in enumerate(march.items)
    ]
    with pytest.raises(InputError) as caught:
        plan_files(replace(march, items=items), NOW)
    assert Path("report.html") in {p.file for p in caught.value.problems}


# --- the page in a real browser ----------------------------------------------------------

CHROMIUM = Path(os.environ.get("PLANNER_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
A4_LANDSCAPE_PX = round((297 - 2 * 9) / 25.4 * 96)
"""Printable width of A4 landscape with the page's 9 mm margins, in CSS pixels."""


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("PLANNER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (PLANNER_REQUIRE_BROWSER=1: the browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """Debian's Chromium driven by Playwright, with a fresh profile and no network chatter."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("le paquet Python playwright n'est pas installé")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} absent (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


def open_report(browser: BrowserContext, plan: Plan, folder: Path) -> tuple[BrowserPage, list[str]]:
    """Write report.html alone (it needs nothing else) and open it; return the page and
    the problems seen (console errors, requests)."""
    report = folder / "report.html"
    report.write_text(html_of(plan), "utf-8")
    url = report.as_uri()
    page = browser.new_page()
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("request", lambda r: problems.append(r.url) if r.url.split("#")[0] != url else None)
    page.goto(url)
    return page, problems


def check_rendered(page: BrowserPage, plan: Plan, months: int) -> None:
    shown = page.eval_on_selector_all("[data-id]", "els => els.map(e => e.dataset.id)")
    assert Counter(shown) == Counter(i.id for i in active(plan))
    phases = months + (1 if months > 1 else 0)
    for kind, count in (("mix", months), ("weeks", months), ("phases", phases)):
        charts = page.locator(f"svg.chart-{kind}")
        assert charts.count() == count, kind
        for n in range(count):
            box = charts.nth(n).bounding_box()
            assert box and box["width"] > 100 and box["height"] > 40, kind
    assert page.locator("svg.chart-mix g.mix-row rect.bar").count() > 0
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('li.chip')].filter(chip => {
            const c = chip.getBoundingClientRect(), d = chip.closest('td').getBoundingClientRect();
            return c.width < 20 || c.height < 10 || c.left < d.left - 1 || c.right > d.right + 1;
        }).map(chip => chip.dataset.id)"""
    )
    assert overflow == [], "every chip is visible inside its day"
    colours = page.evaluate(
        """() => [...document.querySelectorAll('li.chip[data-live]')].map(chip => {
            const live = document.getElementById('i-' + chip.dataset.live);
            const colour = e => getComputedStyle(e).borderLeftColor;
            return [chip.dataset.id, colour(chip), live ? colour(live) : colour(chip)];
        })"""
    )
    assert colours and all(mine == its for _, mine, its in colours), "coloured like its live"
    text = page.inner_text("body")
    for word in ("planned", "published", "locked", "cancelled", "task", "awareness"):
        assert not re.search(rf"\b{word}\b", text, re.IGNORECASE), word


def check_print(page: BrowserPage, pdf: bool) -> None:
    """The page fits the width of A4 landscape in print; `pdf`: really print it (slow on a
    long page, so only for one month)."""
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_LANDSCAPE_PX, "height": 700})
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], "the page fits the width of A4 landscape"
    if pdf:
        printed = page.pdf(prefer_css_page_size=True, print_background=True)
        assert printed.startswith(b"%PDF")
        assert re.search(rb"/MediaBox \[0 0 841\.9\d* 594\.9\d*\]", printed), "A4 landscape"


def test_march_report_in_chromium(browser: BrowserContext, march: Plan, tmp_path: Path) -> None:
    page, problems = open_report(browser, march, tmp_path)
    check_rendered(page, march, months=1)
    lives = sorted((i for i in march.items if i.kind == "live"), key=lambda i: i.start)
    wanted = [f"LIVE {(i.end - i.start).seconds // 60} min" for i in lives]
    assert page.locator("li.chip.k-live .live").all_inner_texts() == wanted
    step = next(i for i in march.items if i.parent == lives[-1].id)
    link = page.locator(f'li.chip[data-id="{step.id}"] a.lv')
    assert link.get_attribute("title") == f"Séquence du live du {lives[-1].start:%d/%m} (L2)"
    link.click()
    assert page.evaluate("document.querySelector(':target').dataset.id") == lives[-1].id
    shot = page.screenshot(path=str(tmp_path / "report-2026-03.png"), full_page=True)
    assert shot.startswith(b"\x89PNG") and len(shot) > 50_000
    target = os.environ.get("PLANNER_SCREENSHOTS")
    if target:
        page.evaluate("window.scrollTo(0, 0)")
        bottom = page.evaluate(
            "document.querySelector('section.month').getBoundingClientRect().bottom"
            " + window.scrollY"
        )
        page.screenshot(
            path=str(Path(target) / "report-2026-03.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1280, "height": bottom + 16},
        )
    check_print(page, pdf=True)
    assert problems == []
    page.close()


def test_spring_report_in_chromium(browser: BrowserContext, spring: Plan, tmp_path: Path) -> None:
    page, problems = open_report(browser, spring, tmp_path)
    check_rendered(page, spring, months=4)
    holiday = page.locator('td[data-date="2026-05-01"]')
    assert "Fête du Travail" in holiday.inner_text()
    colour = holiday.evaluate("td => getComputedStyle(td).backgroundImage")
    assert "repeating-linear-gradient" in colour, "holidays are shaded"
    page.screenshot(path=str(tmp_path / "report-4-mois.png"))
    check_print(page, pdf=False)
    assert problems == []
    page.close()


def test_a_best_hour_no_channel_time_reaches_is_said_so(tmp_path: Path) -> None:
    """LinkedIn's times all before every audience's best hours: each hour missed used to be
    put down to the daily cap (« les heures de la plage étaient prises »)."""

    def early(data: dict[str, Any]) -> None:
        data["channels.yaml"]["channels"]["linkedin"]["times"] = ["07:00", "07:30"]

    loaded = load_config(config_copy(INPUTS, tmp_path / "inputs", early))
    plan = make_plan(loaded, Horizon.month(2027, 1), now=NOW)
    index = ActiveItems(active(plan))
    hours = [m for m in plan.misses if m.family == F.BEST_SLOT and "heure" in m.what]
    assert hours
    for miss in hours:
        reason = miss_reason(plan.calendar, index, miss)
        assert reason.startswith("Meilleur jour et heure : aucune heure de LinkedIn dans la plage")
        assert reason in render_report(plan)
