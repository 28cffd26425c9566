"""The publishing rules as data: the pydantic model of `inputs/*.yaml`.

Every rule of docs/rules.md lives here as a field, so another brand plans by editing YAML only.
Field-local invariants are validators; references between sections are checked in
`crosscheck.py`, where the field path of the culprit is known.
"""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails

from planner.patterns import pattern_problem
from planner.weekdays import FRENCH_DAYS, parse_weekday


def _parse_clock(value: object) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{1,2})\s*[:hH]\s*(\d{2})\s*", value)
        if match:
            hour, minute = int(match.group(1)), int(match.group(2))
            if hour < 24 and minute < 60:
                return time(hour, minute)
    raise ValueError(f'heure invalide « {value} » ; écrivez-la comme "08:30"')


def _parse_year_month(value: object) -> date:
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", value)
        if match and 1 <= int(match.group(2)) <= 12:
            return date(int(match.group(1)), int(match.group(2)), 1)
    raise ValueError(f'mois invalide « {value} » ; écrivez-le comme "2026-01"')


Weekday = Annotated[int, BeforeValidator(parse_weekday)]
ClockTime = Annotated[time, BeforeValidator(_parse_clock)]
YearMonth = Annotated[date, BeforeValidator(_parse_year_month)]
Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("texte vide (rien que des espaces) : écrivez au moins un mot")
    return value


Text = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_not_blank)]
"""A text that gets exported: a blank one would leave a control point empty in the plan."""


def _distinct(values: list[str]) -> list[str]:
    for i, value in enumerate(values):
        if value in values[:i]:
            raise ValueError(
                f"message « {value} » en double : la rotation ne peut pas éviter de le "
                "publier deux fois de suite ; supprimez ou changez l'un des deux"
            )
    return values


Messages = Annotated[list[Text], Field(min_length=1), AfterValidator(_distinct)]
"""Key messages in rotation: never the same twice in a row, so each must be distinct."""


def field_error(
    model: BaseModel, field: str | tuple[str | int, ...], value: object, message: str
) -> ValidationError:
    """An error of a whole-model rule that belongs to one of its fields (or a field of one of
    its lists' items), so the message names that field and its line (pydantic-core prefixes
    the model's own location)."""
    loc = field if isinstance(field, tuple) else (field,)
    return ValidationError.from_exception_data(
        type(model).__name__,
        [InitErrorDetails(type="value_error", loc=loc, input=value, ctx={"error": message})],
    )


TASK_MINUTES = 30
"""How long a ritual's or a campaign's team task lasts in the calendar."""
LAST_MINUTE = 24 * 60 - 1


def task_in_its_day(model: BaseModel, moment: time | None) -> None:
    """A ritual's or campaign's task time (`time`) that would end the next day, refused."""
    problem = None if moment is None else past_midnight(moment, TASK_MINUTES)
    if problem is not None:
        raise field_error(model, "time", f"{moment:%H:%M}", problem)


def past_midnight(start: time, minutes: int) -> str | None:
    """Why a team task starting at `start` does not fit in its day, or None. A task belongs
    to one working day (the day before a live, a ritual's day): one that ran past midnight
    would end on another day."""
    if start.hour * 60 + start.minute + minutes <= LAST_MINUTE:
        return None
    latest = LAST_MINUTE - minutes
    return (
        f"la tâche commence à {start:%H:%M} et dure {minutes} min : elle finirait le "
        f"lendemain ; au plus tard {latest // 60:02d}:{latest % 60:02d}"
    )


