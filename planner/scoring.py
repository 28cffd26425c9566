"""Preference misses of a finished plan, computed without the solver.

For a plan solved in one model, the total per family equals what the solver's objective
counted (tests check it on every default month), and the report lists each miss from here.
Terms belong to the horizon: its posts, the weeks and months it touches (counting the items
of other months there), the pairs of lives with one of them in it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from planner.calendar import Calendar, month_days, month_title, window_days
from planner.config.model import Config
from planner.families import F
from planner.items import Item
from planner.labels import decimal, plural
from planner.rules import (
    best_days,
    best_hours,
    channel_audiences,
    mix_target,
    on_best_day,
    open_stages,
    present,
    steady,
)
from planner.weekdays import day_time, days_phrase


@dataclass(frozen=True)
class Miss:
    family: F
    points: Fraction
    items: tuple[str, ...]
    what: str


def score_plan(
    calendar: Calendar, items: Sequence[Item], context: Sequence[Item] = ()
) -> list[Miss]:
    """Misses of the horizon's items; `context` holds the items of other months."""
    everything = sorted((i for i in [*items, *context] if i.active), key=lambda i: (i.start, i.id))
    mine = [i for i in everything if calendar.horizon.contains(i.day)]
    scorer = _Scorer(calendar, mine, everything)
    return [
        *scorer.best_slot(),
        *scorer.weekly_target(),
        *scorer.type_targets(),
        *scorer.rhythm(),
        *scorer.mix_closeness(),
        *scorer.open_phases(),
        *scorer.live_pairs(F.LIVE_VARIETY),
        *scorer.live_pairs(F.LIVE_SPREAD),
        *scorer.optional_steps(),
    ]


def totals(misses: list[Miss]) -> dict[F, Fraction]:
    found: dict[F, Fraction] = defaultdict(Fraction)
    for miss in misses:
        found[miss.family] += miss.points
    return dict(found)


def item_type(config: Config, item: Item) -> str | None:
    """The community type a post counts as (its own, or the one its ritual or step stands
    for)."""
    spec = config.channels[item.channel]
    key = item.content_type
    if key in (spec.types or {}):
        return key
    if key in spec.rituals and not item.parent:
        return spec.rituals[key].counts_as
    for channel in config.channels.values():
        if channel.lives is not None:
            step = next((s for s in channel.lives.sequence if s.key == key), None)
            if step is not None and item.parent:
                return step.counts_as
    campaign = next((c for c in config.campaigns if c.key == item.parent), None)
    if campaign is not None:
        return next((s.counts_as for s in campaign.steps if s.key == key), None)
    return None


