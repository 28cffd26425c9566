"""CP-SAT as planner uses it, without numpy and pandas.

OR-Tools' Python module `cp_model` imports numpy and pandas at its top for its pandas
helpers, which planner never calls: 0.15 s of every run, a third of a month's command.
Its model and solver are thin layers over the C++ extension `cp_model_helper`; this module
is the same thin layer, cut down to the calls planner makes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model_helper as cmh
from ortools.util.python.sorted_interval_list import Domain

IntVar = cmh.IntVar
LinearExpr = cmh.LinearExpr
Constraint = cmh.Constraint
LinearExprT = LinearExpr | IntVar | int
"""What the model accepts wherever an expression is expected (a plain number included)."""

OPTIMAL = cmh.CpSolverStatus.OPTIMAL
FEASIBLE = cmh.CpSolverStatus.FEASIBLE
INFEASIBLE = cmh.CpSolverStatus.INFEASIBLE
MODEL_INVALID = cmh.CpSolverStatus.MODEL_INVALID
UNKNOWN = cmh.CpSolverStatus.UNKNOWN


class CpModel(cmh.CpBaseModel):
    """Variables, linear and Boolean constraints, hints and a linear objective."""

    def __init__(self) -> None:
        cmh.CpBaseModel.__init__(self, None)

    if TYPE_CHECKING:  # methods of the C++ base class that cp_model_helper.pyi leaves out

        def _add_bounded_linear_expression(
            self, constraint: cmh.BoundedLinearExpression
        ) -> Constraint: ...

        def _add_bool_argument_constraint(
            self, kind: cmh.BoolArgumentConstraint, literals: Iterable[IntVar | bool]
        ) -> Constraint: ...

    @property
    def proto(self) -> cmh.CpModelProto:
        return self.model_proto

    def new_bool_var(self, name: str) -> IntVar:
        return IntVar(self.model_proto).with_name(name).with_domain(Domain(0, 1))

    def new_int_var(self, low: int, high: int, name: str) -> IntVar:
        return IntVar(self.model_proto).with_name(name).with_domain(Domain(low, high))

    def add(self, constraint: cmh.BoundedLinearExpression | bool) -> Constraint:
        """A linear constraint; a comparison of two plain numbers is already true or false."""
        if isinstance(constraint, cmh.BoundedLinearExpression):
            return self._add_bounded_linear_expression(constraint)
        if isinstance(constraint, bool):
            return self.add_bool_or([True] if constraint else [])
        raise TypeError(f"contrainte non linéaire : {type(constraint).__name__}")

    def add_bool_or(self, literals: list[IntVar] | list[bool]) -> Constraint:
        return self._add_bool_argument_constraint(cmh.BoolArgumentConstraint.bool_or, literals)

    def add_exactly_one(self, literals: Iterable[IntVar]) -> Constraint:
        return self._add_bool_argument_constraint(cmh.BoolArgumentConstraint.exactly_one, literals)

    def add_implication(self, a: IntVar, b: IntVar) -> Constraint:
        return self._add_bool_argument_constraint(
            cmh.BoolArgumentConstraint.bool_and, [b]
        ).only_enforce_if(a)

    def minimize(self, objective: LinearExprT) -> None:
        """An integer objective (planner scales its Fractions to integers)."""
        proto = self.model_proto
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
        self.model_proto.solution_hint.vars.append(var.index)
        self.model_proto.solution_hint.values.append(int(value))

    def clear_hints(self) -> None:
        self.model_proto.clear_solution_hint()


class SolutionCallback(cmh.SolutionCallback):
    """Called at each improving solution; `on_solution_callback` is the hook."""

    def __init__(self) -> None:
        cmh.SolutionCallback.__init__(self)

    def OnSolutionCallback(self) -> None:
        self.on_solution_callback()

    def on_solution_callback(self) -> None:
        """Overridden by subclasses."""

    @property
    def objective_value(self) -> float:
        return float(self.ObjectiveValue())


class CpSolver:
    """One solve at a time; its response is read after `solve` returns."""

    def __init__(self) -> None:
        self.parameters = cmh.SatParameters()
        self.log_callback: Callable[[str], None] | None = None
        self._response: cmh.CpSolverResponse | None = None

    def solve(self, model: CpModel, callback: SolutionCallback | None = None) -> cmh.CpSolverStatus:
        wrapper = cmh.SolveWrapper()
        wrapper.set_parameters(self.parameters)
        if callback is not None:
            wrapper.add_solution_callback(callback)
        if self.log_callback is not None:
            wrapper.add_log_callback(self.log_callback)
        self._response = wrapper.solve(model.proto)
        if callback is not None:
            wrapper.clear_solution_callback(callback)
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