class Strict(BaseModel):
    """Unknown keys are errors: a typo must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


def _unique(values: list[Any], what: str) -> list[Any]:
    if len(set(values)) != len(values):
        raise ValueError(f"{what} en double")
    return values


# --- calendar -------------------------------------------------------------------------


class HolidaysRule(Strict):
    country: str = Field("FR", description="Pays des jours fériés (code ISO, paquet `holidays`).")
    subdivision: str | None = Field(
        None, description="Subdivision facultative (ex. « 57 » pour la Moselle, « 974 »)."
    )

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        from planner.public_holidays import country_class

        try:
            country_class(value)
        except NotImplementedError:
            raise ValueError(f"pays inconnu « {value} » pour les jours fériés") from None
        return value

    @field_validator("subdivision")
    @classmethod
    def _subdivision(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Checked against the country, when the country itself is known."""
        from planner.public_holidays import country_class

        if value is None or "country" not in info.data:
            return value
        known = country_class(info.data["country"]).subdivisions
        if value not in known:
            raise ValueError(f"subdivision inconnue « {value} » ; possibles : {', '.join(known)}")
        return value


class Blackout(Strict):
    """A day or a range of days when nothing is published (all channels or some)."""

    day: date | None = Field(None, alias="date", description="Un seul jour bloqué.")
    start: date | None = Field(None, alias="from", description="Premier jour d'une période.")
    end: date | None = Field(None, alias="to", description="Dernier jour (inclus).")
    label: Text = Field(description="Raison affichée dans le rapport.")
    channels: list[Key] | None = Field(None, description="Canaux concernés (défaut : tous).")

    @model_validator(mode="after")
    def _shape(self) -> Blackout:
        if self.day is not None and (self.start is not None or self.end is not None):
            raise ValueError("donnez soit « date », soit « from » et « to », pas les deux")
        if self.day is None and (self.start is None or self.end is None):
            raise ValueError("donnez « date », ou bien « from » et « to »")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"la période finit ({self.end}) avant de commencer ({self.start})")
        return self

    @property
    def first(self) -> date:
        return self.day or self.start  # type: ignore[return-value]

    @property
    def last(self) -> date:
        return self.day or self.end  # type: ignore[return-value]


class KeyMoment(Strict):
    """A dated moment (release, sector deadline, event) that advocacy content is drawn to."""

    name: Text = Field(description="Nom affiché (« Sortie de la version 2 »).")
    day: date = Field(alias="date", description="Jour du moment clé.")
    audiences: list[Key] | None = Field(None, description="Audiences concernées (défaut : toutes).")
    channels: list[Key] | None = Field(None, description="Canaux concernés (défaut : tous).")
    example: bool = Field(False, description="Exemple à remplacer (marqué comme tel).")


class CalendarRules(Strict):
    campaign_start: YearMonth = Field(description="Mois 1 de la campagne (« 2026-01 »).")
    timezone: str = Field("Europe/Paris", description="Fuseau horaire IANA des heures.")
    holidays: HolidaysRule = Field(default_factory=HolidaysRule)
    blackouts: list[Blackout] = Field(default_factory=list)
    key_moments: list[KeyMoment] = Field(default_factory=list)
    key_moment_days: int = Field(
        3, ge=0, le=30, description="« Près d'un moment clé » : à ce nombre de jours au plus."
    )

    def campaign_month(self, day: date) -> int:
        """Month 1 is `campaign_start`'s."""
        start = self.campaign_start
        return (day.year - start.year) * 12 + day.month - start.month + 1

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        if value == "localtime":
            raise ValueError(
                "« localtime » est le fuseau de la machine qui calcule : le plan en dépendrait ; "
                "donnez un fuseau IANA (ex. Europe/Paris, Indian/Reunion)"
            )
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"fuseau horaire inconnu « {value} » (ex. Europe/Paris, Indian/Reunion)"
            ) from None
        return value


# --- channels -------------------------------------------------------------------------


class Band(Strict):
    min: int = Field(ge=0, le=100, description="Minimum par semaine (règle dure).")
    max: int = Field(ge=0, le=100, description="Maximum par semaine (règle dure).")
    target: int | None = Field(None, ge=0, le=100, description="Cible par semaine (préférence).")

    @model_validator(mode="after")
    def _order(self) -> Band:
        if self.max < self.min:
            raise ValueError(f"le maximum ({self.max}) est inférieur au minimum ({self.min})")
        if self.target is not None and not self.min <= self.target <= self.max:
            raise ValueError(
                f"la cible ({self.target}) sort de la fourchette {self.min}–{self.max}"
            )
        return self


