"""Independent parts of a model, solved one after the other.

Channels often fall into groups that share no rule: an agency's brands, a community channel
whose posts no other channel's rule counts. Their variables meet only in the objective, a
plain sum, so the whole model's optimum is the sum of each part's. One search over all of
them branches on every part at once and proves nothing until each is proved; each part on
its own is a smaller model. On the agency config a month's optimum is proved in 2.7 s
instead of 4.4 s; on twice the agency (two brands), in 4.1 s instead of not within 60.

The parts come from the constraints as the model adds them (`Links`); a part too small to
matter joins the others' remainder, so a model splits only around parts worth a search.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model_helper as cmh

ALONE = 1 / 8
"""Share of the model's variables a part needs to be solved on its own."""


class Links:
    """Which variables constraints tie together (union-find over variable indices), and
    which variable stands for each constraint."""

    def __init__(self) -> None:
        self.parent: list[int] = []
        self.anchor: list[int] = []
        """Per constraint, one of its variables (-1 for a constraint without any)."""

    def variable(self) -> None:
        self.parent.append(len(self.parent))

    def constraint(self, indices: Iterable[int]) -> None:
        """A constraint on these variables or literals (a negation is `-index - 1`)."""
        root = -1
        for literal in indices:
            other = self._root(literal if literal >= 0 else -literal - 1)
            if root < 0:
                root = other
            elif other != root:
                self.parent[other] = root
        self.anchor.append(root)

    def _root(self, index: int) -> int:
        parent = self.parent
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    def parts(self) -> list[Part]:
        """Parts worth their own search, smallest first, and the rest as one part; a single
        part when nothing splits."""
        count = len(self.parent)
        roots = [self._root(i) for i in range(count)]
        members: dict[int, list[int]] = {}
        for index, root in enumerate(roots):
            members.setdefault(root, []).append(index)
        alone = [r for r, found in members.items() if len(found) >= ALONE * count]
        if len(alone) + (len(members) > len(alone)) < 2:
            return [Part(list(range(count)), list(range(len(self.anchor))))]
        group = {root: n for n, root in enumerate(alone)}
        rest = len(alone)
        variables: list[list[int]] = [[] for _ in range(rest + 1)]
        for index, root in enumerate(roots):
            variables[group.get(root, rest)].append(index)
        constraints: list[list[int]] = [[] for _ in range(rest + 1)]
        for n, anchor in enumerate(self.anchor):
            constraints[group.get(roots[anchor], rest) if anchor >= 0 else 0].append(n)
        found = [Part(v, c) for v, c in zip(variables, constraints, strict=True) if v or c]
        return sorted(found, key=lambda part: len(part.variables))


@dataclass
class Part:
    variables: list[int]
    constraints: list[int]


_WORST_FIRST = [
    cmh.CpSolverStatus.MODEL_INVALID,
    cmh.CpSolverStatus.INFEASIBLE,
    cmh.CpSolverStatus.UNKNOWN,
    cmh.CpSolverStatus.FEASIBLE,
    cmh.CpSolverStatus.OPTIMAL,
]


def sub_model(whole: cmh.CpModelProto, part: Part, offset: float) -> cmh.CpModelProto:
    """The whole model's variables (so indices and hints stay as they are), the part's
    constraints and objective terms; the objective `offset` stands for the parts before."""
    sub = cmh.CpModelProto()
    sub.copy_from(whole)
    sub.constraints.clear()
    for index in part.constraints:
        sub.constraints.add().copy_from(whole.constraints[index])
    mine = set(part.variables)
    sub.clear_objective()
    if whole.has_objective():
        objective = whole.objective
        terms = [(v, c) for v, c in zip(objective.vars, objective.coeffs, strict=True) if v in mine]
        sub.objective.vars.extend([v for v, _ in terms])
        sub.objective.coeffs.extend([c for _, c in terms])
        sub.objective.offset = offset
        sub.objective.scaling_factor = 1.0
    return sub


def solve_parts(
    whole: cmh.CpModelProto,
    parts: list[Part],
    parameters: cmh.SatParameters,
    callback: cmh.SolutionCallback | None,
) -> cmh.CpSolverResponse:
    """Each part in turn, with its share of what is left of the deterministic budget (by
    size: the small parts come first and pass on what they do not use). The callback
    follows the last part, whose objective carries the others' values: it then sees the
    whole plan's objective, as without parts."""
    budget = parameters.max_deterministic_time
    left = sum(len(p.variables) for p in parts)
    solution = [0] * len(whole.variables)
    response = cmh.CpSolverResponse()
    response.status = cmh.CpSolverStatus.OPTIMAL
    offset = whole.objective.offset if whole.has_objective() else 0.0
    bound = offset
    spent = 0.0
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        share = budget - spent if last else (budget - spent) * len(part.variables) / left
        left -= len(part.variables)
        own = cmh.SatParameters()
        own.copy_from(parameters)
        own.max_deterministic_time = max(share, 0.0)
        wrapper = cmh.SolveWrapper()
        wrapper.set_parameters(own)
        if last and callback is not None:
            wrapper.add_solution_callback(callback)
        result = wrapper.solve(sub_model(whole, part, offset))
        if last and callback is not None:
            wrapper.clear_solution_callback(callback)
        spent += result.deterministic_time
        status = min(result.status, response.status, key=_WORST_FIRST.index)
        response.status = status
        if status not in (cmh.CpSolverStatus.OPTIMAL, cmh.CpSolverStatus.FEASIBLE):
            break
        for index in part.variables:
            solution[index] = result.solution[index]
        bound += result.best_objective_bound - offset
        offset = result.objective_value
    response.deterministic_time = spent
    if response.status in (cmh.CpSolverStatus.OPTIMAL, cmh.CpSolverStatus.FEASIBLE):
        response.solution.extend(solution)
        response.objective_value = offset
        response.best_objective_bound = bound
    return response
