"""The solver-free checker: every hard rule of docs/rules.md, re-verified on a finished plan.

It trusts nothing the solver computed. Its references (holidays, open and working days,
weeks, bands, exact shares, lives wanted, valid local times) are recomputed here from the
config alone, so a bug in the model and the same bug here are two independent mistakes.
It never imports `planner.solver`, `planner.calendar`, `planner.rules` or `planner.content`.

Aggregated rules (weekly band, monthly mixes, monthly message caps, lives per month, ritual
and campaign counts) count items on covered days only; per-item rules (days, times,
content, membership in a live's sequence or a campaign) apply to every active item given.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from itertools import pairwise
from typing import NamedTuple
from zoneinfo import ZoneInfo

from planner.confidential import item_leaks
from planner.config.model import OTHERS, Campaign, CampaignStep, Config, Ritual, SequenceStep
from planner.coverage import Coverage
from planner.families import F, name
from planner.items import KINDS, STATUSES, Item
from planner.labels import COLUMN_TITLES
from planner.public_holidays import country_holidays
from planner.weekdays import day_name, month_name

BRIEF_TITLE = "À rédiger :"
"""Title prefix of a post drawn from a phase's `briefs` (a topic still to be written)."""
PREPARATION = "preparation"
_ORDER = {family: i for i, family in enumerate(F)}
_SEARCH_DAYS = 366
"""How far back a previous working day is searched: a year of closures means none exists."""


@dataclass(frozen=True)
class Violation:
    family: F
    message: str
    """French, with the expected and found numbers and dates as dd/mm/yyyy."""
    items: tuple[str, ...] = ()

    def render(self) -> str:
        ids = f" [{', '.join(self.items[:6])}{'…' if len(self.items) > 6 else ''}]"
        return f"{name(self.family)} : {self.message}{ids if self.items else ''}"


class WeekBand(NamedTuple):
    min: int
    max: int
    target: int | None


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _hm(moment: time | datetime) -> str:
    return f"{moment:%H:%M}"


def _month(year: int, month: int) -> str:
    return f"{month_name(month)} {year}"


def _half_up(value: Fraction) -> int:
    """`arrondi` of the rules: to the nearest integer, a half going up (not to even)."""
    return math.floor(value + Fraction(1, 2))


def share_bounds(share: Fraction, total: int) -> tuple[int, int]:
    """`plancher(s × N)` and `plafond(s × N)` of an exact share: the counts allowed."""
    return math.floor(share * total), math.ceil(share * total)


def _percent(share: Fraction) -> str:
    return f"{float(share * 100):.3g} %"


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _days_of(coverage: Coverage) -> set[date]:
    days: set[date] = set()
    for first, last in coverage.spans:
        days.update(first + timedelta(days=k) for k in range((last - first).days + 1))
    return days


