"""What the commands print: plain lines, a small table, a progress line on a terminal.

Colour only marks the label of a line (« Erreur », « À savoir »), and only on a terminal
that accepts it (`NO_COLOR` unset): piped output and files get the same words, unstyled.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

RED, YELLOW = "1;31", "33"


def _styled(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def say(stream: TextIO, text: str, label: str = "", style: str = "") -> None:
    """One message: its label (coloured on a terminal), then the text, verbatim."""
    if label and style and _styled(stream):
        label = f"\033[{style}m{label}\033[0m"
    stream.write(f"{label}{text}\n")


def table(stream: TextIO, title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A title and aligned columns: the first to the left, the others (numbers) right."""
    widths = [max(len(r[n]) for r in [header, *rows]) for n in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    stream.write("\n".join([title, line(header), *(line(r) for r in rows)]) + "\n")


@contextmanager
def progress(text: str, stream: TextIO | None = None) -> Iterator[Callable[[str], None]]:
    """A line rewritten in place while a long step runs, on a terminal only; erased after."""
    stream = stream or sys.stderr
    shown = stream.isatty()

    def update(line: str) -> None:
        if shown:
            stream.write(f"\r\033[K{line}")
            stream.flush()

    update(text)
    try:
        yield update
    finally:
        if shown:
            stream.write("\r\033[K")
            stream.flush()
