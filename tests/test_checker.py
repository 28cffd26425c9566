"""The solver-free checker catches each hard rule broken alone (so its green light means
something). Every test starts from `march()`, a hand-built valid month of the default
config, breaks one rule and expects that family, with the items involved, and no other."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from planner.checks import Violation, check_plan, newly_broken
from planner.config import Config
from planner.coverage import Coverage
from planner.families import F
from planner.items import Item
from tests.handmade import (
    DEFAULT,
    INPUTS,
    MARCH,
    MINIMAL,
    TZ,
    at,
    changed,
    community,
    config_with,
    journey,
    live,
    m,
    make,
    march,
    moved,
    step,
    swapped,
    task,
    without,
)

_checked: dict[tuple[object, ...], list[Violation]] = {}
"""Within one test, the checker's answer for a plan asked twice (its families, then its
items): the mutation run repeats these tests for every mutant."""


@pytest.fixture(autouse=True)
def _fresh() -> None:
    """Nothing is remembered from one test to the next (nor from the unmutated run that the
    mutation run forks its mutants from)."""
    _checked.clear()


def check(
    plan: list[Item],
    config: Config = DEFAULT,
    coverage: Coverage = MARCH,
    owned: frozenset[tuple[str, str]] = frozenset(),
) -> list[Violation]:
    key = (tuple(plan), id(config), coverage, owned)
    if key not in _checked:
        _checked[key] = check_plan(config, plan, coverage, owned)
    return _checked[key]


def families(plan: list[Item], **kwargs: Any) -> set[F]:
    return {v.family for v in check(plan, **kwargs)}


def ids(plan: list[Item], family: F, **kwargs: Any) -> list[tuple[str, ...]]:
    return [v.items for v in check(plan, **kwargs) if v.family == family]


def test_the_handmade_month_is_valid() -> None:
    assert check(march()) == []


def rendered(plan: list[Item], **kwargs: Any) -> list[str]:
    return [v.render() for v in check(plan, **kwargs)]


# --- the whole output, in French ------------------------------------------------------------
# Each test below breaks many rules on one plan and pins every violation the checker reports:
# family, message (expected and found values, dates as dd/mm/yyyy) and items, in order. They
# come first: the mutation run (docs/mutation.md) stops a mutant at its first failing test.


def test_each_broken_item_reads_in_french() -> None:
    """Item rules on one plan, each broken on its own item: the whole output, in order, with
    its French messages (expected and found values, dates as dd/mm/yyyy)."""
    plan = march()
    for id, fields in (
        ("li03", {"description": "Offre à 197 €"}),
        ("li05", {"timezone": "Indian/Reunion"}),
        ("li07", {"end": at(m(7), "09:00")}),
        ("li10", {"end": at(m(10), "09:15")}),
        ("li11", {"audience": "inconnue"}),
        ("li12", {"format": "Autre format"}),
        ("li17", {"message": "Autre message"}),
        ("li20", {"title": " "}),
        ("li24", {"start": at(m(24), "08:45"), "end": at(m(24), "09:15")}),
        ("sk04", {"message": "Autre chose"}),
        ("sk11", {"format": "Autre"}),
        ("sk16", {"audience": "of"}),
        ("sk23", {"content_type": "sondage"}),
        ("kpi-03", {"content_type": "menage"}),
        ("rappel-12", {"end": at(m(12), "09:00")}),
        ("li26", {"audience": "ministeres", "phase": "awareness"}),
        ("li31", {"phase": "bidon"}),
        ("li28", {"end": datetime(2026, 3, 28, 9, 30)}),
        ("sk18", {"content_type": "replay"}),
        ("sk02", {"message": "Autre membre"}),
    ):
        plan = changed(plan, id, **fields)
    plan += [
        make("menage-29", "skool", "task", m(29), "01:45", 60, content_type="menage"),
        make("menage-29b", "skool", "task", m(29), "02:30", 30, content_type="menage"),
        make("x-kind", "skool", "story", m(18), "09:00", 30, content_type="tip"),
        make("x-status", "skool", "post", m(18), "09:00", 30, content_type="tip").with_(
            status="draft"  # type: ignore[arg-type]
        ),
        make("x-channel", "tiktok", "post", m(18), "09:00", 30, content_type="tip"),
        make("li-live", "linkedin", "live", m(18), "12:00", 30, content_type="qa"),
        make("x-kind", "skool", "story", m(19), "09:00", 30, content_type="tip"),
        make("", "skool", "task", m(19), "10:00", 30, content_type="menage"),
    ]
    assert rendered(plan) == [
        (
            "Rituels de la communauté : 0 « Revue des KPI du Cercle » du 01/03/2026 au 07/03/2026, "
            "attendu exactement un"
        ),
        (
            "Mix d'audience mensuel : of : 9 posts LinkedIn sur 13 en mars 2026, attendu 10 à 11 "
            "(part 80 %) [li03, li05, li10, li12, li17, teaser-26…]"
        ),
        (
            "Mix d'audience mensuel : inconnue : 1 posts LinkedIn sur 13 en mars 2026, attendu 0 à "
            "0 (part 0 %) [li11]"
        ),
        (
            "Mix d'audience mensuel : ministeres : 1 posts LinkedIn sur 13 en mars 2026, attendu 0 "
            "à 0 (part 0 %) [li26]"
        ),
        "Cinq points de contrôle : tâche de type inconnu « menage » [kpi-03]",
        (
            "Contenu des posts d'animation : message « Autre membre » absent de la liste de « "
            "spotlight » [sk02]"
        ),
        (
            "Confidentialité : « 197 € » (palier de prix interne (197 €)) dans le champ « "
            "description » [li03]"
        ),
        (
            "Contenu des posts d'animation : message « Autre chose » absent de la liste de « tip » "
            "[sk04]"
        ),
        (
            "Heures candidates : fuseau « Indian/Reunion » ou heure sans fuseau, au lieu de "
            "Europe/Paris [li05]"
        ),
        "Heures candidates : finit (09:00) avant de commencer (09:00) le 07/03/2026 [li07]",
        "Heures candidates : dure 45 min au lieu de 30 le 10/03/2026 [li10]",
        "Éligibilité des audiences : audience inconnue « inconnue » [li11]",
        "Heures candidates : 09:00 + 1440 min finit après le 11/03/2026 [rappel-12]",
        "Contenu des posts d'animation : format « Autre » au lieu de « Fil de discussion » [sk11]",
        (
            "Cinq points de contrôle : format « Autre format » (texte) absent de la phase "
            "awareness de of [li12]"
        ),
        (
            "Contenu des posts d'animation : audience/phase of/retention au lieu de "
            "membres/retention [sk16]"
        ),
        (
            "Cinq points de contrôle : message « Autre message » absent de la phase consideration "
            "de of [li17]"
        ),
        "Cinq points de contrôle : « Audience » est vide [li-live]",
        "Cinq points de contrôle : « Format » est vide [li-live]",
        "Cinq points de contrôle : « Message clé » est vide [li-live]",
        "Cinq points de contrôle : « Phase » est vide [li-live]",
        "Créneau des lives : LinkedIn n'a pas de lives [li-live]",
        "Contenu des posts d'animation : type « replay » inconnu sur Skool — Cercle QALIA [sk18]",
        "Cinq points de contrôle : canal inconnu « tiktok » [x-channel]",
        "Cinq points de contrôle : type d'élément inconnu « story » [x-kind]",
        "Identifiants uniques : identifiant « x-kind » porté par 2 éléments [x-kind]",
        "Cinq points de contrôle : statut inconnu « draft » [x-status]",
        "Cinq points de contrôle : tâche de type inconnu « menage » []",
        "Identifiants uniques : 1 élément(s) sans identifiant []",
        "Cinq points de contrôle : type d'élément inconnu « story » [x-kind]",
        "Cinq points de contrôle : « Titre » est vide [li20]",
        "Contenu des posts d'animation : type « sondage » inconnu sur Skool — Cercle QALIA [sk23]",
        (
            "Heures candidates : 08:45 n'est pas une heure de LinkedIn (08:30, 09:00, 09:30, "
            "10:00, 10:30, 11:00, 11:30, 12:00) [li24]"
        ),
        (
            "Éligibilité des audiences : Ministères n'est pas ciblable au mois 3 de la campagne "
            "(26/03/2026) : active_clients = 0 ne dépasse pas 100 [li26]"
        ),
        (
            "Cinq points de contrôle : format « Témoignage anonymisé » (temoignage) absent de la "
            "phase awareness de ministeres [li26]"
        ),
        (
            "Cinq points de contrôle : message « 10 jours → 1-2 heures (témoignage anonymisé) » "
            "absent de la phase awareness de ministeres [li26]"
        ),
        (
            "Heures candidates : fuseau « Europe/Paris » ou heure sans fuseau, au lieu de "
            "Europe/Paris [li28]"
        ),
        (
            "Heures candidates : 01:45 + 60 min traverse un changement d'heure le 29/03/2026 "
            "[menage-29]"
        ),
        "Cinq points de contrôle : tâche de type inconnu « menage » [menage-29]",
        (
            "Heures candidates : 02:30 n'existe pas ou existe deux fois le 29/03/2026 (changement "
            "d'heure) [menage-29b]"
        ),
        "Cinq points de contrôle : tâche de type inconnu « menage » [menage-29b]",
        (
            "Phases ouvertes du parcours : phase « bidon » pas ouverte pour Formateurs OF "
            "(organismes de formation) au mois 3 (31/03/2026) [li31]"
        ),
    ]


def test_each_broken_live_rule_reads_in_french() -> None:
    """Lives, their preparations and their sequences, broken on one plan."""
    plan = changed(march(), "live-12", message="Autre chose", end=at(m(12), "13:00"))
    plan = moved(plan, "live-12", m(12), "12:15")
    plan = moved(plan, "rappel-12", m(12), "12:15")
    plan = changed(plan, "prep-12", end=at(m(11), "15:00"))
    plan = moved(plan, "live-26", m(26), "13:30")
    plan = changed(plan, "teaser-26", format="Carrousel")
    plan = changed(plan, "annonce-26", audience="of")
    plan = changed(plan, "prep-26", channel="linkedin")
    plan = moved(plan, "replay-12", m(12))
    plan = moved(plan, "rappel-26", m(25), "10:00")
    plan = moved(plan, "kpi-03", m(2), "10:00")
    plan += [
        live("live-16", m(16), "qa").with_(content_type="quiz"),
        step("teaser-12", m(6), "teaser_live", "live-12"),
        community("tip-10", m(10), "tip", msg=1).with_(parent="live-12"),
        step("orphan", m(17), "replay", "live-99"),
        task("prep-99", m(17), "23:45", "preparation", "live-99", minutes=10),
        task("prep-12b", m(11), "14:00", "preparation", "live-12"),
        community("rappel-post", m(24), "tip").with_(content_type="rappel_live", parent="live-26"),
        step("replay-li", m(27), "teaser_live", "live-26").with_(content_type="replay"),
    ]
    assert rendered(plan) == [
        (
            "Lives par mois : 3 live(s) Skool — Cercle QALIA en mars 2026, attendu 2 [live-12, "
            "live-16, live-26]"
        ),
        (
            "Rituels de la communauté : « Revue des KPI du Cercle » le 02/03/2026 à 10:00, attendu "
            "le 02/03/2026 à 09:30 (premier jour ouvré de sa fenêtre) [kpi-03]"
        ),
        (
            "Séquence des lives : « teaser_live » ne vaut que pour les lives masterclass, pas pour "
            "« qa » du 12/03/2026 [live-12, teaser-12]"
        ),
        (
            "Séquence des lives : « tip » n'est pas une étape de la séquence des lives [live-12, "
            "tip-10]"
        ),
        "Heures candidates : dure 60 min au lieu de 30 le 11/03/2026 [prep-12]",
        "Heures candidates : dure 60 min au lieu de 45 le 12/03/2026 [live-12]",
        "Cinq points de contrôle : message « Autre chose » absent de la liste de « qa » [live-12]",
        (
            "Créneau des lives : live à 12:15 le 12/03/2026, hors de la grille (12:00, 12:30, "
            "13:00, 13:30, 14:00) [live-12]"
        ),
        (
            "Préparation des lives : 2 tâche(s) de préparation pour le live du 12/03/2026, attendu "
            "une, le 11/03/2026 à 14:00 [live-12, prep-12, prep-12b]"
        ),
        (
            "Séquence des lives : « rappel_live » du 12/03/2026 : attendu le 11/03/2026 à 09:00, "
            "premier jour ouvré de sa fenêtre [live-12, rappel-12]"
        ),
        (
            "Séquence des lives : « rappel_live » du 12/03/2026 : commence après le début de son "
            "live (12:15) [live-12, rappel-12]"
        ),
        (
            "Séquence des lives : « replay » du 12/03/2026 : hors de sa fenêtre, du 13/03/2026 au "
            "15/03/2026 (live du 12/03/2026) [live-12, replay-12]"
        ),
        (
            "Séquence des lives : « replay » du 12/03/2026 : publié avant la fin de son live "
            "(12/03/2026 13:15) [live-12, replay-12]"
        ),
        (
            "Espacement des lives : 4 jour(s) entre les lives du 12/03/2026 et du 16/03/2026 (au "
            "moins 7) [live-12, live-16]"
        ),
        "Cinq points de contrôle : format de live inconnu « quiz » [live-16]",
        "Créneau des lives : live un lundi (16/03/2026), pas un jour de lives.days [live-16]",
        (
            "Préparation des lives : 0 tâche(s) de préparation pour le live du 16/03/2026, attendu "
            "une, le 13/03/2026 à 14:00 [live-16]"
        ),
        (
            "Séquence des lives : 0 « Annonce du live » pour le live du 16/03/2026, attendu "
            "exactement un [live-16]"
        ),
        (
            "Séquence des lives : 0 « Rappel du live » pour le live du 16/03/2026, attendu "
            "exactement un [live-16]"
        ),
        (
            "Séquence des lives : 0 « Replay du live » pour le live du 16/03/2026, attendu "
            "exactement un [live-16]"
        ),
        (
            "Séquence des lives : « replay » du 17/03/2026 : son live « live-99 » est introuvable "
            "[orphan]"
        ),
        "Heures candidates : 23:45 + 30 min finit après le 17/03/2026 [prep-99]",
        "Heures candidates : dure 10 min au lieu de 30 le 17/03/2026 [prep-99]",
        "Préparation des lives : préparation du 17/03/2026 sans live actif « live-99 » [prep-99]",
        (
            "Séquence des lives : format « Carrousel » au lieu de « Teaser de masterclass » "
            "[teaser-26]"
        ),
        (
            "Contenu des posts d'animation : audience/phase of/retention au lieu de "
            "membres/retention [annonce-26]"
        ),
        (
            "Séquence des lives : « rappel_live » du 24/03/2026 : un post au lieu d'un task "
            "[live-26, rappel-post]"
        ),
        (
            "Contenu des posts d'animation : type « rappel_live » inconnu sur Skool — Cercle QALIA "
            "[rappel-post]"
        ),
        "Préparation des lives : préparation sur linkedin, son live sur skool [live-26, prep-26]",
        (
            "Séquence des lives : « rappel_live » du 25/03/2026 : attendu le 25/03/2026 à 09:00, "
            "premier jour ouvré de sa fenêtre [live-26, rappel-26]"
        ),
        "Créneau des lives : live du 26/03/2026 finissant à 14:30, après 14:00 [live-26]",
        (
            "Séquence des lives : 2 « Rappel du live » pour le live du 26/03/2026, attendu "
            "exactement un [live-26, rappel-post, rappel-26]"
        ),
        (
            "Séquence des lives : 2 « Replay du live » pour le live du 26/03/2026, attendu "
            "exactement un [live-26, replay-li, replay-26]"
        ),
        (
            "Séquence des lives : « replay » du 27/03/2026 : publié sur linkedin au lieu de skool "
            "[live-26, replay-li]"
        ),
        (
            "Cinq points de contrôle : type « replay » inconnu pour un post lié à « live-26 » "
            "[replay-li]"
        ),
    ]


def test_each_broken_ritual_or_campaign_rule_reads_in_french() -> None:
    """Rituals and a dated campaign, broken on one plan."""
    config = campaign_config()
    plan = moved(with_campaign(config), "sortie-prep", m(11), "11:00")
    plan = moved(plan, "kpi-03", m(2), "10:00")
    plan = changed(plan, "sortie-cercle", message="Autre")
    plan = moved(plan, "sortie-publique", m(24))
    plan = moved(plan, "sk02", m(10))
    plan += [
        campaign_item(config, "sortie-cercle2", "nouveaute_cercle", 19, "09:00"),
        campaign_item(config, "sortie-cercle3", "nouveaute_cercle", 18, "08:30").with_(
            channel="linkedin"
        ),
        campaign_item(config, "sortie-teaser", "teaser_sortie", 14, "08:30"),
        campaign_item(config, "sortie-teaser2", "teaser_sortie", 16, "08:30"),
        campaign_item(config, "sortie-bonus", "nouveaute_cercle", 17, "09:00").with_(
            content_type="bonus"
        ),
        campaign_item(config, "sortie-prep2", "preparer_sortie", 12, "09:00").with_(
            kind="post", audience="membres", phase="retention"
        ),
        community("theme-06", m(6), "theme"),
        make("kpi-post", "skool", "post", m(3), "09:00", 30, content_type="revue_kpi"),
    ]
    assert rendered(plan, config=config) == [
        (
            "Rituels de la communauté : 0 « Membre à l'honneur » du 01/03/2026 au 07/03/2026, "
            "attendu exactement un"
        ),
        (
            "Rituels de la communauté : 2 « Revue des KPI du Cercle » du 01/03/2026 au 07/03/2026, "
            "attendu exactement un [kpi-03, kpi-post]"
        ),
        (
            "Mix d'audience mensuel : membres : 1 posts LinkedIn sur 16 en mars 2026, attendu 0 à "
            "0 (part 0 %) [sortie-cercle3]"
        ),
        (
            "Rituels de la communauté : « Revue des KPI du Cercle » le 02/03/2026 à 10:00, attendu "
            "le 02/03/2026 à 09:30 (premier jour ouvré de sa fenêtre) [kpi-03]"
        ),
        "Cinq points de contrôle : « Audience » est vide [kpi-post]",
        "Cinq points de contrôle : « Format » est vide [kpi-post]",
        "Cinq points de contrôle : « Message clé » est vide [kpi-post]",
        "Cinq points de contrôle : « Phase » est vide [kpi-post]",
        "Rituels de la communauté : « revue_kpi » est un task, pas un post [kpi-post]",
        (
            "Rituels de la communauté : « Thème du trimestre » le 06/03/2026, hors de sa fenêtre "
            "(aucune ce mois-là) [theme-06]"
        ),
        (
            "Volume hebdomadaire : 5 posts Skool — Cercle QALIA la semaine du 09/03/2026, attendu "
            "3 à 4 [sk09, sk02, sk11, sortie-prep2, replay-12]"
        ),
        (
            "Rituels de la communauté : « Membre à l'honneur » le 10/03/2026, hors de sa fenêtre "
            "(du 01/03/2026 au 07/03/2026) [sk02]"
        ),
        (
            "Campagnes datées : sortie_exemple · « preparer_sortie » du 11/03/2026 : attendu le "
            "11/03/2026 à 10:00 (premier jour ouvré de sa fenêtre) [sortie-prep]"
        ),
        (
            "Campagnes datées : sortie_exemple · 2 « Préparer l'annonce de la sortie » du "
            "11/03/2026 au 13/03/2026, attendu exactement 1 [sortie-prep, sortie-prep2]"
        ),
        (
            "Campagnes datées : sortie_exemple · « preparer_sortie » du 12/03/2026 : un post au "
            "lieu d'un task [sortie-prep2]"
        ),
        (
            "Campagnes datées : sortie_exemple · 2 « Teaser de la nouveauté » du 13/03/2026 au "
            "16/03/2026, attendu au plus 1 [sortie-teaser, sortie-teaser2]"
        ),
        (
            "Volume hebdomadaire : 5 posts Skool — Cercle QALIA la semaine du 16/03/2026, attendu "
            "3 à 4 [sk16, sortie-bonus, sortie-cercle, sortie-cercle2, annonce-26]"
        ),
        (
            "Contenu des posts d'animation : type « bonus » inconnu sur Skool — Cercle QALIA "
            "[sortie-bonus]"
        ),
        (
            "Campagnes datées : « bonus » n'est pas une étape de la campagne sortie_exemple "
            "[sortie-bonus]"
        ),
        (
            "Contenu des posts d'animation : message « Autre » absent de la liste de « "
            "nouveaute_cercle » [sortie-cercle]"
        ),
        "Campagnes datées : audience/phase membres/retention au lieu de None/None [sortie-cercle3]",
        (
            "Campagnes datées : sortie_exemple · « nouveaute_cercle » du 18/03/2026 : publié sur "
            "linkedin au lieu de skool [sortie-cercle3]"
        ),
        (
            "Campagnes datées : sortie_exemple · 2 « Nouveauté en avant-première » du 18/03/2026 "
            "au 18/03/2026, attendu exactement 1 [sortie-cercle3, sortie-cercle]"
        ),
        (
            "Campagnes datées : sortie_exemple · « nouveaute_cercle » du 19/03/2026 : hors de sa "
            "fenêtre (du 18/03/2026 au 18/03/2026) [sortie-cercle2]"
        ),
        (
            "Campagnes datées : sortie_exemple · 0 « Annonce de la sortie » du 20/03/2026 au "
            "23/03/2026, attendu exactement 1"
        ),
        "Plafond par jour : 2 posts LinkedIn le 24/03/2026 (au plus 1) [li24, sortie-publique]",
        (
            "Plafond par jour : 2 posts LinkedIn à la même heure (08:30) le 24/03/2026 [li24, "
            "sortie-publique]"
        ),
        (
            "Campagnes datées : sortie_exemple · « annonce_publique » du 24/03/2026 : hors de sa "
            "fenêtre (du 20/03/2026 au 23/03/2026) [sortie-publique]"
        ),
    ]


def test_each_broken_count_reads_in_french() -> None:
    """Daily, weekly and monthly counts, phases and rotations, broken on one plan."""
    plan = [*march(), journey("li03b", m(3), "of", "awareness", msg=2, clock="10:00")]
    plan = moved(plan, "sk09", m(3))
    plan = swapped(plan, journey("li20", m(20), "of", "decision", msg=0))
    plan = swapped(plan, journey("li28", m(28), "coachs", "consideration", msg=1, clock="09:00"))
    plan = swapped(plan, community("sk16", m(16), "question", msg=0))
    plan = swapped(plan, live("live-12", m(12), "masterclass", msg=0))
    plan += [
        step("teaser-12", m(6), "teaser_live", "live-12"),
        community("sk0406", date(2026, 4, 6), "spotlight"),
        make(
            "li09",
            "linkedin",
            "post",
            m(9),
            "08:30",
            30,
            audience="anonymes",
            phase="awareness",
            content_type="texte",
            format="Post texte",
            message="Un message",
        ),
    ]
    assert rendered(plan) == [
        (
            "Phases au premier plan : coachs, mars 2026 (mois 3) : 2 posts mais aucun en decision "
            "(au premier plan) [li07, li28]"
        ),
        (
            "Mix d'audience mensuel : anonymes : 1 posts LinkedIn sur 16 en mars 2026, attendu 0 à "
            "0 (part 0 %) [li09]"
        ),
        (
            "Volume hebdomadaire : 5 posts LinkedIn la semaine du 02/03/2026, attendu 2 à 4 [li03, "
            "li03b, li05, teaser-12, li07]"
        ),
        "Plafond par jour : 2 posts LinkedIn le 03/03/2026 (au plus 1) [li03, li03b]",
        "Éligibilité des audiences : audience inconnue « anonymes » [li09]",
        (
            "Volume hebdomadaire : 2 posts Skool — Cercle QALIA la semaine du 09/03/2026, attendu "
            "3 à 4 [sk11, replay-12]"
        ),
        (
            "Rotation des messages : of : le message « Pour moins de 300€, une ingénierie complète "
            "» 3 fois en mars 2026 (au plus 2) [li10, li20, li31]"
        ),
        (
            "Rotation des messages : question : « Quel indicateur Qualiopi vous pose le plus de "
            "problème ? » deux fois de suite (03/03/2026 puis 16/03/2026) [sk09, sk16]"
        ),
        (
            "Rotation des messages : masterclass : « Deep-dive : un indicateur Qualiopi de bout en "
            "bout » deux fois de suite (12/03/2026 puis 26/03/2026) [live-12, live-26]"
        ),
        (
            "Rotation des formats de live : deux lives « masterclass » de suite (12/03/2026 puis "
            "26/03/2026) [live-12, live-26]"
        ),
        (
            "Rotation des messages : spotlight : « Le membre qui a le plus aidé les autres ce "
            "mois-ci » deux fois de suite (02/03/2026 puis 06/04/2026) [sk02, sk0406]"
        ),
        (
            "Jours de publication : post Skool — Cercle QALIA le 06/04/2026 : jour férié : Lundi "
            "de Pâques [sk0406]"
        ),
    ]


def test_each_broken_share_or_gap_reads_in_french() -> None:
    """The stable phase mix from month 3, lives 15 days apart, three LinkedIn posts a day (one
    given in UTC, one without a zone), days blocked for Skool, an optional ritual and an
    optional live step twice."""

    def edit(data: dict[str, Any]) -> None:
        data["phase_mix"].update(from_month=3)
        data["channels"]["skool"]["lives"].update(min_gap_days=15)
        data["channels"]["linkedin"].update(per_day_max=3)
        data["calendar"]["blackouts"] += [
            {"date": "2026-03-02", "label": "Inventaire", "channels": ["skool"]},
            {"from": "2026-03-25", "to": "2026-03-26", "label": "Congrès", "channels": ["skool"]},
        ]
        skool = data["channels"]["skool"]
        skool["rituals"]["feedback"]["required"] = False
        next(s for s in skool["lives"]["sequence"] if s["key"] == "teaser_live")["required"] = False

    config = config_with(INPUTS, edit)
    utc = ZoneInfo("UTC")
    li03b = journey("li03b", m(3), "of", "awareness", msg=2)
    li03c = journey("li03c", m(3), "of", "consideration", msg=1)
    li04n = journey("li04n", m(4), "of", "decision", msg=1, clock="08:45")
    plan = [
        *march(),
        li03b.with_(start=li03b.start.astimezone(utc), end=li03b.end.astimezone(utc)),
        li03c.with_(start=li03c.start.replace(tzinfo=None), end=li03c.end.replace(tzinfo=None)),
        community("sk19", m(19), "feedback", msg=1),
        li04n.with_(start=li04n.start.replace(tzinfo=None), end=li04n.end.replace(tzinfo=None)),
        step("teaser-26b", m(21), "teaser_live", "live-26"),
    ]
    assert rendered(plan, config=config) == [
        (
            "Mix de phases : of, mars 2026 (mois 3) : 3 posts awareness sur 12, attendu 4 à 5 "
            "(part 40 %) [li03, li03b, li12]"
        ),
        (
            "Mix de phases : of, mars 2026 (mois 3) : 5 posts decision sur 12, attendu 3 à 4 (part "
            "26.7 %) [li04n, li10, li20, li24, li31]"
        ),
        (
            "Rituels de la communauté : « Revue des KPI du Cercle » le 02/03/2026 à 09:30, attendu "
            "le 03/03/2026 à 09:30 (premier jour ouvré de sa fenêtre) [kpi-03]"
        ),
        (
            "Volume hebdomadaire : 6 posts LinkedIn la semaine du 02/03/2026, attendu 2 à 4 [li03, "
            "li03b, li03c, li04n, li05, li07]"
        ),
        (
            "Jours de publication : post Skool — Cercle QALIA le 02/03/2026 : jour bloqué : "
            "Inventaire [sk02]"
        ),
        (
            "Plafond par jour : 3 posts LinkedIn à la même heure (08:30) le 03/03/2026 [li03, "
            "li03b, li03c]"
        ),
        (
            "Heures candidates : fuseau « Europe/Paris » ou heure sans fuseau, au lieu de "
            "Europe/Paris [li03c]"
        ),
        (
            "Heures candidates : 08:45 n'est pas une heure de LinkedIn (08:30, 09:00, 09:30, "
            "10:00, 10:30, 11:00, 11:30, 12:00) [li04n]"
        ),
        (
            "Heures candidates : fuseau « Europe/Paris » ou heure sans fuseau, au lieu de "
            "Europe/Paris [li04n]"
        ),
        (
            "Rituels de la communauté : 2 « Fil de feedback du mois » du 08/03/2026 au 21/03/2026, "
            "attendu au plus un [sk11, sk19]"
        ),
        (
            "Préparation des lives : préparation le 25/03/2026 à 14:00 au lieu de le 24/03/2026 à "
            "14:00 (veille ouvrée du live du 26/03/2026) [live-26, prep-26]"
        ),
        (
            "Séquence des lives : « rappel_live » du 25/03/2026 : attendu (aucun jour ouvré), "
            "premier jour ouvré de sa fenêtre [live-26, rappel-26]"
        ),
        (
            "Jours de publication : post Skool — Cercle QALIA le 25/03/2026 : jour bloqué : "
            "Congrès [sk25]"
        ),
        (
            "Espacement des lives : 14 jour(s) entre les lives du 12/03/2026 et du 26/03/2026 (au "
            "moins 15) [live-12, live-26]"
        ),
        "Jours de publication : live le 26/03/2026 : jour bloqué : Congrès [live-26]",
        (
            "Séquence des lives : 2 « Teaser de la masterclass » pour le live du 26/03/2026, "
            "attendu au plus un [live-26, teaser-26, teaser-26b]"
        ),
    ]


# --- days, times, daily cap ----------------------------------------------------------------


def test_a_post_on_sunday_breaks_publishing_days() -> None:
    plan = moved(march(), "li07", m(8))
    assert families(plan) == {F.PUBLISHING_DAYS}
    assert ids(plan, F.PUBLISHING_DAYS) == [("li07",)]


def test_a_post_on_a_blackout_breaks_publishing_days() -> None:
    config = config_with(
        INPUTS,
        lambda d: d["calendar"]["blackouts"].append({"date": "2026-03-19", "label": "Salon"}),
    )
    plan = march()
    assert check(plan, config=config) != []
    assert ids(plan, F.PUBLISHING_DAYS, config=config) == [("teaser-26",)]


def test_a_post_on_a_holiday_reads_in_french() -> None:
    april = Coverage.of([(date(2026, 4, 1), date(2026, 4, 30))])
    plan = [journey("li0406", date(2026, 4, 6), "of", "decision", msg=1)]
    assert (
        "Jours de publication : post LinkedIn le 06/04/2026 : jour férié : Lundi de Pâques [li0406]"
    ) in rendered(plan, coverage=april)


def test_a_time_off_the_channel_list_breaks_valid_times() -> None:
    plan = moved(march(), "li10", m(10), "08:45")
    assert families(plan) == {F.VALID_TIMES}
    assert ids(plan, F.VALID_TIMES) == [("li10",)]


def test_a_time_that_does_not_exist_breaks_valid_times() -> None:
    """02:30 on Sunday 29/03/2026 in Paris falls in the spring gap, even on a channel that
    publishes on Sundays at 02:30."""

    def edit(data: dict[str, Any]) -> None:
        linkedin = data["channels"]["linkedin"]
        linkedin["days"].append("dimanche")
        linkedin["times"].insert(0, "02:30")

    config = config_with(INPUTS, edit)
    assert check(march(), config=config) == []
    start = datetime(2026, 3, 29, 2, 30, tzinfo=ZoneInfo(TZ))
    plan = changed(march(), "li28", start=start, end=start + timedelta(minutes=30))
    assert families(plan, config=config) == {F.VALID_TIMES}
    [violation] = check(plan, config=config)
    assert violation.items == ("li28",)
    assert "02:30" in violation.message and "29/03/2026" in violation.message


def test_an_event_ending_before_it_starts_breaks_valid_times() -> None:
    post = next(i for i in march() if i.id == "li12")
    plan = changed(march(), "li12", end=post.start - timedelta(minutes=30))
    assert families(plan) == {F.VALID_TIMES}
    assert ids(plan, F.VALID_TIMES) == [("li12",)]


def test_a_wrong_duration_or_zone_breaks_valid_times() -> None:
    post = next(i for i in march() if i.id == "li12")
    longer = changed(march(), "li12", end=post.end + timedelta(minutes=15))
    assert families(longer) == {F.VALID_TIMES}
    elsewhere = changed(march(), "li12", timezone="Indian/Reunion")
    assert families(elsewhere) == {F.VALID_TIMES}


def test_the_same_instant_in_another_offset_is_accepted() -> None:
    """A start read back from a file as UTC is the same moment: nothing to report."""
    utc = ZoneInfo("UTC")
    plan = [i.with_(start=i.start.astimezone(utc), end=i.end.astimezone(utc)) for i in march()]
    assert check(plan) == []


def test_two_posts_a_day_break_the_daily_cap() -> None:
    extra = journey("li03b", m(3), "of", "awareness", msg=2, clock="10:00")
    plan = [*march(), extra]
    assert families(plan) == {F.DAILY_CAP}
    assert ids(plan, F.DAILY_CAP) == [("li03", "li03b")]


def test_two_posts_at_the_same_time_break_the_daily_cap() -> None:
    config = config_with(
        INPUTS,
        lambda d: d["channels"]["linkedin"].update(per_day_max=2),
    )
    later = journey("li03b", m(3), "of", "awareness", msg=2, clock="10:00")
    assert check([*march(), later], config=config) == []
    same = journey("li03b", m(3), "of", "awareness", msg=2, clock="08:30")
    plan = [*march(), same]
    assert families(plan, config=config) == {F.DAILY_CAP}
    assert ids(plan, F.DAILY_CAP, config=config) == [("li03", "li03b")]


def test_the_daily_cap_counts_posts_outside_the_covered_days_too() -> None:
    """Unlike the weekly and monthly counts, the daily cap holds on every day of the plan."""
    plan = [
        *march(),
        journey("li01a", date(2026, 4, 1), "of", "decision", msg=1),
        journey("li01b", date(2026, 4, 1), "coachs", "decision", msg=1, clock="10:00"),
    ]
    assert ids(plan, F.DAILY_CAP) == [("li01a", "li01b")]


# --- weekly band --------------------------------------------------------------------------


def test_five_posts_in_a_week_exceed_the_weekly_maximum() -> None:
    """Two more OF posts in the week of 02/03 (max 4); the month's mix still holds (12 of
    15 is exactly 80 %)."""
    plan = [
        *march(),
        journey("li02", m(2), "of", "awareness", msg=2),
        journey("li04", m(4), "of", "consideration", msg=1),
    ]
    assert families(plan) == {F.WEEKLY_BAND}
    assert ids(plan, F.WEEKLY_BAND) == [("li02", "li03", "li04", "li05", "li07")]


def test_two_posts_in_a_week_miss_the_weekly_minimum() -> None:
    plan = moved(march(), "sk09", m(3))
    assert families(plan) == {F.WEEKLY_BAND}
    assert ids(plan, F.WEEKLY_BAND) == [("sk11", "replay-12")]


def test_a_post_outside_the_covered_days_is_not_counted() -> None:
    """The cut week of 30/03 allows at most 2 LinkedIn posts on its two covered days; a
    third and a fourth on 01/04 and 02/04, outside the coverage, are not counted."""
    plan = [
        *march(),
        journey("li01a", date(2026, 4, 1), "of", "decision", msg=1),
        journey("li02a", date(2026, 4, 2), "of", "decision", msg=2),
    ]
    assert check(plan) == []
    assert families(plan, coverage=Coverage.of([(m(1), date(2026, 4, 30))])) >= {F.WEEKLY_BAND}


# --- audience mix and eligibility -----------------------------------------------------------


def test_an_audience_over_its_share_breaks_the_mix() -> None:
    plan = swapped(march(), journey("li24", m(24), "coachs", "decision", msg=1))
    assert families(plan) == {F.AUDIENCE_MIX}
    of = ("li03", "li05", "li10", "li12", "li17", "teaser-26", "li20", "li26", "li31")
    assert ids(plan, F.AUDIENCE_MIX) == [of, ("li07", "li24", "li28")]


def three_way() -> Config:
    """The minimal config with one channel and a row whose `others` (100 %) is shared by
    three eligible audiences: a third each, exactly."""

    def edit(data: dict[str, Any]) -> None:
        del data["channels"]["skool"]
        data["audiences"]["auditeurs"] = {"label": "Auditeurs", "short": "AU"}
        data["journeys"]["coachs"]["stages"][0]["messages"] = ["C0", "C1", "C2"]
        data["journeys"]["auditeurs"] = {
            "stages": [
                {
                    "phase": "awareness",
                    "months": {"from": 1},
                    "goal": "Éveiller",
                    "tone": "Réflexion",
                    "formats": [{"label": "Post texte", "type": "texte"}],
                    "messages": ["U0", "U1", "U2"],
                }
            ]
        }
        data["mix"]["linkedin"] = {
            "others": ["of", "coachs", "auditeurs"],
            "rows": [{"months": [1, 2, 3], "shares": {"others": 100}}],
        }

    return config_with(MINIMAL, edit)


def three_way_plan(config: Config) -> list[Item]:
    """12 posts in March 2026, three a week, four per audience."""
    plan = []
    for week, monday in enumerate((2, 9, 16, 23)):
        plan += [
            journey(f"of{week}", m(monday), "of", ("awareness", "consideration")[week % 2],
                    msg=week // 2, config=config),
            journey(f"co{week}", m(monday + 1), "coachs", "awareness", msg=week % 2,
                    config=config),
            journey(f"au{week}", m(monday + 2), "auditeurs", "awareness", msg=week % 2,
                    config=config),
        ]  # fmt: skip
    return plan


def test_an_exact_third_of_twelve_is_four_each() -> None:
    """5/4/3 would pass with shares rounded to 33 % (floor 3, ceil 4 for 3.96 posts)."""
    config = three_way()
    plan = three_way_plan(config)
    assert check(plan, config=config) == []
    five = swapped(plan, journey("au3", m(25), "of", "awareness", msg=0, config=config))
    assert families(five, config=config) == {F.AUDIENCE_MIX}
    assert ids(five, F.AUDIENCE_MIX, config=config) == [
        ("au0", "au1", "au2"),
        ("of0", "of1", "of2", "of3", "au3"),
    ]


def test_an_audience_not_yet_targetable_breaks_eligibility() -> None:
    """Ministères need more than 100 active clients: at 0 they get no share either."""
    plan = swapped(march(), journey("li11", m(11), "ministeres", "awareness", clock="10:00"))
    assert families(plan) == {F.ELIGIBILITY, F.AUDIENCE_MIX}
    assert ids(plan, F.ELIGIBILITY) == [("li11",)]


def test_an_audience_without_a_journey_is_checked_for_eligibility_only() -> None:
    """A config whose ministères have no journey (the loader's cross-checks would refuse
    it; the checker must not fail on it)."""
    config = config_with(INPUTS, lambda d: d["journeys"].pop("ministeres"))
    plan = swapped(march(), journey("li11", m(11), "ministeres", "awareness", clock="10:00"))
    assert ids(plan, F.ELIGIBILITY, config=config) == [("li11",)]


def test_eligibility_is_checked_outside_the_covered_days_too() -> None:
    post = journey("li01a", date(2026, 4, 1), "certificateurs", "awareness")
    plan = [*march(), post.with_(title=f"À rédiger : {post.message}")]
    assert families(plan) == {F.ELIGIBILITY, F.PHASE_WINDOW}
    assert ids(plan, F.ELIGIBILITY) == [("li01a",)]


# --- phases -------------------------------------------------------------------------------


def test_a_phase_not_yet_open_breaks_the_phase_window() -> None:
    """OF's retention opens in month 4."""
    plan = swapped(march(), journey("li24", m(24), "of", "retention"))
    assert families(plan) == {F.PHASE_WINDOW}
    assert ids(plan, F.PHASE_WINDOW) == [("li24",)]


