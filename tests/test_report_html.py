"""`report.html` as a marketer sees it: one chip per item, shaded closed days, charts whose
numbers match report.md and the plan, re-planning changes, and nothing fetched from outside.

The browser tests open the real page in headless Chromium (Debian's, never a downloaded
one). Without it they skip locally, and fail when PLANNER_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

from planner.calendar import Horizon
from planner.changes import Change
from planner.config import load_config
from planner.errors import InputError
from planner.export.bundle import plan_files
from planner.export.report_html import render_html
from planner.items import Item
from planner.planning import Plan, make_plan
from planner.rules import active_stages, present
from planner.why import miss_reason
from tests.conftest import NOW, SIX_MONTHS, PlanCache
from tests.test_cli import invoke

if TYPE_CHECKING:  # playwright is a test extra; the browser tests skip (or fail) without it
    from playwright.sync_api import BrowserContext
    from playwright.sync_api import Page as BrowserPage

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
    """Every element of the page with its attributes, its ancestors and its text."""

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

    def inside(self, node: Node, cls: str) -> list[Node]:
        """Descendants of `node` with class `cls` (they follow it in document order)."""
        found: list[Node] = []
        for other in self.nodes[self.nodes.index(node) + 1 :]:
            if node not in other.parents:
                break
            if cls in other.classes:
                found.append(other)
        return found


_FILES: dict[int, tuple[Plan, dict[str, str]]] = {}


def files_of(plan: Plan) -> dict[str, str]:
    """The plan folder's text files, rendered once per plan (the .ics take the time)."""
    if id(plan) not in _FILES:
        files = {f.name: f.content.decode("utf-8") for f in plan_files(plan, NOW)}
        _FILES[id(plan)] = (plan, files)
    return _FILES[id(plan)][1]


def html_of(plan: Plan) -> str:
    return files_of(plan)["report.html"]


@pytest.fixture(scope="module")
def march(plans: PlanCache) -> Plan:
    return plans(Horizon.month(2026, 3))


@pytest.fixture(scope="module")
def six(plans: PlanCache) -> Plan:
    return plans(SIX_MONTHS)


def active(plan: Plan) -> list[Item]:
    return [i for i in plan.items if i.active]


def monday(day: date) -> date:
    return day - timedelta(day.weekday())


# --- the page, without a browser ---------------------------------------------------------


@pytest.mark.parametrize("which", ["march", "six"])
def test_every_active_item_is_one_labelled_chip_on_its_day(
    which: str, request: pytest.FixtureRequest
) -> None:
    plan: Plan = request.getfixturevalue(which)
    config = plan.loaded.config
    page = Page(html_of(plan))
    chips = {n.attrs["data-id"]: n for n in page.find("li", "chip")}
    ids = Counter(n.attrs["data-id"] for n in page.nodes if "data-id" in n.attrs)
    assert ids == Counter(i.id for i in active(plan))
    assert set(ids.values()) == {1}
    for item in active(plan):
        chip = chips[item.id]
        assert chip.within("td", "data-date") == item.day.isoformat()
        short = config.audiences[item.audience].short
        (initials,) = page.inside(chip, "ini")
        assert initials.text == short, "colour is never the only cue"
        channel = config.channels[item.channel]
        what = (
            channel.types[item.content_type].label
            if item.kind == "post" and channel.types
            else item.format
        )
        for part in (f"{item.start:%H:%M}", channel.label.split(" — ")[0], what):
            assert part in chip.text, (item.id, part)
        assert config.phase_label(item.phase) in chip.text
        if item.kind == "live":
            minutes = (item.end - item.start).seconds // 60
            assert f"LIVE {minutes} min" in chip.text
            assert f"{item.end:%H:%M}" in chip.text
    months = [n.attrs["data-month"] for n in page.find("table", "grid")]
    assert months == [f"{y}-{m:02d}" for y, m in plan.horizon.months()]


