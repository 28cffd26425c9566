"""References between config sections: an audience named in the mix exists, and so on.

Run once at load; each finding carries the field path so the message can name file and line.
"""

from __future__ import annotations

from planner.config.model import OTHERS, Config

Finding = tuple[tuple[str | int, ...], str]


def crosscheck(cfg: Config) -> list[Finding]:
    return [
        *_phases(cfg),
        *_channels(cfg),
        *_mix(cfg),
        *_journeys(cfg),
        *_audiences(cfg),
        *_blackouts(cfg),
        *_phase_mix(cfg),
        *_key_moments(cfg),
        *_sequences(cfg),
        *_rituals(cfg),
        *_campaigns(cfg),
    ]


def _phases(cfg: Config) -> list[Finding]:
    keys = [p.key for p in cfg.phases]
    return [
        (("phases", i, "key"), f"phase « {key} » en double")
        for i, key in enumerate(keys)
        if key in keys[:i]
    ]


def _channels(cfg: Config) -> list[Finding]:
    found: list[Finding] = []
    phases = {p.key for p in cfg.phases}
    for key, channel in cfg.channels.items():
        if channel.planning == "types":
            if channel.audience not in cfg.audiences:
                found.append(
                    (("channels", key, "audience"), _unknown_audience(cfg, channel.audience))
                )
            if channel.phase not in phases:
                found.append((("channels", key, "phase"), _unknown_phase(cfg, channel.phase)))
        elif key not in cfg.mix:
            found.append(
                (
                    ("channels", key, "planning"),
                    f"le canal « {key} » est planifié par audiences mais n'a pas de mix "
                    f"(ajoutez mix.{key})",
                )
            )
    return found


def _mix(cfg: Config) -> list[Finding]:
    found: list[Finding] = []
    for key, mix in cfg.mix.items():
        channel = cfg.channels.get(key)
        if channel is None:
            found.append(
                (("mix", key), f"canal inconnu « {key} » ; canaux : {', '.join(cfg.channels)}")
            )
            continue
        if channel.planning != "audiences":
            found.append((("mix", key), f"le canal « {key} » est planifié par types : pas de mix"))
        for i, audience in enumerate(mix.others):
            if audience not in cfg.audiences:
                found.append((("mix", key, "others", i), _unknown_audience(cfg, audience)))
        for r, row in enumerate(mix.rows):
            for audience in row.shares:
                if audience == OTHERS:
                    continue
                path = ("mix", key, "rows", r, "shares", audience)
                if audience not in cfg.audiences:
                    found.append((path, _unknown_audience(cfg, audience)))
                elif audience in mix.others:
                    found.append((path, f"« {audience} » est déjà dans « others »"))
                elif audience not in cfg.journeys:
                    found.append(
                        (path, f"l'audience « {audience} » n'a pas de parcours (journeys)")
                    )
        for audience in mix.others:
            if audience in cfg.audiences and audience not in cfg.journeys:
                found.append(
                    (
                        ("mix", key, "others"),
                        f"l'audience « {audience} » n'a pas de parcours (journeys)",
                    )
                )
    return found


def _journeys(cfg: Config) -> list[Finding]:
    found: list[Finding] = []
    order = [p.key for p in cfg.phases]
    for audience, journey in cfg.journeys.items():
        if audience not in cfg.audiences:
            found.append((("journeys", audience), _unknown_audience(cfg, audience)))
        seen: list[str] = []
        for s, stage in enumerate(journey.stages):
            path = ("journeys", audience, "stages", s, "phase")
            if stage.phase not in order:
                found.append((path, _unknown_phase(cfg, stage.phase)))
                continue
            if stage.phase in seen:
                found.append((path, f"la phase « {stage.phase} » apparaît deux fois"))
            elif seen and order.index(stage.phase) < order.index(seen[-1]):
                found.append(
                    (
                        path,
                        f"la phase « {stage.phase} » doit venir avant « {seen[-1]} » "
                        f"(ordre : {', '.join(order)})",
                    )
                )
            seen.append(stage.phase)
    return found


def _audiences(cfg: Config) -> list[Finding]:
    return [
        (
            ("audiences", key, "eligible", "metric"),
            f"métrique inconnue « {a.eligible.metric} » ; ajoutez-la dans metrics",
        )
        for key, a in cfg.audiences.items()
        if a.eligible.metric is not None and a.eligible.metric not in cfg.metrics
    ]


def _blackouts(cfg: Config) -> list[Finding]:
    return [
        (
            ("calendar", "blackouts", i, "channels", j),
            f"canal inconnu « {ch} » ; canaux : {', '.join(cfg.channels)}",
        )
        for i, blackout in enumerate(cfg.calendar.blackouts)
        for j, ch in enumerate(blackout.channels or [])
        if ch not in cfg.channels
    ]