def test_half_of_the_posts_in_focus_is_not_a_majority() -> None:
    """OF in month 3: consideration and decision in focus; 5 of its 10 journey posts is not
    more than half (the teaser, a live's step, stays out of the phase rules)."""
    plan = march()
    for id, day, msg in (("li10", 10, 2), ("li17", 17, 0)):
        plan = swapped(plan, journey(id, m(day), "of", "awareness", msg=msg))
    plan = [*plan, journey("li14", m(14), "of", "awareness", msg=2)]
    assert families(plan) == {F.PHASE_FOCUS}
    of = ("li03", "li05", "li10", "li12", "li14", "li17", "li20", "li24", "li26", "li31")
    assert ids(plan, F.PHASE_FOCUS) == [of]
    assert rendered(moved(plan, "li28", m(29))) == [
        (
            "Phases au premier plan : of, mars 2026 (mois 3) : 5 posts sur 10 au premier plan "
            "(consideration, decision), il en faut plus de la moitié [li03, li05, li10, li12, "
            "li14, li17…]"
        ),
        (
            "Jours de publication : post LinkedIn le 29/03/2026 : le dimanche n'est pas un jour "
            "prévu [li28]"
        ),
    ]


def test_a_focus_phase_without_a_post_breaks_phase_focus() -> None:
    """Coachs in month 3 have two posts and two focus phases: each needs one."""
    plan = swapped(march(), journey("li28", m(28), "coachs", "consideration", msg=1, clock="09:00"))
    assert families(plan) == {F.PHASE_FOCUS}
    assert ids(plan, F.PHASE_FOCUS) == [("li07", "li28")]