class Window(Strict):
    start: ClockTime = Field(description="Début (« 08:30 »).")
    end: ClockTime = Field(description="Fin (« 09:30 »).")

    @model_validator(mode="after")
    def _order(self) -> Window:
        if self.end <= self.start:
            raise ValueError(
                f"la plage finit ({self.end:%H:%M}) avant de commencer ({self.start:%H:%M})"
            )
        return self

    def holds(self, moment: time) -> bool:
        return self.start <= moment <= self.end


def _parse_day_list(value: object) -> object:
    """`tous` (any publishing day of the channel) or a list of weekdays."""
    if isinstance(value, str) and value.strip().lower() in ("tous", "tout jour", "all", "any"):
        return list(FRENCH_DAYS)
    return value


DayList = Annotated[list[Weekday], BeforeValidator(_parse_day_list)]


class Offsets(Strict):
    """Days relative to an anchor (a live, a campaign date): -7 is a week before."""

    start: int = Field(alias="from", ge=-120, le=120)
    end: int = Field(alias="to", ge=-120, le=120)

    @model_validator(mode="after")
    def _order(self) -> Offsets:
        if self.end < self.start:
            raise ValueError(f"« to » ({self.end}) est avant « from » ({self.start})")
        return self

    def span(self) -> range:
        return range(self.start, self.end + 1)


class MonthDays(Strict):
    """Days of a month: 1 is the first, -1 the last (-7 to -1: the last seven days)."""

    start: int = Field(alias="from", ge=-31, le=31)
    end: int = Field(alias="to", ge=-31, le=31)

    @model_validator(mode="after")
    def _shape(self) -> MonthDays:
        if 0 in (self.start, self.end):
            raise ValueError(
                "les jours du mois se comptent à partir de 1 (ou de -1 pour le dernier)"
            )
        if (self.start > 0) == (self.end > 0) and self.end < self.start:
            raise ValueError(f"« to » ({self.end}) est avant « from » ({self.start})")
        if self.start < 0 < self.end:
            raise ValueError("« from » compté depuis la fin du mois et « to » depuis le début")
        return self


class ContentType(Strict):
    """A community post type (Skool: question, tip, celebration, resource)."""

    label: Text = Field(description="Nom affiché (« Question du jour »).")
    per_week: int = Field(ge=0, le=50, description="Objectif par semaine (préférence).")
    days: list[Weekday] = Field(default_factory=list, description="Jours du rythme (préférence).")
    format: Text = Field(description="Format du post.")
    template: Text = Field(description="Gabarit ; les [crochets] restent à compléter.")
    messages: Messages = Field(description="Messages clés, en rotation.")


class LiveFormat(Strict):
    label: Text
    duration_minutes: int = Field(gt=0, le=600)
    description: Text = Field(description="Contenu du live.")
    messages: Messages = Field(description="Sujets, en rotation.")


class Preparation(Strict):
    label: Text = "Préparation du live"
    time: ClockTime = Field(description="Heure de la tâche, la veille ouvrée du live.")
    duration_minutes: int = Field(30, gt=0, le=600)

    @model_validator(mode="after")
    def _same_day(self) -> Preparation:
        problem = past_midnight(self.time, self.duration_minutes)
        if problem is not None:
            raise field_error(self, "time", f"{self.time:%H:%M}", problem)
        return self


