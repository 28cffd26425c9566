"""The command line as a marketer meets it: exit codes, messages, nothing written on error."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.conftest import ROOT

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_plan_writes_every_file(tmp_path: Path) -> None:
    code, output = invoke(
        "plan", "--month", "2026-03", "--now", "2026-02-20T09:00", "--out", str(tmp_path)
    )
    assert code == 0, output
    folder = tmp_path / "2026-03"
    for name in (
        "plan.csv",
        "plan.ics",
        "plan-linkedin.ics",
        "plan-skool.ics",
        "plan-gcal.csv",
        "report.md",
        "report.html",
    ):
        assert (folder / name).stat().st_size > 0
    assert "optimal prouvé" in output


def test_default_month_is_the_one_after_now(tmp_path: Path) -> None:
    code, output = invoke("plan", "--now", "2026-09-14T10:00", "--out", str(tmp_path))
    assert code == 0, output
    assert (tmp_path / "2026-10" / "plan.csv").exists()


def test_range_label(tmp_path: Path) -> None:
    code, output = invoke(
        "plan",
        "--from",
        "2026-01-01",
        "--to",
        "2026-02-15",
        "--now",
        "2026-01-01T09:00",
        "--out",
        str(tmp_path),
    )
    assert code == 0, output
    assert (tmp_path / "2026-01-01_2026-02-15" / "plan.ics").exists()


BAD_INPUTS = [
    ("missing file", None, None, None, "introuvable"),
    ("yaml syntax", "mix.yaml", "rows:", "rows: [", "mix.yaml"),
    (
        "unknown key",
        "channels.yaml",
        "per_day_max: 1\n    times",
        "per_day_maxi: 1\n    times",
        "clé inconnue « per_day_maxi »",
    ),
    (
        "unknown audience in mix",
        "mix.yaml",
        "coachs: 15, auditeurs: 5",
        "coachs: 15, auditors: 5",
        "audience inconnue « auditors »",
    ),
    (
        "shares not 100",
        "mix.yaml",
        "of: 80, coachs: 15",
        "of: 70, coachs: 15",
        "les parts font 90 %",
    ),
    (
        "window ends before it starts",
        "channels.yaml",
        'window: {start: "12:00", end: "14:00"}',
        'window: {start: "14:00", end: "12:00"}',
        "finit (12:00) avant de commencer (14:00)",
    ),
    (
        "unknown holiday country",
        "calendar.yaml",
        "country: FR ",
        "country: XX ",
        "pays inconnu « XX » pour les jours fériés",
    ),
    (
        "unknown holiday subdivision",
        "calendar.yaml",
        "subdivision: null",
        'subdivision: "999"',
        "subdivision inconnue « 999 » ; possibles : 57, 6AE",
    ),
    (
        "impossible date",
        "calendar.yaml",
        "date: 2026-12-24",
        "date: 2026-02-30",
        "date invalide « 2026-02-30 »",
    ),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda c: c[0])
def test_bad_input_exits_2_and_writes_nothing(inputs_copy: Path, tmp_path: Path, case) -> None:  # type: ignore[no-untyped-def]
    _, file, old, new, expected = case
    config = inputs_copy
    if file is None:
        config = tmp_path / "nowhere"
    else:
        edit(inputs_copy, file, old, new)
    out = tmp_path / "out"
    code, output = invoke("plan", "--config", str(config), "--month", "2026-03", "--out", str(out))
    assert code == 2, output
    assert expected in output
    assert "Traceback" not in output
    assert not out.exists()
    if file is not None:
        assert re.search(rf"{file}:\d+", output), output


def test_infeasible_rules_exit_1_with_named_rules(inputs_copy: Path, tmp_path: Path) -> None:
    edit(inputs_copy, "channels.yaml", "per_week: {min: 3, max: 4}", "per_week: {min: 6, max: 6}")
    code, output = invoke(
        "plan", "--config", str(inputs_copy), "--month", "2026-03", "--out", str(tmp_path / "out")
    )
    assert code == 1, output
    assert "Volume hebdomadaire" in output
    assert "channels.yaml" in output
    assert not (tmp_path / "out").exists()


def test_bad_options_exit_2(tmp_path: Path) -> None:
    for args in (
        ["--month", "2026-13"],
        ["--month", "2025-12"],
        ["--from", "2026-03-01"],
        ["--from", "2026-03-10", "--to", "2026-03-01"],
        ["--now", "hier"],
    ):
        code, output = invoke("plan", *args, "--out", str(tmp_path))
        assert code == 2, (args, output)
        assert "Traceback" not in output


def test_a_second_plan_of_the_month_replans_it(tmp_path: Path) -> None:
    args = ("plan", "--month", "2026-03", "--now", "2026-02-20T09:00", "--out", str(tmp_path))
    assert invoke(*args)[0] == 0
    first = (tmp_path / "2026-03" / "plan.ics").read_bytes()
    code, output = invoke(*args)
    assert code == 0, output
    assert "Changements : aucun" in output
    assert (tmp_path / "2026-03" / "plan.ics").read_bytes() == first


def test_console_script_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner",
            "plan",
            "--month",
            "2026-04",
            "--now",
            "2026-03-20T09:00",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "2026-04" / "report.md").exists()
