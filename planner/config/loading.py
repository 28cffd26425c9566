"""Reading `inputs/` (a YAML file or a folder of them) into a validated `Config`.

Every failure becomes an `InputError` whose lines name the file, the line, the field path
and what is wrong, in French, because the people editing these files are not programmers.
"""

from __future__ import annotations

import codecs
import difflib
import errno
import os
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from planner.config.crosscheck import crosscheck
from planner.config.model import Config
from planner.errors import InputError, Problem
from planner.labels import decimal

MAX_BYTES = 1_000_000
MAX_NODES = 200_000
"""Values a file may expand to (the message says 200 000): aliases can repeat without end."""
MAX_DEPTH = 40
"""Nesting levels a file may have (the default rules use 7)."""
FieldPath = tuple[str | int, ...]

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"


class _Loader(yaml.SafeLoader):
    """YAML without its surprises: 9:00 stays a time (not 540), dates stay text for pydantic,
    and NO (Norway) or ON (an audience's initials) stay text, not booleans: pydantic still
    reads true/false/yes/no where a yes-or-no is expected. Pure Python: its error messages
    are the ones `_yaml_problem` translates."""

    # A class attribute in PyYAML, which types-PyYAML declares as an instance variable.
    yaml_implicit_resolvers: typing.ClassVar[dict[Any, Any]] = {  # type: ignore[misc]
        first: [(t, rx) for t, rx in resolvers if t not in (_INT, _FLOAT, _TIMESTAMP, _BOOL)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]+(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):  # type: ignore[misc]
    """The same reading with libyaml's parser (every PyYAML wheel ships it): ten times
    faster than the pure-Python one, which cost a tenth of a one-month `planner plan`. A
    file it refuses is read again by `_Loader`, whose messages are the ones translated."""

    yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


@dataclass
class LoadedConfig:
    """A valid config and where each of its fields came from, for messages."""

    config: Config
    files: dict[str, Path] = field(default_factory=dict)
    lines: dict[FieldPath, int] = field(default_factory=dict)

    def locate(self, path: FieldPath) -> str:
        """'inputs/channels.yaml:12 · channels.skool.per_week' for a field path."""
        file = self.files.get(str(path[0])) if path else None
        line = _nearest_line(self.lines, path)
        where = f"{file}:{line}" if file and line else str(file or "")
        dotted = render_path(path)
        return f"{where} · {dotted}" if where else dotted


def render_path(path: FieldPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_config(path: Path) -> LoadedConfig:
    files = _yaml_files(path)
    data: dict[str, Any] = {}
    origins: dict[str, Path] = {}
    lines: dict[FieldPath, int] = {}
    problems: list[Problem] = []
    for file in files:
        content, file_lines, file_problems = _read_yaml(file)
        problems += file_problems
        lines.update(file_lines)
        for key, value in content.items():
            if key in origins:
                problems.append(
                    Problem(
                        f"la section « {key} » est déjà dans {origins[key]}",
                        file,
                        file_lines.get((key,)),
                        str(key),
                    )
                )
                continue
            data[key] = value
            origins[key] = file
    if problems:
        raise InputError("La configuration ne peut pas être lue.", problems)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            "La configuration contient des erreurs.",
            [_problem_from_pydantic(err, origins, lines, files) for err in exc.errors()],
        ) from None
    loaded = LoadedConfig(config, dict(origins), lines)
    for i, spec in enumerate(config.confidential.patterns):
        # Kept on the pattern: a search that runs out of time while exporting names it.
        field_path = ("confidential", "patterns", i, "pattern")
        spec._origin = (origins.get("confidential"), _nearest_line(lines, field_path))
    findings = crosscheck(config)
    if findings:
        raise InputError(
            "La configuration contient des erreurs.",
            [_problem(path, message, origins, lines) for path, message in findings],
        )
    return loaded


def _yaml_files(path: Path) -> list[Path]:
    link = _bad_link(path)
    if link is not None:
        raise InputError(f"Configuration illisible : {path}", [Problem(link, path)])
    if not path.exists():
        raise InputError(
            f"Configuration introuvable : {path}",
            [Problem("ce fichier ou dossier n'existe pas", path)],
        )
    if path.is_file():
        return [path]
    entries = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
    unreadable: list[Problem] = []
    for entry in entries:
        link = _bad_link(entry)
        if link is not None:
            unreadable.append(Problem(link, entry))
        elif not entry.is_file():
            unreadable.append(Problem("c'est un dossier, pas un fichier YAML", entry))
    if unreadable:
        raise InputError("La configuration ne peut pas être lue.", unreadable)
    if not entries:
        raise InputError(
            f"Aucun fichier .yaml dans {path}",
            [Problem("le dossier ne contient aucun fichier de règles", path)],
        )
    return entries


def _bad_link(path: Path) -> str | None:
    """Why a symbolic link leads nowhere, or None: `exists()` would only say False, and
    « n'existe pas » sends the reader looking for a file that is right there."""
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return (
                "liens symboliques en boucle : ce chemin renvoie, directement ou par d'autres "
                "liens, à lui-même ; remplacez le lien par le vrai fichier ou dossier"
            )
        if path.is_symlink():
            return (
                f"lien symbolique cassé : il pointe vers « {os.readlink(path)} », qui "
                "n'existe pas (fichier déplacé ou renommé ?)"
            )
    return None


def _read_yaml(file: Path) -> tuple[dict[str, Any], dict[FieldPath, int], list[Problem]]:
    size = file.stat().st_size
    if size > MAX_BYTES:
        return (
            {},
            {},
            [
                Problem(
                    f"fichier trop gros ({decimal(size / 1e6, 1)} Mo, maximum "
                    f"{MAX_BYTES / 1e6:.0f} Mo) : ce n'est sans doute pas un "
                    "fichier de règles",
                    file,
                )
            ],
        )
    text, unreadable = _decode(file.read_bytes(), file)
    if unreadable is not None:
        return {}, {}, [unreadable]
    printable = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if printable is not None:
        line = text.count("\n", 0, printable.start()) + 1
        message = (
            f"caractère invisible interdit (code U+{ord(printable.group()):04X}) sur cette "
            "ligne : supprimez-le (il vient souvent d'un copier-coller)"
        )
        return {}, {}, [Problem(message, file, line)]
    try:
        parsed = _parse(_FastLoader, text, file)
    except (yaml.YAMLError, RecursionError):
        parsed = None
    if parsed is None:
        try:
            parsed = _parse(_Loader, text, file)
        except yaml.YAMLError as exc:
            return {}, {}, [_yaml_problem(exc, file)]
        except RecursionError:
            return {}, {}, [Problem(_TOO_DEEP, file)]
    if isinstance(parsed, list):
        return {}, {}, parsed
    content, lines, problems = parsed
    if problems:
        return {}, lines, problems
    if not isinstance(content, dict):
        return (
            {},
            {},
            [
                Problem(
                    "le fichier doit commencer par des sections « clé: » (calendar:, channels:…)",
                    file,
                    1,
                )
            ],
        )
    return content, lines, []


def _empty(text: str) -> str:
    """An empty file is refused, not skipped: its sections would be reported missing from
    the other files, far from the file that lost them."""
    comments = any(line.lstrip().startswith("#") for line in text.splitlines())
    what = "seulement des commentaires" if comments else "aucun texte"
    return (
        f"le fichier est vide (aucune règle, {what}) : écrivez-y ses sections (calendar:, "
        "channels:…), ou retirez-le du dossier s'il ne sert plus"
    )


Parsed = tuple[Any, dict[FieldPath, int], list[Problem]]


def _parse(kind: type[yaml.SafeLoader], text: str, file: Path) -> Parsed | list[Problem]:
    """The document, each field's line, and duplicate keys; or why the file is refused."""
    loader = kind(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return [Problem(_empty(text), file)]
        lines: dict[FieldPath, int] = {}
        problems: list[Problem] = []
        try:
            _walk(node, (), lines, problems, file, [MAX_NODES])
        except _TooComplex as exc:
            return [Problem(str(exc), file, exc.line)]
        if problems:
            return {}, lines, problems
        return loader.construct_document(node), lines, []
    finally:
        loader.dispose()


def _decode(raw: bytes, file: Path) -> tuple[str, Problem | None]:
    """UTF-8 text, or why not, in words that say what to do about it."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        message = (
            "fichier enregistré en UTF-16 (« Unicode » sous Windows) : ré-enregistrez-le en UTF-8"
        )
        return "", Problem(message, file)
    if b"\x00" in raw:
        message = (
            "fichier binaire (il contient des octets nuls) : ce n'est pas un fichier de règles"
        )
        return "", Problem(message, file)
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = (
            "le fichier n'est pas enregistré en UTF-8 (les accents de cette ligne sont "
            "illisibles) : ré-enregistrez-le en UTF-8"
        )
        return "", Problem(message, file, line)


_TOO_DEEP = (
    f"structure trop imbriquée (plus de {MAX_DEPTH} niveaux) ou alias YAML (*nom) qui se "
    "contient lui-même : ce n'est sans doute pas un fichier de règles"
)


class _TooComplex(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _walk(
    node: yaml.Node,
    path: FieldPath,
    lines: dict[FieldPath, int],
    problems: list[Problem],
    file: Path,
    budget: list[int],
) -> None:
    """Record each field's line and find duplicate keys, over the values as expanded by
    aliases; `budget` counts them down so that aliases of aliases cannot expand forever."""
    line = node.start_mark.line + 1
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooComplex(
            "fichier trop complexe : ses alias YAML (&nom, *nom) le démultiplient au-delà "
            "de 200 000 valeurs ; recopiez les valeurs au lieu de les répéter par alias",
            line,
        )
    if len(path) > MAX_DEPTH:
        raise _TooComplex(_TOO_DEEP, line)
    lines[path] = line
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    Problem(
                        f"clé « {key} » en double (déjà ligne {seen[key]})",
                        file,
                        line,
                        render_path((*path, key)),
                    )
                )
            seen[key] = line
            _walk(value_node, (*path, key), lines, problems, file, budget)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _walk(child, (*path, i), lines, problems, file, budget)


def _yaml_problem(exc: yaml.YAMLError, file: Path) -> Problem:
    """PyYAML's complaint, said in French with what to do about it."""
    mark = getattr(exc, "problem_mark", None)
    problem = str(getattr(exc, "problem", "") or exc)
    context = str(getattr(exc, "context", "") or "")
    found = re.search(r"found (?:character )?'(.+?)'", problem)
    if "\\t" in problem or "tab" in problem:
        message = "tabulation interdite en YAML : indentez avec des espaces"
    elif "another document" in problem:
        message = "un seul document par fichier : retirez la ligne « --- » et ce qui la suit"
    elif "quoted scalar" in context and "end of stream" in problem:
        mark = getattr(exc, "context_mark", None) or mark
        message = "guillemet ouvert sur cette ligne et jamais fermé"
    elif "stream end" in problem or "end of the stream" in problem:
        message = "structure incomplète : une liste [ ] ou une section { } n'est pas fermée "
        message += "(fichier tronqué ?)"
    elif "expected ',' or" in problem:
        message = (
            "liste [ ] ou section { } sur une ligne : un texte qui contient « ? », « : », "
            "« , » ou « # » doit être entre guillemets"
        )
    elif "cannot start any token" in problem and found:
        message = f"un texte ne peut pas commencer par « {found.group(1)} » : "
        message += "mettez-le entre guillemets"
    elif "alias" in context or "alias" in problem:
        message = "un texte qui commence par « * » ou « & » doit être entre guillemets"
    elif "mapping values are not allowed" in problem:
        message = "« : » inattendu ; mettez le texte entre guillemets s'il contient « : »"
    elif "could not find expected ':'" in problem:
        message = "il manque « : » après une clé (ou un guillemet n'est pas fermé)"
    elif "expected <block end>" in problem:
        message = (
            "indentation incohérente (ou texte après des guillemets fermés) : les clés d'une "
            "même section et les « - » d'une même liste commencent à la même colonne"
        )
    elif "block scalar" in context:
        message = "après « | » ou « > », le texte commence à la ligne suivante"
    elif "unhashable key" in problem:
        message = "une liste ou une section ne peut pas servir de clé"
    else:
        message = "syntaxe YAML invalide : vérifiez l'indentation, les « : » et les guillemets"
    if mark is not None:
        message += f", colonne {mark.column + 1}"
    return Problem(message, file, mark.line + 1 if mark is not None else None)


def _problem(
    path: FieldPath, message: str, origins: dict[str, Path], lines: dict[FieldPath, int]
) -> Problem:
    file = origins.get(str(path[0])) if path else None
    return Problem(message, file, _nearest_line(lines, path), render_path(path))


def _nearest_line(lines: dict[FieldPath, int], path: FieldPath) -> int | None:
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


_MESSAGES = {
    "missing": "champ obligatoire manquant",
    "string_type": "texte attendu",
    "list_type": "liste attendue (lignes commençant par « - »)",
    "dict_type": "sections « clé: valeur » attendues",
    "model_type": "sections « clé: valeur » attendues",
    "model_attributes_type": "sections « clé: valeur » attendues",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu (sans virgule)",
    "float_type": "nombre attendu",
    "float_parsing": "nombre attendu",
    "bool_type": "true ou false attendu",
    "bool_parsing": "true ou false attendu",
    "string_too_short": "texte vide : écrivez au moins un mot",
    "invalid_key": "une clé doit être un texte",
    "date_type": "date attendue (AAAA-MM-JJ)",
}


def _problem_from_pydantic(
    err: Any, origins: dict[str, Path], lines: dict[FieldPath, int], files: list[Path]
) -> Problem:
    loc: FieldPath = tuple(err["loc"])
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]  # a dict key is wrong: the path of the key itself
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = _allowed_keys(loc[:-1])
        hint = difflib.get_close_matches(name, allowed, n=1)
        message = f"clé inconnue « {name} »"
        message += f" : vouliez-vous dire « {hint[0]} » ?" if hint else " (faute de frappe ?)"
        if allowed:
            message += f" Clés possibles : {', '.join(allowed)}"
    elif kind == "value_error":
        message = str(ctx.get("error", err["msg"]))
    elif kind.startswith("date_") or kind.startswith("datetime_"):
        message = f"date invalide « {value} » (format AAAA-MM-JJ, jour existant)"
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        signs = {
            "greater_than_equal": "≥",
            "greater_than": ">",
            "less_than_equal": "≤",
            "less_than": "<",
        }
        bound = next(iter(ctx.values()), "?")
        message = f"la valeur {value} doit être {signs[kind]} {bound}"
    elif kind == "too_short":
        message = f"la {'section' if isinstance(value, dict) else 'liste'} ne peut pas être vide"
    elif kind == "too_long":
        message = f"trop d'éléments ({ctx.get('max_length', '?')} au plus)"
    elif kind == "string_too_long":
        message = f"texte trop long ({ctx.get('max_length', '?')} caractères au plus)"
    elif kind == "string_pattern_mismatch":
        message = f"identifiant invalide « {value} » (minuscules, chiffres et _ ; ex. « of »)"
    elif kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", " ou ")
        message = f"valeur inattendue « {value} » ; attendu : {expected}"
    else:
        message = _MESSAGES.get(kind, "valeur refusée")
        if kind != "missing" and value is not None:
            message += f", reçu « {_short(value)} »"
    file = origins.get(str(loc[0])) if loc else None
    if file is None and kind == "missing" and len(loc) == 1:
        names = ", ".join(str(f) for f in files)
        message = f"section « {loc[0]} » manquante (dans {names})"
    return Problem(message, file, _nearest_line(lines, loc), render_path(loc))


def _short(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "…"


def _allowed_keys(loc: FieldPath) -> list[str]:
    """Field names allowed at a location of the config, for 'did you mean' hints."""
    current: Any = Config
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _step(annotation: Any, part: str | int) -> Any:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
        return None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is dict and len(args) == 2:
        return args[1]
    if origin is list and args:
        return args[0]
    return None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0] if len(options) == 1 else annotation
            if len(options) != 1:
                return annotation
        else:
            return annotation
