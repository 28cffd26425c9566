"""Errors a user can meet, each with the exit code the README promises.

Every message is French prose for a marketer; a traceback reaching the user is a bug.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from pathlib import Path

EXIT_OK = 0
EXIT_INFEASIBLE = 1
EXIT_BAD_INPUT = 2


_OS_REASONS = {
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EACCES: "accès refusé (droits du fichier ou du dossier)",
    errno.EPERM: "opération non permise",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.ENOTDIR: "ce n'est pas un dossier",
    errno.EEXIST: "un fichier porte déjà ce nom",
    errno.ENOTEMPTY: "le dossier n'est pas vide",
    errno.ENOSPC: "disque plein",
    errno.EROFS: "disque en lecture seule",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.ELOOP: "liens symboliques en boucle",
}


def os_reason(exc: OSError) -> str:
    """What the system refused, in French (its own text, `strerror`, is English)."""
    reason = _OS_REASONS.get(exc.errno or 0, f"erreur du système ({exc.strerror or exc})")
    return f"{reason} : {exc.filename}" if exc.filename else reason


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input: where (file, line, field path) and what."""

    message: str
    file: Path | None = None
    line: int | None = None
    path: str = ""

    def render(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
        if self.path:
            where = f"{where} · {self.path}" if where else self.path
        return f"{where} : {self.message}" if where else self.message


@dataclass
class PlannerError(Exception):
    """Base of the errors the CLI turns into a message and an exit code."""

    title: str
    problems: list[Problem] = field(default_factory=list)
    exit_code: int = EXIT_BAD_INPUT

    def __str__(self) -> str:
        return self.render()

    def render(self) -> str:
        lines = [self.title]
        lines += [f"  - {p.render()}" for p in self.problems]
        return "\n".join(lines)


class InputError(PlannerError):
    """Bad input: a missing file, a YAML or schema error, a bad option (exit 2)."""

    def __init__(self, title: str, problems: list[Problem] | None = None) -> None:
        super().__init__(title, problems or [], EXIT_BAD_INPUT)


class InfeasibleError(PlannerError):
    """The rules cannot all hold on the horizon (exit 1); problems name the clashing rules."""

    def __init__(self, title: str, problems: list[Problem] | None = None) -> None:
        super().__init__(title, problems or [], EXIT_INFEASIBLE)


class CheckFailedError(PlannerError):
    """The solver-free checker rejected a solved plan: a bug, never a user mistake."""

    def __init__(self, title: str, problems: list[Problem] | None = None) -> None:
        super().__init__(title, problems or [], EXIT_INFEASIBLE)