def _month_days(year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return [first + timedelta(days=k) for k in range((following - first).days)]


class References:
    """The checker's own calendar and reference quantities, recomputed from the config and
    the covered days only; `tests/test_rule_tables.py` pins them to hand-computed values."""

    def __init__(self, config: Config, coverage: Coverage) -> None:
        self.config = config
        self.zone = ZoneInfo(config.calendar.timezone)
        self.covered = frozenset(_days_of(coverage))
        rule = config.calendar.holidays
        self._holidays = country_holidays(rule.country, subdiv=rule.subdivision, language="fr")
        """Each year is loaded on its first lookup."""
        self._holiday_names: dict[date, str | None] = {}
        self._slots: dict[tuple[date, time, int], str | None] = {}
        """Memos: a year of items asks about the same few hundred days and slots."""
        start = config.calendar.campaign_start
        self._month_zero = start.year * 12 + start.month

    # --- days -----------------------------------------------------------------------------

    def campaign_month(self, day: date) -> int:
        return day.year * 12 + day.month - self._month_zero + 1

    def holiday(self, day: date) -> str | None:
        if day not in self._holiday_names:
            found = self._holidays.get(day)
            self._holiday_names[day] = None if found is None else str(found)
        return self._holiday_names[day]

    def blackout(self, channel: str | None, day: date) -> str | None:
        """The label of a blackout closing `day` for `channel` (None: blackouts of all
        channels only, for tasks that belong to no channel)."""
        for blackout in self.config.calendar.blackouts:
            applies = blackout.channels is None or (
                channel is not None and channel in blackout.channels
            )
            if applies and blackout.first <= day <= blackout.last:
                return blackout.label
        return None

    def closed(self, channel: str, day: date, weekdays: Iterable[int] | None = None) -> str | None:
        """Why `day` is not an open day of the channel (None when it is open); `weekdays`
        narrows the channel's days (a live's `lives.days`)."""
        days = set(self.config.channels[channel].days)
        if weekdays is not None:
            days &= set(weekdays)
        if day.weekday() not in days:
            return f"le {day_name(day.weekday())} n'est pas un jour prévu"
        holiday = self.holiday(day)
        if holiday is not None:
            return f"jour férié : {holiday}"
        blackout = self.blackout(channel, day)
        return None if blackout is None else f"jour bloqué : {blackout}"

    def is_open(self, channel: str, day: date) -> bool:
        return self.closed(channel, day) is None

    def is_live_day(self, channel: str, day: date) -> bool:
        lives = self.config.channels[channel].lives
        return lives is not None and self.closed(channel, day, lives.days) is None

    def is_working(self, channel: str | None, day: date) -> bool:
        """A team task's day: Monday to Friday, neither a holiday nor blocked."""
        return (
            day.weekday() < 5 and self.holiday(day) is None and self.blackout(channel, day) is None
        )

    def previous_working_day(self, channel: str, day: date) -> date | None:
        for back in range(1, _SEARCH_DAYS + 1):
            candidate = day - timedelta(days=back)
            if self.is_working(channel, candidate):
                return candidate
        return None

    def first_working_day(self, channel: str | None, days: Iterable[date]) -> date | None:
        return next((d for d in sorted(days) if self.is_working(channel, d)), None)

    def task_day(self, channel: str | None, window: list[date]) -> date | None:
        """A ritual's or campaign's task day: the first working day of its window among the
        covered days (nothing is placed before `--now`), or of the whole window when none of
        its days is covered."""
        covered = [d for d in window if d in self.covered]
        return self.first_working_day(channel, covered) or self.first_working_day(channel, window)

    def window_minimum(self, channel: str, window: list[date], count: int) -> int:
        """What the covered days of a step's window must hold: `count`, less what the days
        of the window after them (not covered yet, open) can still receive later. Callers
        ask only about windows with covered days."""
        last = max(d for d in window if d in self.covered)
        later = [d for d in window if d > last and self.is_open(channel, d)]
        return max(0, count - len(later) * self.config.channels[channel].per_day_max)

    # --- weeks and months -------------------------------------------------------------------

    def week_band(self, channel: str, monday: date) -> WeekBand | None:
        """The hard band of a channel's week and its target, or None when the plan covers
        none of its days of that week."""
        spec = self.config.channels[channel]
        week = [monday + timedelta(days=k) for k in range(7)]
        days = [d for d in week if d.weekday() in spec.days]
        covered = [d for d in days if d in self.covered]
        if not covered:
            return None
        opened = [d for d in covered if self.is_open(channel, d)]
        band = spec.per_week
        target = band.target
        return WeekBand(
            math.floor(Fraction(band.min * len(opened), len(days))),
            math.ceil(Fraction(band.max * len(covered), len(days))),
            None if target is None else _half_up(Fraction(target * len(covered), len(days))),
        )

    def lives_wanted(self, channel: str, year: int, month: int) -> int:
        lives = self.config.channels[channel].lives
        assert lives is not None
        days = [d for d in _month_days(year, month) if d.weekday() in lives.days]
        covered = [d for d in days if d in self.covered]
        return _half_up(Fraction(lives.per_month * len(covered), len(days)))

    def live_grid(self, channel: str) -> list[time]:
        """Live start times: the window's start plus whole steps, up to the window's end."""
        lives = self.config.channels[channel].lives
        assert lives is not None
        start = lives.window.start.hour * 60 + lives.window.start.minute
        end = lives.window.end.hour * 60 + lives.window.end.minute
        return [time(m // 60, m % 60) for m in range(start, end + 1, lives.start_every_minutes)]

    def ritual_window(self, ritual: Ritual, year: int, month: int) -> list[date]:
        """The ritual's days in a month (negative numbers count from the end); days past a
        short month's end are dropped; empty for a month the ritual skips."""
        if ritual.months is not None and month not in ritual.months:
            return []
        days = _month_days(year, month)

        def position(number: int) -> int:
            return number if number > 0 else len(days) + 1 + number

        first, last = position(ritual.days.start), position(ritual.days.end)
        return [d for d in days if first <= d.day <= last]

    # --- audiences and phases ---------------------------------------------------------------

    def open_phases(self, audience: str, month: int) -> list[str]:
        journey = self.config.journeys.get(audience)
        if journey is None:
            return []
        return [s.phase for s in journey.stages if s.months.start <= month]

    def focus_phases(self, audience: str, month: int) -> list[str]:
        mix = self.config.phase_mix
        journey = self.config.journeys.get(audience)
        if journey is None or (mix is not None and month >= mix.from_month):
            return []
        return [s.phase for s in journey.stages if s.months.holds(month)]

    def targetable(self, audience: str, month: int) -> bool:
        return self.untargetable(audience, month) is None

    def untargetable(self, audience: str, month: int) -> str | None:
        """Why an audience cannot be targeted in a campaign month (None when it can)."""
        rule = self.config.audiences[audience].eligible
        if month < rule.from_month:
            return f"ciblable à partir du mois {rule.from_month}"
        if rule.metric is not None and rule.above is not None:
            value = self.config.metrics.get(rule.metric)
            if value is None:
                return f"métrique {rule.metric} inconnue"
            if not value > rule.above:
                return f"{rule.metric} = {value:g} ne dépasse pas {rule.above:g}"
        if not self.open_phases(audience, month):
            return "aucune phase de son parcours n'est encore ouverte"
        return None

    def audience_shares(self, channel: str, month: int) -> dict[str, Fraction]:
        """Effective shares of a channel's mix row in a campaign month: untargetable shares
        and an unreachable `others` go to a reserve, shared out pro rata (or equally)."""
        mix = self.config.mix[channel]
        row = next((r for r in mix.rows if month in r.months), None)
        if row is None:
            row = max(mix.rows, key=lambda r: max(r.months))
        shares: dict[str, Fraction] = {}
        reserve = Fraction(0)
        for audience, percent in row.shares.items():
            if audience == OTHERS:
                continue
            share = Fraction(percent, 100)
            if audience in self.config.audiences and self.targetable(audience, month):
                shares[audience] = share
            else:
                reserve += share
        others = Fraction(row.shares.get(OTHERS, 0), 100)
        reached = [
            a for a in mix.others if a in self.config.audiences and self.targetable(a, month)
        ]
        for audience in reached:
            shares[audience] = others / len(reached)
        if not reached:
            reserve += others
        if reserve:
            positive = {a: s for a, s in shares.items() if s > 0}
            total = sum(positive.values(), Fraction(0))
            if positive:
                for audience, share in positive.items():
                    shares[audience] += reserve * share / total
            elif shares:
                for audience in shares:
                    shares[audience] += reserve / len(shares)
        return {a: s for a, s in shares.items() if s > 0}

    def phase_shares(self, audience: str, month: int) -> dict[str, Fraction]:
        """Stable phase shares renormalised over the phases open that month (equal when all
        are 0); empty without any `phase_mix`."""
        journey = self.config.journeys.get(audience)
        if journey is None:
            return {}
        stable = journey.phase_mix
        if stable is None and self.config.phase_mix is not None:
            stable = self.config.phase_mix.shares
        opened = self.open_phases(audience, month)
        if stable is None or not opened:
            return {}
        parts = {p: stable.get(p, 0) for p in opened}
        total = sum(parts.values())
        if not total:
            return {p: Fraction(1, len(opened)) for p in opened}
        return {p: Fraction(part, total) for p, part in parts.items()}

    # --- times ------------------------------------------------------------------------------

    def _once(self, wall: datetime) -> bool:
        """A local wall time that exists exactly once: both folds agree, and a UTC round
        trip gives it back (false in the spring gap and the autumn overlap)."""
        first = wall.replace(tzinfo=self.zone, fold=0)
        second = wall.replace(tzinfo=self.zone, fold=1)
        if first.utcoffset() != second.utcoffset():
            return False
        back = first.astimezone(UTC).astimezone(self.zone).replace(tzinfo=None)
        return back == wall

    def start_issue(self, day: date, clock: time) -> str | None:
        """Why a local start time is not usable on `day` (None when it exists once)."""
        if self._once(datetime.combine(day, clock)):
            return None
        return f"{_hm(clock)} n'existe pas ou existe deux fois le {_d(day)} (changement d'heure)"

    def time_issue(self, day: date, clock: time, minutes: int) -> str | None:
        """Why a start at `clock` on `day` lasting `minutes` (in real time) is not a valid
        slot, or None: start and end must exist once, that day, at the same UTC offset."""
        key = (day, clock, minutes)
        if key not in self._slots:
            self._slots[key] = self._time_issue(day, clock, minutes)
        return self._slots[key]

    def _time_issue(self, day: date, clock: time, minutes: int) -> str | None:
        issue = self.start_issue(day, clock)
        if issue is not None:
            return issue
        start = datetime.combine(day, clock, tzinfo=self.zone)
        end = (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(self.zone)
        if end.date() != day:
            return f"{_hm(clock)} + {minutes} min finit après le {_d(day)}"
        if not self._once(end.replace(tzinfo=None)) or end.utcoffset() != start.utcoffset():
            return f"{_hm(clock)} + {minutes} min traverse un changement d'heure le {_d(day)}"
        return None


@dataclass(frozen=True)
class _Entry:
    """An item with its local wall-clock times, as the rules read them."""

    item: Item
    start: datetime
    end: datetime
    instant: datetime
    """The start in UTC, for ordering by publication."""

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def id(self) -> str:
        return self.item.id


def check_plan(
    config: Config,
    items: Sequence[Item],
    coverage: Coverage,
    owned: frozenset[tuple[str, str]] = frozenset(),
) -> list[Violation]:
    """Every hard-rule violation of a plan, sorted by date then item id. `owned` holds the
    (item id, field) pairs the user typed: they need not come from the config's lists."""
    return _Checker(config, items, coverage, owned).run()


def newly_broken(
    config: Config,
    coverage: Coverage,
    baseline: list[Violation],
    items: Sequence[Item],
    ignore: tuple[F, ...] = (),
) -> list[F]:
    """Families a changed version of a plan breaks that the plan itself did not (same family
    and items), in order of appearance: what a move or a removal would cost."""
    known = {(v.family, v.items) for v in baseline}
    found: list[F] = []
    for violation in check_plan(config, items, coverage):
        family = violation.family
        if (family, violation.items) not in known and family not in ignore and family not in found:
            found.append(family)
    return found


class _Checker:
    def __init__(
        self,
        config: Config,
        items: Sequence[Item],
        coverage: Coverage,
        owned: frozenset[tuple[str, str]],
    ) -> None:
        self.config = config
        self.ref = References(config, coverage)
        self.items = items
        self.owned = owned
        self.found: list[tuple[date, Violation]] = []
        self.valid: list[_Entry] = []
        """Active items whose kind, status and channel are known, by publication order."""
        self.lives: dict[str, _Entry] = {}
        """Lives (cancelled ones too) by id: what a sequence item or a preparation hangs on."""
        self.steps_on: dict[str, dict[str, SequenceStep]] = defaultdict(dict)
        """Sequence steps published on each channel, by key."""
        for key, channel in config.channels.items():
            for step in channel.lives.sequence if channel.lives else []:
                if step.kind == "post":
                    self.steps_on[step.channel or key][step.key] = step
        self.campaigns = {c.key: c for c in config.campaigns}

    def run(self) -> list[Violation]:
        self._unique_ids()
        self._confidential()
        entries = []
        for item in self.items:
            entry = self._entry(item)
            if item.kind == "live":
                self.lives.setdefault(item.id, entry)
            if item.active and self._known(entry):
                entries.append(entry)
        self.valid = sorted(entries, key=lambda e: (e.instant, e.id))
        for entry in self.valid:
            self._item(entry)
        self._daily_cap()
        self._weekly_band()
        self._audience_mix()
        self._phases()
        self._journey_rotation()
        self._list_rotation()
        self._lives()
        self._preparations()
        self._sequences()
        self._rituals()
        self._campaigns()
        self.found.sort(key=lambda f: (f[0], f[1].items, _ORDER[f[1].family], f[1].message))
        return [violation for _, violation in self.found]

    def add(self, family: F, day: date, message: str, *ids: str) -> None:
        self.found.append((day, Violation(family, message, tuple(ids))))

    def owns(self, item: Item, field: str) -> bool:
        return (item.id, field) in self.owned

    # --- items ------------------------------------------------------------------------------

    def _wall(self, moment: datetime) -> datetime:
        """The local wall clock of a moment, keeping a time typed in the plan's zone as typed
        (so a non-existent 02:30 stays 02:30 and is refused)."""
        zone = moment.tzinfo
        if zone is None or (isinstance(zone, ZoneInfo) and zone.key == self.ref.zone.key):
            return moment.replace(tzinfo=None)
        return moment.astimezone(self.ref.zone).replace(tzinfo=None)

    def _utc(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.ref.zone)
        return moment.astimezone(UTC)

    def _entry(self, item: Item) -> _Entry:
        return _Entry(item, self._wall(item.start), self._wall(item.end), self._utc(item.start))

    def _known(self, entry: _Entry) -> bool:
        item = entry.item
        problems = []
        if item.kind not in KINDS:
            problems.append(f"type d'élément inconnu « {item.kind} »")
        if item.status not in STATUSES:
            problems.append(f"statut inconnu « {item.status} »")
        if item.channel not in self.config.channels:
            problems.append(f"canal inconnu « {item.channel} »")
        for problem in problems:
            self.add(F.CONTROL_POINTS, entry.day, problem, item.id)
        return not problems

    def _item(self, e: _Entry) -> None:
        item = e.item
        channel = self.config.channels[item.channel]
        if item.kind == "post":
            self._times(e, channel.duration_minutes)
            self._filled(e, ("audience", "phase", "message", "format", "title"))
            closed = self.ref.closed(item.channel, e.day)
            if closed is not None:
                self.add(
                    F.PUBLISHING_DAYS,
                    e.day,
                    f"post {channel.label} le {_d(e.day)} : {closed}",
                    item.id,
                )
            if e.start.time() not in channel.times:
                self.add(
                    F.VALID_TIMES,
                    e.day,
                    f"{_hm(e.start)} n'est pas une heure de {channel.label} "
                    f"({', '.join(map(_hm, channel.times))})",
                    item.id,
                )
            if channel.planning == "audiences":
                self._audience_post(e)
            else:
                self._community_post(e)
        elif item.kind == "live":
            self._filled(e, ("audience", "phase", "message", "format", "title"))
            self._live(e)
        else:
            self._filled(e, ("title",))
            self._task(e)

    def _filled(self, e: _Entry, fields: tuple[str, ...]) -> None:
        for field in fields:
            if not str(getattr(e.item, field)).strip():
                self.add(F.CONTROL_POINTS, e.day, f"« {COLUMN_TITLES[field]} » est vide", e.id)

    def _times(self, e: _Entry, minutes: int | None) -> None:
        """The item's zone, its end after its start, its duration (`minutes`, or any for a
        task without one) and the validity of its local start and end."""
        item = e.item
        zone = self.config.calendar.timezone
        if item.timezone != zone or item.start.tzinfo is None or item.end.tzinfo is None:
            self.add(
                F.VALID_TIMES,
                e.day,
                f"fuseau « {item.timezone} » ou heure sans fuseau, au lieu de {zone}",
                item.id,
            )
            return
        issue = self.ref.start_issue(e.day, e.start.time())
        if issue is not None:
            self.add(F.VALID_TIMES, e.day, issue, item.id)
            return
        length = self._utc(item.end) - self._utc(item.start)
        if length <= timedelta(0):
            self.add(
                F.VALID_TIMES,
                e.day,
                f"finit ({_hm(e.end)}) avant de commencer ({_hm(e.start)}) le {_d(e.day)}",
                item.id,
            )
            return
        actual = length / timedelta(minutes=1)
        if minutes is not None and actual != minutes:
            self.add(
                F.VALID_TIMES,
                e.day,
                f"dure {actual:g} min au lieu de {minutes} le {_d(e.day)}",
                item.id,
            )
        length_minutes = math.ceil(actual) if minutes is None else minutes
        issue = self.ref.time_issue(e.day, e.start.time(), length_minutes)
        if issue is not None:
            self.add(F.VALID_TIMES, e.day, issue, item.id)

    def _expect(
        self,
        e: _Entry,
        family: F,
        audience: str | None,
        phase: str | None,
        fmt: str,
        messages: list[str] | None,
    ) -> None:
        """Content fixed by the config: audience, phase, format, and a message from a list
        (None: free). Fields the user typed need not come from the config."""
        item = e.item
        if (item.audience, item.phase) != (audience, phase):
            self.add(
                family,
                e.day,
                f"audience/phase {item.audience}/{item.phase} au lieu de {audience}/{phase}",
                item.id,
            )
        if item.format != fmt and not self.owns(item, "format"):
            self.add(family, e.day, f"format « {item.format} » au lieu de « {fmt} »", item.id)
        if messages is not None and item.message not in messages and not self.owns(item, "message"):
            self.add(
                family,
                e.day,
                f"message « {item.message} » absent de la liste de « {item.content_type} »",
                item.id,
            )

    def _audience_post(self, e: _Entry) -> None:
        item = e.item
        month = self.ref.campaign_month(e.day)
        if item.audience not in self.config.audiences:
            self.add(F.ELIGIBILITY, e.day, f"audience inconnue « {item.audience} »", item.id)
            return
        label = self.config.audiences[item.audience].label
        why = self.ref.untargetable(item.audience, month)
        if why is not None:
            self.add(
                F.ELIGIBILITY,
                e.day,
                f"{label} n'est pas ciblable au mois {month} de la campagne ({_d(e.day)}) : {why}",
                item.id,
            )
        if not item.parent and item.phase not in self.ref.open_phases(item.audience, month):
            self.add(
                F.PHASE_WINDOW,
                e.day,
                f"phase « {item.phase} » pas ouverte pour {label} au mois {month} ({_d(e.day)})",
                item.id,
            )
        step = self._campaign_step(item)
        if step is not None:
            self._expect(
                e, F.CAMPAIGNS, step.audience, step.phase, step.format or step.label, step.texts
            )
        elif item.parent:
            sequence = self.steps_on[item.channel].get(item.content_type)
            if sequence is None:
                self.add(
                    F.CONTROL_POINTS,
                    e.day,
                    f"type « {item.content_type} » inconnu pour un post lié à « {item.parent} »",
                    item.id,
                )
            else:
                fmt = sequence.format or sequence.label
                self._expect(e, F.LIVE_SEQUENCE, sequence.audience, sequence.phase, fmt, None)
        else:
            self._journey_content(e)

    def _journey_content(self, e: _Entry) -> None:
        """A journey post takes its format and message from its phase; a brief's title says
        it is still to be written."""
        item = e.item
        journey = self.config.journeys.get(item.audience)
        stage = (
            next((s for s in journey.stages if s.phase == item.phase), None) if journey else None
        )
        if stage is None:
            return
        types = {f.type for f in stage.formats}
        pairs = {(f.label, f.type) for f in stage.formats}
        if item.format.strip() and (
            item.content_type not in types
            or ((item.format, item.content_type) not in pairs and not self.owns(item, "format"))
        ):
            self.add(
                F.CONTROL_POINTS,
                e.day,
                f"format « {item.format} » ({item.content_type}) absent de la phase "
                f"{item.phase} de {item.audience}",
                item.id,
            )
        if (
            item.message.strip()
            and not self.owns(item, "message")
            and item.message
            not in [
                *stage.messages,
                *stage.briefs,
            ]
        ):
            self.add(
                F.CONTROL_POINTS,
                e.day,
                f"message « {item.message} » absent de la phase {item.phase} de {item.audience}",
                item.id,
            )
        title = " ".join(item.title.split())
        if (
            item.message in stage.briefs
            and not title.startswith(BRIEF_TITLE)
            and not self.owns(item, "title")
        ):
            self.add(
                F.CONTROL_POINTS,
                e.day,
                f"la piste « {item.message} » doit avoir un titre « {BRIEF_TITLE} … »",
                item.id,
            )

    def _community_post(self, e: _Entry) -> None:
        item = e.item
        channel = self.config.channels[item.channel]
        audience, phase = channel.audience, channel.phase
        kind = (channel.types or {}).get(item.content_type)
        ritual = channel.rituals.get(item.content_type)
        campaign = self._campaign_step(item)
        sequence = self.steps_on[item.channel].get(item.content_type) if item.parent else None
        family = F.COMMUNITY_CONTENT
        if campaign is not None:
            fmt = campaign.format or campaign.label
            self._expect(e, family, audience, phase, fmt, campaign.texts)
        elif sequence is not None:
            self._expect(e, family, audience, phase, sequence.format or sequence.label, None)
        elif kind is not None:
            self._expect(e, family, audience, phase, kind.format, kind.messages)
        elif ritual is not None and ritual.kind == "post":
            self._expect(e, family, audience, phase, ritual.format or ritual.label, ritual.messages)
        elif ritual is None:
            self.add(
                family,
                e.day,
                f"type « {item.content_type} » inconnu sur {channel.label}",
                item.id,
            )

    def _live(self, e: _Entry) -> None:
        item = e.item
        channel = self.config.channels[item.channel]
        lives = channel.lives
        if lives is None:
            self.add(F.LIVE_WINDOW, e.day, f"{channel.label} n'a pas de lives", item.id)
            return
        spec = lives.formats.get(item.content_type)
        self._times(e, None if spec is None else spec.duration_minutes)
        closed = self.ref.closed(item.channel, e.day)
        if closed is not None:
            self.add(F.PUBLISHING_DAYS, e.day, f"live le {_d(e.day)} : {closed}", item.id)
        if e.day.weekday() not in lives.days:
            self.add(
                F.LIVE_WINDOW,
                e.day,
                f"live un {day_name(e.day.weekday())} ({_d(e.day)}), pas un jour de lives.days",
                item.id,
            )
        grid = self.ref.live_grid(item.channel)
        if e.start.time() not in grid:
            self.add(
                F.LIVE_WINDOW,
                e.day,
                f"live à {_hm(e.start)} le {_d(e.day)}, hors de la grille "
                f"({', '.join(map(_hm, grid))})",
                item.id,
            )
        if e.end.date() != e.day or e.end.time() > lives.window.end:
            self.add(
                F.LIVE_WINDOW,
                e.day,
                f"live du {_d(e.day)} finissant à {_hm(e.end)}, après {_hm(lives.window.end)}",
                item.id,
            )
        if spec is None:
            self.add(
                F.CONTROL_POINTS, e.day, f"format de live inconnu « {item.content_type} »", item.id
            )
        else:
            self._expect(
                e, F.CONTROL_POINTS, channel.audience, channel.phase, spec.label, spec.messages
            )

    def _task(self, e: _Entry) -> None:
        """Tasks are checked with their live, ritual or campaign; here only their times and
        that they belong to one of them."""
        item = e.item
        channel = self.config.channels[item.channel]
        if item.content_type == PREPARATION:
            minutes = channel.lives.preparation.duration_minutes if channel.lives else None
            self._times(e, minutes)
            return
        self._times(e, None)
        known = (
            self._campaign_step(item) is not None
            or bool(item.parent)
            or item.content_type in channel.rituals
        )
        if not known:
            self.add(
                F.CONTROL_POINTS, e.day, f"tâche de type inconnu « {item.content_type} »", item.id
            )

    def _campaign_step(self, item: Item) -> CampaignStep | None:
        campaign = self.campaigns.get(item.parent)
        if campaign is None:
            return None
        return next((s for s in campaign.steps if s.key == item.content_type), None)

    # --- identity and confidentiality ----------------------------------------------------------

    def _first_day(self, items: Iterable[Item]) -> date:
        return min(self._wall(i.start).date() for i in items)

    def _unique_ids(self) -> None:
        by_id: dict[str, list[Item]] = defaultdict(list)
        for item in self.items:
            by_id[item.id].append(item)
        for key, group in by_id.items():
            if not key.strip():
                self.add(
                    F.UNIQUE_IDS,
                    self._first_day(group),
                    f"{len(group)} élément(s) sans identifiant",
                    key,
                )
            elif len(group) > 1:
                self.add(
                    F.UNIQUE_IDS,
                    self._first_day(group),
                    f"identifiant « {key} » porté par {len(group)} éléments",
                    key,
                )

    def _confidential(self) -> None:
        for item, field, leak in item_leaks(self.config, self.items):
            self.add(
                F.CONFIDENTIALITY,
                self._first_day([item]),
                f"« {leak.excerpt} » ({leak.label}) dans le champ « {field} »",
                item.id,
            )

    # --- days, weeks and months ---------------------------------------------------------------

    def _posts(self, *, covered: bool) -> list[_Entry]:
        return [
            e
            for e in self.valid
            if e.item.kind == "post" and (not covered or e.day in self.ref.covered)
        ]

    def _daily_cap(self) -> None:
        by_day: dict[tuple[str, date], list[_Entry]] = defaultdict(list)
        for e in self._posts(covered=False):
            by_day[(e.item.channel, e.day)].append(e)
        for (key, day), group in by_day.items():
            channel = self.config.channels[key]
            if len(group) > channel.per_day_max:
                self.add(
                    F.DAILY_CAP,
                    day,
                    f"{len(group)} posts {channel.label} le {_d(day)} "
                    f"(au plus {channel.per_day_max})",
                    *(e.id for e in group),
                )
            starts = Counter(e.instant for e in group)
            for instant, count in starts.items():
                if count > 1:
                    same = [e for e in group if e.instant == instant]
                    self.add(
                        F.DAILY_CAP,
                        day,
                        f"{count} posts {channel.label} à la même heure ({_hm(same[0].start)}) "
                        f"le {_d(day)}",
                        *(e.id for e in same),
                    )

    def _weekly_band(self) -> None:
        counted: dict[tuple[str, date], list[_Entry]] = defaultdict(list)
        for e in self._posts(covered=True):
            counted[(e.item.channel, _monday(e.day))].append(e)
        mondays = sorted({_monday(d) for d in self.ref.covered})
        for key, channel in self.config.channels.items():
            for monday in mondays:
                band = self.ref.week_band(key, monday)
                if band is None:
                    continue
                week = [e for e in counted[(key, monday)] if e.day.weekday() in channel.days]
                if not band.min <= len(week) <= band.max:
                    self.add(
                        F.WEEKLY_BAND,
                        monday,
                        f"{len(week)} posts {channel.label} la semaine du {_d(monday)}, "
                        f"attendu {band.min} à {band.max}",
                        *(e.id for e in week),
                    )

    def _by_month(
        self, entries: Iterable[_Entry], key: str
    ) -> dict[tuple[str, int, int], list[_Entry]]:
        groups: dict[tuple[str, int, int], list[_Entry]] = defaultdict(list)
        for e in entries:
            groups[(getattr(e.item, key), e.day.year, e.day.month)].append(e)
        return groups

    def _audience_posts(self) -> list[_Entry]:
        return [
            e
            for e in self._posts(covered=True)
            if self.config.channels[e.item.channel].planning == "audiences"
        ]

    def _audience_mix(self) -> None:
        channels = [
            key
            for key, channel in self.config.channels.items()
            if channel.planning == "audiences" and key in self.config.mix
        ]
        posts = [e for e in self._audience_posts() if e.item.channel in channels]
        for (key, year, month), group in sorted(self._by_month(posts, "channel").items()):
            shares = self.ref.audience_shares(key, self.ref.campaign_month(date(year, month, 1)))
            per_audience: dict[str, list[_Entry]] = defaultdict(list)
            for e in group:
                per_audience[e.item.audience].append(e)
            for audience in sorted(set(shares) | set(per_audience)):
                share = shares.get(audience, Fraction(0))
                low, high = share_bounds(share, len(group))
                mine = per_audience[audience]
                if not low <= len(mine) <= high:
                    self.add(
                        F.AUDIENCE_MIX,
                        date(year, month, 1),
                        f"{audience} : {len(mine)} posts {self.config.channels[key].label} sur "
                        f"{len(group)} en {_month(year, month)}, attendu {low} à {high} "
                        f"(part {_percent(share)})",
                        *(e.id for e in mine),
                    )

    def _phases(self) -> None:
        """Phase rules count the journey posts: a live's or a campaign's steps carry the
        phase their step sets but stay out of the phase shares."""
        journey = [e for e in self._audience_posts() if not e.item.parent]
        groups = self._by_month(journey, "audience")
        for (audience, year, month), group in sorted(groups.items()):
            if audience not in self.config.journeys:
                continue
            campaign = self.ref.campaign_month(date(year, month, 1))
            first = date(year, month, 1)
            when = f"{audience}, {_month(year, month)} (mois {campaign})"
            per_phase: dict[str, list[_Entry]] = defaultdict(list)
            for e in group:
                per_phase[e.item.phase].append(e)
            ids = [e.id for e in group]
            focus = self.ref.focus_phases(audience, campaign)
            if focus:
                in_focus = sum(len(per_phase[p]) for p in focus)
                if 2 * in_focus <= len(group):
                    self.add(
                        F.PHASE_FOCUS,
                        first,
                        f"{when} : {in_focus} posts sur {len(group)} au premier plan "
                        f"({', '.join(focus)}), il en faut plus de la moitié",
                        *ids,
                    )
                required = self.config.journeys[audience].phase_coverage == "required"
                missing = [p for p in focus if not per_phase[p]]
                if missing and (required or len(group) >= len(focus)):
                    self.add(
                        F.PHASE_FOCUS,
                        first,
                        f"{when} : {len(group)} posts mais aucun en {', '.join(missing)} "
                        "(au premier plan)",
                        *ids,
                    )
            self._phase_mix(audience, campaign, first, when, group, per_phase, focus)

    def _phase_mix(
        self,
        audience: str,
        campaign: int,
        first: date,
        when: str,
        group: list[_Entry],
        per_phase: dict[str, list[_Entry]],
        focus: list[str],
    ) -> None:
        shares = self.ref.phase_shares(audience, campaign)
        mix = self.config.phase_mix
        stable = mix is not None and campaign >= mix.from_month
        less_frequent = {s.phase for s in self.config.journeys[audience].stages if s.less_frequent}
        for phase, share in shares.items():
            low, high = share_bounds(share, len(group))
            if not stable:
                if phase not in less_frequent or phase in focus:
                    continue
                low = 0
            mine = per_phase[phase]
            if not low <= len(mine) <= high:
                self.add(
                    F.PHASE_MIX,
                    first,
                    f"{when} : {len(mine)} posts {phase} sur {len(group)}, attendu "
                    f"{low} à {high} (part {_percent(share)})",
                    *(e.id for e in mine),
                )

    # --- messages -------------------------------------------------------------------------

    def _journey_rotation(self) -> None:
        """Journey messages: never twice in a row for an audience (unless the second's phase
        has a single message), at most twice a month, a brief at most once a month."""
        posts = [
            e
            for e in self.valid
            if e.item.kind == "post"
            and not e.item.parent
            and self.config.channels[e.item.channel].planning == "audiences"
        ]
        by_audience: dict[str, list[_Entry]] = defaultdict(list)
        for e in posts:
            by_audience[e.item.audience].append(e)
        for audience, sequence in by_audience.items():
            journey = self.config.journeys.get(audience)
            pools = (
                {s.phase: len(s.messages) + len(s.briefs) for s in journey.stages}
                if journey
                else {}
            )
            for before, after in pairwise(sequence):
                if before.item.message == after.item.message and pools.get(after.item.phase) != 1:
                    self.add(
                        F.MESSAGE_ROTATION,
                        after.day,
                        f"{audience} : « {after.item.message} » deux fois de suite "
                        f"({_d(before.day)} puis {_d(after.day)})",
                        before.id,
                        after.id,
                    )
        briefs = {
            (audience, text)
            for audience, journey in self.config.journeys.items()
            for stage in journey.stages
            for text in stage.briefs
        }
        monthly: dict[tuple[str, int, int, str], list[_Entry]] = defaultdict(list)
        for e in posts:
            if e.day in self.ref.covered:
                monthly[(e.item.audience, e.day.year, e.day.month, e.item.message)].append(e)
        for (audience, year, month, message), group in sorted(monthly.items()):
            brief = (audience, message) in briefs
            cap = 1 if brief else 2
            if len(group) > cap:
                what = "la piste" if brief else "le message"
                self.add(
                    F.MESSAGE_ROTATION,
                    group[0].day,
                    f"{audience} : {what} « {message} » {len(group)} fois en "
                    f"{_month(year, month)} (au plus {cap})",
                    *(e.id for e in group),
                )

    def _list_rotation(self) -> None:
        """Community types, rituals and live formats: two consecutive items of the same
        message list never share a message, unless the list has only one."""
        lists: dict[tuple[str, str, str], list[_Entry]] = defaultdict(list)
        sizes: dict[tuple[str, str, str], int] = {}
        for e in self.valid:
            item = e.item
            channel = self.config.channels[item.channel]
            if item.kind == "live" and channel.lives is not None:
                spec = channel.lives.formats.get(item.content_type)
                size = None if spec is None else len(spec.messages)
                key = ("live", item.channel, item.content_type)
            elif item.kind == "post" and channel.planning == "types" and not item.parent:
                kind = (channel.types or {}).get(item.content_type)
                ritual = channel.rituals.get(item.content_type)
                size = len(kind.messages) if kind else len(ritual.messages) if ritual else None
                key = ("type" if kind else "ritual", item.channel, item.content_type)
            else:
                continue
            if size is not None:
                lists[key].append(e)
                sizes[key] = size
        for key, sequence in lists.items():
            if sizes[key] < 2:
                continue
            for before, after in pairwise(sequence):
                if before.item.message == after.item.message:
                    self.add(
                        F.MESSAGE_ROTATION,
                        after.day,
                        f"{key[2]} : « {after.item.message} » deux fois de suite "
                        f"({_d(before.day)} puis {_d(after.day)})",
                        before.id,
                        after.id,
                    )

    # --- lives -----------------------------------------------------------------------------

    def _lives(self) -> None:
        months = sorted({(d.year, d.month) for d in self.ref.covered})
        for key, channel in self.config.channels.items():
            rules = channel.lives
            if rules is None:
                continue
            lives = [e for e in self.valid if e.item.kind == "live" and e.item.channel == key]
            per_month: dict[tuple[int, int], list[_Entry]] = defaultdict(list)
            for e in lives:
                if e.day in self.ref.covered:
                    per_month[(e.day.year, e.day.month)].append(e)
            for year, month in months:
                covered = [d for d in _month_days(year, month) if d in self.ref.covered]
                if not any(self.ref.is_live_day(key, d) for d in covered):
                    continue
                wanted = self.ref.lives_wanted(key, year, month)
                found = per_month[(year, month)]
                if len(found) != wanted:
                    self.add(
                        F.LIVES_PER_MONTH,
                        date(year, month, 1),
                        f"{len(found)} live(s) {channel.label} en {_month(year, month)}, "
                        f"attendu {wanted}",
                        *(e.id for e in found),
                    )
            gap = max(rules.min_gap_days, 1)
            for before, after in pairwise(lives):
                days = (after.day - before.day).days
                if days < gap:
                    self.add(
                        F.LIVE_SPACING,
                        after.day,
                        f"{days} jour(s) entre les lives du {_d(before.day)} et du "
                        f"{_d(after.day)} (au moins {gap})",
                        before.id,
                        after.id,
                    )
                if rules.no_repeat_format and before.item.content_type == after.item.content_type:
                    self.add(
                        F.LIVE_ROTATION,
                        after.day,
                        f"deux lives « {after.item.content_type} » de suite "
                        f"({_d(before.day)} puis {_d(after.day)})",
                        before.id,
                        after.id,
                    )

    def _active_lives(self) -> list[_Entry]:
        return [
            e
            for e in self.valid
            if e.item.kind == "live" and self.config.channels[e.item.channel].lives is not None
        ]

    def _preparations(self) -> None:
        tasks: dict[str, list[_Entry]] = defaultdict(list)
        for e in self.valid:
            if e.item.kind == "task" and e.item.content_type == PREPARATION:
                tasks[e.item.parent].append(e)
        for parent, group in tasks.items():
            live = self.lives.get(parent)
            if live is None or not live.item.active:
                for e in group:
                    self.add(
                        F.LIVE_PREPARATION,
                        e.day,
                        f"préparation du {_d(e.day)} sans live actif « {parent} »",
                        e.id,
                    )
        for live in self._active_lives():
            rules = self.config.channels[live.item.channel].lives
            assert rules is not None
            expected = self.ref.previous_working_day(live.item.channel, live.day)
            clock = self._task_clock(
                expected, rules.preparation.time, rules.preparation.duration_minutes
            )
            group = tasks[live.id]
            when = f"le {_d(expected)} à {_hm(clock)}" if expected else "(aucun jour ouvré)"
            if len(group) != 1:
                self.add(
                    F.LIVE_PREPARATION,
                    live.day,
                    f"{len(group)} tâche(s) de préparation pour le live du {_d(live.day)}, "
                    f"attendu une, {when}",
                    live.id,
                    *(e.id for e in group),
                )
            for e in group:
                if (e.day, e.start.time()) != (expected, clock):
                    self.add(
                        F.LIVE_PREPARATION,
                        e.day,
                        f"préparation le {_d(e.day)} à {_hm(e.start)} au lieu de {when} "
                        f"(veille ouvrée du live du {_d(live.day)})",
                        live.id,
                        e.id,
                    )
                if e.item.channel != live.item.channel:
                    self.add(
                        F.LIVE_PREPARATION,
                        e.day,
                        f"préparation sur {e.item.channel}, son live sur {live.item.channel}",
                        live.id,
                        e.id,
                    )

    def _task_clock(self, day: date | None, wanted: time, minutes: int) -> time:
        """A task's time: the configured one, or where a clock change skips it that day,
        the first quarter hour after it that exists (docs/rules.md)."""
        if day is None:
            return wanted
        moment = datetime.combine(day, wanted)
        for n in range(96):
            candidate = (moment + timedelta(minutes=15 * n)).time()
            if self.ref.time_issue(day, candidate, minutes) is None:
                return candidate
        return wanted

    def _sequences(self) -> None:
        children: dict[str, list[_Entry]] = defaultdict(list)
        for e in self.valid:
            item = e.item
            if (
                item.parent
                and item.parent not in self.campaigns
                and item.kind != "live"
                and item.content_type != PREPARATION
            ):
                children[item.parent].append(e)
        for parent, group in children.items():
            live = self.lives.get(parent)
            if live is None or not live.item.active:
                state = "introuvable" if live is None else "annulé"
                for e in group:
                    self.add(
                        F.LIVE_SEQUENCE,
                        e.day,
                        f"« {e.item.content_type} » du {_d(e.day)} : son live « {parent} » "
                        f"est {state}",
                        e.id,
                    )
        for live in self._active_lives():
            rules = self.config.channels[live.item.channel].lives
            assert rules is not None
            steps = {s.key: s for s in rules.sequence}
            group = children[live.id]
            for e in group:
                step = steps.get(e.item.content_type)
                if step is None:
                    self.add(
                        F.LIVE_SEQUENCE,
                        e.day,
                        f"« {e.item.content_type} » n'est pas une étape de la séquence des lives",
                        live.id,
                        e.id,
                    )
                elif step.formats is not None and live.item.content_type not in step.formats:
                    self.add(
                        F.LIVE_SEQUENCE,
                        e.day,
                        f"« {step.key} » ne vaut que pour les lives {', '.join(step.formats)}, "
                        f"pas pour « {live.item.content_type} » du {_d(live.day)}",
                        live.id,
                        e.id,
                    )
                else:
                    self._step(live, step, e)
            for step in rules.sequence:
                if step.formats is not None and live.item.content_type not in step.formats:
                    continue
                mine = [e for e in group if e.item.content_type == step.key]
                if len(mine) > 1 or (step.required and not mine):
                    self.add(
                        F.LIVE_SEQUENCE,
                        live.day,
                        f"{len(mine)} « {step.label} » pour le live du {_d(live.day)}, "
                        f"attendu {'exactement' if step.required else 'au plus'} un",
                        live.id,
                        *(e.id for e in mine),
                    )

    def _step(self, live: _Entry, step: SequenceStep, e: _Entry) -> None:
        """One sequence item against its live: kind, channel, window, order, task slot."""
        item = e.item
        window = [live.day + timedelta(days=k) for k in step.days.span()]

        def bad(message: str) -> None:
            self.add(
                F.LIVE_SEQUENCE, e.day, f"« {step.key} » du {_d(e.day)} : {message}", live.id, e.id
            )

        if item.kind != step.kind:
            bad(f"un {item.kind} au lieu d'un {step.kind}")
            return
        if e.day not in window:
            bad(
                f"hors de sa fenêtre, du {_d(window[0])} au {_d(window[-1])} "
                f"(live du {_d(live.day)})"
            )
        if step.kind == "post":
            target = step.channel or live.item.channel
            if item.channel != target:
                bad(f"publié sur {item.channel} au lieu de {target}")
            if step.days.start >= 0 and e.instant < self._utc(live.item.end):
                bad(f"publié avant la fin de son live ({_d(live.day)} {_hm(live.end)})")
            return
        expected = self.ref.first_working_day(live.item.channel, window)
        rules = self.config.channels[live.item.channel].lives
        assert rules is not None
        minutes = rules.preparation.duration_minutes
        clock = self._task_clock(expected, step.time, minutes) if step.time else e.start.time()
        if (e.day, e.start.time()) != (expected, clock):
            when = f"le {_d(expected)} à {_hm(clock)}" if expected else "(aucun jour ouvré)"
            bad(f"attendu {when}, premier jour ouvré de sa fenêtre")
        if e.instant >= live.instant:
            bad(f"commence après le début de son live ({_hm(live.start)})")

    # --- rituals and campaigns ---------------------------------------------------------------

    def _typed(self) -> dict[tuple[str, str, str], list[_Entry]]:
        """Active items by (channel, content type, parent)."""
        groups: dict[tuple[str, str, str], list[_Entry]] = defaultdict(list)
        for e in self.valid:
            groups[(e.item.channel, e.item.content_type, e.item.parent)].append(e)
        return groups

    def _rituals(self) -> None:
        typed = self._typed()
        months = sorted({(d.year, d.month) for d in self.ref.covered})
        for key, channel in self.config.channels.items():
            for ritual_key, ritual in channel.rituals.items():
                mine = typed[(key, ritual_key, "")]
                task = ritual.kind == "task"
                per_month: dict[tuple[int, int], list[_Entry]] = defaultdict(list)
                for e in mine:
                    self._ritual_item(key, ritual_key, ritual, e)
                    if e.day in self.ref.covered:
                        per_month[(e.day.year, e.day.month)].append(e)
                for year, month in months:
                    window = self.ref.ritual_window(ritual, year, month)
                    usable = [
                        d
                        for d in window
                        if d in self.ref.covered
                        and (self.ref.is_working(key, d) if task else self.ref.is_open(key, d))
                    ]
                    if not usable:
                        continue
                    inside = [e for e in per_month[(year, month)] if e.day in window]
                    least = self.ref.window_minimum(key, window, 1) if ritual.required else 0
                    if len(inside) > 1 or len(inside) < least:
                        self.add(
                            F.RITUALS,
                            window[0],
                            f"{len(inside)} « {ritual.label} » du {_d(window[0])} au "
                            f"{_d(window[-1])}, attendu "
                            f"{'exactement' if ritual.required else 'au plus'} un",
                            *(e.id for e in inside),
                        )

    def _ritual_item(self, channel: str, key: str, ritual: Ritual, e: _Entry) -> None:
        window = self.ref.ritual_window(ritual, e.day.year, e.day.month)
        if e.item.kind != ritual.kind:
            self.add(
                F.RITUALS,
                e.day,
                f"« {key} » est un {ritual.kind}, pas un {e.item.kind}",
                e.id,
            )
        elif e.day not in window:
            where = f"du {_d(window[0])} au {_d(window[-1])}" if window else "aucune ce mois-là"
            self.add(
                F.RITUALS,
                e.day,
                f"« {ritual.label} » le {_d(e.day)}, hors de sa fenêtre ({where})",
                e.id,
            )
        elif ritual.kind == "task":
            expected = self.ref.task_day(channel, window)
            clock = self._task_clock(expected, ritual.time, 30) if ritual.time else e.start.time()
            if (e.day, e.start.time()) != (expected, clock):
                when = f"le {_d(expected)} à {_hm(clock)}" if expected else "(aucun jour ouvré)"
                self.add(
                    F.RITUALS,
                    e.day,
                    f"« {ritual.label} » le {_d(e.day)} à {_hm(e.start)}, attendu {when} "
                    "(premier jour ouvré de sa fenêtre)",
                    e.id,
                )

    def _campaigns(self) -> None:
        by_step: dict[tuple[str, str], list[_Entry]] = defaultdict(list)
        for e in self.valid:
            if e.item.parent in self.campaigns:
                by_step[(e.item.parent, e.item.content_type)].append(e)
        for campaign in self.config.campaigns:
            keys = {s.key for s in campaign.steps}
            for (parent, key), group in by_step.items():
                if parent == campaign.key and key not in keys:
                    for e in group:
                        self.add(
                            F.CAMPAIGNS,
                            e.day,
                            f"« {key} » n'est pas une étape de la campagne {campaign.key}",
                            e.id,
                        )
            for step in campaign.steps:
                self._campaign(campaign, step, by_step[(campaign.key, step.key)])

    def _campaign(self, campaign: Campaign, step: CampaignStep, group: list[_Entry]) -> None:
        window = [campaign.anchor + timedelta(days=k) for k in step.days.span()]
        task = step.kind == "task"
        when = f"du {_d(window[0])} au {_d(window[-1])}"
        channel = self.config.task_channel(campaign, step)
        expected = self.ref.task_day(channel, window) if task else None
        for e in group:
            item = e.item
            clock = self._task_clock(expected, step.time, 30) if step.time else e.start.time()
            if item.kind != step.kind:
                problem = f"un {item.kind} au lieu d'un {step.kind}"
            elif e.day not in window:
                problem = f"hors de sa fenêtre ({when})"
            elif not task and item.channel != step.channel:
                problem = f"publié sur {item.channel} au lieu de {step.channel}"
            elif task and (e.day, e.start.time()) != (expected, clock):
                problem = (
                    f"attendu le {_d(expected)} à {_hm(clock)} (premier jour ouvré de sa fenêtre)"
                    if expected
                    else "aucun jour ouvré dans sa fenêtre"
                )
            else:
                continue
            self.add(
                F.CAMPAIGNS,
                e.day,
                f"{campaign.key} · « {step.key} » du {_d(e.day)} : {problem}",
                e.id,
            )
        usable = [
            d
            for d in window
            if d in self.ref.covered
            and (
                self.ref.is_working(channel, d)
                if task
                else step.channel in self.config.channels and self.ref.is_open(step.channel, d)
            )
        ]
        if not usable:
            return
        inside = [e for e in group if e.day in window and e.day in self.ref.covered]
        least = step.count if task else self.ref.window_minimum(channel, window, step.count)
        if len(inside) > step.count or (step.required and len(inside) < least):
            self.add(
                F.CAMPAIGNS,
                window[0],
                f"{campaign.key} · {len(inside)} « {step.label} » {when}, attendu "
                f"{'exactement' if step.required else 'au plus'} {step.count}",
                *(e.id for e in inside),
            )
