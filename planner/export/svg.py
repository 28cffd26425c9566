"""Inline SVG charts for `report.html`: audience mix, weekly counts, journey phases.

Plain strings, no plotting library: the page must stay self-contained and byte-identical
from one run to the next. Every mark carries its numbers as text next to it (colour is
never the only cue) and as `data-*` attributes, which the tests read back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from planner.calendar import month_title
from planner.config.model import Config
from planner.export.figures import PHASE_STATES, MixTable, PhaseSpan, WeekRow
from planner.labels import plural

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
"""Okabe–Ito colours, distinguishable with the common colour-vision deficiencies."""
NEUTRAL = "#777777"
ALERT = "#D55E00"
CHAR = 6.6
"""Average glyph width in px at 12 px (DejaVu/Liberation Sans), to size label columns."""


def esc(text: object) -> str:
    return escape(str(text), quote=True)


@dataclass(frozen=True)
class Swatch:
    """An audience's colour: solid (badges, bars), tint (chip background), ink on solid."""

    solid: str
    tint: str
    ink: str


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _luminance(colour: str) -> float:
    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def swatch(solid: str) -> Swatch:
    tint = "#" + "".join(f"{round(255 - (255 - c) * 0.2):02X}" for c in _rgb(solid))
    light = _luminance(solid)
    # WCAG contrast of white vs black text on the solid colour: keep the better one.
    ink = "#FFFFFF" if 1.05 / (light + 0.05) >= (light + 0.05) / 0.05 else "#000000"
    return Swatch(solid, tint, ink)


def swatches(config: Config) -> dict[str, Swatch]:
    """One colour per audience, in config order, so a given config always gets the same."""
    return {key: swatch(PALETTE[n % len(PALETTE)]) for n, key in enumerate(config.audiences)}


UNKNOWN = swatch(NEUTRAL)
LIVE_SWATCHES = tuple(
    swatch(c) for c in ("#332288", "#117733", "#882255", "#AA4499", "#44AA99", "#999933")
)
"""Colours of lives and their sequences (Paul Tol's muted scheme), apart from audiences."""


def _n(value: float) -> str:
    """Coordinates rounded to 0.1 px: stable text, whatever the float noise."""
    return f"{round(value, 1):g}"


def _open(kind: str, width: float, height: float, title: str) -> str:
    return (
        f'<svg class="chart chart-{kind}" role="img" '
        f'width="{_n(width)}" height="{_n(height)}" viewBox="0 0 {_n(width)} {_n(height)}">'
        f"<title>{esc(title)}</title>"
    )


