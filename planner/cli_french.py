"""French for everything Click and Typer print on their own: help pages, usage errors, aborts.

Their English is mostly hard-coded (f-strings, not gettext), and Typer 0.29 passes on Pydantic's
English for bad values, so nothing is translated here: help pages are drawn from the parameters
themselves, and errors are rewritten from the exception's fields (which option, which parameter,
its type and bounds), never from its English text. Whatever is not recognised gets a plain French
sentence rather than the original English.

`FrenchGroup` is the only hook: `typer.Typer(cls=FrenchGroup)` makes the app and every command
under it, present or future, speak French.
"""

from __future__ import annotations

import difflib
import inspect
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from enum import Enum
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, get_args, get_origin

import typer
from typer.core import TyperGroup

from planner.errors import EXIT_INFEASIBLE

try:  # Typer 0.25+ carries its own copy of Click...
    from typer._click import exceptions as click_errors
    from typer._click.formatting import HelpFormatter
except ImportError:  # ...older Typer runs on Click itself.
    from click import exceptions as click_errors  # type: ignore[no-redef]
    from click.formatting import HelpFormatter  # type: ignore[assignment]

if TYPE_CHECKING:  # the context Click hands over (typer.Context is one of its subclasses)
    from typer._click import Context as ClickContext

EXIT_ABORTED = 1  # as Click
HELP_TEXT = "Afficher cette aide et quitter."
NBSP = "\u00a0"
"""Before « : » and « ; » (French spacing), so that wrapping never starts a line with them."""
ARGV_KEY = "planner.cli_french.argv"
"""Where the root context keeps the raw command line, to quote back the value a user typed."""

METAVARS: dict[type, str] = {
    bool: "true|false",  # before int, its base class; what Click and Pydantic accept
    int: "ENTIER",
    float: "NOMBRE",
    str: "TEXTE",
    PurePath: "CHEMIN",
    datetime: "DATE",
}
EXPECTED: dict[type, str] = {
    bool: "true ou false",
    int: "un nombre entier",
    float: "un nombre",
    datetime: "une date, par exemple 2026-03-01 ou 2026-03-01T09:00",
}
CLICK_TYPES: dict[str, type] = {
    "boolean": bool,
    "int": int,
    "integer": int,
    "float": float,
    "str": str,
    "text": str,
    "path": PurePath,
    "file": PurePath,
    "filename": PurePath,
    "directory": PurePath,
    "datetime": datetime,
}
"""First word of a Click type's name ("integer range"), as Click (typer < 0.25) or Typer's copy
of it (typer 0.25 to 0.28) spell it; typer 0.29+ keeps the Python annotation instead."""


class FrenchHelpFormatter(HelpFormatter):
    """Click's layout (widths, wrapping), French words and spacing: « Utilisation : »."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading} :\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Utilisation : " if prefix is None else prefix)


class FrenchContext(typer.Context):
    """Every help page and usage line goes through these two methods, whichever Typer drew them."""

    formatter_class = FrenchHelpFormatter

    def get_usage(self) -> str:
        formatter = self.make_formatter()
        formatter.write_usage(self.command_path, " ".join(usage_pieces(self)))
        return formatter.getvalue().rstrip("\n")

    def get_help(self) -> str:
        return help_page(self)


class FrenchGroup(TyperGroup):
    """The app's group: gives its commands French contexts and turns every error into French."""

    context_class = FrenchContext

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        speak_french(self)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: ClickContext | None = None,
        **extra: Any,
    ) -> ClickContext:
        argv = list(args)
        with in_french(lambda: FrenchContext(self, info_name=info_name, parent=parent), argv):
            ctx = super().make_context(info_name, list(argv), parent, **extra)  # parsing eats it
        ctx.meta.setdefault(ARGV_KEY, argv)
        return ctx

    def invoke(self, ctx: ClickContext) -> Any:
        with in_french(lambda: failing_context(self, ctx), ctx.meta.get(ARGV_KEY, [])):
            return super().invoke(ctx)


def speak_french(group: TyperGroup) -> None:
    """Subcommands parse with their own context class: make it ours, down the whole tree."""
    for command in group.commands.values():
        command.context_class = FrenchContext
        if isinstance(command, TyperGroup):
            speak_french(command)


def failing_context(group: TyperGroup, ctx: ClickContext) -> ClickContext:
    """The context to show usage for when an error comes without one (e.g. a value-less option)."""
    name = ctx.invoked_subcommand
    command = group.get_command(ctx, name) if name else None
    if command is None:
        return ctx
    return FrenchContext(command, info_name=name, parent=ctx)