def _phase_mix(cfg: Config) -> list[Finding]:
    phases = {p.key for p in cfg.phases}
    found: list[Finding] = []
    mixes: list[tuple[tuple[str | int, ...], dict[str, int]]] = []
    if cfg.phase_mix is not None:
        mixes.append((("phase_mix", "shares"), cfg.phase_mix.shares))
    for audience, journey in cfg.journeys.items():
        if journey.phase_mix is not None:
            mixes.append((("journeys", audience, "phase_mix"), journey.phase_mix))
    for path, shares in mixes:
        found += [((*path, k), _unknown_phase(cfg, k)) for k in shares if k not in phases]
        if not sum(shares.values()):
            found.append((path, "toutes les parts sont à 0 % : donnez au moins une part"))
    return found


def _key_moments(cfg: Config) -> list[Finding]:
    found: list[Finding] = []
    for i, moment in enumerate(cfg.calendar.key_moments):
        path = ("calendar", "key_moments", i)
        found += [
            ((*path, "audiences"), _unknown_audience(cfg, a))
            for a in moment.audiences or []
            if a not in cfg.audiences
        ]
        found += [
            ((*path, "channels"), _unknown_channel(cfg, c))
            for c in moment.channels or []
            if c not in cfg.channels
        ]
    return found


def _post_target(
    cfg: Config,
    path: tuple[str | int, ...],
    channel_key: str | None,
    audience: str | None,
    phase: str | None,
    counts_as: str | None,
) -> list[Finding]:
    """A step or ritual published on a channel: the channel exists, and what it needs (an
    audience and a phase on a channel planned by audiences, a known type otherwise)."""
    if channel_key is None:
        return [((*path, "channel"), "un post doit nommer son canal (channel)")]
    channel = cfg.channels.get(channel_key)
    if channel is None:
        return [((*path, "channel"), _unknown_channel(cfg, channel_key))]
    found: list[Finding] = []
    if channel.planning == "audiences":
        if audience is None or phase is None:
            found.append(
                (
                    path,
                    f"un post sur « {channel_key} » (par audiences) doit avoir audience et phase",
                )
            )
        if audience is not None and audience not in cfg.audiences:
            found.append(((*path, "audience"), _unknown_audience(cfg, audience)))
        elif audience is not None and audience not in _mix_audiences(cfg, channel_key):
            found.append(
                ((*path, "audience"), f"« {audience} » n'est pas dans le mix de {channel_key}")
            )
        if phase is not None and phase not in {p.key for p in cfg.phases}:
            found.append(((*path, "phase"), _unknown_phase(cfg, phase)))
    elif counts_as is not None and counts_as not in (channel.types or {}):
        types = ", ".join(channel.types or {})
        found.append(((*path, "counts_as"), f"type inconnu « {counts_as} » ; types : {types}"))
    return found


def _mix_audiences(cfg: Config, channel: str) -> set[str]:
    mix = cfg.mix.get(channel)
    if mix is None:
        return set()
    return {a for row in mix.rows for a in row.shares if a != OTHERS} | set(mix.others)


def _sequences(cfg: Config) -> list[Finding]:
    found: list[Finding] = []
    for key, channel in cfg.channels.items():
        if channel.lives is None:
            continue
        for i, step in enumerate(channel.lives.sequence):
            path = ("channels", key, "lives", "sequence", i)
            found += [
                ((*path, "formats"), f"format de live inconnu « {f} »")
                for f in step.formats or []
                if f not in channel.lives.formats
            ]
            if step.kind == "post":
                found += _post_target(
                    cfg, path, step.channel or key, step.audience, step.phase, step.counts_as
                )
    return found


def _rituals(cfg: Config) -> list[Finding]:
    found: list[Finding] = []
    for key, channel in cfg.channels.items():
        for name, ritual in channel.rituals.items():
            if ritual.counts_as is not None and ritual.counts_as not in (channel.types or {}):
                types = ", ".join(channel.types or {})
                found.append(
                    (
                        ("channels", key, "rituals", name, "counts_as"),
                        f"type inconnu « {ritual.counts_as} » ; types : {types}",
                    )
                )
    return found


def _campaigns(cfg: Config) -> list[Finding]:
    found: list[Finding] = []
    keys = [c.key for c in cfg.campaigns]
    for i, campaign in enumerate(cfg.campaigns):
        if campaign.key in keys[:i]:
            found.append((("campaigns", i, "key"), f"campagne « {campaign.key} » en double"))
        for j, step in enumerate(campaign.steps):
            if step.kind == "post":
                found += _post_target(
                    cfg,
                    ("campaigns", i, "steps", j),
                    step.channel,
                    step.audience,
                    step.phase,
                    step.counts_as,
                )
    return found


def _unknown_channel(cfg: Config, key: str | None) -> str:
    return f"canal inconnu « {key} » ; canaux : {', '.join(cfg.channels)}"


def _unknown_audience(cfg: Config, key: str | None) -> str:
    return f"audience inconnue « {key} » ; audiences : {', '.join(cfg.audiences)}"


def _unknown_phase(cfg: Config, key: str | None) -> str:
    return f"phase inconnue « {key} » ; phases : {', '.join(p.key for p in cfg.phases)}"