def test_a_required_phase_coverage_wants_every_focus_phase() -> None:
    """Coachs have one post in month 3 for two focus phases: with `when_possible` the
    missing one is excused, with `required` it is not."""
    plan = without(march(), "li28")
    assert check(plan) == []

    def edit(data: dict[str, Any]) -> None:
        data["journeys"]["coachs"]["phase_coverage"] = "required"

    assert rendered(plan, config=config_with(INPUTS, edit)) == [
        (
            "Phases au premier plan : coachs, mars 2026 (mois 3) : 1 posts mais aucun en "
            "decision (au premier plan) [li07]"
        ),
    ]


def test_a_required_phase_coverage_names_every_missing_phase() -> None:
    """Coachs' one post of month 3 is in awareness: neither focus phase has one."""

    def edit(data: dict[str, Any]) -> None:
        data["journeys"]["coachs"]["phase_coverage"] = "required"

    plan = swapped(without(march(), "li28"), journey("li07", m(7), "coachs", "awareness"))
    assert rendered(plan, config=config_with(INPUTS, edit)) == [
        (
            "Phases au premier plan : coachs, mars 2026 (mois 3) : 0 posts sur 1 au premier plan "
            "(consideration, decision), il en faut plus de la moitié [li07]"
        ),
        (
            "Phases au premier plan : coachs, mars 2026 (mois 3) : 1 posts mais aucun en "
            "consideration, decision (au premier plan) [li07]"
        ),
    ]


