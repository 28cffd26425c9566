"""A model whose variables fall into groups no constraint ties is solved part by part
(planner/solver/parts.py): the result must be the whole model's, which brute force gives
here on models small enough to enumerate."""

from __future__ import annotations

import itertools

from planner.solver import cpsat


def pick(model: cpsat.CpModel, costs: list[int], take: int) -> list[cpsat.IntVar]:
    """`take` of these options, each with its cost: a group on its own."""
    chosen = [model.new_bool_var(f"x{n}") for n in range(len(costs))]
    model.add(sum(chosen) == take)
    return chosen


def brute_force(groups: list[tuple[list[int], int]], linked: int | None = None) -> int:
    """The least total cost, taking `take` of each group's costs (and, with `linked`, at
    most that many options over all groups together)."""
    best: int | None = None
    choices = [itertools.combinations(costs, take) for costs, take in groups]
    for combination in itertools.product(*choices):
        if linked is not None and sum(len(c) for c in combination) > linked:
            continue
        total = sum(sum(c) for c in combination)
        best = total if best is None else min(best, total)
    assert best is not None
    return best


GROUPS = [([7, 3, 9, 4, 8, 1, 6], 3), ([5, 2, 8, 3, 9, 1], 2), ([4, 6, 2, 7, 5, 3, 8], 4)]


def build(groups: list[tuple[list[int], int]]) -> tuple[cpsat.CpModel, list[cpsat.IntVar]]:
    model = cpsat.CpModel()
    variables: list[cpsat.IntVar] = []
    objective: cpsat.LinearExprT = 0
    for costs, take in groups:
        chosen = pick(model, costs, take)
        variables += chosen
        objective += sum(c * x for c, x in zip(costs, chosen, strict=True))
    model.minimize(objective)
    return model, variables


def solve(model: cpsat.CpModel) -> tuple[cpsat.CpSolver, cpsat.cmh.CpSolverStatus, list[float]]:
    solver = cpsat.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 10
    seen: list[float] = []
    status = solver.solve(model, seen.append)
    return solver, status, seen


def test_independent_groups_are_solved_apart_to_the_whole_optimum() -> None:
    model, variables = build(GROUPS)
    assert len(model.links.parts()) == len(GROUPS)
    solver, status, seen = solve(model)
    assert status == cpsat.OPTIMAL
    assert solver.objective_value == brute_force(GROUPS)
    assert solver.best_objective_bound == brute_force(GROUPS)
    start = 0
    for costs, take in GROUPS:
        values = [solver.value(v) for v in variables[start : start + len(costs)]]
        assert sum(values) == take
        start += len(costs)
    assert seen and seen[-1] == brute_force(GROUPS), "progress sees the whole objective"
    assert all(value >= brute_force(GROUPS) for value in seen)


def test_a_constraint_across_groups_makes_one_model() -> None:
    model, variables = build(GROUPS)
    model.add(sum(variables) <= 9)
    assert len(model.links.parts()) == 1
    solver, status, _ = solve(model)
    assert status == cpsat.OPTIMAL
    assert solver.objective_value == brute_force(GROUPS, linked=9)


def test_one_impossible_group_makes_the_whole_impossible() -> None:
    impossible = ([1, 2], 3)
    model, _ = build([*GROUPS, impossible])
    assert len(model.links.parts()) > 1
    _, status, seen = solve(model)
    assert status == cpsat.INFEASIBLE
    assert not seen


def test_small_groups_are_solved_together() -> None:
    """A group with under an eighth of the variables is not worth its own search."""
    tiny = [([1, 2], 1)] * 6
    model, _ = build([GROUPS[0], *tiny])
    parts = model.links.parts()
    assert len(parts) == 2
    assert sorted(len(p.variables) for p in parts) == [len(GROUPS[0][0]), 2 * len(tiny)]
    solver, status, _ = solve(model)
    assert status == cpsat.OPTIMAL
    assert solver.objective_value == brute_force([GROUPS[0], *tiny])


def test_a_remainder_too_small_for_its_own_search_joins_the_largest_part() -> None:
    """Two options under an eighth of the variables beside three large groups: not a
    fourth search, but part of the largest group's."""
    tiny = ([1, 2], 1)
    model, _ = build([*GROUPS, tiny])
    parts = model.links.parts()
    sizes = sorted(len(p.variables) for p in parts)
    assert sizes == sorted([6, 7, 7 + len(tiny[0])])
    solver, status, _ = solve(model)
    assert status == cpsat.OPTIMAL
    assert solver.objective_value == brute_force([*GROUPS, tiny])
