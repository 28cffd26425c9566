"""A synthetic agency-scale configuration: 8 channels, 10 audiences, 15-minute times
(`scale=2`: 16 channels, 20 audiences).

It is written as YAML and read back through `load_config`, so it is validated exactly like
a user's `inputs/`. Everything is derived arithmetically (no randomness): the same config
on every run and every machine. The shape mimics a real agency: five editorial channels
with their own monthly mixes over overlapping audiences (two of them with 2 posts a day),
three community channels, two of which run lives, and two audiences whose journey phases
must be covered every month across the channels that reach them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

PHASES = ["awareness", "consideration", "decision", "retention", "advocacy"]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

AUDIENCES: list[tuple[str, str, list[int], tuple[str, str] | None, int]] = [
    # key, label, best weekdays (0 = Monday), best hours, first campaign month
    ("dirigeants", "Dirigeants de PME", [1, 3], ("08:00", "09:30"), 1),
    ("rh", "Responsables RH", [1, 2], ("10:00", "11:30"), 1),
    ("formateurs", "Formateurs indépendants", [5], ("09:00", "11:00"), 1),
    ("consultants", "Consultants", [0, 3], ("12:00", "13:30"), 1),
    ("etudiants", "Étudiants en alternance", [2, 6], ("18:00", "20:00"), 2),
    ("partenaires", "Partenaires revendeurs", [2], ("10:00", "12:00"), 3),
    ("journalistes", "Journalistes spécialisés", [0], ("07:30", "09:00"), 4),
    ("investisseurs", "Investisseurs", [3], ("16:00", "18:00"), 6),
    ("institutions", "Institutions publiques", [1], ("10:00", "12:00"), 5),
    ("clients", "Clients de l'agence", [4], ("14:00", "16:00"), 1),
]

EDITORIAL: list[tuple[str, str, list[int], tuple[int, int, int], int, list[str]]] = [
    # key, label, weekdays, (min, max, target) per week, per day, audiences in the mix
    (
        "linkedin",
        "LinkedIn",
        [0, 1, 2, 3, 4, 5],
        (3, 5, 4),
        1,
        ["dirigeants", "rh", "consultants", "partenaires", "investisseurs", "institutions"],
    ),
    (
        "instagram",
        "Instagram",
        [0, 1, 2, 3, 4, 5, 6],
        (6, 10, 8),
        2,
        ["formateurs", "etudiants", "consultants", "clients"],
    ),
    (
        "facebook",
        "Facebook",
        [0, 1, 2, 3, 4],
        (2, 4, 3),
        1,
        ["dirigeants", "formateurs", "etudiants", "clients", "journalistes"],
    ),
    (
        "youtube",
        "YouTube",
        [1, 3, 5],
        (1, 2, 2),
        1,
        ["formateurs", "etudiants", "rh", "journalistes"],
    ),
    (
        "x",
        "X",
        [0, 1, 2, 3, 4, 5, 6],
        (5, 12, 7),
        2,
        ["journalistes", "institutions", "investisseurs", "partenaires", "dirigeants"],
    ),
]

COMMUNITY: list[tuple[str, str, str, list[int], tuple[int, int], bool]] = [
    # key, label, audience, weekdays, (min, max) per week, runs lives
    ("skool", "Skool — communauté clients", "clients", [0, 1, 2, 3, 4], (3, 4), True),
    ("discord", "Discord — alternants", "etudiants", [0, 1, 2, 3, 4, 5, 6], (4, 6), True),
    ("whatsapp", "WhatsApp — partenaires", "partenaires", [0, 2, 4], (2, 3), False),
]

REQUIRED_COVERAGE = {"dirigeants", "formateurs"}
"""Audiences whose every active phase needs a post each month, across their channels."""

OTHERS = ("institutions", "investisseurs")
"""Audiences grouped as « others » in every mix."""

SHOW_CHANNELS = ("linkedin", "x")
"""Channels closed during the trade-show week."""


def quarter_hours(first: str, last: str) -> list[str]:
    """Candidate times every 15 minutes from `first` to `last` included."""
    start = int(first[:2]) * 60 + int(first[3:])
    end = int(last[:2]) * 60 + int(last[3:])
    return [f"{m // 60:02d}:{m % 60:02d}" for m in range(start, end + 1, 15)]


def _journey(index: int, key: str, start: int, copy: int) -> dict[str, Any]:
    """Phases that start at the audience's entry month and overlap by one month."""
    name = copy_key(key, copy)
    stages = []
    month = start
    for p, phase in enumerate(PHASES):
        length = 2 + (index + p) % 3
        last = month + length - 1
        stage: dict[str, Any] = {
            "phase": phase,
            "months": {"from": month} if p == len(PHASES) - 1 else {"from": month, "to": last},
            "goal": f"Objectif {phase} pour {name}",
            "tone": "Clair, concret",
            "formats": [
                {"label": f"Format {phase} A", "type": f"{phase[:4]}_a"},
                {"label": f"Format {phase} B", "type": f"{phase[:4]}_b"},
            ],
            "messages": [f"{name} · {phase} · message {n}" for n in range(1, 16)],
        }
        stages.append(stage)
        month = last
    journey: dict[str, Any] = {"stages": stages}
    if key in REQUIRED_COVERAGE:
        journey["phase_coverage"] = "required"
    return journey