class SequenceStep(Strict):
    """One step of a live's sequence (announce, remind, replay, teaser), linked to its live."""

    key: Key = Field(description="Type de contenu de l'étape (annonce_live, replay…).")
    label: Text = Field(description="Nom affiché (« Annonce du live »).")
    kind: Literal["post", "task"] = Field("post", description="Post publié ou tâche d'équipe.")
    channel: Key | None = Field(None, description="Canal du post (défaut : celui du live).")
    days: Offsets = Field(description="Jours par rapport au live (-7 à -3 : une semaine avant).")
    formats: list[Key] | None = Field(None, description="Seulement pour ces formats de live.")
    audience: Key | None = Field(None, description="Audience (post sur un canal par audiences).")
    phase: Key | None = Field(None, description="Phase (post sur un canal par audiences).")
    counts_as: Key | None = Field(None, description="Type du canal dont l'étape tient lieu.")
    time: ClockTime | None = Field(None, description="Heure d'une tâche.")
    required: bool = Field(True, description="Obligatoire (règle dure) ou souhaitée.")
    format: str | None = Field(None, description="Format affiché (défaut : le nom).")
    template: str | None = Field(None, description="Gabarit du post ; [crochets] à compléter.")


class LiveRules(Strict):
    per_month: int = Field(ge=0, le=31, description="Nombre de lives par mois (règle dure).")
    days: list[Weekday] = Field(min_length=1, description="Jours possibles.")
    window: Window = Field(description="Le live commence et finit dans cette plage.")
    start_every_minutes: int = Field(30, gt=0, le=240, description="Pas des heures de début.")
    min_gap_days: int = Field(7, ge=0, le=60, description="Écart minimal entre deux lives.")
    comfortable_gap_days: int = Field(
        14, ge=0, le=60, description="Écart souhaité entre deux lives (préférence)."
    )
    no_repeat_format: bool = Field(True, description="Jamais deux fois le même format de suite.")
    formats: dict[Key, LiveFormat] = Field(min_length=1)
    preparation: Preparation
    reminder_minutes: int = Field(60, ge=0, le=10080, description="Rappel avant le live.")
    variety_gap_days: int = Field(
        42, ge=0, le=366, description="Même format de live à moins de ces jours : préférence."
    )
    sequence: list[SequenceStep] = Field(
        default_factory=list, description="Étapes liées à chaque live (annonce, replay…)."
    )

    @model_validator(mode="after")
    def _steps(self) -> LiveRules:
        _unique([s.key for s in self.sequence], "étape")
        for n, step in enumerate(self.sequence):
            if step.kind != "task" or step.time is None:
                continue
            problem = past_midnight(step.time, self.preparation.duration_minutes)
            if problem is not None:
                raise field_error(self, ("sequence", n, "time"), f"{step.time:%H:%M}", problem)
        return self

    @model_validator(mode="after")
    def _some_format_fits(self) -> LiveRules:
        """Lives wanted but none fits the window: the solver could only report, month after
        month, a conflict whose cause is here. The error points at `window` (pydantic-core
        prefixes the location of a ValidationError raised in a validator)."""
        if self.per_month == 0:
            return self
        start = self.window.start.hour * 60 + self.window.start.minute
        length = self.window.end.hour * 60 + self.window.end.minute - start
        shortest = min(self.formats.values(), key=lambda f: f.duration_minutes)
        if shortest.duration_minutes <= length:
            return self
        message = (
            f"aucun format de live ne tient dans la plage {self.window.start:%H:%M}–"
            f"{self.window.end:%H:%M} ({length} min) : le plus court, « {shortest.label} », "
            f"dure {shortest.duration_minutes} min ; les {self.per_month} live(s) prévus par "
            "mois ne pourraient jamais être planifiés. Élargissez la plage ou raccourcissez "
            "un format"
        )
        raise field_error(self, "window", self.window.model_dump(), message)


