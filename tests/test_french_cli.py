"""Everything the command line prints on its own is French: help pages and bad command lines.

Commands and options are discovered from the app, so new ones are checked without editing this file.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any

import pytest
import typer
from typer.core import TyperGroup
from typer.main import get_command
from typer.testing import CliRunner

from planner.cli import app
from planner.cli_french import NBSP, FrenchGroup, bounds, value_type
from tests.conftest import ROOT

runner = CliRunner()

ENGLISH = (
    "Show",
    "this",
    "exit",
    "default",
    "required",
    "Error",
    "Try",
    "for help",
    "Missing",
    "Invalid",
    "value",
    "No such",
    "command",
    "commands",
    "Possible options",
    "Did you mean",
    "Got unexpected",
    "extra argument",
    "is not",
    "valid",
    "in the range",
    "Aborted",
    "FLOAT",
    "INTEGER",
    "TEXT",
    "PATH",
    "BOOLEAN",
    "ARGS",
    "str",
    "int",
    "Choose from",
    "requires",
    "does not",
    "Could not",
    "unknown",
    "env var",
    "dynamic",
    "DEPRECATED",
    "Input should",
    "greater than",
    "less than",
    "parse",
    "number",
)
"""Click's, Typer's and Pydantic's English; words French shares (Options, Arguments, message,
possible, extra, range) are caught through the English phrases they appear in instead."""
ENGLISH_WORDS = re.compile(r"\b(?:" + "|".join(map(re.escape, ENGLISH)) + r")\b", re.IGNORECASE)
ENGLISH_FORMS = re.compile(
    r"\bUsage\b"  # case-sensitive: French has « usage » too
    r"|^\s*(?:Options|Arguments):"  # the English heading, without the French space
    r"|x\s*[<>]=|<=\s*x"  # Click's range hints
    r"|Traceback",
    re.MULTILINE,
)


def english(text: str) -> list[str]:
    return ENGLISH_WORDS.findall(text) + ENGLISH_FORMS.findall(text)


def invoke(args: list[str], target: typer.Typer = app) -> tuple[int, str]:
    result = runner.invoke(target, args, prog_name="planner")
    return result.exit_code, result.output.replace(NBSP, " ")


def commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    if isinstance(command, TyperGroup):
        for name, sub in command.commands.items():
            yield from commands(sub, (*path, name))


COMMANDS = list(commands(get_command(app)))
LEAVES = [(path, command) for path, command in COMMANDS if not isinstance(command, TyperGroup)]


def label(path: tuple[str, ...]) -> str:
    return " ".join(("planner", *path))


def visible(command: Any) -> list[Any]:
    return [p for p in command.params if not getattr(p, "hidden", False)]


def is_option(param: Any) -> bool:
    return param.param_type_name == "option"


def argument_name(param: Any) -> str:
    return param.metavar or param.name.upper()


def placeholder(param: Any) -> str:
    choices = value_type(param)[1]
    return choices[0] if choices else "1"


def required_args(command: Any, skip: Any = None) -> list[str]:
    """A value for each required parameter but `skip`, so that only the mistake under test fails."""
    args: list[str] = []
    for param in visible(command):
        if param.required and param is not skip:
            args += [param.opts[0]] if is_option(param) else []
            args.append(placeholder(param))
    return args


def bad_invocations() -> Iterator[Any]:
    """For each command, every kind of mistake its parameters allow, with the French expected."""
    for path, command in LEAVES:
        name = label(path)
        base = [*path, *required_args(command)]
        options = [p for p in visible(command) if is_option(p)]
        valued = [p for p in options if not p.is_flag]
        yield pytest.param(
            [*base, "--inconnue"], "option inconnue « --inconnue »", id=f"{name}: unknown option"
        )
        optional = [placeholder(p) for p in visible(command) if not is_option(p) and not p.required]
        yield pytest.param(
            [*base, *optional, "en-trop"],
            "valeur inattendue « en-trop »",
            id=f"{name}: extra argument",
        )
        for option in valued[:1]:
            long = option.opts[0]
            yield pytest.param(
                [*base, long[:-1], "1"],
                f"option inconnue « {long[:-1]} ». Vouliez-vous dire ",
                id=f"{name}: misspelled {long}",
            )
            yield pytest.param(
                [*base, long],
                f"l'option {long} attend une valeur.",
                id=f"{name}: {long} without its value",
            )
        for flag in [p for p in options if p.is_flag and p.opts[0] != "--help"][:1]:
            yield pytest.param(
                [*base, f"{flag.opts[0]}=oui"],
                f"l'option {flag.opts[0]} ne prend pas de valeur.",
                id=f"{name}: {flag.opts[0]} given a value",
            )
        for param in visible(command):
            if param.required:
                kind = "l'option" if is_option(param) else "l'argument"
                shown = param.opts[0] if is_option(param) else argument_name(param)
                yield pytest.param(
                    [*path, *required_args(command, skip=param)],
                    f"{kind} {shown} est obligatoire.",
                    id=f"{name}: missing {shown}",
                )
        for option in valued:
            kind = value_type(option)[0]
            if kind not in (int, float):
                continue
            long = option.opts[0]
            yield pytest.param(
                [*base, long, "abc"],
                f"{long} invalide « abc » : il faut un nombre",
                id=f"{name}: {long} not a number",
            )
            low, high = bounds(option)
            for wrong in ([] if low is None else [low - 1]) + ([] if high is None else [high + 1]):
                typed = str(int(wrong))
                yield pytest.param(
                    [*base, long, typed],
                    f"{long} invalide « {typed} » : il faut un nombre",
                    id=f"{name}: {long} {typed} out of range",
                )


GROUP_MISTAKES = [
    pytest.param(["plna"], "commande inconnue « plna ». Vouliez-vous dire plan", id="misspelled"),
    pytest.param(
        ["zzz"], "commande inconnue « zzz ». Commandes : plan, replan, check", id="unknown"
    ),
    pytest.param(["--inconnue"], "option inconnue « --inconnue »", id="unknown option"),
    pytest.param(
        ["--month", "2026-03", "plan"],
        "option inconnue « --month ». Les options se placent après la commande, "
        "par exemple : planner plan --month …",
        id="option before its command",
    ),
]


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[label(p) for p, _ in COMMANDS])
def test_help_is_french(path: tuple[str, ...], command: Any) -> None:
    code, output = invoke([*path, "--help"])
    assert code == 0, output
    assert output.startswith(f"Utilisation : {label(path)} [OPTIONS]"), output
    assert "--help  " in output
    assert "Afficher cette aide et quitter." in output
    for param in visible(command):
        for name in param.opts if is_option(param) else [argument_name(param)]:
            assert name in output, name
    assert not english(output), (english(output), output)


def test_plan_help_shows_french_types_defaults_and_bounds() -> None:
    output = invoke(["plan", "--help"])[1]
    one_line = " ".join(output.split())
    assert "--config CHEMIN" in output
    assert "--month TEXTE" in output
    assert "--time-limit NOMBRE" in output
    assert "--fresh" in output
    assert "[défaut : 60 ; minimum : 0.1]" in one_line
    assert "Options :" in output


def test_explain_help_shows_required_argument() -> None:
    output = invoke(["explain", "--help"])[1]
    assert output.startswith("Utilisation : planner explain [OPTIONS] IDENTIFIANT\n")
    assert "Arguments :" in output
    assert "[obligatoire]" in output


def test_top_help_lists_commands_with_whole_sentences() -> None:
    output = invoke(["--help"])[1]
    assert output.startswith("Utilisation : planner [OPTIONS] COMMANDE [ARGUMENTS]...")
    assert "Commandes :" in output
    assert "sur une période déjà planifiée, re-planifie" in " ".join(output.split())
    assert "..." not in output.split("Commandes :")[1]


@pytest.mark.parametrize(("args", "expected"), [*bad_invocations(), *GROUP_MISTAKES])
def test_mistakes_are_explained_in_french(args: list[str], expected: str) -> None:
    code, output = invoke(args)
    assert code == 2, output
    assert f"Erreur : {expected}" in output, output
    assert "Utilisation : planner" in output
    assert "Pour l'aide, tapez : planner" in output
    assert not english(output), (english(output), output)


def test_no_command_shows_the_french_help() -> None:
    code, output = invoke([])
    assert code == 2, output
    assert output.startswith("Utilisation : planner [OPTIONS] COMMANDE")
    assert not english(output), english(output)


def test_word_list_catches_typer_own_english() -> None:
    """Guards the list itself: the same mistakes in a plain Typer app are all flagged."""
    plain = typer.Typer(add_completion=False, rich_markup_mode=None)

    @plain.command()
    def go(limit: Annotated[float, typer.Option(min=1.0)] = 60.0) -> None: ...

    @plain.command()
    def other() -> None: ...

    for args in (["--help"], ["go", "--help"], ["go", "--mois"], ["go", "--limit", "abc"], ["x"]):
        assert english(invoke(args, plain)[1]), args


def test_python_dash_m_speaks_french() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "planner", "plan", "--mois", "2026-03"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert "Erreur : option inconnue « --mois ». Vouliez-vous dire --month" in result.stderr
    assert not english(result.stderr + result.stdout)


class Speed(StrEnum):
    fast = "rapide"
    slow = "lent"


def sample_app(**settings: Any) -> typer.Typer:
    """Parameter kinds planner has not used yet, and a sub-app added the way new commands are."""
    sample = typer.Typer(cls=FrenchGroup, add_completion=False, **settings)

    @sample.callback()
    def main() -> None:
        """Application d'essai."""

    @sample.command()
    def run(
        speed: Annotated[Speed, typer.Option(help="Allure.")],
        colour: Annotated[bool, typer.Option("--couleur/--sans-couleur")] = True,
    ) -> None:
        """Lance."""

    @sample.command()
    def stop() -> None:
        """Demande une confirmation."""
        raise typer.Abort()

    @sample.command()
    def crash() -> None:
        """Échoue comme un bogue."""
        raise RuntimeError("boom")

    @sample.command()
    def leave() -> None:
        """Sort avec un code à lui."""
        raise typer.Exit(3)

    history = typer.Typer()

    @history.command()
    def liste(count: Annotated[int, typer.Option(max=10)] = 5) -> None:
        """Montre l'historique."""

    sample.add_typer(history, name="history", help="Historique.")
    return sample


