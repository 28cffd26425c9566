"""Static warnings: conflicts visible in the rules themselves, before any solving.

They do not stop planning (a preference may simply lose), but a marketer should know, in
their own terms and with the numbers, where their rules pull against each other.
"""

from __future__ import annotations

from datetime import date, timedelta

from planner.calendar import Calendar, month_title
from planner.config.loading import LoadedConfig
from planner.families import F, name
from planner.rules import eligible, mix_target, open_stages
from planner.solver.options import live_start_times
from planner.weekdays import days_phrase


def static_warnings(loaded: LoadedConfig, calendar: Calendar) -> list[str]:
    return [
        *_type_targets(loaded),
        *_mix_eligibility(loaded, calendar),
        *_best_days(loaded),
        *_lives(loaded),
        *_week_capacity(loaded, calendar),
        *_programme(loaded, calendar),
    ]


def _type_targets(loaded: LoadedConfig) -> list[str]:
    found: list[str] = []
    for key, channel in loaded.config.channels.items():
        if not channel.types:
            continue
        wanted = sum(t.per_week for t in channel.types.values())
        if wanted > channel.per_week.max:
            detail = " + ".join(f"{t.per_week} {t.label}" for t in channel.types.values())
            found.append(
                f"{name(F.TYPE_TARGETS)} de {channel.label} : {detail} = {wanted} posts par "
                f"semaine, mais le {name(F.WEEKLY_BAND).lower()} est de {channel.per_week.min}–"
                f"{channel.per_week.max} : au moins {wanted - channel.per_week.max} objectif(s) "
                f"manqué(s) chaque semaine [{loaded.locate(('channels', key, 'types'))} ; "
                f"{loaded.locate(('channels', key, 'per_week'))}]"
            )
    return found


def _mix_eligibility(loaded: LoadedConfig, calendar: Calendar) -> list[str]:
    config = loaded.config
    found: list[str] = []
    for key in config.mix:
        for year, month in calendar.horizon.months():
            campaign = calendar.campaign_month(date(year, month, 1))
            target = mix_target(config, key, campaign)
            for audience, share in target.written.items():
                if audience not in config.audiences or share == 0:
                    continue
                if not eligible(config, audience, campaign):
                    reason = "pas encore éligible"
                elif not open_stages(config, audience, campaign):
                    reason = "aucune phase de parcours ouverte"
                else:
                    continue
                found.append(
                    f"{name(F.AUDIENCE_MIX)} : {config.audiences[audience].short} a {share} % en "
                    f"{month_title(year, month)} mais {reason} (mois {campaign}) : sa part est "
                    f"redistribuée [{loaded.locate(('mix', key, 'rows'))}]"
                )
    return found


def _best_days(loaded: LoadedConfig) -> list[str]:
    config = loaded.config
    found: list[str] = []
    for key, mix in config.mix.items():
        channel = config.channels[key]
        audiences = {a for row in mix.rows for a in row.shares} | set(mix.others)
        for audience in sorted(audiences & set(config.audiences)):
            spec = config.audiences[audience]
            outside = [d for d in spec.best_days if d not in channel.days]
            if outside:
                found.append(
                    f"{name(F.BEST_SLOT)} : {spec.short} préfère le {days_phrase(outside)}, "
                    f"jour où {channel.label} ne publie pas "
                    f"[{loaded.locate(('audiences', audience, 'best_days'))}]"
                )
            window = spec.best_hours
            if window is not None and not any(window.holds(t) for t in channel.times):
                found.append(
                    f"{name(F.BEST_SLOT)} : aucune heure candidate de {channel.label} entre "
                    f"{window.start:%H:%M} et {window.end:%H:%M} ({spec.short}) "
                    f"[{loaded.locate(('channels', key, 'times'))}]"
                )
    return found