class Ritual(Strict):
    """A monthly (or quarterly) ritual: a variant of a community type pinned to days of the
    month, or a team task, so it adds no volume beyond the weekly band."""

    label: Text = Field(description="Nom affiché (« Membre à l'honneur »).")
    kind: Literal["post", "task"] = Field("post", description="Post publié ou tâche d'équipe.")
    counts_as: Key | None = Field(
        None, description="Type du canal dont le rituel est une variante."
    )
    days: MonthDays = Field(description="Jours du mois permis (1 à 7 : première semaine).")
    months: list[Annotated[int, Field(ge=1, le=12)]] | None = Field(
        None, description="Mois de l'année (1 à 12) ; défaut : tous."
    )
    required: bool = Field(True, description="Obligatoire (règle dure) ou souhaité.")
    time: ClockTime | None = Field(None, description="Heure d'une tâche.")
    format: str | None = Field(None, description="Format affiché (défaut : le nom).")
    template: str | None = Field(None, description="Gabarit ; [crochets] à compléter.")
    messages: list[Text] = Field(default_factory=list, description="Messages, en rotation.")

    @model_validator(mode="after")
    def _messages(self) -> Ritual:
        if self.kind == "post" and not self.messages:
            raise ValueError("un rituel publié doit avoir au moins un message (messages)")
        _distinct(self.messages)
        return self

    @model_validator(mode="after")
    def _same_day(self) -> Ritual:
        if self.kind == "task":
            task_in_its_day(self, self.time)
        return self


class Channel(Strict):
    label: Text
    short: Annotated[str, Field(min_length=1, max_length=8)] | None = Field(
        None, description="Étiquette courte dans les titres d'agenda (« LI », « SK »)."
    )
    days: list[Weekday] = Field(min_length=1, description="Jours de publication.")
    per_week: Band
    per_day_max: int = Field(1, ge=1, le=20)
    times: list[ClockTime] = Field(min_length=1, description="Heures candidates.")
    duration_minutes: int = Field(30, gt=0, le=600, description="Durée d'un post dans l'agenda.")
    planning: Literal["audiences", "types"] = Field(
        description="« audiences » : posts répartis par audience et phase (mix mensuel) ; "
        "« types » : posts d'animation par type."
    )
    audience: Key | None = Field(None, description="Audience des posts par type.")
    phase: Key | None = Field(None, description="Phase des posts par type.")
    types: dict[Key, ContentType] | None = None
    lives: LiveRules | None = None
    rituals: dict[Key, Ritual] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _shape(self) -> Channel:
        _unique(self.days, "jour")
        _unique(self.times, "heure")
        if list(self.times) != sorted(self.times):
            raise ValueError("les heures candidates doivent être dans l'ordre chronologique")
        if self.planning == "types":
            missing = [k for k in ("audience", "phase", "types") if getattr(self, k) is None]
            if missing:
                raise ValueError("un canal « types » doit avoir : " + ", ".join(missing))
        elif self.types is not None:
            raise ValueError("« types » n'a de sens que pour un canal planning: types")
        if self.lives is not None and (self.audience is None or self.phase is None):
            raise ValueError("un canal avec des lives doit avoir « audience » et « phase »")
        if self.rituals and self.planning != "types":
            raise ValueError("« rituals » n'a de sens que pour un canal planning: types")
        return self

    @property
    def tag(self) -> str:
        return self.short or self.label


# --- audiences and journeys ---------------------------------------------------------------


class Eligibility(Strict):
    from_month: int = Field(1, ge=1, le=600, description="Mois de campagne d'entrée.")
    metric: Key | None = Field(None, description="Métrique à dépasser (ex. active_clients).")
    above: float | None = Field(None, description="Seuil strict de la métrique.")

    @model_validator(mode="after")
    def _pair(self) -> Eligibility:
        if (self.metric is None) != (self.above is None):
            raise ValueError("« metric » et « above » vont ensemble")
        return self


class Audience(Strict):
    label: Text
    short: Annotated[str, Field(min_length=1, max_length=6)] = Field(
        description="Initiales affichées sur le calendrier."
    )
    best_days: list[Weekday] = Field(default_factory=list)
    best_hours: Window | None = None
    eligible: Eligibility = Field(default_factory=Eligibility)
    approach: str | None = Field(None, description="Consigne d'approche (ex. « ne pas vendre »).")