def test_stable_phase_mix_floor_and_ceiling() -> None:
    """With the stable mix from month 3, OF's 10 posts over awareness, consideration and
    decision (30/25/20 of 75) need 4, 3 to 4 and 2 to 3: 2 and 4 break it."""
    config = config_with(
        INPUTS,
        lambda d: d["phase_mix"].update(from_month=3),
    )
    plan = march()
    assert families(plan, config=config) == {F.PHASE_MIX}
    assert ids(plan, F.PHASE_MIX, config=config) == [
        ("li03", "li12"),
        ("li10", "li20", "li24", "li31"),
    ]


def test_a_less_frequent_phase_over_its_share_breaks_the_phase_mix() -> None:
    """OF's retention, open since month 1 but not in focus in month 3: at most
    plafond(10/85 × 10) = 2 posts."""

    def edit(data: dict[str, Any]) -> None:
        data["journeys"]["of"]["stages"][3]["months"] = {"from": 1, "to": 1}

    config = config_with(INPUTS, edit)
    plan = march()
    two = swapped(swapped(plan, journey("li03", m(3), "of", "retention", msg=0)),
                  journey("li12", m(12), "of", "retention", msg=1))  # fmt: skip
    assert check(two, config=config) == []
    assert check(march(), config=config) == []
    three = swapped(two, journey("li24", m(24), "of", "retention", msg=2))
    assert families(three, config=config) == {F.PHASE_MIX}
    assert ids(three, F.PHASE_MIX, config=config) == [("li03", "li12", "li24")]


