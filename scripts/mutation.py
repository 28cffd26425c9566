"""Mutation run on the solver-free checker, `planner/checks.py`, with mutmut (`make mutation`).

mutmut (configured in pyproject.toml, `[tool.mutmut]`) mutates `planner/checks.py` only and
runs `tests/test_checker.py` and `tests/test_rule_tables.py` against each mutant. This script
runs it from scratch, then compares the mutants that were not detected with the survivors
recorded, each with its justification, in docs/mutation.md. It fails when a mutant survives
that is not recorded there.

A survivor is named by a stable id, `function:hash`: the function that holds it and a hash
of the statement it changes, before and after the change (whitespace aside). Unlike
mutmut's own numbering (`…__mutmut_17`, the 17th mutant of the function), it does not move
when code is added elsewhere in the file, or elsewhere in the same function.

    python scripts/mutation.py               # run, report, compare (CI)
    python scripts/mutation.py --no-run      # report and compare the last run only
    python scripts/mutation.py --write       # also rewrite the table of docs/mutation.md,
                                             # keeping the justifications already written
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("planner/checks.py")
DOC = ROOT / "docs" / "mutation.md"
LOG = ROOT / "mutants" / "mutmut-run.log"
START, END = "<!-- survivors:start -->", "<!-- survivors:end -->"
TODO = "TODO"

DETECTED = {
    **dict.fromkeys((1, 3), "killed"),
    **dict.fromkeys((36, -24, 24, 152, 255), "timeout"),
    **dict.fromkeys((-9, -11), "crash"),
}
"""mutmut's exit codes of a detected mutant: a failing test, a test that never ends (a
timeout is how an endless loop is caught) or that brings the test process down. Anything
else, a mutant that survived or that no test runs, must be recorded."""
STATUS = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", None: "not checked"}
ROW = re.compile(r"^\|\s*`(?P<id>[^`]+)`\s*\|(?P<change>.*)\|(?P<why>[^|]*)\|\s*$")


@dataclass(frozen=True)
class Survivor:
    id: str
    mutant: str
    """mutmut's name, for `mutmut show`."""
    status: str
    before: str
    after: str

    def row(self, why: str) -> str:
        change = f"{_code(self.before)} → {_code(self.after)}"
        return f"| `{self.id}` | {change} | {why} |"