def _lives(loaded: LoadedConfig) -> list[str]:
    found: list[str] = []
    for key, channel in loaded.config.channels.items():
        lives = channel.lives
        if lives is None:
            continue
        outside = [d for d in lives.days if d not in channel.days]
        if outside:
            where = loaded.locate(("channels", key, "lives", "days"))
            found.append(
                f"{name(F.LIVE_WINDOW)} : lives possibles le {days_phrase(outside)}, jour où "
                f"{channel.label} ne publie pas [{where}]"
            )
        for fmt, spec in lives.formats.items():
            if not live_start_times(lives, spec.duration_minutes):
                found.append(
                    f"{name(F.LIVE_WINDOW)} : un live « {spec.label} » ({spec.duration_minutes} "
                    f"min) ne tient jamais dans la plage {lives.window.start:%H:%M}–"
                    f"{lives.window.end:%H:%M} "
                    f"[{loaded.locate(('channels', key, 'lives', 'formats', fmt))}]"
                )
    return found


def _week_capacity(loaded: LoadedConfig, calendar: Calendar) -> list[str]:
    found: list[str] = []
    for key, channel in loaded.config.channels.items():
        for monday in calendar.horizon.weeks():
            band = calendar.band(key, monday)
            room = len(band.open) * channel.per_day_max
            if band.applies and band.low > room:
                closed = calendar.closed_days(key, [d for d in band.covered if d not in band.open])
                found.append(
                    f"{name(F.WEEKLY_BAND)} de {channel.label} : au moins {band.low} posts la "
                    f"semaine du {monday:%d/%m/%Y} pour {len(band.open)} jour(s) ouvert(s) "
                    f"({closed or 'jours du canal'}) "
                    f"[{loaded.locate(('channels', key, 'per_week'))}]"
                )
    return found


def _programme(loaded: LoadedConfig, calendar: Calendar) -> list[str]:
    """Months where the programme (type targets, rituals, live steps, campaign steps) asks
    a channel for more posts than its weekly bands allow."""
    config = loaded.config
    found: list[str] = []
    for key, channel in config.channels.items():
        for year, month in calendar.horizon.months():
            days = [d for d in calendar.horizon.days() if (d.year, d.month) == (year, month)]
            mondays = sorted({d - timedelta(d.weekday()) for d in days})
            supply = sum(calendar.band(key, m).high for m in mondays)
            parts: list[tuple[str, int]] = []
            targets = sum(
                calendar.type_target(key, m, t.per_week)
                for m in mondays
                for t in (channel.types or {}).values()
            )
            if targets:
                parts.append(("objectifs par type", targets))
            rituals = [
                r
                for r in channel.rituals.values()
                if r.kind == "post" and not r.counts_as and (r.months is None or month in r.months)
            ]
            if rituals:
                parts.append(("rituels", len(rituals)))
            steps = 0
            for owner_key, owner in config.channels.items():
                if owner.lives is None:
                    continue
                lives = calendar.lives_wanted(owner_key, year, month)
                steps += sum(
                    lives
                    for s in owner.lives.sequence
                    if s.kind == "post" and (s.channel or owner_key) == key and not s.counts_as
                    and (s.formats is None or channel.planning == "types")
                )  # fmt: skip
            if steps:
                parts.append(("étapes de live", steps))
            campaigns = sum(
                s.count
                for c in config.campaigns
                for s in c.steps
                if s.kind == "post" and s.channel == key and not s.counts_as
                and any(
                    (d.year, d.month) == (year, month)
                    for d in (c.anchor + timedelta(n) for n in s.days.span())
                )
            )  # fmt: skip
            if campaigns:
                parts.append(("étapes de campagne", campaigns))
            wanted = sum(n for _, n in parts)
            if parts and wanted > supply and (targets == 0 or len(parts) > 1):
                detail = " + ".join(f"{n} {what}" for what, n in parts)
                found.append(
                    f"Programme de {channel.label} en {month_title(year, month)} : {detail} = "
                    f"{wanted} posts demandés, pour au plus {supply} permis par le "
                    f"{name(F.WEEKLY_BAND).lower()} : les préférences les moins coûteuses "
                    f"céderont [{loaded.locate(('channels', key, 'per_week'))}]"
                )
    return found