class Phase(Strict):
    key: Key
    label: Text


class MonthRange(Strict):
    start: int = Field(alias="from", ge=1, le=600)
    end: int | None = Field(None, alias="to", ge=1, le=600)

    @model_validator(mode="after")
    def _order(self) -> MonthRange:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"« to » ({self.end}) est avant « from » ({self.start})")
        return self

    def holds(self, month: int) -> bool:
        return self.start <= month and (self.end is None or month <= self.end)


class PostFormat(Strict):
    label: Text = Field(description="Format affiché (« Carrousel éducatif »).")
    type: Key = Field(description="Type de post (content_type du CSV).")


class Stage(Strict):
    """One journey phase of one audience: its window, timing, formats and messages.

    The phase opens in the first month of its window and stays open (new prospects arrive
    every month); in the months before `phase_mix.from_month`, the phases whose window holds
    the month are its focus."""

    phase: Key
    months: MonthRange = Field(description="Fenêtre du parcours : phase au premier plan.")
    goal: Text
    tone: Text
    emotion: str | None = Field(None, description="Émotion dominante de la cible.")
    content: str | None = Field(None, description="Contenu prioritaire.")
    timing: str | None = Field(None, description="Timing de la phase, tel que le seed l'écrit.")
    timing_days: DayList | None = Field(
        None, description="Meilleurs jours de la phase (remplacent ceux de l'audience) ; « tous »."
    )
    timing_hours: Window | None = Field(None, description="Meilleures heures de la phase.")
    less_frequent: bool = Field(
        False, description="« Moins fréquent » : hors premier plan, au plus sa part stable."
    )
    near_key_moments: bool = Field(
        False, description="Publiée près des moments clés du mois quand il y en a."
    )
    formats: list[PostFormat] = Field(min_length=1)
    messages: list[Text] = Field(default_factory=list, description="Messages clés, en rotation.")
    briefs: list[Text] = Field(
        default_factory=list,
        description="Pistes à rédiger (« Programme de parrainage (à définir) ») : une fois par "
        "mois et par audience au plus, titre « À rédiger : ».",
    )

    @model_validator(mode="after")
    def _pool(self) -> Stage:
        if not self.messages and not self.briefs:
            raise field_error(
                self,
                "messages",
                self.messages,
                "la liste ne peut pas être vide : donnez au moins un message clé (messages) ou "
                "une piste (briefs)",
            )
        _distinct([*self.messages, *self.briefs])
        return self


class Journey(Strict):
    phase_coverage: Literal["when_possible", "required"] = Field(
        "when_possible",
        description="« when_possible » : chaque phase au premier plan a au moins un post quand "
        "l'audience en a assez ; « required » : toujours (règle dure).",
    )
    phase_mix: dict[Key, Annotated[int, Field(ge=0, le=100)]] | None = Field(
        None, description="Mix de phases stable propre à cette audience (défaut : phase_mix)."
    )
    stages: list[Stage] = Field(min_length=1)


class PhaseMix(Strict):
    """After the months the journeys describe, each audience's posts follow these shares,
    taken over the phases open that month (floor or ceil of share × posts)."""

    from_month: int = Field(ge=1, le=600, description="Premier mois de campagne du mix stable.")
    shares: dict[Key, Annotated[int, Field(ge=0, le=100)]] = Field(
        min_length=1, description="Parts en %, renormalisées sur les phases ouvertes."
    )


# --- mix --------------------------------------------------------------------------------

OTHERS = "others"


class MixRow(Strict):
    months: list[int] = Field(min_length=1, description="Mois de campagne couverts.")
    label: str | None = None
    shares: dict[Key, int] = Field(description="Parts en %, « others » compris.")

    @model_validator(mode="after")
    def _sum(self) -> MixRow:
        _unique(self.months, "mois")
        if any(m < 1 for m in self.months):
            raise ValueError("les mois de campagne commencent à 1")
        if any(v < 0 for v in self.shares.values()):
            raise ValueError("une part ne peut pas être négative")
        total = sum(self.shares.values())
        if total != 100:
            raise ValueError(f"les parts font {total} %, elles doivent faire 100 %")
        return self


