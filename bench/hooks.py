"""Timing wrappers, installed where planner looks its functions up.

`planner.runs` calls `make_plan` through its own module global, `make_plan` calls `build`
and `solve_model` through `planner.planning`'s, and so on: replacing those attributes
times the production path itself, not a copy of it. A hook names its target as
`module:attribute` (`planner.planning:build`, `planner.export.writer:FolderWrite.stage`).

A required hook that is missing (planner renamed or moved the function) stops the bench
with a message naming it; an optional one is skipped and its figure shown as missing.
"""

from __future__ import annotations

import importlib
import threading
import time as clock
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

Wrapper = Callable[[Callable[..., Any]], Callable[..., Any]]
"""Makes the replacement of a function from the original."""

SOLVED = ("optimal", "feasible")
"""The statuses of `solve_model` that come with a solution."""


class MissingHookError(RuntimeError):
    """A function the bench wraps is no longer where planner used to look it up."""


@dataclass(frozen=True)
class Hook:
    target: str
    """`module:attribute`, the attribute possibly dotted (`Class.method`)."""
    step: str
    """Where its seconds are added up."""
    required: bool = True


def resolve(target: str) -> tuple[Any, str]:
    """The object holding the hooked function, and the function's name."""
    module_name, _, path = target.partition(":")
    *parents, name = path.split(".")
    try:
        owner: Any = importlib.import_module(module_name)
        for parent in parents:
            owner = getattr(owner, parent)
        if not callable(getattr(owner, name)):
            raise AttributeError(f"{path} is not a function")
    except (ModuleNotFoundError, AttributeError) as exc:
        raise MissingHookError(
            f"hook point {target} is missing ({exc}): planner no longer looks this function "
            "up there. Update the hooks in bench/probe.py (or bench/hooks.py) to its new "
            "name or place."
        ) from None
    return owner, name


@contextmanager
def replaced(target: str, make: Wrapper) -> Iterator[None]:
    """Replace `target` by `make(original)` while the block runs."""
    owner, name = resolve(target)
    original = getattr(owner, name)
    setattr(owner, name, make(original))
    try:
        yield
    finally:
        setattr(owner, name, original)


@dataclass
class Timer:
    """Seconds spent in each step (nested steps are counted in both)."""

    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, step: str, seconds: float) -> None:
        self.seconds[step] = self.seconds.get(step, 0.0) + seconds

    @contextmanager
    def timing(self, step: str) -> Iterator[None]:
        started = clock.perf_counter()
        try:
            yield
        finally:
            self.add(step, clock.perf_counter() - started)

    def wrapper(self, step: str) -> Wrapper:
        def make(original: Callable[..., Any]) -> Callable[..., Any]:
            def timed(*args: Any, **kwargs: Any) -> Any:
                with self.timing(step):
                    return original(*args, **kwargs)

            return timed

        return make

    @contextmanager
    def installed(self, hooks: Iterable[Hook]) -> Iterator[list[str]]:
        """Every hook in place while the block runs; yields the optional ones missing."""
        missing: list[str] = []
        with ExitStack() as stack:
            for hook in hooks:
                try:
                    stack.enter_context(replaced(hook.target, self.wrapper(hook.step)))
                except MissingHookError:
                    if hook.required:
                        raise
                    missing.append(hook.target)
            yield missing


MAIN = "main"
"""The lane of months solved by the thread that called `make_plan`."""


def lane() -> str:
    thread = threading.current_thread()
    return MAIN if thread is threading.main_thread() else thread.name


@dataclass
class MonthTrace:
    """One month's model: its build, and its solutions as the solver found them."""

    build: float
    lane: str = MAIN
    """The thread that solved it: the halves of a long plan run side by side (`lanes`)."""
    solve: float = 0.0
    deterministic: float = 0.0
    variables: int = 0
    status: str = ""
    bound: float | None = None
    solutions: list[tuple[float, float]] = field(default_factory=list)
    """(seconds since the solve began, objective in points), as `progress` reports them."""

    def first(self) -> float | None:
        """Seconds to the month's first solution."""
        if self.solutions:
            return self.solutions[0][0]
        return self.solve if self.status in SOLVED else None

    def final_bound(self) -> float | None:
        """The month's final bound, in the units `progress` reports (an optimal month's
        bound is its last solution)."""
        if self.status == "optimal" and self.solutions:
            return self.solutions[-1][1]
        return self.bound

    def within(self, gap: float) -> float | None:
        """Seconds until a solution within `gap` (relative) of the month's final bound."""
        bound = self.final_bound()
        if bound is not None:
            for seconds, objective in self.solutions:
                if objective - bound <= gap * abs(objective):
                    return seconds
        return self.solve if self.status == "optimal" else None


