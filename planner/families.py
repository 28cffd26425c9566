"""The rule families, each with the one human name that the solver, the checker, the report,
the `why` column and every error message use.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class F(StrEnum):
    """Rule family keys; hard rules first, then preferences."""

    PUBLISHING_DAYS = "publishing_days"
    VALID_TIMES = "valid_times"
    DAILY_CAP = "daily_cap"
    WEEKLY_BAND = "weekly_band"
    AUDIENCE_MIX = "audience_mix"
    ELIGIBILITY = "eligibility"
    PHASE_WINDOW = "phase_window"
    PHASE_FOCUS = "phase_focus"
    PHASE_MIX = "phase_mix"
    MESSAGE_ROTATION = "message_rotation"
    CONTROL_POINTS = "control_points"
    COMMUNITY_CONTENT = "community_content"
    LIVES_PER_MONTH = "lives_per_month"
    LIVE_WINDOW = "live_window"
    LIVE_SPACING = "live_spacing"
    LIVE_ROTATION = "live_rotation"
    LIVE_PREPARATION = "live_preparation"
    LIVE_SEQUENCE = "live_sequence"
    RITUALS = "rituals"
    CAMPAIGNS = "campaigns"
    CONFIDENTIALITY = "confidentiality"
    UNIQUE_IDS = "unique_ids"
    BEST_SLOT = "best_slot"
    WEEKLY_TARGET = "weekly_target"
    TYPE_TARGETS = "type_targets"
    DAY_RHYTHM = "day_rhythm"
    MIX_CLOSENESS = "mix_closeness"
    OPEN_PHASES = "open_phases"
    LIVE_VARIETY = "live_variety"
    LIVE_SPREAD = "live_spread"
    OPTIONAL_STEPS = "optional_steps"
    STABILITY = "stability"


@dataclass(frozen=True)
class Family:
    key: F
    name: str
    hard: bool
    where: str
    """Config location, with {channel} / {audience} placeholders."""


FAMILIES: dict[F, Family] = {
    f.key: f
    for f in (
        Family(
            F.PUBLISHING_DAYS,
            "Jours de publication",
            True,
            "channels.{channel}.days, calendar.holidays, calendar.blackouts",
        ),
        Family(F.VALID_TIMES, "Heures candidates", True, "channels.{channel}.times"),
        Family(F.DAILY_CAP, "Plafond par jour", True, "channels.{channel}.per_day_max"),
        Family(F.WEEKLY_BAND, "Volume hebdomadaire", True, "channels.{channel}.per_week"),
        Family(F.AUDIENCE_MIX, "Mix d'audience mensuel", True, "mix.{channel}"),
        Family(F.ELIGIBILITY, "Éligibilité des audiences", True, "audiences.{audience}.eligible"),
        Family(F.PHASE_WINDOW, "Phases ouvertes du parcours", True, "journeys.{audience}.stages"),
        Family(
            F.PHASE_FOCUS,
            "Phases au premier plan",
            True,
            "journeys.{audience}.stages[].months, journeys.{audience}.phase_coverage",
        ),
        Family(
            F.PHASE_MIX,
            "Mix de phases",
            True,
            "phase_mix, journeys.{audience}.stages[].less_frequent",
        ),
        Family(
            F.MESSAGE_ROTATION,
            "Rotation des messages",
            True,
            "journeys.{audience}.stages[].messages, journeys.{audience}.stages[].briefs",
        ),
        Family(F.CONTROL_POINTS, "Cinq points de contrôle", True, "journeys.{audience}.stages"),
        Family(
            F.COMMUNITY_CONTENT, "Contenu des posts d'animation", True, "channels.{channel}.types"
        ),
        Family(F.LIVES_PER_MONTH, "Lives par mois", True, "channels.{channel}.lives.per_month"),
        Family(
            F.LIVE_WINDOW,
            "Créneau des lives",
            True,
            "channels.{channel}.lives.days, channels.{channel}.lives.window",
        ),
        Family(
            F.LIVE_SPACING, "Espacement des lives", True, "channels.{channel}.lives.min_gap_days"
        ),
        Family(
            F.LIVE_ROTATION,
            "Rotation des formats de live",
            True,
            "channels.{channel}.lives.no_repeat_format",
        ),
        Family(
            F.LIVE_PREPARATION,
            "Préparation des lives",
            True,
            "channels.{channel}.lives.preparation",
        ),
        Family(F.LIVE_SEQUENCE, "Séquence des lives", True, "channels.{channel}.lives.sequence"),
        Family(F.RITUALS, "Rituels de la communauté", True, "channels.{channel}.rituals"),
        Family(F.CAMPAIGNS, "Campagnes datées", True, "campaigns"),
        Family(F.CONFIDENTIALITY, "Confidentialité", True, "confidential.patterns"),
        Family(F.UNIQUE_IDS, "Identifiants uniques", True, "plan.csv"),
        Family(
            F.BEST_SLOT,
            "Meilleur jour et heure",
            False,
            "audiences.{audience}.best_days, audiences.{audience}.best_hours, "
            "journeys.{audience}.stages[].timing_days, calendar.key_moments",
        ),
        Family(F.WEEKLY_TARGET, "Cible hebdomadaire", False, "channels.{channel}.per_week.target"),
        Family(
            F.TYPE_TARGETS,
            "Objectifs hebdomadaires par type",
            False,
            "channels.{channel}.types[].per_week",
        ),
        Family(F.DAY_RHYTHM, "Rythme de la semaine", False, "channels.{channel}.types[].days"),
        Family(F.MIX_CLOSENESS, "Proximité du mix", False, "mix.{channel}"),
        Family(F.OPEN_PHASES, "Phases ouvertes représentées", False, "journeys.{audience}"),
        Family(
            F.LIVE_VARIETY,
            "Variété des formats de live",
            False,
            "channels.{channel}.lives.variety_gap_days",
        ),
        Family(
            F.LIVE_SPREAD,
            "Écart confortable entre lives",
            False,
            "channels.{channel}.lives.comfortable_gap_days",
        ),
        Family(
            F.OPTIONAL_STEPS,
            "Étapes facultatives",
            False,
            "channels.{channel}.lives.sequence, channels.{channel}.rituals, campaigns",
        ),
        Family(F.STABILITY, "Stabilité du plan", False, "plan précédent"),
    )
}


def name(key: F) -> str:
    return FAMILIES[key].name
