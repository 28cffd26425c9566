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


def _unknown_audience(cfg: Config, key: str | None) -> str:
    return f"audience inconnue « {key} » ; audiences : {', '.join(cfg.audiences)}"


def _unknown_phase(cfg: Config, key: str | None) -> str:
    return f"phase inconnue « {key} » ; phases : {', '.join(p.key for p in cfg.phases)}"