def _mix(audiences: list[str], offset: int, copy: int) -> dict[str, Any]:
    """Shares drift from the first audiences towards the others over the first six months."""
    rows = []
    for month in range(1, 7):
        weights = [max(1, 10 - 3 * abs(i - (month + offset) // 2)) for i in range(len(audiences))]
        total = sum(weights)
        shares = [w * 95 // total for w in weights]
        shares[0] += 95 - sum(shares)
        row = dict(zip(audiences, shares, strict=True))
        row["others"] = 5
        rows.append({"months": [month], "label": f"M{month}", "shares": row})
    return {"others": [copy_key(a, copy) for a in OTHERS], "rows": rows}


def _type(name: str, per_week: int, day: int) -> dict[str, Any]:
    return {
        "label": name.capitalize(),
        "per_week": per_week,
        "days": [WEEKDAYS[day]],
        "format": f"Post {name}",
        "template": f"**{name}**\n\n[texte à compléter]\n",
        "messages": [f"{name} · sujet {n}" for n in range(1, 16)],
    }


def _lives(offset: int) -> dict[str, Any]:
    return {
        "per_month": 2,
        "days": ["mardi", "mercredi", "jeudi"],
        "window": {
            "start": "12:00" if offset == 0 else "18:00",
            "end": "14:00" if offset == 0 else "20:30",
        },
        "start_every_minutes": 15,
        "min_gap_days": 7,
        "comfortable_gap_days": 14,
        "no_repeat_format": True,
        "reminder_minutes": 60,
        "preparation": {"label": "Préparation du live", "time": "15:00", "duration_minutes": 30},
        "formats": {
            name: {
                "label": name.capitalize(),
                "duration_minutes": minutes,
                "description": f"Live {name}",
                "messages": [f"Live {name} · thème {n}" for n in range(1, 3)],
            }
            for name, minutes in (("qa", 45), ("masterclass", 60), ("atelier", 90), ("ama", 30))
        },
    }


def copy_key(key: str, copy: int) -> str:
    """The key of an audience or channel in copy `copy` (1 keeps the original key)."""
    return key if copy == 1 else f"{key}_{copy}"


def _audiences(copy: int) -> dict[str, Any]:
    suffix = "" if copy == 1 else f" {copy}"
    return {
        copy_key(key, copy): {
            "label": label + suffix,
            "short": key[:2].upper() + suffix.strip(),
            "best_days": [WEEKDAYS[d] for d in days],
            **({"best_hours": {"start": hours[0], "end": hours[1]}} if hours else {}),
            "eligible": {"from_month": start},
        }
        for key, label, days, hours, start in AUDIENCES
    }


def _journeys(copy: int) -> dict[str, Any]:
    return {
        copy_key(key, copy): _journey(i, key, start, copy)
        for i, (key, *_, start) in enumerate(AUDIENCES)
    }


def _editorial(copy: int, grid: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The editorial channels of one copy, and their mixes over that copy's audiences."""
    suffix = "" if copy == 1 else f" {copy}"
    channels: dict[str, Any] = {}
    mixes: dict[str, Any] = {}
    for n, (key, label, days, (low, high, target), per_day, mixed) in enumerate(EDITORIAL):
        channels[copy_key(key, copy)] = {
            "label": label + suffix,
            "planning": "audiences",
            "days": [WEEKDAYS[d] for d in days],
            "per_week": {"min": low, "max": high, "target": target},
            "per_day_max": per_day,
            "times": grid,
            "duration_minutes": 30,
        }
        audiences = [a for a in mixed if a not in OTHERS]
        mixes[copy_key(key, copy)] = _mix([copy_key(a, copy) for a in audiences], n, copy)
    return channels, mixes


def _community(copy: int, grid: list[str]) -> dict[str, Any]:
    suffix = "" if copy == 1 else f" {copy}"
    types = [("question", 2, 0), ("astuce", 1, 2), ("victoire", 1, 4), ("ressource", 1, 2)]
    channels: dict[str, Any] = {}
    for n, (key, label, audience, days, (low, high), lives) in enumerate(COMMUNITY):
        channel: dict[str, Any] = {
            "label": label + suffix,
            "planning": "types",
            "audience": copy_key(audience, copy),
            "phase": "retention",
            "days": [WEEKDAYS[d] for d in days],
            "per_week": {"min": low, "max": high},
            "per_day_max": 1,
            "times": grid,
            "duration_minutes": 30,
            "types": {name: _type(name, per, day) for name, per, day in types},
        }
        if lives:
            channel["lives"] = _lives(n)
        channels[copy_key(key, copy)] = channel
    return channels


def agency_config(scale: int = 1) -> dict[str, dict[str, Any]]:
    """The config as one dict per YAML file. `scale` copies of the audiences and channels
    (copy n > 1 has keys suffixed `_n`), each copy's mixes over its own audiences."""
    grid = quarter_hours("07:00", "20:00")
    audiences: dict[str, Any] = {}
    journeys: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    mixes: dict[str, Any] = {}
    for copy in range(1, scale + 1):
        audiences |= _audiences(copy)
        journeys |= _journeys(copy)
        editorial, mix = _editorial(copy, grid)
        channels |= editorial
        mixes |= mix
    for copy in range(1, scale + 1):
        channels |= _community(copy, grid)
    show = [copy_key(c, n) for n in range(1, scale + 1) for c in SHOW_CHANNELS]
    return {
        "calendar": {
            "calendar": {
                "campaign_start": "2026-01",
                "timezone": "Europe/Paris",
                "holidays": {"country": "FR", "subdivision": None},
                "blackouts": [
                    {"from": "2026-08-10", "to": "2026-08-23", "label": "Fermeture d'été"},
                    {"date": "2026-12-24", "label": "Réveillon"},
                    {"from": "2026-04-13", "to": "2026-04-19", "label": "Salon", "channels": show},
                ],
            }
        },
        "channels": {"channels": channels},
        "audiences": {
            "phases": [{"key": p, "label": p.capitalize()} for p in PHASES],
            "audiences": audiences,
        },
        "journeys": {"journeys": journeys},
        "mix": {"mix": mixes},
        "confidential": {
            "confidential": {
                "patterns": [{"label": "tarif interne", "pattern": r"tarif\s+interne"}]
            }
        },
        "settings": {
            "metrics": {"clients_actifs": 40},
            "export": {"uid_domain": "planner.agence.example", "calendar_name": "Agence"},
        },
    }


def write_agency_config(folder: Path, scale: int = 1) -> Path:
    """Write the agency config (`scale` copies) as YAML files in `folder` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in agency_config(scale).items():
        text = yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


def describe() -> str:
    """One paragraph on the generated config, for the results."""
    editorial = ", ".join(f"{key} ({per_day}/day)" for key, _, _, _, per_day, _ in EDITORIAL)
    community = ", ".join(key + (" + lives" if lives else "") for key, *_, lives in COMMUNITY)
    required = ", ".join(sorted(REQUIRED_COVERAGE))
    return (
        f"{len(EDITORIAL) + len(COMMUNITY)} channels (editorial: {editorial}; community: "
        f"{community}), {len(AUDIENCES)} audiences, candidate times every 15 minutes from "
        f"07:00 to 20:00 ({len(quarter_hours('07:00', '20:00'))} a day), monthly mixes over "
        f"4–6 audiences each, phase coverage required for {required} (which ties the "
        "channels that reach them); its blackouts are dated 2026, before the horizons "
        "measured. The 2× agency (`agency_config(scale=2)`) adds a second copy of every "
        "audience and channel (keys suffixed `_2`), each copy's mixes over its own "
        "audiences. Generated by bench/agency.py, written as YAML and read back through "
        "`load_config`."
    )
