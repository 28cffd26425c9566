"""One measurement in a fresh interpreter: `python -m bench.probe '<json spec>'`.

The orchestrator (`bench/run.py`) starts one probe per run, so every run pays its own
imports and its peak memory is its own (read by the parent with `os.wait4`). The probe
prints one JSON object on its last stdout line.

A probe times the library calls that `planner plan` chains, by wrapping them where they
are looked up (`planner.planning`, `planner.solver.solve`), then calls the real
`make_plan`: the measured path is the production path, not a copy of it.

To add a case (the lead's replan-after-blackout, for instance), write a function
`probe_<kind>(spec) -> dict` here that fills the same keys as `probe_plan` (through
`Recorder.result`), and list a `Case` with that kind in `bench/run.py`.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time as clock
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

STARTED = clock.perf_counter()

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-02-20T09:00:00+01:00"
GAP = 0.01
"""'Within 1 % of the best bound': the primal gap a part must reach."""


@dataclass
class PartTrace:
    """One solved part: its size, its solutions over time and its final bound."""

    part: str = ""
    """'editorial', 'community' or 'lives' (the scope's part)."""
    variables: int = 0
    constraints: int = 0
    build: float = 0.0
    wall: float = 0.0
    status: str = ""
    objective: float | None = None
    bound: float | None = None
    solutions: list[tuple[float, float]] = field(default_factory=list)

    def first(self) -> float:
        return self.solutions[0][0] if self.solutions else self.wall

    def within(self, gap: float) -> float | None:
        """Seconds until a solution within `gap` of this part's best bound."""
        if self.bound is None:
            return None
        for seconds, objective in self.solutions:
            if objective - self.bound <= gap * max(abs(objective), 1e-9):
                return seconds
        return None


@dataclass
class Recorder:
    """Seconds spent in each step, and one trace per solved part."""

    steps: dict[str, float] = field(default_factory=dict)
    parts: list[PartTrace] = field(default_factory=list)

    def add(self, step: str, seconds: float) -> None:
        self.steps[step] = self.steps.get(step, 0.0) + seconds

    @contextmanager
    def wrap(self, module: object, name: str, step: str) -> Iterator[None]:
        """Time every call of `module.name` into `step` while the block runs."""
        original: Callable[..., Any] = getattr(module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = clock.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.add(step, clock.perf_counter() - started)

        setattr(module, name, timed)
        try:
            yield
        finally:
            setattr(module, name, original)

    @contextmanager
    def solver_hooks(self) -> Iterator[None]:
        """Trace `build` and `solve_part` as `solve_plan` calls them, part by part."""
        from planner.solver import solve

        build, solve_part = solve.build, solve.solve_part

        def traced_build(*args: Any, **kwargs: Any) -> Any:
            started = clock.perf_counter()
            ctx = build(*args, **kwargs)
            seconds = clock.perf_counter() - started
            self.parts.append(PartTrace(part=ctx.scope.part, build=seconds))
            self.add("build", self.parts[-1].build)
            return ctx

        def traced_solve_part(ctx: Any, **kwargs: Any) -> Any:
            trace = self.parts[-1]
            started = clock.perf_counter()
            inner = kwargs.get("progress")

            def progress(objective: float, elapsed: float) -> None:
                trace.solutions.append((clock.perf_counter() - started, objective))
                if inner is not None:
                    inner(objective, elapsed)

            solution = solve_part(ctx, **{**kwargs, "progress": progress})
            stats = solution.stats
            trace.wall = clock.perf_counter() - started
            trace.variables, trace.constraints = stats.variables, stats.constraints
            trace.status, trace.objective, trace.bound = stats.status, stats.objective, stats.bound
            self.add("solve", trace.wall)
            return solution

        solve.build, solve.solve_part = traced_build, traced_solve_part
        try:
            yield
        finally:
            solve.build, solve.solve_part = build, solve_part

    def result(self) -> dict[str, Any]:
        """The figures every case reports (a case may add its own keys)."""
        parts = self.parts
        solved = all(p.objective is not None for p in parts)
        within = [p.within(GAP) for p in parts]
        objective = sum(p.objective or 0.0 for p in parts) if solved else None
        bound = sum(p.bound or 0.0 for p in parts) if solved else None
        statuses = {p.status for p in parts}
        return {
            "steps": self.steps,
            "parts": len(parts),
            "variables": sum(p.variables for p in parts),
            "constraints": sum(p.constraints for p in parts),
            "largest_part": max((p.variables for p in parts), default=0),
            "build": sum(p.build for p in parts),
            "first_solution": sum(p.build + p.first() for p in parts),
            "within_gap": (
                sum(p.build + w for p, w in zip(parts, within, strict=True))
                if all(w is not None for w in within)
                else None
            ),
            "to_optimal": sum(p.build + p.wall for p in parts),
            "status": "optimal" if statuses == {"optimal"} else ",".join(sorted(statuses)),
            "objective": objective,
            "bound": bound,
            "gap": (objective - bound) / objective if objective and bound is not None else 0.0,
            "slowest_part": max((p.build + p.wall for p in parts), default=0.0),
            "by_part": {
                kind: sum(p.build + p.wall for p in parts if p.part == kind)
                for kind in sorted({p.part for p in parts})
            },
        }


def probe_plan(spec: dict[str, Any]) -> dict[str, Any]:
    """`make_plan` then the export, as `planner plan` runs them, with every step timed.

    spec: config ('default' or 'agency'), start and end (ISO dates), time_limit, workers,
    export (write the files too).
    """
    recorder = Recorder()
    started = clock.perf_counter()
    import planner.cli  # noqa: F401  (the CLI's import cost is part of the run)
    from planner import planning
    from planner.calendar import Horizon
    from planner.config import load_config
    from planner.errors import PlannerError
    from planner.export import bundle, writer

    recorder.add("imports", clock.perf_counter() - started)
    with tempfile.TemporaryDirectory() as scratch:
        folder = config_folder(spec["config"], Path(scratch))
        started = clock.perf_counter()
        loaded = load_config(folder)
        recorder.add("config", clock.perf_counter() - started)
        horizon = Horizon(date.fromisoformat(spec["start"]), date.fromisoformat(spec["end"]))
        content = ("assemble", "score_plan", "annotate", "scan_config", "scan_items")
        with ExitStack() as hooks:
            hooks.enter_context(recorder.solver_hooks())
            for name in content:
                hooks.enter_context(recorder.wrap(planning, name, "content"))
            hooks.enter_context(recorder.wrap(planning, "check_plan", "checks"))
            hooks.enter_context(skip_diagnosis(planning))
            try:
                plan = planning.make_plan(
                    loaded, horizon, time_limit=spec["time_limit"], workers=spec["workers"]
                )
            except PlannerError as exc:  # no plan within the limit: report how far it got
                return {**recorder.result(), "items": 0, "error": exc.render()}
        if spec.get("export", True):
            started = clock.perf_counter()
            files = bundle.plan_files(plan, datetime.fromisoformat(NOW))
            writer.write_outputs(Path(scratch) / "out" / horizon.label, files)
            recorder.add("export", clock.perf_counter() - started)
    result = recorder.result()
    result["items"] = len(plan.items)
    return result


@contextmanager
def skip_diagnosis(planning: Any) -> Iterator[None]:
    """When a part finds no plan in time, `make_plan` would search for conflicting rules
    (minutes at agency scale); the benchmark only needs to know that it failed."""
    from planner.errors import InfeasibleError

    original = planning.no_plan
    planning.no_plan = lambda *args, **kwargs: InfeasibleError("no plan within the limit")
    try:
        yield
    finally:
        planning.no_plan = original


def config_folder(name: str, scratch: Path) -> Path:
    """The inputs folder of a named config; generated ones are written as YAML first."""
    if name == "default":
        return ROOT / "inputs"
    if name == "agency":
        from bench.agency import write_agency_config

        return write_agency_config(scratch / "agency")
    raise ValueError(f"unknown config {name!r}")


def probe_replan(spec: dict[str, Any]) -> dict[str, Any]:
    """`planner replan` after a blackout week added to the config of an existing plan.

    The plan is made and written first (not timed); then the timed part is what
    `planner replan` does: read the plan back, re-plan under the new rules, export.
    spec: start, end, blackout_from, blackout_to, time_limit, workers.
    """
    import planner.cli  # noqa: F401
    from planner import planning
    from planner.calendar import Horizon
    from planner.config import load_config
    from planner.export import bundle, writer
    from planner.previous import read_plan_csv
    from planner.replan import replan

    recorder = Recorder()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        horizon = Horizon(date.fromisoformat(spec["start"]), date.fromisoformat(spec["end"]))
        now = datetime.fromisoformat(NOW)
        plan = planning.make_plan(load_config(ROOT / "inputs"), horizon)
        target = root / "out" / horizon.label
        writer.write_outputs(target, bundle.plan_files(plan, now))
        config = root / "inputs"
        config.mkdir()
        for file in (ROOT / "inputs").glob("*.yaml"):
            text = file.read_text(encoding="utf-8")
            if file.name == "calendar.yaml":
                line = f"{{from: {spec['blackout_from']}, to: {spec['blackout_to']}, label: Salon}}"
                text = text.replace("  blackouts:", f"  blackouts:\n    - {line}", 1)
            (config / file.name).write_text(text, encoding="utf-8")
        started = clock.perf_counter()
        loaded = load_config(config)
        previous = read_plan_csv(target / "plan.csv", loaded.config)
        snapshot = read_plan_csv(target / bundle.SNAPSHOT, loaded.config).items
        recorder.add("config", clock.perf_counter() - started)
        with recorder.solver_hooks():
            started = clock.perf_counter()
            result = replan(
                loaded,
                horizon,
                previous.items,
                snapshot,
                now,
                time_limit=spec["time_limit"],
                workers=spec["workers"],
            )
            recorder.add("replan", clock.perf_counter() - started)
        started = clock.perf_counter()
        files = bundle.plan_files(
            result.plan, now, changes=result.changes, modified=result.modified
        )
        writer.write_outputs(target, files + writer.history(target, files, now))
        recorder.add("export", clock.perf_counter() - started)
    figures = recorder.result()
    figures["items"] = len(result.plan.items)
    figures["changes"] = {
        kind: sum(1 for c in result.changes if c.change == kind)
        for kind in ("moved", "added", "removed", "changed")
    }
    return figures


PROBES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "plan": probe_plan,
    "replan": probe_replan,
}


def main() -> None:
    spec = json.loads(sys.argv[1])
    result = PROBES[spec["kind"]](spec)
    result["process"] = clock.perf_counter() - STARTED
    print(json.dumps(result))


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    main()