def _text(x: float, y: float, text: object, cls: str = "", anchor: str = "start") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{klass}>{esc(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, fill: str, extra: str = "") -> str:
    return (
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(h)}" '
        f'fill="{fill}"{extra}/>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, cls: str, extra: str = "") -> str:
    """A line, never a <path>: "M13 …" in path data would trip the confidentiality scan
    (pattern M13) and refuse the whole export."""
    return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" class="{cls}"{extra}/>'


def _badge(x: float, y: float, short: str, colour: Swatch) -> str:
    return _rect(x, y, 28, 16, colour.solid, ' rx="3"') + (
        f'<text x="{_n(x + 14)}" y="{_n(y + 12)}" text-anchor="middle" class="ini" '
        f'fill="{colour.ink}">{esc(short)}</text>'
    )


def mix_chart(config: Config, table: MixTable, colours: dict[str, Swatch]) -> str:
    """Achieved share (bar), target share (black tick) and allowed floor–ceil range (grey)."""
    row, top, bars, note = 26, 22, 240.0, 170
    labels = [config.audiences[line.audience].label for line in table.lines]
    left = 40 + CHAR * max((len(label) for label in labels), default=10)
    width = left + bars + note
    height = top + row * len(table.lines) + 8
    channel = config.channels[table.channel].label
    parts = [_open("mix", width, height, f"Mix d'audience — {channel}")]
    for pct in (0, 50, 100):
        x = left + bars * pct / 100
        parts.append(_line(x, 14, x, height - 6, "axis"))
        parts.append(_text(x, 11, f"{pct} %", "tick", "middle"))
    for n, (line, label) in enumerate(zip(table.lines, labels, strict=True)):
        y = top + n * row
        colour = colours.get(line.audience, UNKNOWN)
        short = config.audiences[line.audience].short
        target = float(line.share)
        parts.append(
            f'<g class="mix-row" data-audience="{esc(line.audience)}" data-count="{line.count}" '
            f'data-total="{line.total}" data-target="{line.percent}" '
            f'data-low="{line.low}" data-high="{line.high}">'
        )
        parts.append(_badge(0, y + 3, short, colour))
        parts.append(_text(34, y + 15, label, "label"))
        if line.total:
            low, high = (left + bars * v / line.total for v in (line.low, line.high))
            parts.append(_rect(low, y + 1, high - low, row - 4, "#E4E4E4", ' class="band"'))
        parts.append(
            _rect(left, y + 7, bars * line.achieved, 10, colour.solid, ' class="bar" stroke="#333"')
        )
        x = left + bars * target
        parts.append(_line(x, y + 1, x, y + row - 3, "target", ' stroke="#000" stroke-width="2.5"'))
        parts.append(
            _text(
                left + bars + 8,
                y + 15,
                f"{line.achieved * 100:.0f} % ({line.count}) · visé {line.percent} %",
                "value",
            )
        )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def weeks_chart(config: Config, rows: list[WeekRow]) -> str:
    """Posts per week and channel (bar, count above) inside the band (grey, min–max below)."""
    keys = list(config.channels)
    step, plot, top, left = 46, 90, 36, 8
    panel = left + step * len(rows) + 16
    high = max([c.high for r in rows for c in r.cells.values()] + [1])
    high = max([high] + [c.count for r in rows for c in r.cells.values()])
    width, height = panel * len(keys), top + plot + 48
    parts = [_open("weeks", width, height, "Posts par semaine et fourchette hebdomadaire")]

    def y_of(value: float) -> float:
        return top + plot - plot * value / high

    for p, key in enumerate(keys):
        x0 = p * panel + left
        parts.append(_text(x0, 12, config.channels[key].label, "panel"))
        parts.append(_line(x0, y_of(0), x0 + step * len(rows), y_of(0), "axis"))
        for n, row in enumerate(rows):
            cell = row.cells[key]
            cx = x0 + step * n + step / 2
            parts.append(
                f'<g class="week" data-channel="{esc(key)}" data-week="{row.monday.isoformat()}" '
                f'data-count="{cell.count}" data-low="{cell.low}" data-high="{cell.high}" '
                f'data-closed="{str(cell.closed).lower()}">'
            )
            if cell.closed:
                parts.append(_text(cx, y_of(0) - 4, "fermée", "tick", "middle"))
            else:
                band_top, band_bottom = y_of(cell.high), y_of(cell.low)
                parts.append(
                    _rect(cx - 15, band_top, 30, band_bottom - band_top, "#E4E4E4", ' class="band"')
                )
                if cell.target is not None:
                    ty = y_of(cell.target)
                    parts.append(
                        _line(
                            cx - 15,
                            ty,
                            cx + 15,
                            ty,
                            "target",
                            ' stroke="#000" stroke-width="1.5" stroke-dasharray="3 2"',
                        )
                    )
                fill = "#3B3B3B" if cell.inside else ALERT
                parts.append(
                    _rect(
                        cx - 7,
                        y_of(cell.count),
                        14,
                        y_of(0) - y_of(cell.count),
                        fill,
                        ' class="bar"',
                    )
                )
                mark = "" if cell.inside else " !"
                above = y_of(max(cell.count, cell.high)) - 3
                parts.append(_text(cx, above, f"{cell.count}{mark}", "value", "middle"))
                parts.append(_text(cx, y_of(0) + 28, f"{cell.low}–{cell.high}", "tick", "middle"))
            parts.append(_text(cx, y_of(0) + 14, f"{row.monday:%d/%m}", "tick", "middle"))
            parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def phase_chart(
    config: Config,
    months: list[tuple[int, int]],
    spans: list[PhaseSpan],
    colours: dict[str, Swatch],
) -> str:
    """A Gantt of journey phases: one row per audience × phase, one column per month. A
    phase in focus is a bold coloured block, an open phase a dashed one, each with its word
    and its number of journey posts (colour is never the only cue); a phase not open yet
    is empty, and red dashes if it has posts anyway."""
    row, top = 24, 24
    labels = [
        f"{config.audiences[s.audience].short} · {config.phase_label(s.phase)}" for s in spans
    ]
    left = 12 + CHAR * max((len(label) for label in labels), default=10)
    column = max(150.0, min(200.0, 900 / max(len(months), 1)))
    width = left + column * len(months) + 4
    height = top + row * len(spans) + 6
    parts = [_open("phases", width, height, "Phases du parcours par audience et par mois")]
    for m, (year, month) in enumerate(months):
        x = left + column * m
        parts.append(_text(x + column / 2, 14, month_title(year, month), "tick", "middle"))
        parts.append(_line(x, 18, x, height - 4, "axis"))
    for n, (span, label) in enumerate(zip(spans, labels, strict=True)):
        y = top + n * row
        colour = colours.get(span.audience, UNKNOWN)
        parts.append(_text(0, y + 16, label, "label"))
        for m, cell in enumerate(span.cells):
            x = left + column * m + 3
            parts.append(
                f'<g class="phase" data-audience="{esc(span.audience)}" '
                f'data-phase="{esc(span.phase)}" data-month="{date(*months[m], 1):%Y-%m}" '
                f'data-state="{cell.state}" data-count="{cell.count}">'
            )
            if cell.state != "closed" or cell.count:
                fill, extra = {
                    "focus": (colour.tint, f' stroke="{colour.solid}" stroke-width="3"'),
                    "open": ("#FFFFFF", f' stroke="{colour.solid}" stroke-dasharray="5 3"'),
                    "closed": ("#FFFFFF", f' stroke="{ALERT}" stroke-dasharray="2 2"'),
                }[cell.state]
                parts.append(_rect(x, y + 2, column - 6, row - 5, fill, extra + ' rx="3"'))
                text = f"{PHASE_STATES[cell.state]} · {plural(cell.count, 'post')}"
                parts.append(
                    _text(x + (column - 6) / 2, y + 15, text, f"value {cell.state}", "middle")
                )
            parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