# --- messages -----------------------------------------------------------------------------


def test_a_message_twice_in_a_row_across_months_breaks_rotation() -> None:
    """OF's last March post says decision[0]; the first of April says it again."""
    plan = [*march(), journey("li01a", date(2026, 4, 1), "of", "decision", msg=0)]
    assert families(plan) == {F.MESSAGE_ROTATION}
    assert ids(plan, F.MESSAGE_ROTATION) == [("li31", "li01a")]


def test_a_message_twice_in_a_row_reads_in_french() -> None:
    plan = [*march(), journey("li01a", date(2026, 4, 1), "of", "decision", msg=0)]
    assert rendered(moved(plan, "li28", m(29))) == [
        (
            "Jours de publication : post LinkedIn le 29/03/2026 : le dimanche n'est pas un jour "
            "prévu [li28]"
        ),
        (
            "Rotation des messages : of : « Pour moins de 300€, une ingénierie complète » deux "
            "fois de suite (31/03/2026 puis 01/04/2026) [li31, li01a]"
        ),
    ]


def test_a_phase_with_two_messages_and_a_brief_does_not_repeat() -> None:
    """OF's advocacy (month 6, June 2026) offers two messages and a brief: three choices, so
    the same message twice in a row breaks the rotation."""
    june = Coverage.of([(date(2026, 6, 1), date(2026, 6, 30))])
    plan = [
        journey("li0602", date(2026, 6, 2), "of", "advocacy", msg=0),
        journey("li0604", date(2026, 6, 4), "of", "advocacy", msg=0),
    ]
    assert ids(plan, F.MESSAGE_ROTATION, coverage=june) == [("li0602", "li0604")]


def test_a_message_three_times_in_a_month_breaks_rotation() -> None:
    plan = swapped(march(), journey("li24", m(24), "of", "decision", msg=0))
    assert families(plan) == {F.MESSAGE_ROTATION}
    assert ids(plan, F.MESSAGE_ROTATION) == [("li10", "li24", "li31")]


def with_brief() -> Config:
    def edit(data: dict[str, Any]) -> None:
        data["journeys"]["of"]["stages"][2]["briefs"] = ["Garantie satisfaction (à définir)"]

    return config_with(INPUTS, edit)


def brief(id: str, day: int, config: Config) -> Item:
    post = journey(id, m(day), "of", "decision", msg=3, config=config)
    return post.with_(title=f"À rédiger : {post.message}")


def test_a_brief_twice_in_a_month_breaks_rotation() -> None:
    config = with_brief()
    once = swapped(march(), brief("li10", 10, config))
    assert check(once, config=config) == []
    twice = swapped(once, brief("li24", 24, config))
    assert families(twice, config=config) == {F.MESSAGE_ROTATION}
    assert ids(twice, F.MESSAGE_ROTATION, config=config) == [("li10", "li24")]
    assert rendered(twice, config=config) == [
        (
            "Rotation des messages : of : la piste « Garantie satisfaction (à définir) » 2 fois "
            "en mars 2026 (au plus 1) [li10, li24]"
        ),
    ]


def test_a_community_message_twice_in_a_row_breaks_rotation() -> None:
    plan = swapped(march(), community("sk16", m(16), "question", msg=0))
    assert families(plan) == {F.MESSAGE_ROTATION}
    assert ids(plan, F.MESSAGE_ROTATION) == [("sk09", "sk16")]


def test_every_message_list_is_rotated() -> None:
    """A Q&A (its list has one message, which may repeat) comes first; the questions after
    it are still checked."""
    plan = [
        live("qa-03", m(3), "qa"),
        community("q-09", m(9), "question", msg=0),
        community("q-16", m(16), "question", msg=0),
    ]
    assert ids(plan, F.MESSAGE_ROTATION) == [("q-09", "q-16")]


def test_a_single_message_phase_may_repeat() -> None:
    """Auditeurs' awareness has one message: twice in a row is allowed."""
    plan = swapped(march(), journey("li24", m(24), "auditeurs", "awareness"))
    assert F.MESSAGE_ROTATION not in families(plan)


# --- content ------------------------------------------------------------------------------


def test_an_empty_message_breaks_the_control_points() -> None:
    """Said once, as an empty cell, whether or not the user typed it."""
    plan = changed(march(), "li17", message=" ")
    assert families(plan) == {F.CONTROL_POINTS}
    assert rendered(plan) == ["Cinq points de contrôle : « Message clé » est vide [li17]"]
    owned = frozenset({("li17", "message")})
    assert ids(plan, F.CONTROL_POINTS, owned=owned) == [("li17",)]


def test_a_message_from_elsewhere_breaks_the_control_points_unless_typed() -> None:
    plan = changed(march(), "li17", message="Un message écrit à la main")
    assert families(plan) == {F.CONTROL_POINTS}
    assert check(plan, owned=frozenset({("li17", "message")})) == []


def test_a_format_of_another_phase_breaks_the_control_points() -> None:
    plan = changed(march(), "li17", format="Comparatif", content_type="comparatif")
    assert families(plan) == {F.CONTROL_POINTS}
    assert ids(plan, F.CONTROL_POINTS) == [("li17",)]


def test_a_brief_without_its_title_breaks_the_control_points() -> None:
    config = with_brief()
    plan = swapped(march(), brief("li10", 10, config).with_(title="Garantie"))
    assert families(plan, config=config) == {F.CONTROL_POINTS}
    assert check(plan, config=config, owned=frozenset({("li10", "title")})) == []


