"""Inputs that used to hang the tool, mislead its reader or fail months later are refused
when loading, naming the file, the line and the key.

Confidential patterns run on the `regex` engine with a time budget; one that could backtrack
for hours is refused at load (statically, or timed on texts built to make it backtrack), and
one that still runs out of time during an export refuses the export. Symbolic links that
lead nowhere and empty files are named as such, pydantic's defaults are those of inputs/,
and a live window no format fits is refused.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError
from typer.testing import CliRunner

from planner.cli import app
from planner.confidential import compile_patterns
from planner.config import load_config
from planner.config.model import Config, Weights
from planner.errors import InputError
from planner.export.bundle import refuse_leaks
from planner.export.writer import OutputFile
from planner.patterns import pattern_problem
from tests.conftest import INPUTS, MINIMAL, ROOT, config_copy

runner = CliRunner()


def run_cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


EVIL = r"(\w+\s?)+\s*\$"
"""Hung `planner check` forever on Python's `re`, printing nothing."""

CLI_IN_A_PROCESS = """
import sys
from typer.testing import CliRunner
from planner.cli import app
if sys.argv[1] == "no-load-guard":  # let a slow pattern through loading, to reach a search
    import planner.config.model
    planner.config.model.pattern_problem = lambda pattern: None
result = CliRunner().invoke(app, sys.argv[2:])
print(result.output)
sys.exit(result.exit_code)
"""


