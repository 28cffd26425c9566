"""What the config means for one campaign month: who is eligible, which phases are active,
which audience shares apply once "others" and ineligible shares are redistributed.

Shared by the solver, the solver-free checker and the report, and pinned by tests with
hand-computed values, so a misreading here cannot hide behind agreement between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.config.model import OTHERS, Audience, Config, Stage

BASIS = 10_000
"""Mix shares are handled in hundredths of a percent, summing to exactly BASIS."""


def metric_holds(config: Config, audience: Audience) -> bool:
    rule = audience.eligible
    if rule.metric is None or rule.above is None:
        return True
    return config.metrics.get(rule.metric, 0.0) > rule.above


def eligible(config: Config, audience: str, month: int) -> bool:
    """Eligible by its own rule (entry month, metric), regardless of journey phases."""
    spec = config.audiences[audience]
    return month >= spec.eligible.from_month and metric_holds(config, spec)


def active_stages(config: Config, audience: str, month: int) -> list[Stage]:
    journey = config.journeys.get(audience)
    if journey is None:
        return []
    return [s for s in journey.stages if s.months.holds(month)]


def present(config: Config, audience: str, month: int) -> bool:
    """Can be addressed this month: eligible and with at least one active phase."""
    return eligible(config, audience, month) and bool(active_stages(config, audience, month))


def stage_of(config: Config, audience: str, phase: str) -> Stage | None:
    journey = config.journeys.get(audience)
    if journey is None:
        return None
    return next((s for s in journey.stages if s.phase == phase), None)


@dataclass(frozen=True)
class MixTarget:
    """Effective audience shares of one editorial channel in one campaign month."""

    channel: str
    month: int
    row_label: str
    carried_over: bool
    written: dict[str, int]
    shares: dict[str, int]
    notes: list[str] = field(default_factory=list)

    def percent(self, audience: str) -> float:
        return self.shares.get(audience, 0) * 100 / BASIS


def channel_audiences(config: Config, channel: str) -> list[str]:
    mix = config.mix[channel]
    found: list[str] = []
    for row in mix.rows:
        found += [a for a in row.shares if a != OTHERS and a not in found]
    return found + [a for a in mix.others if a not in found]


def mix_target(config: Config, channel: str, month: int) -> MixTarget:
    mix = config.mix[channel]
    row, carried = mix.row_for(month)
    label = row.label or ", ".join(map(str, row.months))
    notes: list[str] = []
    if carried:
        notes.append(f"mois {month} au-delà du tableau : la ligne « {label} » est reprise")
    raw: dict[str, float] = {}
    pool = 0
    for audience, share in row.shares.items():
        if audience == OTHERS:
            continue
        if present(config, audience, month):
            raw[audience] = share
        elif share > 0:
            pool += share
            notes.append(
                f"{config.audiences[audience].short} pas encore ciblable ce mois-ci : "
                f"ses {share} % sont redistribués"
            )
    others_share = row.shares.get(OTHERS, 0)
    others = [a for a in mix.others if present(config, a, month)]
    if others:
        for audience in others:
            raw[audience] = raw.get(audience, 0) + others_share / len(others)
        if others_share:
            names = ", ".join(config.audiences[a].short for a in others)
            notes.append(f"part « autres » ({others_share} %) répartie à parts égales : {names}")
    elif others_share > 0:
        pool += others_share
        notes.append(
            f"part « autres » ({others_share} %) redistribuée : aucune audience "
            f"éligible parmi {', '.join(mix.others) or 'les autres'}"
        )
    positive = {a: v for a, v in raw.items() if v > 0}
    if pool and positive:
        total = sum(positive.values())
        raw = {a: v + pool * v / total if a in positive else v for a, v in raw.items()}
    elif pool and raw:
        raw = {a: pool / len(raw) for a in raw}
    return MixTarget(channel, month, label, carried, dict(row.shares), _to_basis(raw), notes)


def _to_basis(raw: dict[str, float]) -> dict[str, int]:
    """Percent floats to integer hundredths of a percent summing to BASIS (largest remainder)."""
    if not raw:
        return {}
    total = sum(raw.values())
    if total <= 0:
        return {a: 0 for a in raw}
    exact = {a: v * BASIS / total for a, v in raw.items()}
    shares = {a: int(v) for a, v in exact.items()}
    rest = BASIS - sum(shares.values())
    for audience in sorted(exact, key=lambda a: (shares[a] - exact[a], a))[:rest]:
        shares[audience] += 1
    return shares


def count_bounds(share: int, total: int) -> tuple[int, int]:
    """floor and ceil of share × total, share in BASIS units."""
    low = share * total // BASIS
    high = -(-share * total // BASIS)
    return low, high