@contextmanager
def in_french(fallback: Callable[[], ClickContext], argv: list[str]) -> Iterator[None]:
    """Print any Click error, abort or bug in French and exit with the same code, never a trace.

    `fallback` is called only on error: which subcommand was running is known only by then.
    """
    try:
        yield
    except typer.Exit:
        raise
    except click_errors.ClickException as exc:
        where = getattr(exc, "ctx", None) or fallback()
        typer.echo(error_report(exc, where, argv), err=True)
        raise typer.Exit(exc.exit_code) from None
    except (typer.Abort, EOFError):
        typer.echo("Opération annulée.", err=True)
        raise typer.Exit(EXIT_ABORTED) from None
    except Exception as exc:
        typer.echo(
            f"Erreur interne ({type(exc).__name__}: {exc}). "
            "C'est un bogue de planner : merci de le signaler.",
            err=True,
        )
        raise typer.Exit(EXIT_INFEASIBLE) from None  # as planner.cli.run for a bug


# Help pages


def help_page(ctx: typer.Context) -> str:
    """Usage, description, arguments, options and commands, all in French."""
    command = ctx.command
    formatter = ctx.make_formatter()
    formatter.write_usage(ctx.command_path, " ".join(usage_pieces(ctx)))
    description = long_help(command)
    if description:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(description)
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    help_option = command.get_help_option(ctx)
    sections = (
        ("Arguments", [argument_row(ctx, p) for p in params if is_argument(p)]),
        ("Options", [option_row(ctx, p, p is help_option) for p in params if not is_argument(p)]),
        ("Commandes", command_rows(ctx)),
    )
    for title, rows in sections:
        if rows:
            with formatter.section(title):
                formatter.write_dl(rows)
    if command.epilog:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(inspect.cleandoc(command.epilog))
    return formatter.getvalue().rstrip("\n")


def usage_pieces(ctx: typer.Context) -> list[str]:
    pieces = ["[OPTIONS]"]
    for param in ctx.command.get_params(ctx):
        if is_argument(param):
            name = argument_name(param)
            name = name if param.required else f"[{name}]"
            pieces.append(name + ("..." if param.nargs != 1 else ""))
    if isinstance(ctx.command, TyperGroup):
        pieces.append("COMMANDE [ARGUMENTS]...")
    return pieces


def long_help(command: Any) -> str:
    text = inspect.cleandoc(command.help or "").partition("\f")[0]
    return f"{text} (obsolète)".strip() if command.deprecated else text


def short_help(command: Any) -> str:
    """The first paragraph, whole: a truncated sentence helps no one."""
    if command.short_help:
        return command.short_help
    return " ".join(long_help(command).split("\n\n")[0].split())


def command_rows(ctx: ClickContext) -> list[tuple[str, str]]:
    group = ctx.command
    if not isinstance(group, TyperGroup):
        return []
    rows = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is not None and not command.hidden:
            rows.append((name, short_help(command)))
    return rows


def is_argument(param: Any) -> bool:
    return param.param_type_name == "argument"


def argument_name(param: Any) -> str:
    return param.metavar or param.name.upper()


def option_names(param: Any) -> list[str]:
    return list(param.opts) + list(param.secondary_opts)


def argument_row(ctx: typer.Context, param: Any) -> tuple[str, str]:
    return argument_name(param), with_notes(param.help or "", notes(ctx, param))


def option_row(ctx: typer.Context, param: Any, is_help: bool) -> tuple[str, str]:
    takes_value = not param.is_flag and not getattr(param, "count", False)
    metavar = f" {param.metavar or value_metavar(param)}" if takes_value else ""
    short_first = sorted(param.opts, key=lambda name: name.startswith("--"))
    names = ", ".join(short_first) + metavar
    if param.secondary_opts:
        names += " / " + ", ".join(param.secondary_opts)
    text = HELP_TEXT if is_help else param.help or ""
    return names, with_notes(text, notes(ctx, param))


def with_notes(text: str, extra: list[str]) -> str:
    if not extra:
        return text
    bracket = "[" + f"{NBSP}; ".join(extra) + "]"
    return f"{text}  {bracket}" if text else bracket