def test_a_brief_without_its_title_reads_in_french() -> None:
    config = with_brief()
    plan = swapped(march(), brief("li10", 10, config).with_(title="Garantie"))
    plan = moved(plan, "li28", m(29))
    assert rendered(plan, config=config) == [
        (
            "Cinq points de contrôle : la piste « Garantie satisfaction (à définir) » doit avoir "
            "un titre « À rédiger : … » [li10]"
        ),
        (
            "Jours de publication : post LinkedIn le 29/03/2026 : le dimanche n'est pas un jour "
            "prévu [li28]"
        ),
    ]


def test_a_format_typed_by_the_user_is_accepted() -> None:
    plan = changed(march(), "li17", format="Carrousel maison")
    assert families(plan) == {F.CONTROL_POINTS}
    assert check(plan, owned=frozenset({("li17", "format")})) == []


def test_a_community_format_typed_by_the_user_is_accepted() -> None:
    plan = changed(march(), "sk04", format="Astuce maison")
    assert ids(plan, F.COMMUNITY_CONTENT) == [("sk04",)]
    assert check(plan, owned=frozenset({("sk04", "format")})) == []
    assert ids(plan, F.COMMUNITY_CONTENT, owned=frozenset({("sk04", "message")})) == [("sk04",)]


def test_an_unknown_channel_or_task_breaks_the_control_points() -> None:
    plan = changed(march(), "li17", channel="tiktok")
    assert families(plan) == {F.CONTROL_POINTS}
    assert ids(plan, F.CONTROL_POINTS) == [("li17",)]
    chore = changed(march(), "kpi-03", content_type="menage")
    assert ("kpi-03",) in ids(chore, F.CONTROL_POINTS)


def test_a_community_post_with_another_types_message_breaks_content() -> None:
    question = DEFAULT.channels["skool"].types["question"].messages[1]  # type: ignore[index]
    plan = changed(march(), "sk04", message=question)
    assert families(plan) == {F.COMMUNITY_CONTENT}
    assert ids(plan, F.COMMUNITY_CONTENT) == [("sk04",)]
    assert check(plan, owned=frozenset({("sk04", "message")})) == []


def test_a_community_post_of_an_unknown_type_or_audience_breaks_content() -> None:
    assert families(changed(march(), "sk04", content_type="sondage")) == {F.COMMUNITY_CONTENT}
    assert families(changed(march(), "sk04", audience="of")) == {F.COMMUNITY_CONTENT}


# --- lives --------------------------------------------------------------------------------


def with_live(
    plan: list[Item], id: str, day: int, fmt: str, announce: date, replay: int
) -> list[Item]:
    return [
        *plan,
        live(id, m(day), fmt),
        task(f"prep-{day}", m(day - 1), "14:00", "preparation", id),
        task(f"rappel-{day}", m(day - 1), "09:00", "rappel_live", id),
        step(f"annonce-{day}", announce, "annonce_live", id),
        step(f"replay-{day}", m(replay), "replay", id),
    ]


def test_three_lives_in_a_month_break_lives_per_month() -> None:
    """A co-working on 05/03 (its announcement on 27/02, outside the coverage)."""
    plan = with_live(march(), "live-05", 5, "coworking", date(2026, 2, 27), 6)
    assert families(plan) == {F.LIVES_PER_MONTH}
    assert ids(plan, F.LIVES_PER_MONTH) == [("live-05", "live-12", "live-26")]


def test_a_live_ending_after_the_window_breaks_the_live_window() -> None:
    """A 60-minute masterclass at 13:30 ends at 14:30, after 14:00."""
    plan = moved(march(), "live-26", m(26), "13:30")
    assert families(plan) == {F.LIVE_WINDOW}
    assert ids(plan, F.LIVE_WINDOW) == [("live-26",)]


def test_a_live_ending_with_the_window_is_accepted() -> None:
    """A 60-minute masterclass at 13:00 ends at 14:00, the end of the window."""
    assert check(moved(march(), "live-26", m(26), "13:00")) == []


def test_a_live_starting_off_the_grid_breaks_the_live_window() -> None:
    plan = moved(march(), "live-26", m(26), "12:15")
    assert families(plan) == {F.LIVE_WINDOW}
    assert ids(plan, F.LIVE_WINDOW) == [("live-26",)]


def test_a_live_on_a_monday_breaks_the_live_window() -> None:
    plan = moved(march(), "live-12", m(9))
    assert F.LIVE_WINDOW in families(plan)
    assert ("live-12",) in ids(plan, F.LIVE_WINDOW)


def test_a_month_without_a_covered_live_day_wants_no_live() -> None:
    """Covered: Monday 16/03 only, not a day of lives.days. The live placed that day breaks
    the live window, but the month is not counted: its wanted lives are not checked."""
    monday = Coverage.of([(m(16), m(16))])
    found = families([live("live-16", m(16), "qa")], coverage=monday)
    assert F.LIVE_WINDOW in found
    assert F.LIVES_PER_MONTH not in found
    and_april = Coverage.of([(m(16), m(16)), (date(2026, 4, 1), date(2026, 4, 30))])
    assert ids([live("live-16", m(16), "qa")], F.LIVES_PER_MONTH, coverage=and_april) == [()]


def test_a_live_on_a_blocked_day_breaks_publishing_days() -> None:
    config = config_with(
        INPUTS,
        lambda d: d["calendar"]["blackouts"].append(
            {"date": "2026-03-26", "label": "Congrès", "channels": ["skool"]}
        ),
    )
    assert ids(march(), F.PUBLISHING_DAYS, config=config) == [("live-26",)]


def test_lives_closer_than_the_minimum_gap_break_spacing() -> None:
    config = config_with(
        INPUTS,
        lambda d: d["channels"]["skool"]["lives"].update(min_gap_days=15),
    )
    assert families(march(), config=config) == {F.LIVE_SPACING}
    assert ids(march(), F.LIVE_SPACING, config=config) == [("live-12", "live-26")]


def test_lives_a_day_apart_are_allowed_without_a_minimum_gap() -> None:
    """With `min_gap_days: 0`, two lives still need different days: one day apart is fine."""
    config = config_with(INPUTS, lambda d: d["channels"]["skool"]["lives"].update(min_gap_days=0))
    plan = moved(march(), "live-26", m(13))
    assert F.LIVE_SPACING not in families(plan, config=config)


def test_two_masterclasses_in_a_row_break_the_live_rotation() -> None:
    plan = swapped(march(), live("live-12", m(12), "masterclass", msg=1))
    plan = [*plan, step("teaser-12", m(6), "teaser_live", "live-12")]
    assert families(plan) == {F.LIVE_ROTATION}
    assert ids(plan, F.LIVE_ROTATION) == [("live-12", "live-26")]


def test_a_preparation_on_the_wrong_day_breaks_live_preparation() -> None:
    plan = moved(march(), "prep-12", m(10))
    assert families(plan) == {F.LIVE_PREPARATION}
    assert ids(plan, F.LIVE_PREPARATION) == [("live-12", "prep-12")]


def test_a_live_without_preparation_breaks_live_preparation() -> None:
    plan = without(march(), "prep-26")
    assert families(plan) == {F.LIVE_PREPARATION}
    assert ids(plan, F.LIVE_PREPARATION) == [("live-26",)]


def test_a_live_without_a_working_day_before_it_reads_in_french() -> None:
    """Skool blocked for the whole year before live-12 (12/03): its preparation has no day."""
    config = config_with(
        INPUTS,
        lambda d: d["calendar"]["blackouts"].append(
            {"from": "2025-03-11", "to": "2026-03-11", "label": "Fermeture", "channels": ["skool"]}
        ),
    )
    assert (
        "Préparation des lives : préparation le 11/03/2026 à 14:00 au lieu de (aucun jour "
        "ouvré) (veille ouvrée du live du 12/03/2026) [live-12, prep-12]"
    ) in rendered(march(), config=config)


def test_a_replay_before_its_live_breaks_the_sequence() -> None:
    plan = moved(march(), "replay-12", m(12))
    assert families(plan) == {F.LIVE_SEQUENCE}
    assert ids(plan, F.LIVE_SEQUENCE) == [("live-12", "replay-12"), ("live-12", "replay-12")]


def replay_from_the_live_day() -> Config:
    """The replay may go out on the live's day (from 0), once the live is over; Skool also
    publishes at 12:45, when the Q&A of 12:00 ends."""

    def edit(data: dict[str, Any]) -> None:
        skool = data["channels"]["skool"]
        skool["times"].append("12:45")
        next(s for s in skool["lives"]["sequence"] if s["key"] == "replay")["days"]["from"] = 0

    return config_with(INPUTS, edit)


def test_a_replay_on_the_live_day_waits_for_its_end() -> None:
    config = replay_from_the_live_day()
    assert check(moved(march(), "replay-12", m(12), "12:45"), config=config) == []
    early = moved(march(), "replay-12", m(12), "09:00")
    assert rendered(early, config=config) == [
        (
            "Séquence des lives : « replay » du 12/03/2026 : publié avant la fin de son live "
            "(12/03/2026 12:45) [live-12, replay-12]"
        ),
    ]


def test_a_reminder_at_the_live_start_is_too_late() -> None:
    plan = moved(march(), "rappel-12", m(12), "12:00")
    assert (
        "Séquence des lives : « rappel_live » du 12/03/2026 : commence après le début de son "
        "live (12:00) [live-12, rappel-12]"
    ) in rendered(plan)


def test_a_live_without_its_announcement_breaks_the_sequence() -> None:
    plan = swapped(march(), community("annonce-12", m(5), "celebration"))
    assert families(plan) == {F.LIVE_SEQUENCE}
    assert ids(plan, F.LIVE_SEQUENCE) == [("live-12",)]


def test_a_teaser_for_a_qa_breaks_the_sequence() -> None:
    """The teaser step is for masterclasses only."""
    plan = [*march(), step("teaser-12", m(6), "teaser_live", "live-12")]
    assert families(plan) == {F.LIVE_SEQUENCE}
    assert ids(plan, F.LIVE_SEQUENCE) == [("live-12", "teaser-12")]


def test_a_step_for_some_formats_names_them_all() -> None:
    def edit(data: dict[str, Any]) -> None:
        sequence = data["channels"]["skool"]["lives"]["sequence"]
        next(s for s in sequence if s["key"] == "teaser_live")["formats"] = ["masterclass", "ama"]

    plan = [*march(), step("teaser-12", m(6), "teaser_live", "live-12")]
    assert (
        "Séquence des lives : « teaser_live » ne vaut que pour les lives masterclass, ama, pas "
        "pour « qa » du 12/03/2026 [live-12, teaser-12]"
    ) in rendered(plan, config=config_with(INPUTS, edit))