def test_same_inputs_and_now_give_the_same_bytes(tmp_path: Path) -> None:
    outputs = []
    for run, now in enumerate(("2026-02-20T09:00", "2026-02-20T09:00", "2026-02-21T17:45")):
        code, output = invoke(
            "plan", "--month", "2026-03", "--now", now, "--out", str(tmp_path / str(run))
        )
        assert code == 0, output
        outputs.append((tmp_path / str(run) / "2026-03" / "report.html").read_text("utf-8"))
    assert outputs[0] == outputs[1]
    changed = [
        (a, b)
        for a, b in zip(outputs[0].splitlines(), outputs[2].splitlines(), strict=True)
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
    (chip,) = page.find("li", "chip", data_id=live.id)
    assert chip.attrs["title"].startswith(f"T {nasty}")
    assert f"F {nasty}" in chip.text
    assert any(nasty in n.text for n in page.find("li") if "chip" not in n.classes)


def test_holidays_are_shaded_and_named(six: Plan) -> None:
    page = Page(html_of(six))
    for day, name in ((date(2026, 4, 6), "Lundi de Pâques"), (date(2026, 5, 14), "Ascension")):
        cell = page.cell(day)
        assert "holiday" in cell.classes
        assert f"Jour férié ({name})" in cell.text
        assert not page.inside(cell, "chip")
    assert "holiday" not in page.cell(date(2026, 4, 7)).classes


def test_blackouts_are_shaded_and_named_per_channel(inputs_copy: Path) -> None:
    calendar = inputs_copy / "calendar.yaml"
    calendar.write_text(
        calendar.read_text("utf-8")
        + '    - {date: 2026-03-10, label: "Séminaire <équipe> & co", channels: [linkedin]}\n'
        + "    - {from: 2026-03-17, to: 2026-03-18, label: Salon Qualiopi}\n",
        "utf-8",
    )
    plan = make_plan(load_config(inputs_copy), Horizon.month(2026, 3))
    page = Page(html_of(plan))
    for day in (date(2026, 3, 17), date(2026, 3, 18)):
        cell = page.cell(day)
        assert "blackout" in cell.classes and "Jour bloqué (Salon Qualiopi)" in cell.text
        assert not page.inside(cell, "chip")
    cell = page.cell(date(2026, 3, 10))
    assert "blackout" in cell.classes
    assert "LinkedIn : jour bloqué (Séminaire <équipe> & co)" in cell.text
    assert {c.attrs["data-id"].split("-")[0] for c in page.inside(cell, "chip")} == {"skool"}


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


@pytest.mark.parametrize("which", ["march", "six"])
def test_mix_and_weekly_charts_match_report_md_and_the_plan(
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
    posts = [i for i in active(plan) if i.kind == "post"]
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
            count = sum(
                1
                for p in posts
                if p.channel == a["data-channel"]
                and monday(p.day) == day
                and plan.horizon.contains(p.day)
            )
            assert int(a["data-count"]) == count
            low, high = plan.calendar.week_band(a["data-channel"], day)
            assert (int(a["data-low"]), int(a["data-high"])) == (low, high)
    md_weeks = md_rows(files["report.md"], r"\| (\d\d/\d\d) \| (.+) \|")
    assert [((m, g[0]), g[1].split(" | ")) for m, g in md_weeks] == list(weeks.items())


def test_phase_timeline_follows_the_journeys(six: Plan) -> None:
    config = six.loaded.config
    page = Page(html_of(six))
    cells = page.find("g", "phase")
    assert {c.attrs["data-audience"] for c in cells} == {
        "of",
        "coachs",
        "auditeurs",
        "certificateurs",
    }
    posts = [i for i in active(six) if i.kind == "post" and i.channel == "linkedin"]
    for cell in cells:
        a = cell.attrs
        first = date.fromisoformat(a["data-month"] + "-01")
        month = six.calendar.campaign_month(first)
        audience, phase = a["data-audience"], a["data-phase"]
        is_active = present(config, audience, month) and phase in {
            s.phase for s in active_stages(config, audience, month)
        }
        assert a["data-active"] == str(is_active).lower(), a
        count = sum(
            1
            for p in posts
            if (p.audience, p.phase) == (audience, phase)
            and (p.day.year, p.day.month) == (first.year, first.month)
        )
        assert int(a["data-count"]) == count
    jan_au = page.find("g", "phase", data_audience="auditeurs", data_month="2026-01")
    assert jan_au and all(c.attrs["data-active"] == "false" for c in jan_au)


def test_misses_are_listed_with_their_reasons_and_flagged_on_chips(march: Plan) -> None:
    page = Page(html_of(march))
    rows = page.find("tr", "miss")
    assert len(rows) == len(march.misses) > 0
    for row, miss in zip(rows, march.misses, strict=True):
        assert miss.what in row.text
        assert miss_reason(march.calendar, active(march), miss) in row.text
        if len(miss.items) == 1:
            (chip,) = page.find("li", "chip", data_id=miss.items[0])
            assert page.inside(chip, "flag")


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
    for item, word in ((moved, "déplacé"), (added, "ajouté")):
        (chip,) = page.find("li", "chip", data_id=item.id)
        assert f"c-{'moved' if item is moved else 'added'}" in chip.classes
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


def open_report(
    browser: BrowserContext, plan: Plan, folder: Path
) -> tuple[BrowserPage, list[dict[str, str]], list[str]]:
    """Write the plan's files, open report.html; return page, csv rows, problems seen."""
    files = files_of(plan)
    for file_name, content in files.items():
        (folder / file_name).write_text(content, "utf-8")
    url = (folder / "report.html").as_uri()
    page = browser.new_page()
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("request", lambda r: problems.append(r.url) if r.url != url else None)
    page.goto(url)
    rows = list(csv.DictReader(io.StringIO(files["plan.csv"])))
    return page, rows, problems


def check_rendered(page: BrowserPage, rows: list[dict[str, str]], months: int) -> None:
    shown = page.eval_on_selector_all("[data-id]", "els => els.map(e => e.dataset.id)")
    wanted = [r["id"] for r in rows if r["status"] != "cancelled"]
    assert Counter(shown) == Counter(wanted) and len(shown) == len(set(shown))
    for kind, count in (("mix", months), ("weeks", months), ("phases", 1)):
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
    page, rows, problems = open_report(browser, march, tmp_path)
    check_rendered(page, rows, months=1)
    assert page.locator("li.chip.k-live .live").all_inner_texts() == ["LIVE 45 min", "LIVE 60 min"]
    shot = page.screenshot(path=str(tmp_path / "report-2026-03.png"), full_page=True)
    assert shot.startswith(b"\x89PNG") and len(shot) > 50_000
    target = os.environ.get("PLANNER_SCREENSHOTS")
    if target:
        bottom = page.evaluate(
            "document.querySelector('section.month .charts').getBoundingClientRect().bottom"
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


def test_six_month_report_in_chromium(browser: BrowserContext, six: Plan, tmp_path: Path) -> None:
    page, rows, problems = open_report(browser, six, tmp_path)
    check_rendered(page, rows, months=6)
    holiday = page.locator('td[data-date="2026-05-01"]')
    assert "Fête du Travail" in holiday.inner_text()
    colour = holiday.evaluate("td => getComputedStyle(td).backgroundImage")
    assert "repeating-linear-gradient" in colour, "holidays are shaded"
    page.screenshot(path=str(tmp_path / "report-6-mois.png"))
    check_print(page, pdf=False)
    assert problems == []
    page.close()