class ChannelMix(Strict):
    others: list[Key] = Field(default_factory=list, description="Audiences de « others ».")
    rows: list[MixRow] = Field(min_length=1)

    @model_validator(mode="after")
    def _contiguous(self) -> ChannelMix:
        months = sorted(m for row in self.rows for m in row.months)
        if len(set(months)) != len(months):
            raise ValueError("un mois apparaît dans deux lignes du mix")
        if months != list(range(1, len(months) + 1)):
            raise ValueError(
                "les lignes du mix doivent couvrir les mois 1, 2, 3… sans trou "
                f"(reçu : {', '.join(map(str, months))})"
            )
        return self

    def row_for(self, month: int) -> tuple[MixRow, bool]:
        """The row of a campaign month and whether it is carried over from the last one."""
        for row in self.rows:
            if month in row.months:
                return row, False
        last = max(self.rows, key=lambda row: max(row.months))
        return last, True


# --- campaigns ----------------------------------------------------------------------------


class CampaignStep(Strict):
    key: Key = Field(description="Type de contenu de l'étape.")
    label: Text = Field(description="Nom affiché de l'étape.")
    kind: Literal["post", "task"] = Field("post", description="Post publié ou tâche d'équipe.")
    channel: Key | None = Field(None, description="Canal du post (obligatoire pour un post).")
    days: Offsets = Field(description="Jours par rapport à la date d'ancrage.")
    count: int = Field(1, ge=1, le=60, description="Nombre d'éléments de cette étape.")
    audience: Key | None = Field(None, description="Audience (post sur un canal par audiences).")
    phase: Key | None = Field(None, description="Phase (post sur un canal par audiences).")
    counts_as: Key | None = Field(None, description="Type du canal dont l'étape tient lieu.")
    time: ClockTime | None = Field(None, description="Heure d'une tâche.")
    required: bool = Field(True, description="Obligatoire (règle dure) ou souhaitée.")
    message: Text | None = Field(None, description="Message clé de l'étape.")
    messages: list[Text] = Field(
        default_factory=list, description="Ou plusieurs messages, en rotation (count > 1)."
    )
    format: str | None = Field(None, description="Format affiché (défaut : le nom).")
    template: str | None = Field(None, description="Gabarit ; [crochets] à compléter.")

    @model_validator(mode="after")
    def _message(self) -> CampaignStep:
        if (self.message is None) == (not self.messages):
            raise ValueError("donnez soit « message », soit une liste « messages »")
        _distinct(self.messages)
        return self

    @model_validator(mode="after")
    def _same_day(self) -> CampaignStep:
        if self.kind == "task":
            task_in_its_day(self, self.time)
        return self

    @property
    def texts(self) -> list[str]:
        """The step's messages, in rotation."""
        return [self.message] if self.message is not None else list(self.messages)


class Campaign(Strict):
    """Steps at offsets from an anchor date, planned with every other rule."""

    key: Key = Field(description="Identifiant de la campagne.")
    name: Text = Field(description="Nom affiché.")
    anchor: date = Field(description="Date d'ancrage (sortie, lancement…).")
    example: bool = Field(False, description="Exemple à remplacer (marqué comme tel).")
    key_moment: bool = Field(True, description="La date d'ancrage est un moment clé.")
    steps: list[CampaignStep] = Field(min_length=1)

    @model_validator(mode="after")
    def _keys(self) -> Campaign:
        _unique([s.key for s in self.steps], "étape")
        return self


# --- the rest ---------------------------------------------------------------------------