def test_steps_after_one_that_does_not_apply_are_still_checked() -> None:
    """The teaser (masterclasses only) listed first: a Q&A still needs its announcement."""

    def edit(data: dict[str, Any]) -> None:
        sequence = data["channels"]["skool"]["lives"]["sequence"]
        sequence.insert(0, sequence.pop(next(i for i, s in enumerate(sequence)
                                             if s["key"] == "teaser_live")))  # fmt: skip

    plan = without(march(), "annonce-12")
    assert ("live-12",) in ids(plan, F.LIVE_SEQUENCE, config=config_with(INPUTS, edit))


def test_a_reminder_after_the_first_working_day_breaks_the_sequence() -> None:
    plan = moved(march(), "rappel-12", m(12))
    assert families(plan) == {F.LIVE_SEQUENCE}
    assert ids(plan, F.LIVE_SEQUENCE) == [("live-12", "rappel-12")]


def test_items_of_a_cancelled_live_must_be_cancelled_too() -> None:
    plan = changed(march(), "live-12", status="cancelled")
    assert F.LIVE_SEQUENCE in families(plan)
    assert (
        "Séquence des lives : « annonce_live » du 05/03/2026 : son live « live-12 » est annulé "
        "[annonce-12]"
    ) in rendered(plan)
    assert ("annonce-12",) in ids(plan, F.LIVE_SEQUENCE)
    assert ("prep-12",) in ids(plan, F.LIVE_PREPARATION)


def test_a_live_is_never_a_step_of_another_live() -> None:
    plan = [*march(), live("live-19", m(19), "ama").with_(parent="live-12")]
    assert ("live-12", "live-19") not in ids(plan, F.LIVE_SEQUENCE)


# --- rituals and campaigns ------------------------------------------------------------------


def test_a_ritual_outside_its_window_breaks_rituals() -> None:
    """The spotlight (days 1 to 7) on 10/03; a question takes its place on 02/03."""
    plan = moved(moved(march(), "sk02", m(10)), "sk09", m(2))
    assert families(plan) == {F.RITUALS}
    assert ids(plan, F.RITUALS) == [(), ("sk02",)]


def test_a_missing_monthly_spotlight_breaks_rituals() -> None:
    plan = swapped(march(), community("sk02", m(2), "question", msg=1))
    assert families(plan) == {F.RITUALS}
    [violation] = check(plan)
    assert violation.items == ()
    assert "01/03/2026 au 07/03/2026" in violation.message


def test_a_missing_kpi_review_breaks_rituals() -> None:
    plan = without(march(), "kpi-03")
    assert families(plan) == {F.RITUALS}
    assert ids(plan, F.RITUALS) == [()]


def test_a_kpi_review_after_the_first_working_day_breaks_rituals() -> None:
    plan = moved(march(), "kpi-03", m(3))
    assert families(plan) == {F.RITUALS}
    assert ids(plan, F.RITUALS) == [("kpi-03",)]


def test_a_kpi_review_in_a_week_blocked_for_its_channel_has_no_expected_day() -> None:
    config = config_with(
        INPUTS,
        lambda d: d["calendar"]["blackouts"].append(
            {"from": "2026-03-01", "to": "2026-03-07", "label": "Salon", "channels": ["skool"]}
        ),
    )
    assert (
        "Rituels de la communauté : « Revue des KPI du Cercle » le 02/03/2026 à 09:30, attendu "
        "(aucun jour ouvré) (premier jour ouvré de sa fenêtre) [kpi-03]"
    ) in rendered(march(), config=config)


def test_a_ritual_is_wanted_only_where_its_window_is_covered_and_usable() -> None:
    """From 10/03, March's KPI review window (1–7) is not covered: no review is wanted in
    March, but April's is; in a week blocked for Skool, none is wanted either."""
    from_10 = Coverage.of([(m(10), date(2026, 4, 30))])
    kpi = [v.render() for v in check(march(), coverage=from_10) if "Revue des KPI" in v.message]
    assert kpi == [
        (
            "Rituels de la communauté : 0 « Revue des KPI du Cercle » du 01/04/2026 au "
            "07/04/2026, attendu exactement un"
        ),
    ]
    config = config_with(
        INPUTS,
        lambda d: d["calendar"]["blackouts"].append(
            {"from": "2026-03-01", "to": "2026-03-07", "label": "Salon", "channels": ["skool"]}
        ),
    )
    found = check(without(march(), "kpi-03"), config=config)
    assert [v for v in found if "Revue des KPI" in v.message] == []


def test_a_team_task_ritual_wants_a_working_day_not_an_open_day() -> None:
    """Skool opens on Saturdays too; covered from Saturday 07/03, March's KPI review window
    holds an open day but no working day: no review is wanted, but a spotlight is."""
    config = config_with(INPUTS, lambda d: d["channels"]["skool"]["days"].append("samedi"))
    from_7 = Coverage.of([(m(7), m(31))])
    found = check(without(march(), "kpi-03"), config=config, coverage=from_7)
    assert [v for v in found if "Revue des KPI" in v.message] == []
    # The spotlight, a post, wants an open day: Saturday 07/03 is one.
    assert [v.items for v in found if "Membre à l'honneur" in v.message] == [()]


def campaign_config() -> Config:
    """The example campaign anchored on Wednesday 18/03/2026, its public announcement moved
    to a phase open in month 3."""

    def edit(data: dict[str, Any]) -> None:
        campaign = data["campaigns"][0]
        campaign["anchor"] = "2026-03-18"
        campaign["steps"][3]["phase"] = "decision"

    return config_with(INPUTS, edit)


def campaign_item(config: Config, id: str, key: str, day: int, clock: str) -> Item:
    spec = next(s for s in config.campaigns[0].steps if s.key == key)
    skool = spec.channel == "skool"
    return make(
        id,
        spec.channel or "skool",
        spec.kind,
        m(day),
        clock,
        30,
        audience="membres" if skool else spec.audience or "",
        phase="retention" if skool else spec.phase or "",
        content_type=key,
        format=spec.format or spec.label,
        message=spec.message,
        parent="sortie_exemple",
    )


def with_campaign(config: Config) -> list[Item]:
    """The task on the first working day of 11–13/03, the members' news on 18/03 (instead
    of the resource) and the public announcement on 20/03 (instead of an OF decision)."""
    plan = without(march(), "sk18", "li20")
    return [
        *plan,
        campaign_item(config, "sortie-prep", "preparer_sortie", 11, "10:00"),
        campaign_item(config, "sortie-cercle", "nouveaute_cercle", 18, "09:00"),
        campaign_item(config, "sortie-publique", "annonce_publique", 20, "08:30"),
    ]


def test_a_campaign_step_outside_its_window_breaks_campaigns() -> None:
    config = campaign_config()
    plan = with_campaign(config)
    assert check(plan, config=config) == []
    early = moved(plan, "sortie-cercle", m(17))
    assert families(early, config=config) == {F.CAMPAIGNS}
    assert ids(early, F.CAMPAIGNS, config=config) == [("sortie-cercle",), ()]


def test_a_campaign_task_on_the_wrong_day_or_missing_breaks_campaigns() -> None:
    config = campaign_config()
    late = moved(with_campaign(config), "sortie-prep", m(12))
    assert families(late, config=config) == {F.CAMPAIGNS}
    assert ids(late, F.CAMPAIGNS, config=config) == [("sortie-prep",)]
    missing = without(with_campaign(config), "sortie-prep")
    assert families(missing, config=config) == {F.CAMPAIGNS}


def test_a_campaign_message_rewritten_breaks_campaigns_unless_typed() -> None:
    config = campaign_config()
    plan = changed(with_campaign(config), "sortie-publique", message="Autre chose")
    assert families(plan, config=config) == {F.CAMPAIGNS}
    assert check(plan, config=config, owned=frozenset({("sortie-publique", "message")})) == []


def test_a_campaign_post_on_a_day_closed_to_its_channel_is_not_wanted() -> None:
    """Skool is blocked on the anchor day (18/03): the members' news has no day left, so its
    absence breaks nothing, though 18/03 is a working day for the team."""

    def edit(data: dict[str, Any]) -> None:
        campaign = data["campaigns"][0]
        campaign["anchor"] = "2026-03-18"
        campaign["steps"][3]["phase"] = "decision"
        data["calendar"]["blackouts"].append(
            {"date": "2026-03-18", "label": "Maintenance", "channels": ["skool"]}
        )

    config = config_with(INPUTS, edit)
    plan = without(with_campaign(config), "sortie-cercle")
    assert F.CAMPAIGNS not in families(plan, config=config)


def test_a_campaign_task_without_a_working_day_reads_in_french() -> None:
    """Anchored on Saturday 11/04/2026, the preparation (-7 to -5) falls on Saturday 04/04,
    Sunday 05/04 and Easter Monday 06/04: no working day."""

    def edit(data: dict[str, Any]) -> None:
        data["campaigns"][0]["anchor"] = "2026-04-11"

    config = config_with(INPUTS, edit)
    april = Coverage.of([(date(2026, 4, 1), date(2026, 4, 30))])
    prep = campaign_item(config, "sortie-prep", "preparer_sortie", 6, "10:00")
    prep = prep.with_(start=at(date(2026, 4, 6), "10:00"), end=at(date(2026, 4, 6), "10:30"))
    assert (
        "Campagnes datées : sortie_exemple · « preparer_sortie » du 06/04/2026 : aucun jour "
        "ouvré dans sa fenêtre [sortie-prep]"
    ) in rendered([prep], config=config, coverage=april)


# --- confidentiality and ids ----------------------------------------------------------------


def test_a_price_tier_breaks_confidentiality() -> None:
    plan = changed(march(), "sk18", description="Offre Pionnier à 197\u00a0€ par mois")
    assert families(plan) == {F.CONFIDENTIALITY}
    assert ids(plan, F.CONFIDENTIALITY) == [("sk18",)]