def run_guarded(*args: str, guard: str = "load-guard", limit: float = 60) -> tuple[int, str]:
    """`planner` through CliRunner in its own process, so that a hang fails the test after
    `limit` seconds instead of blocking the suite."""
    result = subprocess.run(
        [sys.executable, "-c", CLI_IN_A_PROCESS, guard, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=limit,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def add_pattern(data: dict[str, Any], label: str, pattern: str) -> None:
    """An `Edit` of `config_copy`: one more confidential pattern, the eighth."""
    data["confidential.yaml"]["confidential"]["patterns"].append(
        {"label": label, "pattern": pattern}
    )


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


# --- 1. confidential patterns that cannot hang ------------------------------------------------


def test_a_pattern_that_would_hang_is_refused_at_load_within_seconds(tmp_path: Path) -> None:
    folder = config_copy(INPUTS, tmp_path / "inputs", lambda d: add_pattern(d, "dollars", EVIL))
    line = line_of(folder / "confidential.yaml", "(\\w+\\s?)+")
    out = tmp_path / "out"
    for command in (["check"], ["plan", "--out", str(out)]):
        started = time.monotonic()
        code, output = run_guarded(*command, "--config", str(folder), "--month", "2026-03")
        assert time.monotonic() - started < 30, output
        assert code == 2, output
        where = f"{folder / 'confidential.yaml'}:{line} · confidential.patterns[7].pattern"
        assert where in output, output
        assert "expression régulière trop risquée" in output, output
    assert not out.exists()


def test_a_search_out_of_time_refuses_the_export_naming_the_pattern(tmp_path: Path) -> None:
    """A pattern let through loading (here by switching the load guard off) that backtracks
    on a text: the search stops at its budget and nothing passes unchecked."""

    def slow(data: dict[str, Any]) -> None:
        stage = data["journeys.yaml"]["journeys"]["of"]["stages"][0]
        stage["messages"][0] = "Vos questions " + "a" * 40 + " en direct"
        add_pattern(data, "montant en dollars", r"(a|aa)+\$")

    folder = config_copy(MINIMAL, tmp_path / "inputs", slow)
    line = line_of(folder / "confidential.yaml", "(a|aa)+")
    out = tmp_path / "out"
    code, output = run_guarded(
        "plan",
        "--config",
        str(folder),
        "--month",
        "2026-03",
        "--out",
        str(out),
        guard="no-load-guard",
    )
    assert code == 2, output
    assert f"{folder / 'confidential.yaml'}:{line} · confidential.patterns[7].pattern" in output
    assert "« montant en dollars » est trop lente à vérifier (plus de 2 s" in output, output
    assert "Traceback" not in output
    assert not out.exists()


def test_an_output_file_searched_out_of_time_refuses_the_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scan of the written files, with a budget cut to 0.05 s: the pattern (cubic on
    `regex`, 1.7 s on these 1 000 commas) cannot make the test wait if the budget fails."""
    monkeypatch.setattr("planner.config.model.pattern_problem", lambda pattern: None)
    monkeypatch.setattr("planner.confidential.SEARCH_BUDGET", 0.05)
    folder = config_copy(MINIMAL, tmp_path / "cfg", lambda d: add_pattern(d, "prix", "(.*,)+x"))
    loaded = load_config(folder)
    files = [OutputFile("report.md", b"ok"), OutputFile("plan.csv", b"," * 1000 + b"y")]
    with pytest.raises(InputError) as caught:
        refuse_leaks(loaded.config, files)
    [problem] = caught.value.problems
    assert problem.file == folder / "confidential.yaml"
    assert problem.line == line_of(folder / "confidential.yaml", "(.*,)+x")
    assert problem.path == "confidential.patterns[7].pattern"
    assert "trop lente à vérifier (plus de 0,05 s sur un texte de 1001 caractères)" in (
        problem.message
    )


def test_patterns_remember_where_they_were_written() -> None:
    loaded = load_config(INPUTS)
    patterns = compile_patterns(loaded.config)
    assert [p.label for p in patterns] == [p.label for p in loaded.config.confidential.patterns]
    assert patterns[3].file == INPUTS / "confidential.yaml"
    lines = (INPUTS / "confidential.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[patterns[3].line - 1].strip() == "pattern: 'paliers?\\s+de\\s+prix'"
    assert patterns[3].key == "confidential.patterns[3].pattern"


HANGS = [
    EVIL,
    r"(a+)+",
    r"(\w+\s?)+",
    r"(a|a)*",
    r"(.*)*",
    r"(.*,)+x",
    r"(a|aa)+",
    r"(a*b*)*c",
    r"((a+)b?)+",
    r"(\d+\s?)+€",
    r"(\w{1,3}\s?)+",
    r"(a?a)+",
    r"(?:\s*\s*)+!",
    r"(?=(a+)+$)",
]
"""Each reads some text in exponentially many ways: refused without running it."""

SAFE = [
    r"paliers?\s+de\s+prix",
    r"\bM\s?13\b",
    r"places?\s+(par|/)\s*palier",
    r"(\d+[.,])+\d+\s*€",
    r"(\s+\w+)*",
    r"(eur|euros)+",
    r"(M13|m 13)+",
    r"(\w+\s){2}",
    r"[\wé]+",
    r"(ab+)+",
    r"(?>a+)+",
    r"prix\s*(interne|confidentiel)s?",
]
"""Ordinary patterns, some with repetitions inside repetitions that cannot overlap."""


@pytest.mark.parametrize("pattern", HANGS)
def test_a_repetition_that_can_read_the_same_text_twice_is_refused(pattern: str) -> None:
    problem = pattern_problem(pattern)
    assert problem is not None and problem.startswith("expression régulière trop risquée")


@pytest.mark.parametrize("pattern", SAFE)
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    assert pattern_problem(pattern) is None


def test_the_default_patterns_are_accepted() -> None:
    data = yaml.safe_load((INPUTS / "confidential.yaml").read_text(encoding="utf-8"))
    patterns = [p["pattern"] for p in data["confidential"]["patterns"]]
    assert len(patterns) == 7
    assert [pattern_problem(p) for p in patterns] == [None] * 7


def test_a_pattern_slow_on_a_trial_text_is_refused() -> None:
    """Polynomial, not exponential: the static rule lets it through, the timed trial does
    not (seven repetitions of the same class before a class `regex` cannot skip to)."""
    problem = pattern_problem(r"\w*\w*\w*\w*\w*\w*\w*[!?]")
    assert problem is not None and problem.startswith("expression régulière trop lente")
    assert "0,25 s" in problem


def test_a_syntax_error_is_said_in_french() -> None:
    assert pattern_problem("prix [z-a]") == (
        "expression régulière invalide : plage de caractères à l'envers (comme [z-a]) (caractère 7)"
    )


# --- 2. loading messages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("", "aucun texte"),
        ("\n   \n", "aucun texte"),
        ("# à venir\n\n  # calendar:\n", "seulement des commentaires"),
    ],
)
def test_an_empty_file_given_alone_is_said_empty(content: str, says: str, tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(content, encoding="utf-8")
    code, output = run_cli("check", "--config", str(path), "--month", "2026-03")
    assert code == 2, output
    assert f"{path} : le fichier est vide (aucune règle, {says})" in output, output


def loop_to_itself(tmp_path: Path) -> Path:
    path = tmp_path / "rules.yaml"
    path.symlink_to("rules.yaml")
    return path


def loop_of_folders(tmp_path: Path) -> Path:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    return tmp_path / "a"


@pytest.mark.parametrize("make", [loop_to_itself, loop_of_folders])
def test_a_symlink_loop_given_as_config_is_named(make: Any, tmp_path: Path) -> None:
    path = make(tmp_path)
    code, output = run_cli("check", "--config", str(path), "--month", "2026-03")
    assert code == 2, output
    assert f"{path} : liens symboliques en boucle" in output, output
    assert "n'existe pas" not in output


def test_a_symlink_loop_inside_the_folder_is_named(tmp_path: Path) -> None:
    folder = config_copy(MINIMAL, tmp_path / "inputs")
    (folder / "notes.yaml").symlink_to("brouillon.yaml")
    (folder / "brouillon.yaml").symlink_to("notes.yaml")
    code, output = run_cli("check", "--config", str(folder), "--month", "2026-03")
    assert code == 2, output
    for name in ("brouillon.yaml", "notes.yaml"):
        assert f"{folder / name} : liens symboliques en boucle" in output, output


def test_a_dangling_symlink_given_as_config_is_named(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.symlink_to(tmp_path / "old" / "rules.yaml")
    code, output = run_cli("check", "--config", str(path), "--month", "2026-03")
    assert code == 2, output
    target = tmp_path / "old" / "rules.yaml"
    assert f"{path} : lien symbolique cassé : il pointe vers « {target} »" in output, output


def test_the_weight_defaults_are_the_values_of_inputs(tmp_path: Path) -> None:
    """Leaving `preferences` out changes nothing: a reader of model.py is not misled."""

    def without_preferences(data: dict[str, Any]) -> None:
        del data["settings.yaml"]["preferences"]

    folder = config_copy(INPUTS, tmp_path / "inputs", without_preferences)
    loaded = load_config(folder)
    settings = yaml.safe_load((INPUTS / "settings.yaml").read_text(encoding="utf-8"))
    assert set(settings["preferences"]) == set(Weights.model_fields)
    assert loaded.config.preferences.model_dump() == settings["preferences"]


# --- 3. a live window too short for every format ----------------------------------------------


def with_window(end: str, per_month: int = 1) -> dict[str, Any]:
    """The minimal config's data, the Skool live window ending at `end` (formats: 45, 60)."""
    data: dict[str, Any] = {}
    for file in sorted(MINIMAL.glob("*.yaml")):
        data |= yaml.safe_load(file.read_text(encoding="utf-8"))
    lives = data["channels"]["skool"]["lives"]
    lives |= {"window": {"start": "12:00", "end": end}, "per_month": per_month}
    return data


def test_a_window_no_format_fits_is_refused_naming_the_window() -> None:
    with pytest.raises(ValidationError) as caught:
        Config.model_validate(with_window("12:40"))
    [error] = caught.value.errors()
    assert error["loc"] == ("channels", "skool", "lives", "window")
    assert str(error["ctx"]["error"]).startswith(
        "aucun format de live ne tient dans la plage 12:00–12:40 (40 min) : le plus court, "
        "« Questions-réponses », dure 45 min"
    )


@pytest.mark.parametrize(("end", "per_month"), [("12:45", 1), ("12:50", 2), ("12:10", 0)])
def test_a_window_some_format_fits_or_no_live_is_accepted(end: str, per_month: int) -> None:
    Config.model_validate(with_window(end, per_month))


def test_the_window_refusal_reaches_the_user_with_file_and_line(tmp_path: Path) -> None:
    def short(data: dict[str, Any]) -> None:
        data["channels.yaml"]["channels"]["skool"]["lives"]["window"]["end"] = "12:30"

    folder = config_copy(MINIMAL, tmp_path / "inputs", short)
    with pytest.raises(InputError) as caught:
        load_config(folder)
    [problem] = caught.value.problems
    assert problem.file == folder / "channels.yaml" and problem.line is not None
    assert problem.path == "channels.skool.lives.window"


def _task_times(data: dict[str, Any], where: str, moment: str) -> None:
    """Sets one team task's time in the default inputs: the live's preparation, the
    reminder step of its sequence, the KPI review ritual or the first campaign's task."""
    skool = data["channels.yaml"]["channels"]["skool"]
    if where == "preparation":
        skool["lives"]["preparation"]["time"] = moment
    elif where == "sequence":
        [step] = [s for s in skool["lives"]["sequence"] if s.get("kind") == "task"]
        step["time"] = moment
    elif where == "ritual":
        skool["rituals"]["revue_kpi"]["time"] = moment
    else:
        campaign = data["campaigns.yaml"]["campaigns"][0]
        [step] = [s for s in campaign["steps"] if s.get("kind") == "task"]
        step["time"] = moment


TASKS_PAST_MIDNIGHT = [
    ("preparation", "channels.skool.lives.preparation.time"),
    ("sequence", "channels.skool.lives.sequence{n}.time"),
    ("ritual", "channels.skool.rituals.revue_kpi.time"),
    ("campaign", "campaigns[0].steps{n}.time"),
]


@pytest.mark.parametrize(("where", "path"), TASKS_PAST_MIDNIGHT)
def test_a_team_task_that_would_end_the_next_day_is_refused(
    where: str, path: str, tmp_path: Path
) -> None:
    """A preparation at 23:45 used to come out at 00:00 of its own day, 23¾ hours early,
    without a word: the quarter hours tried after a time that does not fit wrapped round."""
    folder = config_copy(INPUTS, tmp_path / "inputs", lambda d: _task_times(d, where, "23:45"))
    with pytest.raises(InputError) as caught:
        load_config(folder)
    [problem] = caught.value.problems
    assert problem.line is not None
    assert re.fullmatch(re.escape(path).replace(r"\{n\}", r"\[\d+\]"), problem.path)
    assert "commence à 23:45 et dure 30 min : elle finirait le lendemain" in problem.message
    assert "au plus tard 23:29" in problem.message


@pytest.mark.parametrize("where", [where for where, _ in TASKS_PAST_MIDNIGHT])
def test_a_team_task_ending_before_midnight_keeps_its_time(where: str, tmp_path: Path) -> None:
    folder = config_copy(INPUTS, tmp_path / "inputs", lambda d: _task_times(d, where, "23:29"))
    load_config(folder)
