"""The days a plan is responsible for: shared by the model and the checker as plain data.

A run covers its horizon from the day of `--now` on; earlier runs of the same workspace
covered theirs. Weekly bands, monthly counts and rituals apply to covered days only, so a
month planned alone and a month planned after the previous one obey the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Coverage:
    spans: tuple[tuple[date, date], ...] = ()
    """Inclusive (first, last) day ranges, sorted and disjoint."""

    @classmethod
    def of(cls, spans: list[tuple[date, date]]) -> Coverage:
        merged: list[tuple[date, date]] = []
        for first, last in sorted(s for s in spans if s[0] <= s[1]):
            if merged and first.toordinal() <= merged[-1][1].toordinal() + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], last))
            else:
                merged.append((first, last))
        return cls(tuple(merged))

    def __contains__(self, day: object) -> bool:
        """A plain loop: a month's model asks this for every day of every rule."""
        if isinstance(day, date):
            for first, last in self.spans:
                if first <= day <= last:
                    return True
        return False

    def union(self, other: Coverage) -> Coverage:
        return Coverage.of([*self.spans, *other.spans])

    def without(self, first: date, last: date) -> Coverage:
        """These days taken out: the later months of a run, not re-planned yet."""
        kept: list[tuple[date, date]] = []
        for a, b in self.spans:
            kept += [(a, min(b, first - timedelta(1))), (max(a, last + timedelta(1)), b)]
        return Coverage.of(kept)
