"""CP-SAT as planner uses it, without numpy and pandas.

OR-Tools' Python module `cp_model` imports numpy and pandas at its top for its pandas
helpers, which planner never calls: 0.15 s of every run, a third of a month's command.
Its model and solver are thin layers over the C++ extension `cp_model_helper`; this module
is the same thin layer, cut down to the calls planner makes.
"""

from __future__ import annotations

from collections.abc import Iterable

from ortools.sat.python import cp_model_helper as cmh
from ortools.util.python.sorted_interval_list import Domain

from planner.solver.parts import Links, OnSolution, solve_parts

IntVar = cmh.IntVar
LinearExpr = cmh.LinearExpr
Bounded = cmh.BoundedLinearExpression
LinearExprT = LinearExpr | IntVar | int
"""What the model accepts wherever an expression is expected (a plain number included)."""

OPTIMAL = cmh.CpSolverStatus.OPTIMAL
FEASIBLE = cmh.CpSolverStatus.FEASIBLE
INFEASIBLE = cmh.CpSolverStatus.INFEASIBLE
MODEL_INVALID = cmh.CpSolverStatus.MODEL_INVALID
UNKNOWN = cmh.CpSolverStatus.UNKNOWN


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
"""A linear constraint's open ends, which the offset does not shift."""


def total(terms: list[LinearExprT]) -> LinearExprT:
    """Σ terms as one flat expression, a plain number when no term is a variable (rules
    test for it): Python's `sum` makes a new expression at each term, twice the time."""
    if all(isinstance(term, int) for term in terms):
        return sum(terms)
    return LinearExpr.sum(terms)


class CpModel:
    """Variables, linear and Boolean constraints, hints and a linear objective.

    Written into the model's proto directly, as `cmh.CpBaseModel` does in C++: that class's
    constructor imports numpy (to recognise numpy booleans as literals), 0.09 s of every
    run. The protos are the same, constraint for constraint."""

    def __init__(self) -> None:
        self.proto = cmh.CpModelProto()
        self.links = Links()
        self._constants: dict[int, int] = {}

    def new_bool_var(self, name: str) -> IntVar:
        return self.new_int_var(0, 1, name)

    def new_int_var(self, low: int, high: int, name: str) -> IntVar:
        self.links.variable()
        return IntVar(self.proto).with_name(name).with_domain(Domain(low, high))

    def add(self, constraint: cmh.BoundedLinearExpression | bool) -> cmh.ConstraintProto:
        """A linear constraint; a comparison of two plain numbers is already true or false."""
        if isinstance(constraint, cmh.BoundedLinearExpression):
            added = self.proto.constraints.add()
            linear = added.linear
            indices = [var.index for var in constraint.vars]
            self.links.constraint(indices)
            linear.vars.extend(indices)
            linear.coeffs.extend(constraint.coeffs)
            offset = constraint.offset
            linear.domain.extend(
                [
                    bound if bound in (INT64_MIN, INT64_MAX) else _shifted(bound, offset)
                    for bound in constraint.bounds.flattened_intervals()
                ]
            )
            return added
        if isinstance(constraint, bool):
            return self.add_bool_or([True] if constraint else [])
        raise TypeError(f"contrainte non linéaire : {type(constraint).__name__}")

    def add_bool_or(self, literals: list[IntVar] | list[bool]) -> cmh.ConstraintProto:
        indices = [self._literal(x) for x in literals]
        self.links.constraint(indices)
        added = self.proto.constraints.add()
        added.bool_or.literals.extend(indices)
        return added

    def add_exactly_one(self, literals: Iterable[IntVar]) -> cmh.ConstraintProto:
        indices = [self._literal(x) for x in literals]
        self.links.constraint(indices)
        added = self.proto.constraints.add()
        added.exactly_one.literals.extend(indices)
        return added

    def add_implication(self, a: IntVar, b: IntVar) -> cmh.ConstraintProto:
        then, when = self._literal(b), self._literal(a)
        self.links.constraint([then, when])
        added = self.proto.constraints.add()
        added.bool_and.literals.append(then)
        added.enforcement_literal.append(when)
        return added

    def minimize(self, objective: LinearExprT) -> None:
        """An integer objective (planner scales its Fractions to integers)."""
        proto = self.proto
        proto.clear_objective()
        proto.clear_floating_point_objective()
        proto.objective.scaling_factor = 1.0
        if isinstance(objective, int):
            proto.objective.offset = objective
            return
        flat = cmh.FlatIntExpr(objective)
        for var in flat.vars:
            proto.objective.vars.append(var.index)
        proto.objective.coeffs.extend(flat.coeffs)
        proto.objective.offset = flat.offset

    def add_hint(self, var: IntVar, value: int | bool) -> None:
        self.proto.solution_hint.vars.append(var.index)
        self.proto.solution_hint.values.append(int(value))

    def hint_all(self, values: Iterable[int]) -> None:
        """A whole solution as the hint, every variable's value in order."""
        values = list(values)
        self.proto.solution_hint.vars.extend(range(len(values)))
        self.proto.solution_hint.values.extend(values)

    def clear_hints(self) -> None:
        self.proto.clear_solution_hint()

    def _literal(self, literal: IntVar | bool) -> int:
        """A literal's index: a variable's (negative for a negation), or a constant's."""
        if isinstance(literal, int):  # True, False, or 1, 0 and their negations -1, -2
            if literal not in (0, 1, -1, -2):
                raise TypeError(f"littéral invalide : {literal}")
            return self._constant(1 if literal in (1, -1) else 0)
        return int(literal.index)

    def _constant(self, value: int) -> int:
        """The index of a fixed, unnamed variable of that value (made once)."""
        if value not in self._constants:
            self._constants[value] = len(self.proto.variables)
            self.links.variable()
            IntVar(self.proto).with_domain(Domain(value, value))
        return self._constants[value]


def _shifted(bound: int, offset: int) -> int:
    """`bound - offset`, saturated to 64 bits like OR-Tools' `CapSub`."""
    return max(INT64_MIN, min(INT64_MAX, bound - offset))


class CpSolver:
    """One solve at a time; its response is read after `solve` returns."""

    def __init__(self) -> None:
        self.parameters = cmh.SatParameters()
        self._response: cmh.CpSolverResponse | None = None

    def solve(self, model: CpModel, on_solution: OnSolution | None = None) -> cmh.CpSolverStatus:
        """`on_solution` is called with the objective value at each improving solution."""
        parts = model.links.parts()
        self._response = solve_parts(model.proto, parts, self.parameters, on_solution)
        return self._response.status

    @property
    def response(self) -> cmh.CpSolverResponse:
        if self._response is None:
            raise RuntimeError("solve() n'a pas été appelé")
        return self._response

    def value(self, expression: LinearExprT) -> int:
        return int(cmh.ResponseHelper.value(self.response, expression))

    @property
    def objective_value(self) -> float:
        return float(self.response.objective_value)

    @property
    def best_objective_bound(self) -> float:
        return float(self.response.best_objective_bound)

    @property
    def deterministic_time(self) -> float:
        return float(self.response.deterministic_time)
