"""Rules that cannot apply, said out loud: never a silent exemption.

A share given to an audience that is not targetable yet goes to the others; a month whose
live days are all blocked gets no live; a ritual or campaign window with no open day gets
nothing. Each is printed on screen, in `planner check` and in the report.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from planner.calendar import Calendar, month_days, month_title, window_days
from planner.families import F, name
from planner.rules import mix_target
from planner.weekdays import days_phrase


def notices(calendar: Calendar, look_back: datetime | None = None) -> list[str]:
    found: list[str] = []
    if look_back is not None:
        found.append(
            f"Période déjà passée au {look_back:%d/%m/%Y} : elle est planifiée en entier, "
            "comme un plan rétrospectif."
        )
    return found + _moved_shares(calendar) + _closed_lives(calendar) + _closed_windows(calendar)


def _covered_months(calendar: Calendar) -> list[tuple[int, int]]:
    return [
        (y, m)
        for y, m in calendar.horizon.months()
        if any(calendar.covered(d) for d in month_days(y, m))
    ]


def _moved_shares(calendar: Calendar) -> list[str]:
    config = calendar.config
    found: list[str] = []
    for key, channel in config.channels.items():
        if channel.planning != "audiences":
            continue
        for year, month in _covered_months(calendar):
            campaign = calendar.campaign_month(month_days(year, month)[0])
            for note in mix_target(config, key, campaign).moved:
                found.append(
                    f"{name(F.AUDIENCE_MIX)} de {channel.label}, {month_title(year, month)} : "
                    f"{note}"
                )
    return found


def _closed_lives(calendar: Calendar) -> list[str]:
    found: list[str] = []
    for key, channel in calendar.config.channels.items():
        lives = channel.lives
        if lives is None:
            continue
        if set(lives.days) & set(channel.days):
            why = "jours fériés ou bloqués"
        else:
            why = f"{days_phrase(lives.days)} : {channel.label} n'y publie pas"
        for year, month in _covered_months(calendar):
            if calendar.live_month_closed(key, year, month):
                found.append(
                    f"{name(F.LIVES_PER_MONTH)} : aucun jour de live ouvert en "
                    f"{month_title(year, month)} sur {channel.label} ({why}) "
                    f": pas de live ce mois-là au lieu de {lives.per_month}."
                )
    return found


def _closed_windows(calendar: Calendar) -> list[str]:
    config = calendar.config
    found: list[str] = []
    for key, channel in config.channels.items():
        for ritual in channel.rituals.values():
            if not ritual.required:
                continue
            for year, month in _covered_months(calendar):
                if ritual.months is not None and month not in ritual.months:
                    continue
                window = [d for d in window_days(ritual.days, year, month) if calendar.covered(d)]
                usable = calendar.is_working_day if ritual.kind == "task" else calendar.is_open
                if window and not any(usable(key, d) for d in window):
                    found.append(
                        f"{name(F.RITUALS)} : « {ritual.label} » impossible en "
                        f"{month_title(year, month)} (aucun jour ouvert du {window[0]:%d/%m} "
                        f"au {window[-1]:%d/%m})."
                    )
    for campaign in config.campaigns:
        for step in campaign.steps:
            if not step.required:
                continue
            channel_key = config.task_channel(campaign, step)
            whole = [campaign.anchor + timedelta(n) for n in step.days.span()]
            window = [d for d in whole if calendar.horizon.contains(d) and calendar.covered(d)]
            usable = calendar.is_working_day if step.kind == "task" else calendar.is_open
            later = bool(window) and any(d > window[-1] for d in whole)
            if window and not later and not any(usable(channel_key, d) for d in window):
                found.append(
                    f"{name(F.CAMPAIGNS)} : « {step.label} » ({campaign.name}) impossible, "
                    f"aucun jour ouvert du {window[0]:%d/%m/%Y} au {window[-1]:%d/%m/%Y}."
                )
    return found