def test_a_price_tier_in_a_cancelled_item_still_leaks() -> None:
    plan = changed(march(), "sk18", description="197 €")
    plan = changed(plan, "sk18", status="cancelled")
    assert F.CONFIDENTIALITY in families(plan)


def test_duplicate_and_blank_ids_break_unique_ids() -> None:
    plan = changed(march(), "li12", id="li10")
    assert families(plan) == {F.UNIQUE_IDS}
    assert ids(plan, F.UNIQUE_IDS) == [("li10",)]
    blank = changed(march(), "sk18", id="")
    assert ids(blank, F.UNIQUE_IDS) == [("",)]


# --- output ---------------------------------------------------------------------------------


def test_violations_come_sorted_by_date_then_id_and_render_in_french() -> None:
    plan = changed(moved(march(), "li28", m(29)), "li05", description="M13")
    found = check(plan)
    assert [v.items for v in found] == [("li05",), ("li28",)]
    assert found[1].render() == (
        "Jours de publication : post LinkedIn le 29/03/2026 : le dimanche n'est pas un jour "
        "prévu [li28]"
    )


def test_a_violation_lists_six_items_at_most() -> None:
    six = tuple(f"p{k}" for k in range(6))
    assert Violation(F.DAILY_CAP, "trop", six).render() == (
        "Plafond par jour : trop [p0, p1, p2, p3, p4, p5]"
    )
    assert Violation(F.DAILY_CAP, "trop", (*six, "p6")).render() == (
        "Plafond par jour : trop [p0, p1, p2, p3, p4, p5…]"
    )
    assert Violation(F.DAILY_CAP, "trop").render() == "Plafond par jour : trop"


def test_newly_broken_names_only_what_the_change_adds() -> None:
    broken = moved(march(), "li28", m(29))
    baseline = check(broken)
    worse = moved(broken, "live-26", m(26), "13:30")
    assert newly_broken(DEFAULT, MARCH, baseline, worse) == [F.LIVE_WINDOW]
    assert newly_broken(DEFAULT, MARCH, baseline, worse, ignore=(F.LIVE_WINDOW,)) == []
    assert newly_broken(DEFAULT, MARCH, baseline, broken) == []


# --- team tasks at a clock change, steps without a time, windows cut by the plan's edge ------

JERUSALEM = ZoneInfo("Asia/Jerusalem")
"""Israel moves its clocks on a Friday, a working day: 02:00 to 03:00 on 27/03/2026. Paris
does it on a Sunday, when no team task is ever due."""


def clock_change_config(clock: str | None) -> Config:
    """Every kind of team task due on Friday 27/03/2026 at `clock` in Jerusalem (or at any
    time when `clock` is None): the preparation and the reminder of a live on Monday 30/03,
    the KPI review (its window from the 27th) and the example campaign's task."""

    def edit(data: dict[str, Any]) -> None:
        data["calendar"]["timezone"] = "Asia/Jerusalem"
        skool = data["channels"]["skool"]
        skool["lives"]["days"].append("lundi")
        skool["lives"]["preparation"]["time"] = clock or "14:00"
        reminder = next(s for s in skool["lives"]["sequence"] if s["key"] == "rappel_live")
        reminder["days"] = {"from": -3, "to": 0}
        kpi = skool["rituals"]["revue_kpi"]
        kpi["days"] = {"from": 27, "to": 31}
        campaign = data["campaigns"][0]
        campaign["anchor"] = "2026-03-30"
        prepare = next(s for s in campaign["steps"] if s["key"] == "preparer_sortie")
        prepare["days"] = {"from": -3, "to": -3}
        for timed in (reminder, kpi, prepare):
            timed.pop("time", None)
            if clock is not None:
                timed["time"] = clock

    return config_with(INPUTS, edit)


def in_jerusalem(item: Item) -> Item:
    """The item at the same wall-clock time in Jerusalem."""
    start = item.start.replace(tzinfo=JERUSALEM)
    return item.with_(start=start, end=start + (item.end - item.start), timezone="Asia/Jerusalem")


def tasks_due_on_the_27th(clock: str) -> list[Item]:
    friday = m(27)
    return [
        in_jerusalem(i)
        for i in (
            live("live-30", m(30), "qa"),
            task("prep-30", friday, clock, "preparation", "live-30"),
            task("rappel-30", friday, clock, "rappel_live", "live-30"),
            task("kpi-27", friday, clock, "revue_kpi"),
            task("sortie-prep", friday, clock, "preparer_sortie", "sortie_exemple"),
        )
    ]


TASK_IDS = ("prep-30", "rappel-30", "kpi-27", "sortie-prep")


def task_violations(plan: list[Item], config: Config) -> list[str]:
    return [v.render() for v in check(plan, config=config) if set(v.items) & set(TASK_IDS)]


@pytest.mark.parametrize(
    ("wanted", "placed"),
    [
        ("02:15", "03:00"),  # skipped: the first quarter hour after it that exists
        ("01:29", "01:29"),  # its 30 minutes end at 01:59, before the gap: kept
    ],
)
def test_a_team_task_the_clock_change_skips_takes_the_next_quarter_hour(
    wanted: str, placed: str
) -> None:
    """docs/rules.md, Changement d'heure: « Une tâche dont l'heure n'existe pas ce jour-là
    prend le premier quart d'heure qui existe », for every family of team tasks."""
    config = clock_change_config(wanted)
    assert task_violations(tasks_due_on_the_27th(placed), config) == []
    for other in ("01:15", "03:15"):
        assert len(task_violations(tasks_due_on_the_27th(other), config)) == len(TASK_IDS)


def test_a_team_task_without_a_time_may_take_any_time_of_its_day() -> None:
    """A reminder, a ritual task or a campaign task whose config gives no time: its day is
    fixed (the first working day of its window), its time is free."""
    config = clock_change_config(None)
    plan = tasks_due_on_the_27th("16:45")
    assert [v for v in task_violations(plan, config) if "prep-30" not in v] == []


def campaign_violations(plan: list[Item], config: Config, coverage: Coverage = MARCH) -> list[str]:
    return [
        v.render() for v in check(plan, config=config, coverage=coverage) if v.family == F.CAMPAIGNS
    ]


def campaign_config_with(edit: Any) -> Config:
    """`campaign_config()`, further changed by `edit`."""

    def both(data: dict[str, Any]) -> None:
        data["campaigns"][0]["anchor"] = "2026-03-18"
        data["campaigns"][0]["steps"][3]["phase"] = "decision"
        edit(data)

    return config_with(INPUTS, both)


def linkedin_blocked(first: str, last: str) -> Any:
    """LinkedIn blocked from `first` to `last`: the campaign's task follows LinkedIn, the
    channel of its first post."""
    return lambda d: d["calendar"]["blackouts"].append(
        {"from": first, "to": last, "label": "Salon", "channels": ["linkedin"]}
    )


def test_a_campaign_task_skips_the_days_blocked_for_its_channel() -> None:
    """The task's window is 11–13/03; LinkedIn is blocked on the 11th, so the 12th is its
    first working day; blocked on all three, no task is wanted."""
    config = campaign_config_with(linkedin_blocked("2026-03-11", "2026-03-11"))
    plan = moved(with_campaign(config), "sortie-prep", m(12))
    assert campaign_violations(plan, config) == []
    assert campaign_violations(moved(plan, "sortie-prep", m(11)), config) != []
    config = campaign_config_with(linkedin_blocked("2026-03-11", "2026-03-13"))
    assert campaign_violations(without(plan, "sortie-prep"), config) == []


def test_a_campaign_post_is_wanted_on_an_open_day_of_its_channel_not_a_working_day() -> None:
    """Skool without Wednesdays: the members' news (18/03, a Wednesday) has no open day, so
    it is not wanted, although the 18th is a working day."""
    config = campaign_config_with(lambda d: d["channels"]["skool"]["days"].remove("mercredi"))
    assert campaign_violations(without(with_campaign(config), "sortie-cercle"), config) == []


def test_a_campaign_window_cut_by_the_plan_s_end() -> None:
    """Covered up to 11/03, the task's window (11–13/03) must hold its task on the 11th: a
    task's day is fixed. Covered up to Friday 20/03, the public announcement's window
    (20–23/03) may still receive it on Saturday 21 or Monday 23, in the next plan."""
    config = campaign_config()
    plan = with_campaign(config)
    to_11 = Coverage.of([(m(1), m(11))])
    assert campaign_violations(without(plan, "sortie-prep"), config, to_11) != []
    to_20 = Coverage.of([(m(1), m(20))])
    assert campaign_violations(without(plan, "sortie-publique"), config, to_20) == []


def test_a_campaign_window_cut_by_the_plan_s_end_counts_the_posts_per_day_left() -> None:
    """Two LinkedIn posts a day: covered to Sunday 22/03, Monday 23 alone can still take
    the announcement."""
    config = campaign_config_with(lambda d: d["channels"]["linkedin"].update(per_day_max=2))
    to_22 = Coverage.of([(m(1), m(22))])
    plan = without(with_campaign(config), "sortie-publique")
    assert campaign_violations(plan, config, to_22) == []


def test_an_optional_ritual_may_be_left_out() -> None:
    config = config_with(
        INPUTS, lambda d: d["channels"]["skool"]["rituals"]["feedback"].update(required=False)
    )
    plan = swapped(march(), community("sk11", m(11), "question", msg=1))
    assert [v for v in check(plan, config=config) if v.family == F.RITUALS] == []


def test_a_campaign_post_with_rotating_messages_takes_one_of_them() -> None:
    """A campaign step may give a list of messages instead of one (`messages`): its posts
    take any of them, and nothing else."""

    def rotating(data: dict[str, Any]) -> None:
        news = data["campaigns"][0]["steps"][2]
        del news["message"]
        news["messages"] = ["Nouveau pour le Cercle : [A]", "Nouveau pour le Cercle : [B]"]

    config = campaign_config_with(rotating)
    plan = with_campaign(config)
    for message in config.campaigns[0].steps[2].messages or []:
        assert check(changed(plan, "sortie-cercle", message=message), config=config) == []
    other = changed(plan, "sortie-cercle", message="Autre chose")
    assert ids(other, F.COMMUNITY_CONTENT, config=config) == [("sortie-cercle",)]