class _Scorer:
    def __init__(self, calendar: Calendar, mine: list[Item], everything: list[Item]) -> None:
        self.calendar = calendar
        self.config = calendar.config
        self.weights = calendar.config.preferences
        self.mine = mine
        self.everything = everything
        self.posts = [i for i in everything if i.kind == "post"]
        self.lives = [i for i in everything if i.kind == "live"]

    def _editorial(self, item: Item) -> bool:
        return self.config.channels[item.channel].planning == "audiences"

    def best_slot(self) -> Iterator[Miss]:
        for post in self.mine:
            if post.kind != "post" or not self._editorial(post):
                continue
            audience = self.config.audiences.get(post.audience)
            if audience is None:
                continue
            moments = self.calendar.key_moments(
                post.channel, post.audience, post.day.year, post.day.month
            )
            days = best_days(
                self.config, post.channel, post.audience, post.phase, post.day, moments
            )
            if not on_best_day(days, post.day) and self.weights.best_day:
                yield Miss(
                    F.BEST_SLOT,
                    Fraction(self.weights.best_day),
                    (post.id,),
                    f"{audience.short} le {day_time(post.start)} : hors meilleur jour "
                    f"({_days_text(days)})",
                )
            window = best_hours(self.config, post.audience, post.phase)
            outside = window is not None and not window.holds(post.start.time())
            if outside and window is not None and self.weights.best_hour:
                yield Miss(
                    F.BEST_SLOT,
                    Fraction(self.weights.best_hour),
                    (post.id,),
                    f"{audience.short} le {day_time(post.start)} : hors meilleure heure "
                    f"({window.start:%H:%M}–{window.end:%H:%M})",
                )

    def _weeks(self) -> Iterator[date]:
        yield from self.calendar.horizon.weeks()

    def _week_posts(self, key: str, days: list[date]) -> list[Item]:
        wanted = set(days)
        return [p for p in self.posts if p.channel == key and p.day in wanted]

    def weekly_target(self) -> Iterator[Miss]:
        weight = self.weights.weekly_target
        for key, channel in self.config.channels.items():
            if channel.per_week.target is None or not weight:
                continue
            for monday in self._weeks():
                band = self.calendar.band(key, monday)
                if not band.applies or band.target is None:
                    continue
                week = self._week_posts(key, band.covered)
                if len(week) != band.target:
                    yield Miss(
                        F.WEEKLY_TARGET,
                        Fraction(weight * abs(len(week) - band.target)),
                        tuple(p.id for p in week),
                        f"{channel.label}, semaine du {monday:%d/%m} : "
                        f"{plural(len(week), 'post')} pour une cible de {band.target}",
                    )

    def type_targets(self) -> Iterator[Miss]:
        weight = self.weights.type_target
        for key, channel in self.config.channels.items():
            if not channel.types or not weight:
                continue
            for monday in self._weeks():
                band = self.calendar.band(key, monday)
                if not band.applies:
                    continue
                week = self._week_posts(key, band.covered)
                for kind, spec in channel.types.items():
                    if not spec.per_week:
                        continue
                    target = self.calendar.type_target(key, monday, spec.per_week)
                    count = sum(1 for p in week if item_type(self.config, p) == kind)
                    if count < target:
                        yield Miss(
                            F.TYPE_TARGETS,
                            Fraction(weight * (target - count)),
                            (),
                            f"{channel.label}, semaine du {monday:%d/%m} : {count} "
                            f"« {spec.label} » pour un objectif de {target}",
                        )

    def rhythm(self) -> Iterator[Miss]:
        weight = self.weights.rhythm
        for post in self.mine:
            types = self.config.channels[post.channel].types
            if post.kind != "post" or types is None or not weight:
                continue
            spec = types.get(item_type(self.config, post) or "")
            if spec is not None and spec.days and post.day.weekday() not in spec.days:
                yield Miss(
                    F.DAY_RHYTHM,
                    Fraction(weight),
                    (post.id,),
                    f"« {spec.label} » le {day_time(post.start)} au lieu du "
                    f"{days_phrase(spec.days)}",
                )

    def _covered_month(self, year: int, month: int) -> list[date]:
        return [d for d in month_days(year, month) if self.calendar.covered(d)]

    def mix_closeness(self) -> Iterator[Miss]:
        weight = self.weights.mix_closeness
        for key, channel in self.config.channels.items():
            if channel.planning != "audiences" or not weight:
                continue
            for year, month in self.calendar.horizon.months():
                days = self._covered_month(year, month)
                if not days:
                    continue
                group = self._week_posts(key, days)
                target = mix_target(self.config, key, self.calendar.campaign_month(days[0]))
                for audience, share in target.shares.items():
                    count = sum(1 for p in group if p.audience == audience)
                    exact = share * len(group)
                    if count != exact:
                        yield Miss(
                            F.MIX_CLOSENESS,
                            weight * abs(count - exact),
                            (),
                            f"{self.config.audiences[audience].short} en "
                            f"{month_title(year, month)} : {plural(count, 'post')} sur "
                            f"{len(group)}, part exacte {decimal(float(exact))} "
                            f"({decimal(float(share * 100))} %)",
                        )

    def open_phases(self) -> Iterator[Miss]:
        weight = self.weights.open_phases
        if not weight:
            return
        audiences: list[str] = []
        for key, channel in self.config.channels.items():
            if channel.planning == "audiences":
                audiences += [a for a in channel_audiences(self.config, key) if a not in audiences]
        for year, month in self.calendar.horizon.months():
            days = set(self._covered_month(year, month))
            if not days:
                continue
            campaign = self.calendar.campaign_month(min(days))
            if steady(self.config, campaign):
                continue
            for audience in audiences:
                if not present(self.config, audience, campaign):
                    continue
                opened = [s.phase for s in open_stages(self.config, audience, campaign)]
                posts = [
                    p
                    for p in self.posts
                    if p.audience == audience
                    and self._editorial(p)
                    and not p.parent
                    and p.day in days
                ]
                if len(opened) < 2 or len(posts) < len(opened):
                    continue
                for phase in opened:
                    if not any(p.phase == phase for p in posts):
                        yield Miss(
                            F.OPEN_PHASES,
                            Fraction(weight),
                            (),
                            f"{self.config.audiences[audience].short} en "
                            f"{month_title(year, month)} : aucun post en phase « "
                            f"{self.config.phase_label(phase).lower()} » sur {len(posts)}",
                        )

    def live_pairs(self, family: F) -> Iterator[Miss]:
        horizon = self.calendar.horizon
        for key, channel in self.config.channels.items():
            rules = channel.lives
            if rules is None:
                continue
            if family == F.LIVE_VARIETY:
                gap, weight = rules.variety_gap_days, self.weights.live_variety
            else:
                gap, weight = rules.comfortable_gap_days, self.weights.live_spread
            if not weight:
                continue
            mine = [i for i in self.lives if i.channel == key]
            for n, first in enumerate(mine):
                for second in mine[n + 1 :]:
                    distance = (second.day - first.day).days
                    if distance >= gap:
                        break
                    if not (horizon.contains(first.day) or horizon.contains(second.day)):
                        continue
                    if family == F.LIVE_VARIETY and first.content_type != second.content_type:
                        continue
                    what = (
                        f"deux lives « {first.format} » à {distance} jours "
                        f"({first.day:%d/%m} et {second.day:%d/%m} ; souhaité : {gap})"
                        if family == F.LIVE_VARIETY
                        else f"lives du {first.day:%d/%m} et du {second.day:%d/%m} à "
                        f"{distance} jours (souhaité : {gap})"
                    )
                    yield Miss(family, Fraction(weight), (first.id, second.id), what)

    def optional_steps(self) -> Iterator[Miss]:
        weight = self.weights.optional_steps
        if not weight:
            return
        yield from self._optional_sequences(weight)
        yield from self._optional_rituals(weight)
        yield from self._optional_campaigns(weight)

    def _optional_sequences(self, weight: int) -> Iterator[Miss]:
        for live in self.mine:
            if live.kind != "live":
                continue
            rules = self.config.channels[live.channel].lives
            if rules is None:
                continue
            for step in rules.sequence:
                if step.required or step.kind != "post":
                    continue
                if step.formats is not None and live.content_type not in step.formats:
                    continue
                if not any(
                    i.parent == live.id and i.content_type == step.key for i in self.everything
                ):
                    yield Miss(
                        F.OPTIONAL_STEPS,
                        Fraction(weight),
                        (live.id,),
                        f"« {step.label} » du live du {live.day:%d/%m} non planifié",
                    )

    def _optional_rituals(self, weight: int) -> Iterator[Miss]:
        for key, channel in self.config.channels.items():
            for name, ritual in channel.rituals.items():
                if ritual.required or ritual.kind != "post":
                    continue
                for year, month in self.calendar.horizon.months():
                    if ritual.months is not None and month not in ritual.months:
                        continue
                    window = window_days(ritual.days, year, month)
                    if not any(
                        self.calendar.covered(d) and self.calendar.is_open(key, d) for d in window
                    ):
                        continue
                    if not any(
                        p.channel == key and p.content_type == name and p.day in window
                        for p in self.posts
                    ):
                        yield Miss(
                            F.OPTIONAL_STEPS,
                            Fraction(weight),
                            (),
                            f"« {ritual.label} » absent en {month_title(year, month)}",
                        )

    def _optional_campaigns(self, weight: int) -> Iterator[Miss]:
        horizon = self.calendar.horizon
        for campaign in self.config.campaigns:
            for step in campaign.steps:
                if step.required or step.kind != "post" or step.channel is None:
                    continue
                window = [campaign.anchor + timedelta(n) for n in step.days.span()]
                if not any(horizon.contains(d) for d in window):
                    continue
                if not any(
                    self.calendar.covered(d) and self.calendar.is_open(step.channel, d)
                    for d in window
                ):
                    continue
                count = sum(
                    1
                    for p in self.posts
                    if p.parent == campaign.key and p.content_type == step.key and p.day in window
                )
                if count < step.count:
                    yield Miss(
                        F.OPTIONAL_STEPS,
                        Fraction(weight * (step.count - count)),
                        (),
                        f"« {step.label} » ({campaign.name}) non planifié",
                    )


def _days_text(days: list[date] | list[int]) -> str:
    if days and isinstance(days[0], date):
        return f"près d'un moment clé : {days[0]:%d/%m} au {days[-1]:%d/%m}"
    return days_phrase(days)  # type: ignore[arg-type]