def _code(text: str, limit: int = 90) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`" if text else "(removed)"


def _flat(text: str) -> str:
    return " ".join(text.split())


def function_name(mutant: str) -> str:
    """`planner.checks.xǁ_Checkerǁ_daily_cap__mutmut_3` → `_Checker._daily_cap`."""
    mangled = mutant.rpartition(".")[2].rpartition("__mutmut_")[0]
    if mangled.startswith("xǁ"):
        return mangled[2:].replace("ǁ", ".")
    return mangled.removeprefix("x_")


def statement_change(original: str, mutated: str) -> tuple[str, str, str, str]:
    """The innermost statement of `original` that the mutation changes (a compound
    statement's header only, when the change is there) and the same statement in `mutated`,
    then the changed lines of each."""
    old, new = original.splitlines(), mutated.splitlines()
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    first, last = head + 1, max(head + 1, len(old) - tail)
    """1-based lines of `original` that differ."""
    best: tuple[int, int] = (1, len(old))
    for node in ast.walk(ast.parse(original)):
        if not isinstance(node, ast.stmt) or node.end_lineno is None:
            continue
        start, end = node.lineno, node.end_lineno
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and last < body[0].lineno:
            end = body[0].lineno - 1
        if start <= first and last <= end and end - start < best[1] - best[0]:
            best = (start, end)
    start, end = best
    shift = len(new) - len(old)
    return (
        _flat("\n".join(old[start - 1 : end])),
        _flat("\n".join(new[start - 1 : end + shift])),
        _flat("\n".join(old[head : len(old) - tail])),
        _flat("\n".join(new[head : len(new) - tail])),
    )


def run_mutmut(jobs: int) -> float:
    """A fresh run (results of an earlier run are never reused); its duration in seconds."""
    shutil.rmtree(LOG.parent, ignore_errors=True)
    LOG.parent.mkdir()
    began = time.monotonic()
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs)]
    # A mutant of the checker's time handling can read a time without a zone as the
    # machine's local time: the run is made in UTC wherever it runs, so its results agree.
    env = {**os.environ, "TZ": "UTC"}
    with open(LOG, "w", encoding="utf-8") as log:
        done = subprocess.run(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=False
        )
    elapsed = time.monotonic() - began
    if done.returncode != 0:
        text = LOG.read_text(encoding="utf-8", errors="replace").replace("\r", "\n")
        print("\n".join(text.splitlines()[-60:]))
        sys.exit(f"mutmut run failed (exit code {done.returncode}); full log: {LOG}")
    return elapsed


def results() -> tuple[dict[str, int | None], list[Survivor]]:
    import libcst as cst
    from mutmut.mutation.diff_apply import read_functions_from_index

    meta = json.loads((ROOT / "mutants" / f"{SOURCE}.meta").read_text(encoding="utf-8"))
    codes: dict[str, int | None] = meta["exit_code_by_key"]
    found: list[Survivor] = []
    seen: dict[str, int] = {}
    os.chdir(ROOT)
    for mutant in sorted(codes, key=_natural):
        code = codes[mutant]
        if code in DETECTED:
            continue
        functions = read_functions_from_index(mutant, SOURCE)
        if functions is None:
            sys.exit(f"cannot read {mutant} back from mutants/{SOURCE}")
        original, mutated = (cst.Module([f]).code for f in functions)
        statement, mutant_statement, before, after = statement_change(original, mutated)
        function = function_name(mutant)
        digest = hashlib.sha1(f"{statement}\n{mutant_statement}".encode()).hexdigest()[:8]
        id = f"{function}:{digest}"
        seen[id] = seen.get(id, 0) + 1
        if seen[id] > 1:
            id = f"{id}-{seen[id]}"
        found.append(Survivor(id, mutant, STATUS.get(code, f"exit {code}"), before, after))
    return codes, found


def _natural(mutant: str) -> tuple[str, int]:
    name, _, number = mutant.rpartition("__mutmut_")
    return name, int(number) if number.isdigit() else 0


def recorded(text: str) -> dict[str, str]:
    """Recorded survivors: id → justification (rows still marked TODO are not justified)."""
    rows: dict[str, str] = {}
    inside = False
    for line in text.splitlines():
        if line.strip() == START:
            inside = True
        elif line.strip() == END:
            inside = False
        elif inside and (match := ROW.match(line)):
            rows[match["id"]] = match["why"].strip()
    return rows


def write_table(text: str, survivors: list[Survivor], known: dict[str, str]) -> str:
    rows = [
        "| Id | Mutation (statement changed → mutant) | Why it survives |",
        "| --- | --- | --- |",
        *(s.row(known.get(s.id) or TODO) for s in survivors),
    ]
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    return f"{before}{START}\n" + "\n".join(rows) + f"\n{END}{after}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-run", action="store_true", help="use the last run's results")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="mutants at once")
    parser.add_argument("--write", action="store_true", help="rewrite docs/mutation.md's table")
    args = parser.parse_args()

    elapsed = None if args.no_run else run_mutmut(args.jobs)
    codes, survivors = results()
    total = len(codes)
    detected = sum(1 for c in codes.values() if c in DETECTED)
    how = [DETECTED[c] for c in codes.values() if c in DETECTED]
    text = DOC.read_text(encoding="utf-8")
    known = recorded(text)
    if args.write:
        DOC.write_text(write_table(text, survivors, known), encoding="utf-8")
        known = recorded(DOC.read_text(encoding="utf-8"))

    import mutmut

    took = "" if elapsed is None else f" in {elapsed:.0f} s"
    print(
        f"mutmut {mutmut.__version__} on {SOURCE}{took}: {total} mutants, {detected} detected "
        f"({how.count('killed')} killed, {how.count('timeout')} by a timeout, "
        f"{how.count('crash')} by a crash), {len(survivors)} not detected; "
        f"score {detected}/{total} = {100 * detected / max(total, 1):.1f} %"
    )
    unjustified = [s for s in survivors if known.get(s.id, TODO) in ("", TODO)]
    stale = sorted(set(known) - {s.id for s in survivors})
    for id in stale:
        print(f"note: {id} is recorded in docs/mutation.md but no longer survives: remove its row")
    if unjustified:
        print(
            f"\n{len(unjustified)} surviving mutant(s) not justified in docs/mutation.md: kill "
            "each with a test, or record it with its reason (`mutmut show NAME` shows it):\n"
        )
        for s in unjustified:
            print(f"{s.row(TODO)}  <- {s.mutant} ({s.status})")
        sys.exit(1)
    print(f"every surviving mutant is recorded in {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