@dataclass
class MonthTracer:
    """Wraps `build` and `solve_model` where `make_plan` looks them up, month by month.

    Meant for fresh plans: a re-plan solves several objective levels in one
    `solve_model`, and `progress` then reports each level's objective in turn."""

    months: list[MonthTrace] = field(default_factory=list)
    done: Callable[[MonthTrace], None] | None = None
    """Called with each month once it is solved."""
    current: dict[str, MonthTrace] = field(default_factory=dict)
    """Each lane's month being solved."""

    def build(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def traced(*args: Any, **kwargs: Any) -> Any:
            started = clock.perf_counter()
            ctx = original(*args, **kwargs)
            month = MonthTrace(clock.perf_counter() - started, lane())
            self.current[month.lane] = month
            self.months.append(month)
            return ctx

        return traced

    def solve(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def traced(ctx: Any, **kwargs: Any) -> Any:
            month = self.current[lane()]
            inner = kwargs.get("progress")
            started = clock.perf_counter()

            def progress(objective: float, elapsed: float) -> None:
                month.solutions.append((clock.perf_counter() - started, objective))
                if inner is not None:
                    inner(objective, elapsed)

            solution = original(ctx, **{**kwargs, "progress": progress})
            stats = solution.stats
            month.solve = clock.perf_counter() - started
            month.deterministic = stats.deterministic_seconds
            month.variables = stats.variables
            month.status = stats.status
            month.bound = None if stats.bound is None else float(stats.bound)
            if self.done is not None:
                self.done(month)
            return solution

        return traced

    @contextmanager
    def installed(self) -> Iterator[None]:
        with (
            replaced("planner.planning:build", self.build),
            replaced("planner.planning:solve_model", self.solve),
        ):
            yield

    def summary(self, gap: float) -> dict[str, Any]:
        """Per-plan figures: month after month, so the months' times add up."""
        return summarise([month_figures(m, gap) for m in self.months])


def month_figures(month: MonthTrace, gap: float) -> list[Any]:
    """[build, solve, deterministic, first solution, within gap, lane] of one month."""
    return [
        month.build,
        month.solve,
        month.deterministic,
        month.first(),
        month.within(gap),
        month.lane,
    ]


def summarise(months: list[list[Any]]) -> dict[str, Any]:
    """A plan's figures from its months' `month_figures` (also for a probe stopped midway,
    from the lines it printed)."""
    withins = [m[4] for m in months]
    return {
        "months": len(months),
        "build": sum(m[0] for m in months),
        "solve": sum(m[1] for m in months),
        "deterministic": sum(m[2] for m in months),
        "first_solution": lanes(months, lambda m: m[3]),
        "within_gap": lanes(months, lambda m: m[4]),
        "within_gap_floor": lanes(months, lambda m: m[4] if m[4] is not None else m[1]),
        "months_within_gap": sum(1 for w in withins if w is not None),
        "lanes": len({m[5] for m in months}),
        "per_month": [m[:3] for m in months],
    }


def lanes(months: list[list[Any]], time: Callable[[list[Any]], float | None]) -> float | None:
    """Σ (build + time) over the months one after the other, or None when a month never got
    there. A long plan's halves are solved side by side, each in its own lane (thread), and
    the main lane's months after them: the slower half's sum, plus the main lane's."""
    if any(time(m) is None for m in months):
        return None
    sums: dict[str, float] = {}
    for m in months:
        sums[m[5]] = sums.get(m[5], 0.0) + m[0] + (time(m) or 0.0)
    main = sums.pop(MAIN, 0.0)
    return main + max(sums.values(), default=0.0)