class ConfidentialPattern(Strict):
    label: Text
    pattern: Text = Field(description="Expression régulière (insensible à la casse).")
    _origin: tuple[Path | None, int | None] = PrivateAttr((None, None))
    """File and line it was written at, set by `load_config`: a search that runs out of
    time during an export must name them, long after loading."""

    @field_validator("pattern")
    @classmethod
    def _usable(cls, value: str) -> str:
        """Refused at load when it could hang: exports search it in every text."""
        problem = pattern_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


class Confidential(Strict):
    patterns: list[ConfidentialPattern] = Field(default_factory=list)


class Weights(Strict):
    """Points lost per miss; hard rules are never traded against these. The defaults are
    the values of inputs/settings.yaml, so that leaving a weight out changes nothing."""

    best_day: int = Field(100, ge=0, le=10000)
    best_hour: int = Field(40, ge=0, le=10000)
    weekly_target: int = Field(150, ge=0, le=10000)
    type_target: int = Field(25, ge=0, le=10000)
    rhythm: int = Field(20, ge=0, le=10000)
    mix_closeness: int = Field(10, ge=0, le=10000)
    open_phases: int = Field(30, ge=0, le=10000)
    live_variety: int = Field(10, ge=0, le=10000)
    live_spread: int = Field(5, ge=0, le=10000)
    optional_steps: int = Field(50, ge=0, le=10000)


TITLE_FIELDS = frozenset({"canal", "audience", "phase", "type", "format", "message"})


def _title_format(value: str) -> str:
    import string

    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
    except ValueError:
        raise ValueError(f"accolades mal fermées dans « {value} »") from None
    unknown = [f for f in fields if f not in TITLE_FIELDS]
    if unknown:
        raise ValueError(
            f"champ inconnu {{{unknown[0]}}} ; champs possibles : "
            + ", ".join(f"{{{f}}}" for f in sorted(TITLE_FIELDS))
        )
    return value


TitleFormat = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_title_format)]


class Titles(Strict):
    """Event titles as a month view shows them: a short channel tag, then what it is."""

    post: TitleFormat = Field(
        "{canal} · {audience} · {phase} — {message}", description="Post par audience."
    )
    community: TitleFormat = Field("{canal} · {type} — {message}", description="Post par type.")
    live: TitleFormat = Field("LIVE · {format} — {message}", description="Live.")
    task: TitleFormat = Field("À FAIRE · {type} — {message}", description="Tâche d'équipe.")


class ExportRules(Strict):
    uid_domain: Annotated[str, Field(pattern=r"^[A-Za-z0-9.-]+$")] = Field(
        description="Domaine des UID (« <id>@<domaine> »)."
    )
    calendar_name: Text
    location: str = ""
    titles: Titles = Field(default_factory=Titles)


class Config(Strict):
    calendar: CalendarRules
    channels: dict[Key, Channel] = Field(min_length=1)
    audiences: dict[Key, Audience] = Field(min_length=1)
    phases: list[Phase] = Field(min_length=1)
    journeys: dict[Key, Journey]
    mix: dict[Key, ChannelMix] = Field(default_factory=dict)
    phase_mix: PhaseMix | None = None
    campaigns: list[Campaign] = Field(default_factory=list)
    confidential: Confidential = Field(default_factory=Confidential)
    metrics: dict[Key, float] = Field(default_factory=dict)
    preferences: Weights = Field(default_factory=Weights)
    export: ExportRules

    def task_channel(self, campaign: Campaign, step: CampaignStep) -> str:
        """The channel a campaign task follows (working days, blackouts): its own, else the
        channel of the campaign's first post, else the first channel."""
        if step.channel is not None:
            return step.channel
        posts = [s.channel for s in campaign.steps if s.channel is not None]
        return posts[0] if posts else next(iter(self.channels))

    def phase_index(self, key: str) -> int:
        return [p.key for p in self.phases].index(key)

    def phase_label(self, key: str) -> str:
        return next(p.label for p in self.phases if p.key == key)