def notes(ctx: typer.Context, param: Any) -> list[str]:
    """Default, bounds, requirement: what Click puts in brackets, in French."""
    found = []
    envvar = param.envvar if getattr(param, "show_envvar", False) else None
    if envvar:
        names = envvar if isinstance(envvar, str) else ", ".join(envvar)
        found.append(f"variable d'environnement{NBSP}: {names}")
    default = default_text(ctx, param)
    if default:
        found.append(f"défaut{NBSP}:{NBSP}{default}")
    if not getattr(param, "count", False):
        found += bounds_text(*bounds(param))
    if param.required:
        found.append("obligatoire")
    return found


def default_text(ctx: typer.Context, param: Any) -> str:
    show = getattr(param, "show_default", None)
    if isinstance(show, str):
        return show
    value = param.get_default(ctx, call=False)
    if value is None or not (show or ctx.show_default):
        return ""
    if callable(value):
        return "calculé au lancement"
    if getattr(param, "is_flag", False) and isinstance(value, bool):
        if param.secondary_opts:
            return param.opts[0] if value else param.secondary_opts[0]
        return "activé" if value else ""
    if isinstance(value, list | tuple):
        return ", ".join(shown(v) for v in value)
    return shown(value)


def shown(value: Any) -> str:
    """A value as the user would type it back: 60, not 60.0; an Enum by its value."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def bounds_text(low: float | None, high: float | None) -> list[str]:
    if low is not None and high is not None:
        return [f"de {shown(low)} à {shown(high)}"]
    if low is not None:
        return [f"minimum{NBSP}:{NBSP}{shown(low)}"]
    if high is not None:
        return [f"maximum{NBSP}:{NBSP}{shown(high)}"]
    return []


# Parameter types, read the way each Typer generation stores them


def value_type(param: Any) -> tuple[type | None, tuple[str, ...]]:
    """The Python type a parameter converts to, and its allowed values if it has a fixed set."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None:  # Typer 0.29+: the annotation itself
        annotation = descriptor.annotation
        if get_origin(annotation) is list:
            annotation = get_args(annotation)[0]
        choices = tuple(shown(c) for c in descriptor.choices or ())
        return (annotation if isinstance(annotation, type) else None), choices
    click_type = param.type  # older Typer: a Click type
    choices = tuple(shown(c) for c in getattr(click_type, "choices", ()))
    return CLICK_TYPES.get(click_type.name.split(" ")[0]), choices


def bounds(param: Any) -> tuple[float | None, float | None]:
    holder = param if hasattr(param, "type_descriptor") else param.type
    return getattr(holder, "min", None), getattr(holder, "max", None)


def known_type(kind: type | None, table: dict[type, str]) -> str | None:
    if kind is None:
        return None
    return next((text for base, text in table.items() if issubclass(kind, base)), None)


def value_metavar(param: Any) -> str:
    kind, choices = value_type(param)
    if choices:
        return "[" + "|".join(choices) + "]"
    return known_type(kind, METAVARS) or "VALEUR"


def expectation(param: Any) -> str:
    """What a valid value looks like, as the end of « il faut … »; empty if unknown."""
    kind, choices = value_type(param)
    if choices:
        return "l'une de ces valeurs : " + ", ".join(choices)
    expected = known_type(kind, EXPECTED)
    if expected is None:
        return ""
    low, high = bounds(param)
    if low is not None and high is not None:
        return f"{expected} entre {shown(low)} et {shown(high)}"
    if low is not None:
        return f"{expected} d'au moins {shown(low)}"
    if high is not None:
        return f"{expected} d'au plus {shown(high)}"
    return expected


# Errors


def error_report(exc: Any, where: ClickContext, argv: list[str]) -> str:
    """Usage and where to find help (as Click does), then the reason, last so it stays in view."""
    if isinstance(exc, getattr(click_errors, "NoArgsIsHelpError", ())):  # Click < 8.2: none
        return where.get_help()
    lines = []
    if isinstance(exc, click_errors.UsageError):
        lines.append(where.get_usage())
        if where.command.get_help_option(where) is not None:
            help_call = f"{where.command_path} {where.help_option_names[0]}"
            lines.append(f"Pour l'aide, tapez : {help_call}")
        lines.append("")
    lines.append(f"Erreur : {reason(exc, where, argv)}")
    return "\n".join(lines)