@pytest.mark.parametrize("mode", [None, "rich", "markdown"])
def test_other_parameter_kinds_and_nested_commands(mode: str | None) -> None:
    sample = sample_app(rich_markup_mode=mode)
    for path, _ in commands(get_command(sample)):
        code, output = invoke([*path, "--help"], sample)
        assert code == 0, output
        assert output.startswith("Utilisation : planner"), output
        assert "╭" not in output
        assert not english(output), (path, english(output), output)
    run_help = invoke(["run", "--help"], sample)[1]
    assert "--speed [rapide|lent]" in run_help
    assert "--couleur / --sans-couleur" in run_help
    assert "[défaut : --couleur]" in run_help
    assert "[défaut : 5 ; maximum : 10]" in invoke(["history", "liste", "--help"], sample)[1]


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        pytest.param(
            ["run"],
            2,
            "l'option --speed est obligatoire. Valeurs possibles : rapide, lent.",
            id="missing choice",
        ),
        pytest.param(
            ["run", "--speed", "vite"],
            2,
            "--speed invalide « vite » : il faut l'une de ces valeurs : rapide, lent.",
            id="bad choice",
        ),
        pytest.param(
            ["history", "liste", "--count", "11"],
            2,
            "--count invalide « 11 » : il faut un nombre entier d'au plus 10.",
            id="nested command, above maximum",
        ),
        pytest.param(
            ["history", "lsite"],
            2,
            "commande inconnue « lsite ». Vouliez-vous dire liste ?",
            id="nested command misspelled",
        ),
        pytest.param(
            ["history"], 2, "Erreur : indiquez une commande : liste.", id="nested command missing"
        ),
        pytest.param(["stop"], 1, "Opération annulée.", id="abort"),
        pytest.param(
            ["crash"],
            1,
            "Erreur interne (RuntimeError: boom). C'est un bogue de planner",
            id="bug",
        ),
        pytest.param(["leave"], 3, "", id="own exit code kept"),
    ],
)
def test_sample_mistakes(args: list[str], code: int, expected: str) -> None:
    got, output = invoke(args, sample_app())
    assert got == code, output
    assert expected in output
    assert not english(output), (english(output), output)
