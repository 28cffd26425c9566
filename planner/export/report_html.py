"""`report.html`: the plan as month calendars and charts, for people who won't read a CSV.

One self-contained page (inline CSS and SVG, no script, no network, system fonts only)
that prints on A4 landscape. Every item is a chip carrying `data-id`, coloured by
audience *and* labelled with its initials so that colour is never the only cue; a live
and its sequence (announcement, reminder, preparation, replay, teaser) share a number
(« L2 ») and a border colour, and each step links to its live. The figures come from
`planner.export.figures`, like `report.md`, so both say the same thing; the only time on
the page is `--now`, so the same inputs give the same bytes.
"""

from __future__ import annotations

import calendar as stdcal
from collections import defaultdict
from datetime import date, datetime, timedelta
from importlib.resources import files

from planner.calendar import month_title
from planner.changes import Change
from planner.export.figures import (
    LiveMark,
    Role,
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
from planner.export.report_md import best_slot_hits, status_line
from planner.export.svg import (
    LIVE_SWATCHES,
    UNKNOWN,
    Swatch,
    esc,
    mix_chart,
    phase_chart,
    swatches,
    weeks_chart,
)
from planner.families import F, name
from planner.items import Item
from planner.labels import CHANGE_LABELS, STATUS_LABELS, decimal
from planner.planning import Plan
from planner.weekdays import FRENCH_DAYS

CSS = files("planner.export").joinpath("report.css").read_text(encoding="utf-8")
"""The page's style sheet, kept as a real .css file and inlined in every report."""


def render_html(
    plan: Plan, now: datetime, changes: list[Change] | None = None, intro: list[str] | None = None
) -> str:
    """The whole page; `changes` is set when re-planning (highlights and a list)."""
    page = _Page(plan, changes or [])
    title = f"Plan éditorial — {_title(plan)}"
    body = [
        f"<h1>{esc(title)}</h1>",
        *_intro(intro or []),
        *page.summary(now),
        *page.notices_section(),
        *page.legend(),
        *page.changes_section(),
        *page.nav(),
    ]
    for year, month in page.months:
        body += page.month_section(year, month)
    body += page.phases_section()
    body += page.misses_section()
    body += page.warnings_section()
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n{page.colour_css()}</head>\n"
        "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _title(plan: Plan) -> str:
    horizon = plan.horizon
    if horizon.is_month:
        return month_title(horizon.start.year, horizon.start.month)
    return f"du {horizon.start:%d/%m/%Y} au {horizon.end:%d/%m/%Y}"


def _intro(lines: list[str]) -> list[str]:
    """The Markdown intro of report.md (re-planning summary) as plain paragraphs."""
    return [f"<p>{esc(line.lstrip('#- ').strip())}</p>" for line in lines if line.strip()]


def channel_short(label: str) -> str:
    """'Skool — Cercle QALIA' → 'Skool': the part of a channel label that fits on a chip."""
    for separator in (" — ", " – ", " - ", " · "):
        label = label.split(separator)[0]
    return label


def sequence_tip(mark: LiveMark) -> str:
    """What hovering a step of a live's sequence says."""
    return f"Séquence du live du {mark.live.start:%d/%m} ({mark.label})"


class _Page:
    """What every section needs: the plan, its active items by day, colours, changes."""

    def __init__(self, plan: Plan, changes: list[Change]) -> None:
        self.plan = plan
        self.config = plan.loaded.config
        # Plan order, as report.md sees it, so that both explain the misses the same way.
        self.active = [i for i in plan.items if i.active]
        self.cancelled = [i for i in plan.items if not i.active]
        self.colours = swatches(self.config)
        self.classes = {key: f"a{n}" for n, key in enumerate(self.config.audiences)}
        self.marks = live_marks(plan, self.active)
        self.changes = changes
        self.change_of = {c.id: c for c in changes}
        self.by_day = _by_day(self.active)
        self.ghosts = _by_day(self.cancelled)
        self.lines = miss_lines(plan, self.active)
        self.flags: dict[str, list[str]] = defaultdict(list)
        for line in self.lines:
            if len(line.items) == 1:
                self.flags[line.items[0]].append(f"{name(line.family)} : {line.what}")
        found = set(plan.horizon.months()) | {(d.year, d.month) for d in self.by_day}
        self.months = sorted(found | {(d.year, d.month) for d in self.ghosts})

    def colour_css(self) -> str:
        rules = [_colour_rule(f".{cls}", self.colours[key]) for key, cls in self.classes.items()]
        rules.append(_colour_rule(".ax", UNKNOWN))
        rules += [
            f".s{n} {{ --live: {colour.solid}; --live-ink: {colour.ink}; }}"
            for n, colour in enumerate(LIVE_SWATCHES)
        ]
        return "<style>" + "\n".join(rules) + "</style>\n"

    def audience_class(self, audience: str) -> str:
        return self.classes.get(audience, "ax")

    def short(self, audience: str) -> str:
        """The audience's initials; a dash for a team task that addresses no one."""
        spec = self.config.audiences.get(audience)
        return spec.short if spec is not None else audience[:3].upper() or "—"

    def mark_of(self, item: Item, what: Role) -> LiveMark | None:
        return self.marks.get(item.id if item.kind == "live" else what.live)

    # --- top of the page ---------------------------------------------------------------

    def summary(self, now: datetime) -> list[str]:
        horizon = self.plan.horizon
        rows = [
            f"<tr><td>{esc(self.config.channels[key].label)}</td>"
            + "".join(f'<td class="num">{kinds[k]}</td>' for k in ("post", "live", "task"))
            + "</tr>"
            for key, kinds in kind_counts(self.plan, self.active).items()
        ]
        hits, posts = best_slot_hits(self.plan)
        points = float(sum(m.points for m in self.plan.misses))
        return [
            f'<p class="meta">Période : du {horizon.start:%d/%m/%Y} au {horizon.end:%d/%m/%Y} · '
            f"fuseau {esc(self.config.calendar.timezone)} · plan calculé le "
            f"{now:%d/%m/%Y à %H:%M}</p>",
            '<table class="data summary"><tr><th>Canal</th><th>Posts</th><th>Lives</th>'
            "<th>Tâches</th></tr>" + "".join(rows) + "</table>",
            "<ul>",
            f"<li>{esc(name(F.BEST_SLOT))} : tenu pour {hits} posts sur {posts}.</li>",
            f"<li>Préférences manquées : {len(self.plan.misses)} ({decimal(points)} points).</li>",
            f"<li>Calcul : {esc(status_line(self.plan.stats))}.</li>",
            "</ul>",
        ]

    def notices_section(self) -> list[str]:
        if not self.plan.notices:
            return []
        return [
            '<section class="notices">',
            "<h2>À savoir</h2>",
            "<p>Règles qui n'ont pas pu s'appliquer telles quelles, et pourquoi :</p>",
            "<ul>",
            *(f"<li>{esc(notice)}</li>" for notice in self.plan.notices),
            "</ul>",
            "</section>",
        ]

    def legend(self) -> list[str]:
        shown = [*self.active, *self.cancelled]
        used = {i.audience for i in shown}
        entries = [
            f'<li class="{self.audience_class(key)}"><span class="ini">{esc(spec.short)}</span> '
            f"{esc(spec.label)}</li>"
            for key, spec in self.config.audiences.items()
            if key in used
        ]
        if any(mark.shown for mark in self.marks.values()):
            entries += [
                '<li><span class="live">LIVE</span> live, avec sa durée</li>',
                '<li class="s0"><span class="lv">L1</span> un live et sa séquence (annonce, '
                "rappel, préparation, replay, teaser) : même numéro, même bord coloré ; le "
                "numéro mène au live</li>",
            ]
        entries.append(
            '<li><span class="task">☐ tâche</span> cadre pointillé : tâche de l\'équipe, '
            "pas une publication</li>"
        )
        roles = [role(self.config, i) for i in shown]
        if any(r.ritual for r in roles):
            entries.append("<li>« Rituel · … » : rendez-vous du mois de la communauté</li>")
        if any(r.campaign is not None and r.campaign.example for r in roles):
            entries.append(
                '<li><span class="ex">EXEMPLE</span> campagne d\'exemple, à remplacer</li>'
            )
        entries += [
            '<li><span class="flag">!</span> préférence manquée (voir la liste)</li>',
            '<li><span class="swatch-day holiday"></span> jour férié</li>',
            '<li><span class="swatch-day blackout"></span> jour bloqué</li>',
        ]
        return ['<ul class="legend" aria-label="Légende">', *entries, "</ul>"]

    def nav(self) -> list[str]:
        if len(self.months) < 2:
            return []
        links = " ".join(
            f'<a href="#m-{y}-{m:02d}">{esc(month_title(y, m))}</a>' for y, m in self.months
        )
        return [f"<nav>{links}</nav>"]

    def changes_section(self) -> list[str]:
        if not self.changes:
            return []
        by_id = {i.id: i for i in self.plan.items}
        rows = []
        for change in self.changes:
            item = by_id.get(change.id)
            what = esc(item.title) if item is not None else ""
            rows.append(
                f'<tr class="c-{esc(change.change)}" data-change-id="{esc(change.id)}">'
                f"<td>{esc(CHANGE_LABELS.get(change.change, change.change))}</td>"
                f"<td>{esc(change.id)}<br>{what}</td><td>{esc(change.before)}</td>"
                f"<td>{esc(change.after)}</td><td>{esc(change.why)}</td></tr>"
            )
        return [
            '<section class="changes">',
            f"<h2>Changements depuis le plan précédent ({len(self.changes)})</h2>",
            "<p>Sur le calendrier, les éléments ajoutés, déplacés ou modifiés sont encadrés "
            "et marqués ; les éléments retirés apparaissent barrés, à leur ancienne place.</p>",
            '<table class="data"><tr><th>Changement</th><th>Élément</th><th>Avant</th>'
            "<th>Après</th><th>Pourquoi</th></tr>",
            *rows,
            "</table>",
            "</section>",
        ]

    # --- months ------------------------------------------------------------------------

    def month_section(self, year: int, month: int) -> list[str]:
        days = month_days(self.plan, year, month)
        campaign = self.plan.calendar.campaign_month(date(year, month, 1))
        parts = [
            f'<section class="month" id="m-{year}-{month:02d}">',
            f"<h2>{esc(month_title(year, month).capitalize())} — mois {campaign} de la "
            "campagne</h2>",
            *self.grid(year, month),
        ]
        if days:
            parts += self.month_charts(year, month, days)
        return [*parts, "</section>"]

    def grid(self, year: int, month: int) -> list[str]:
        first = date(year, month, 1)
        last = date(year, month, stdcal.monthrange(year, month)[1])
        monday = first - timedelta(first.weekday())
        head = "".join(f'<th scope="col">{day}</th>' for day in FRENCH_DAYS)
        rows = [
            f'<table class="grid" data-month="{year}-{month:02d}"><thead><tr>{head}</tr></thead>'
        ]
        rows.append("<tbody>")
        while monday <= last:
            cells = []
            for n in range(7):
                day = monday + timedelta(n)
                cells.append(self.day_cell(day) if day.month == month else '<td class="out"></td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
            monday += timedelta(7)
        return [*rows, "</tbody></table>"]

    def day_cell(self, day: date) -> str:
        calendar = self.plan.calendar
        reasons = {key: calendar.closed_reason(key, day) for key in self.config.channels}
        closed = [r for r in reasons.values() if r]
        notes: list[str] = []
        classes = ["day"]
        if closed and len(closed) == len(reasons) and len(set(closed)) == 1:
            notes.append(_sentence(closed[0]))
        else:
            notes += [
                f"{channel_short(self.config.channels[key].label)} : {reason}"
                for key, reason in reasons.items()
                if reason
            ]
        if day in calendar.holidays:
            classes.append("holiday")
        elif closed:
            classes.append("blackout")
        if not self.plan.horizon.contains(day):
            classes.append("off")
            notes.append("hors période")
        chips = [self.chip(item) for item in self.by_day.get(day, [])]
        chips += [self.ghost(item) for item in self.ghosts.get(day, [])]
        return (
            f'<td class="{" ".join(classes)}" data-date="{day.isoformat()}">'
            f'<div class="dn">{day.day}</div>'
            + "".join(f'<div class="note">{esc(note)}</div>' for note in notes)
            + (f'<ul class="chips">{"".join(chips)}</ul>' if chips else "")
            + "</td>"
        )

    def chip(self, item: Item) -> str:
        config = self.config
        channel = config.channels.get(item.channel)
        label = channel_short(channel.label) if channel is not None else item.channel
        what = role(config, item)
        classes = ["chip", self.audience_class(item.audience), f"k-{item.kind}"]
        attrs = ""
        time = f"{item.start:%H:%M}"
        badges: list[str] = []
        tooltip: list[str] = []
        mark = self.mark_of(item, what)
        if mark is not None:
            classes += ["seq", f"s{mark.colour % len(LIVE_SWATCHES)}"]
            attrs = f' data-live="{esc(mark.live.id)}"'
            if item.kind == "live":
                attrs += f' id="i-{esc(item.id)}"'
                badges.append(f'<span class="lv">{esc(mark.label)}</span>')
            else:
                tip = sequence_tip(mark)
                tooltip.append(tip)
                tag, href = ("a", f' href="#i-{esc(mark.live.id)}"') if mark.shown else ("span", "")
                badges.append(
                    f'<{tag} class="lv"{href} title="{esc(tip)}">{esc(mark.label)}</{tag}>'
                )
        if item.kind == "live":
            time += f"–{item.end:%H:%M}"
            badges.append(f'<span class="live">LIVE {minutes(item)} min</span>')
        if item.kind == "task":
            badges.append('<span class="task">☐ tâche</span>')
        if item.status in ("locked", "published"):
            badges.append(f'<span class="st">{STATUS_LABELS[item.status]}</span>')
        change = self.change_of.get(item.id)
        if change is not None:
            classes.append(f"c-{change.change}")
            badges.append(f'<span class="chg">{esc(CHANGE_LABELS.get(change.change, ""))}</span>')
        flags = self.flags.get(item.id, [])
        if flags:
            badges.append(f'<span class="flag" title="{esc(" ; ".join(flags))}">!</span>')
        phase = next((p.label for p in config.phases if p.key == item.phase), item.phase)
        lines = [
            f'<span class="what">{esc(" · ".join(t for t in (what.label, phase) if t))}</span>'
        ]
        if what.campaign is not None:
            example = ' <span class="ex">EXEMPLE</span>' if what.campaign.example else ""
            lines.append(f'<span class="camp">Campagne · {esc(what.campaign.name)}{example}</span>')
            tooltip.append(f"Campagne : {what.campaign.name}")
        tooltip += [item.title, item.why]
        if change is not None:
            tooltip.append(f"{CHANGE_LABELS.get(change.change, '')} : {change.why}")
        return (
            f'<li class="{esc(" ".join(classes))}" data-id="{esc(item.id)}"{attrs} '
            f'title="{esc(chr(10).join(t for t in tooltip if t))}">'
            f'<span class="ini">{esc(self.short(item.audience))}</span>'
            f'<span class="time">{time}</span>{esc(label)} {" ".join(badges)}'
            + "".join(lines)
            + "</li>"
        )

    def ghost(self, item: Item) -> str:
        change = self.change_of.get(item.id)
        word = "retiré" if change is not None and change.change == "removed" else "annulé"
        return (
            f'<li class="ghost" data-removed-id="{esc(item.id)}" title="{esc(item.title)}">'
            f'<span class="chg">{word}</span> <s>{item.start:%H:%M} '
            f"{esc(self.short(item.audience))} {esc(role(self.config, item).label)}</s></li>"
        )

    def month_charts(self, year: int, month: int, days: list[date]) -> list[str]:
        config = self.config
        figures = []
        tables = mix_tables(self.plan, self.active, days)
        for table in tables:
            channel = config.channels[table.channel].label
            notes = "".join(f"<br>{esc(note)}" for note in table.target.notes)
            figures.append(
                f"<figure>{mix_chart(config, table, self.colours)}<figcaption>"
                f"{esc(name(F.AUDIENCE_MIX))} — {esc(channel)} (ligne « "
                f"{esc(table.target.row_label)} », {len(table.posts)} posts) : barre = part "
                "obtenue, trait noir = part visée, gris = plage permise (arrondi inférieur ou "
                f"supérieur).{notes}</figcaption></figure>"
            )
        rows = week_rows(self.plan, self.active, days)
        if rows:
            figures.append(
                f"<figure>{weeks_chart(config, rows)}<figcaption>{esc(name(F.WEEKLY_BAND))} : "
                "posts par semaine (lundi indiqué), y compris les jours d'une semaine à cheval "
                "sur deux mois ; gris = fourchette permise, pointillé = cible, « ! » = hors "
                "fourchette.</figcaption></figure>"
            )
        spans = phase_timeline(self.plan, [(year, month)], [tables])
        if spans:
            figures.append(
                f"<figure>{phase_chart(config, [(year, month)], spans, self.colours)}"
                f"<figcaption>Phases du parcours par audience. "
                f"{esc(phase_note(self.plan, [(year, month)]))}</figcaption></figure>"
            )
        return ['<div class="charts">', *figures, "</div>", *self.lives_list(days)]

    def lives_list(self, days: list[date]) -> list[str]:
        lives = month_lives(self.active, days)
        if not lives:
            return []
        parts = ["<h3>Lives du mois et leur séquence</h3>", '<ul class="lives">']
        for live in lives:
            mark = self.marks[live.id]
            steps = " · ".join(
                f"{esc(role(self.config, i).label)}{' (tâche)' if i.kind == 'task' else ''} "
                f"{i.start:%d/%m %H:%M}"
                for i in sequence_of(self.active, live.id)
            )
            parts.append(
                f'<li class="s{mark.colour % len(LIVE_SWATCHES)}">'
                f'<a class="lv" href="#i-{esc(live.id)}">{esc(mark.label)}</a> '
                f"{FRENCH_DAYS[live.start.weekday()]} {live.start:%d/%m %H:%M} — "
                f"{esc(live.format)} ({minutes(live)} min) : {esc(live.message)}"
                + (f"<br>Séquence : {steps}" if steps else "")
                + "</li>"
            )
        return [*parts, "</ul>"]

    # --- end of the page ---------------------------------------------------------------

    def phases_section(self) -> list[str]:
        """The journey phases month after month; a one-month page has them in its month."""
        months = self.plan.horizon.months()
        if len(months) < 2:
            return []
        tables = [
            mix_tables(self.plan, self.active, days) if days else []
            for days in (month_days(self.plan, *m) for m in months)
        ]
        spans = phase_timeline(self.plan, months, tables)
        if not spans:
            return []
        return [
            '<section class="phases">',
            "<h2>Phases du parcours, mois par mois</h2>",
            f"<figure>{phase_chart(self.config, months, spans, self.colours)}<figcaption>"
            f"{esc(phase_note(self.plan, months))}</figcaption></figure>",
            "</section>",
        ]

    def misses_section(self) -> list[str]:
        parts = ['<section class="misses">', "<h2>Préférences manquées</h2>"]
        if not self.lines:
            return [*parts, "<p>Aucune.</p>", "</section>"]
        parts.append(
            '<table class="data"><tr><th>Préférence</th><th>Quoi</th><th>Points</th>'
            "<th>Pourquoi (règle qui l'emporte)</th></tr>"
        )
        for line in self.lines:
            ids = " ".join(line.items)
            parts.append(
                f'<tr class="miss" data-items="{esc(ids)}"><td>{esc(name(line.family))}</td>'
                f'<td>{esc(line.what)}</td><td class="num">{decimal(float(line.points))}</td>'
                f"<td>{esc(line.reason)}</td></tr>"
            )
        return [*parts, "</table>", "</section>"]

    def warnings_section(self) -> list[str]:
        if not self.plan.warnings:
            return []
        return [
            '<section class="warnings">',
            "<h2>Avertissements (éléments figés qui enfreignent une règle)</h2>",
            "<ul>",
            *(f"<li>{esc(w.render())}</li>" for w in self.plan.warnings),
            "</ul>",
            "</section>",
        ]


def _by_day(items: list[Item]) -> dict[date, list[Item]]:
    """Items per day, in time order (then by id, so that ties always print the same)."""
    days: dict[date, list[Item]] = defaultdict(list)
    for item in sorted(items, key=lambda i: (i.start, i.id)):
        days[item.day].append(item)
    return days


def _colour_rule(selector: str, colour: Swatch) -> str:
    return f"{selector} {{ --solid: {colour.solid}; --tint: {colour.tint}; --ink: {colour.ink}; }}"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
