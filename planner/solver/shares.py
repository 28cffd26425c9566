"""A total split by exact shares: each part gets floor or ceil of share × total.

Used for the monthly audience mix (posts of a channel among audiences) and the steady phase
mix (posts of an audience among its open phases). The total N is one-hot (`is_n`) over the
values the caller says are reachable, and `ceil[part][n]` says the part takes the ceiling
when N = n. For each n exactly n − Σ floor(s·n) parts take the ceiling, which makes the
linear relaxation exact for an integral N and lets the distance to the exact share be a
plain linear cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from planner.rules import count_bounds
from planner.solver import cpsat
from planner.solver.context import ModelContext


@dataclass
class Split:
    shares: dict[str, Fraction]
    is_n: dict[int, cpsat.IntVar]
    ceil: dict[str, dict[int, cpsat.IntVar]]

    def count(self, part: str) -> cpsat.LinearExprT:
        """The part's count implied by N and the ceiling choices."""
        share = self.shares.get(part, Fraction(0))
        floors = sum(count_bounds(share, n)[0] * b for n, b in self.is_n.items())
        return floors + sum(self.ceil.get(part, {}).values())

    def ceiling(self, part: str) -> cpsat.LinearExprT:
        """ceil(share × N): the most a part may take."""
        share = self.shares.get(part, Fraction(0))
        return sum(count_bounds(share, n)[1] * b for n, b in self.is_n.items())

    def distance(self, part: str) -> list[tuple[Fraction, cpsat.LinearExprT]]:
        """|count − share × N| as (coefficient, variable) terms."""
        share = self.shares.get(part, Fraction(0))
        terms: list[tuple[Fraction, cpsat.LinearExprT]] = []
        for n, b in self.is_n.items():
            rest = share * n - count_bounds(share, n)[0]
            if rest:
                terms.append((rest, b))
            chosen = self.ceil.get(part, {}).get(n)
            if chosen is not None:
                terms.append((1 - 2 * rest, chosen))
        return terms


def split(
    ctx: ModelContext,
    total: cpsat.LinearExprT,
    low: int,
    high: int,
    shares: dict[str, Fraction],
    parts: list[str],
) -> Split:
    """Encode total ∈ [low, high] and the floor/ceil choice of every part."""
    model = ctx.model
    high = max(high, low)
    is_n = {n: model.new_bool_var(f"n{n}") for n in range(low, high + 1)}
    model.add_exactly_one(is_n.values())
    model.add(total == sum(n * b for n, b in is_n.items()))
    ceil: dict[str, dict[int, cpsat.IntVar]] = {p: {} for p in parts}
    for n, b in is_n.items():
        bounds = {p: count_bounds(shares.get(p, Fraction(0)), n) for p in parts}
        fractional = [p for p in parts if bounds[p][0] < bounds[p][1]]
        for part in fractional:
            ceil[part][n] = model.new_bool_var(f"c{n}")
            model.add_implication(ceil[part][n], b)
        if not ctx.diagnose:
            # Exactly n − Σ floor parts round up: a cut that holds whenever every share
            # rule does, left out in diagnosis where each part's rule must stand alone.
            ups = n - sum(lo for lo, _ in bounds.values())
            model.add(sum(ceil[p][n] for p in fractional) == ups * b)
    return Split(shares, is_n, ceil)
