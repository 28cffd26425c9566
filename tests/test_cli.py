"""The command line as a marketer meets it: exit codes, messages, nothing written on error."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
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
        "the machine's own zone",
        "calendar.yaml",
        "timezone: Europe/Paris",
        "timezone: localtime",
        "« localtime » est le fuseau de la machine qui calcule",
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


def test_ctrl_c_while_solving_stops_and_writes_nothing(tmp_path: Path) -> None:
    """Ctrl-C once the solver has shown a first plan (three years of months still to go):
    the command stops with its French message and exit code 130, and writes no folder and
    no plan store. The child runs under a terminal, where the solver shows its progress,
    with Ctrl-C handled as in a shell (a test runner may ignore it)."""
    out = tmp_path / "out"
    start = (
        "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "from planner.cli import entry; entry()"
    )
    period = ("--from", "2027-01-01", "--to", "2029-12-31", "--now", "2026-12-15T09:00")
    master, terminal = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-c", start, "plan", *period, "--out", str(out)],
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
        cwd=ROOT,
    )
    os.close(terminal)
    shown = read_terminal(master, until=b"meilleur plan")
    child.send_signal(signal.SIGINT)
    shown += read_terminal(master, until=None)
    os.close(master)
    assert child.wait(timeout=60) == 130, shown.decode(errors="replace")
    assert "Interrompu : rien n'a été écrit." in shown.decode(errors="replace")
    assert not out.exists()


def read_terminal(master: int, until: bytes | None, seconds: float = 60) -> bytes:
    """What the child writes to its terminal, up to `until` (or to its end)."""
    found = b""
    deadline = time.monotonic() + seconds
    while until is None or until not in found:
        ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise AssertionError(f"nothing more after {seconds} s: {found[-300:]!r}")
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child has closed its terminal
            chunk = b""
        if not chunk:
            if until is None:
                return found
            raise AssertionError(f"the command ended first: {found[-300:]!r}")
        found += chunk
    return found
