"""Malformed inputs meet a French sentence, exit 2, and nothing written.

Each folder of `tests/malformed/` holds the files a marketer broke, laid over the small valid
config `tests/data/minimal/` (same name: replaced), and `expect.json`: the file the message
must name, the line and field when there is one, and the words it must say. A few cases are
made by the tests instead of stored: a 10 MB file, files no editor would save, and symbolic
links (copying the corpus would follow them).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.conftest import MINIMAL, ROOT, config_copy

CORPUS = ROOT / "tests" / "malformed"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())

ENGLISH = re.compile(
    r"\b(should|expected|found|Input|Error|Traceback|not allowed|valid (string|integer)|"
    r"character|stream|scanning|parsing|token)\b"
)
"""Words of PyYAML's and pydantic's own messages: none may reach a marketer."""

runner = CliRunner()


def build(case: str, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """The config folder of a case: the minimal config with the case's files laid over."""
    folder = config_copy(MINIMAL, tmp_path / "inputs")
    source = CORPUS / case
    for entry in sorted(source.iterdir()):
        if entry.name == "expect.json":
            continue
        target = folder / entry.name
        if target.is_file():
            target.unlink()
        if entry.is_dir():
            shutil.copytree(entry, target)
        else:
            shutil.copyfile(entry, target)
    expect = json.loads((source / "expect.json").read_text(encoding="utf-8"))
    return folder, expect


def assert_explained(output: str, folder: Path, expect: dict[str, Any]) -> None:
    """The message names the file (and line, field) and says what is wrong, in French."""
    where = re.escape(str(folder / expect["file"]))
    if "line" in expect:
        where += f":{expect['line']}\\b"
    assert re.search(where, output), output
    if "field" in expect:
        assert f" · {expect['field']} : " in output, output
    assert expect["says"] in output, output
    assert not ENGLISH.search(output), output


def run_cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("case", CASES)
def test_malformed_input_is_explained_and_nothing_is_written(case: str, tmp_path: Path) -> None:
    folder, expect = build(case, tmp_path)
    out = tmp_path / "out"
    code, output = run_cli("plan", "--config", str(folder), "--month", "2026-03", "--out", str(out))
    assert code == 2, output
    assert_explained(output, folder, expect)
    assert not out.exists()
    code, output = run_cli("check", "--config", str(folder), "--month", "2026-03")
    assert code == 2, output
    assert_explained(output, folder, expect)


def huge_file(folder: Path) -> str:
    """10 MB of plausible YAML: refused on its size, before it is read."""
    line = b"  - Un message parmi beaucoup trop d'autres, recopie encore et encore\n"
    content = b"notes:\n" + line * (10_000_000 // len(line) + 1)
    (folder / "notes.yaml").write_bytes(content[:10_000_000])
    return "notes.yaml"


def nul_bytes(folder: Path) -> str:
    """A text file with NUL bytes in it (a crashed editor, a half-synced cloud copy)."""
    path = folder / "mix.yaml"
    path.write_bytes(path.read_bytes()[:40] + b"\x00" * 64)
    return "mix.yaml"


def symlink_loop(folder: Path) -> str:
    """A link to itself, as `ln -s` leaves when run twice in the wrong folder."""
    path = folder / "mix.yaml"
    path.unlink()
    path.symlink_to("mix.yaml")
    return "mix.yaml"


def dangling_symlink(folder: Path) -> str:
    """A link to a file since renamed."""
    path = folder / "audiences.yaml"
    path.unlink()
    path.symlink_to("audiences-2025.yaml")
    return "audiences.yaml"


GENERATED: dict[str, tuple[Callable[[Path], str], str]] = {
    "huge_file": (huge_file, "fichier trop gros (10 Mo, maximum 1 Mo)"),
    "nul_bytes": (nul_bytes, "binaire"),
    "symlink_loop": (symlink_loop, "liens symboliques en boucle"),
    "dangling_symlink": (
        dangling_symlink,
        "lien symbolique cassé : il pointe vers « audiences-2025.yaml »",
    ),
}


@pytest.mark.parametrize("case", sorted(GENERATED))
def test_generated_malformed_file_is_refused(case: str, tmp_path: Path) -> None:
    make, says = GENERATED[case]
    folder = config_copy(MINIMAL, tmp_path / "inputs")
    name = make(folder)
    out = tmp_path / "out"
    code, output = run_cli("plan", "--config", str(folder), "--month", "2026-03", "--out", str(out))
    assert code == 2, output
    assert_explained(output, folder, {"file": name, "says": says})
    assert not out.exists()


@pytest.mark.parametrize("case", ["binary_file", "alias_bomb", "tab_indentation"])
def test_malformed_input_through_a_real_process(case: str, tmp_path: Path) -> None:
    """The same through the installed command's entry point, in its own process."""
    folder, expect = build(case, tmp_path)
    out = tmp_path / "out"
    args = ["plan", "--config", str(folder), "--month", "2026-03", "--out", str(out)]
    result = subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert_explained(result.stdout + result.stderr, folder, expect)
    assert not out.exists()


def test_the_base_of_the_corpus_is_valid(tmp_path: Path) -> None:
    """Each case fails because of its own change, not because the base is broken."""
    code, output = run_cli("check", "--config", str(MINIMAL), "--month", "2026-03")
    assert code == 0, output