def reason(exc: Any, where: ClickContext, argv: list[str]) -> str:
    """One French sentence per kind of error, built from the exception's fields."""
    if isinstance(exc, click_errors.NoSuchOption):
        name = exc.option_name
        return f"option inconnue « {printable(name)} »." + (
            did_you_mean(exc.possibilities or []) or placement_hint(where, name)
        )
    if isinstance(exc, click_errors.MissingParameter):
        return missing(exc.param)
    if isinstance(exc, click_errors.BadParameter):
        return bad_value(exc.param, argv)
    if isinstance(exc, click_errors.BadOptionUsage):
        return option_misuse(where, exc.option_name)
    if isinstance(exc, click_errors.BadArgumentUsage):
        return "nombre de valeurs incorrect pour un argument."
    if isinstance(exc, click_errors.UsageError):
        return plain_usage_error(exc.message, where)
    if isinstance(exc, click_errors.FileError):
        return f"impossible d'ouvrir le fichier « {printable(exc.filename)} »."
    return "l'opération a échoué."


def did_you_mean(candidates: Sequence[str]) -> str:
    if not candidates:
        return ""
    names = sorted(candidates)
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " ou " + names[-1]
    return f" Vouliez-vous dire {listed} ?"


def placement_hint(where: ClickContext, option_name: str) -> str:
    """`planner --month 2026-03 plan`: the option exists, but belongs after its command."""
    group = where.command
    if not isinstance(group, TyperGroup):
        return ""
    owners = [
        name
        for name, _ in command_rows(where)
        if any(option_name in option_names(p) for p in group.commands[name].params)
    ]
    if not owners:
        return ""
    example = f"{where.command_path} {owners[0]} {option_name}"
    return f" Les options se placent après la commande, par exemple : {example} …"


def display_name(param: Any) -> str:
    return argument_name(param) if is_argument(param) else option_names(param)[0]


def missing(param: Any) -> str:
    if param is None:
        return "une valeur obligatoire manque."
    kind = "l'argument" if is_argument(param) else "l'option"
    choices = value_type(param)[1]
    listed = f" Valeurs possibles : {', '.join(choices)}." if choices else ""
    return f"{kind} {display_name(param)} est obligatoire.{listed}"


def bad_value(param: Any, argv: list[str]) -> str:
    if param is None:
        return "valeur invalide."
    typed = None if is_argument(param) else typed_value(argv, option_names(param))
    quoted = f" « {printable(typed)} »" if typed is not None else ""
    expected = expectation(param)
    return f"{display_name(param)} invalide{quoted}" + (
        f" : il faut {expected}." if expected else "."
    )


def typed_value(argv: list[str], names: list[str]) -> str | None:
    """The last value given on the command line to one of these option names, if any."""
    found = None
    for index, token in enumerate(argv):
        for name in names:
            if token == name and index + 1 < len(argv):
                found = argv[index + 1]
            elif token.startswith(name + "="):
                found = token[len(name) + 1 :]
    return found


def option_misuse(where: ClickContext, option_name: str) -> str:
    option: Any = next(  # an Option (is_flag, nargs), read as the other params are
        (p for p in where.command.get_params(where) if option_name in option_names(p)), None
    )
    if option is not None and option.is_flag:
        return f"l'option {printable(option_name)} ne prend pas de valeur."
    count = option.nargs if option is not None else 1
    values = "une valeur" if count == 1 else f"{count} valeurs"
    return f"l'option {printable(option_name)} attend {values}."


NO_SUCH_COMMAND = re.compile(r"No such command (['\"])(?P<name>.*?)\1")
EXTRA_ARGUMENTS = re.compile(r"extra arguments?(?:\(s\))? \((?P<args>.*)\)", re.DOTALL)


def plain_usage_error(message: str, where: ClickContext) -> str:
    """Click raises these three with text only: recognise the text, say it our way."""
    commands = [name for name, _ in command_rows(where)]
    unknown = NO_SUCH_COMMAND.search(message)
    if unknown:
        name = unknown["name"]
        close = difflib.get_close_matches(name, commands)
        hint = did_you_mean(close) if close else f" Commandes : {', '.join(commands)}."
        return f"commande inconnue « {printable(name)} »." + hint
    extra = EXTRA_ARGUMENTS.search(message)
    if extra:
        values = extra["args"].split()
        plural = "s" if len(values) > 1 else ""
        return f"valeur{plural} inattendue{plural} « {printable(' '.join(values))} »."
    if "Missing command" in message:
        return f"indiquez une commande : {', '.join(commands)}."
    return "la ligne de commande n'est pas comprise."


def printable(text: str) -> str:
    """A user's token, with control characters shown rather than sent to the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
