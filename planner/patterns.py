"""User-written regular expressions (confidential patterns) that can never hang the tool.

Python's `re` backtracks without limit: `(\\w+\\s?)+\\s*\\$` takes hours on one sentence.
Searches therefore run on the `regex` engine, which takes a time budget. A pattern is also
refused when it is loaded if it could hang: statically, when a repetition holds a part that
can read the same characters in several ways (`(a+)+`, `(\\w+\\s?)+`, `(a|a)*`, `(.*)*`), and
by timing it on texts built to make it backtrack.
"""

from __future__ import annotations

import functools
import re
import string

# The stdlib's own parse tree, what `re` itself compiles; typeshed has no stubs for these
# private modules (only for their deprecated aliases sre_parse and sre_constants).
from re import _parser as sre  # type: ignore[attr-defined]
from re._constants import (  # type: ignore[import-not-found]
    ANY,
    ASSERT,
    ASSERT_NOT,
    AT,
    ATOMIC_GROUP,
    BRANCH,
    CATEGORY,
    GROUPREF_EXISTS,
    IN,
    LITERAL,
    MAX_REPEAT,
    MAXREPEAT,
    MIN_REPEAT,
    NEGATE,
    NOT_LITERAL,
    POSSESSIVE_REPEAT,
    RANGE,
    SUBPATTERN,
)
from typing import Any

import regex

from planner.labels import decimal

SEARCH_BUDGET = 2.0
"""Seconds one search may take during an export; a default pattern needs microseconds."""
PROBE_BUDGET = 0.25
"""Seconds one trial search may take at load, on a text of `PROBE_LENGTH` characters."""
PROBE_LENGTH = 1000
"""Long enough for exponential (30 characters) and cubic (1 000) blow-ups to show."""

MAX_DEPTH = 10
"""Levels of groups and repetitions inside one another (the default patterns have 3):
compiling costs `regex` about twice as much per level of repetition."""
MAX_SIZE = 10_000
"""Characters a pattern reads once its {n} repetitions are unrolled, as `regex` compiles
them: a{100}{100}{100} takes it seconds, a marketer's pattern reads a few dozen."""

FLAGS = regex.IGNORECASE | regex.VERSION0

SAMPLE = frozenset(string.printable + "\u00a0éèêàâçùûôîïœÉÈÀÇ€’«»…_")
"""Characters standing for all others when comparing what two parts of a pattern read."""
Chars = frozenset[str]

_CATEGORIES = {
    "DIGIT": r"\d",
    "NOT_DIGIT": r"\D",
    "SPACE": r"\s",
    "NOT_SPACE": r"\S",
    "WORD": r"\w",
    "NOT_WORD": r"\W",
    "LINEBREAK": r"\n",
    "NOT_LINEBREAK": r"[^\n]",
}
_REPEATS = (MAX_REPEAT, MIN_REPEAT)
_ZERO_WIDTH = (AT, ASSERT, ASSERT_NOT)

_SYNTAX = {
    "missing ), unterminated subpattern": "parenthèse « ( » jamais fermée",
    "unbalanced parenthesis": "parenthèse « ) » sans « ( » avant",
    "unterminated character set": "crochet « [ » jamais fermé",
    "nothing to repeat": "« * », « + », « ? » ou « {} » sans rien à répéter avant",
    "multiple repeat": "deux répétitions de suite (« ** », « +* »…)",
    "bad escape": "séquence « \\ » inconnue (pour un « \\ » ordinaire, écrivez « \\\\ »)",
    "bad character range": "plage de caractères à l'envers (comme [z-a])",
    "min repeat greater than max repeat": "dans {n,m}, n est plus grand que m",
    "the repetition number is too large": "nombre de répétitions trop grand",
}

_NESTED = (
    "expression régulière trop risquée : une répétition (+, *, {{n,}}) contient une partie "
    "qui peut lire les mêmes caractères de plusieurs façons ({example}) ; sur certains "
    "textes, la vérifier prendrait des heures. Réécrivez-la sans répétition imbriquée, par "
    "exemple [\\w\\s]+ au lieu de (\\w+\\s?)+"
)


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """The searchable form of a pattern, compiled once per process."""
    return regex.compile(pattern, FLAGS)


@functools.lru_cache(maxsize=256)
def pattern_problem(pattern: str) -> str | None:
    """Why a pattern cannot be used (bad syntax, could hang), in French; None if it can.
    The checks that need no engine come first: compiling deeply nested repetitions alone
    takes `regex` minutes and gigabytes."""
    try:
        tree = sre.parse(pattern, re.IGNORECASE)
    except re.error as exc:
        return _syntax_problem(exc)
    except RecursionError:
        return _TOO_DEEP
    items = list(tree)
    if _depth(items) > MAX_DEPTH:
        return _TOO_DEEP
    if _size(items) > MAX_SIZE:
        return _TOO_BIG
    risk = _loop_risk(items, frozenset(), in_loop=False)
    if risk is not None:
        return _NESTED.format(example=risk)
    try:
        compiled = compile_pattern(pattern)
    except regex.error:
        return "expression régulière invalide : syntaxe non reconnue"
    return _probe(compiled, tree)


_TOO_BIG = (
    "expression régulière trop grande une fois ses répétitions dépliées (plus de "
    f"{MAX_SIZE:,} caractères à lire) : réduisez les nombres entre accolades {{n}}"
).replace(",", " ")
_TOO_DEEP = (
    f"expression régulière trop imbriquée (plus de {MAX_DEPTH} niveaux de groupes « ( ) » "
    "et de répétitions les uns dans les autres) : simplifiez-la"
)


def _depth(seq: list[Item]) -> int:
    """Nesting of groups, without recursion: the parser accepts hundreds of levels."""
    deepest = 0
    stack = [(seq, 0)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        stack += [(body, depth + 1) for body in _bodies(current)]
    return deepest


def _size(seq: list[Item]) -> int:
    """Characters read, repetitions unrolled (an open-ended one counted at its minimum)."""
    total = 0
    for op, av in seq:
        if op in (*_REPEATS, POSSESSIVE_REPEAT):
            low, high, body = av
            total += _size(list(body)) * max(low if high == MAXREPEAT else high, 1)
        elif op == BRANCH:
            total += sum(_size(list(alt)) for alt in av[1])
        else:
            total += sum(_size(body) for body in _bodies([(op, av)])) or 1
    return total


def _bodies(seq: list[Item]) -> list[list[Item]]:
    """The sub-patterns directly inside each item of `seq`."""
    found: list[list[Item]] = []
    for op, av in seq:
        if op in (*_REPEATS, POSSESSIVE_REPEAT):
            found.append(list(av[2]))
        elif op == SUBPATTERN:
            found.append(list(av[-1]))
        elif op == ATOMIC_GROUP:
            found.append(list(av))
        elif op in (ASSERT, ASSERT_NOT):
            found.append(list(av[1]))
        elif op in (BRANCH, GROUPREF_EXISTS):
            alternatives = av[1] if op == BRANCH else av[1:]
            found += [list(alt) for alt in alternatives if alt is not None]
    return found


def _syntax_problem(exc: re.error) -> str:
    reason = next(
        (fr for en, fr in _SYNTAX.items() if exc.msg.startswith(en)), "syntaxe incorrecte"
    )
    where = f" (caractère {exc.pos + 1})" if exc.pos is not None else ""
    return f"expression régulière invalide : {reason}{where}"


# --- static rule ---------------------------------------------------------------------------
#
# Backtracking is exponential when a loop can read the same text along two paths. Within a
# repeated body (the loop), that happens when a part that reads a variable number of
# characters can read a character that may also come right after it — the rest of the body,
# or the body again — or when two alternatives of a branch can read the same text.
# Parts that never give back what they read (atomic groups, possessive repeats) are safe.

Item = tuple[Any, Any]


def _loop_risk(seq: list[Item], follow: Chars, *, in_loop: bool) -> str | None:
    """The example to quote when `seq` (followed by `follow`) can backtrack exponentially."""
    afters = _afters(seq, follow)
    for (op, av), after in zip(seq, afters, strict=True):
        found: str | None = None
        if op in _REPEATS:
            low, high, body = av
            body_first, _ = _first(list(body))
            if in_loop and low != high and body_first & after:
                return "comme dans (a+)+ ou (\\w+\\s?)+"
            loops = high > 1
            inner = (body_first | after) if in_loop else body_first
            found = _loop_risk(list(body), inner if loops else after, in_loop=in_loop or loops)
        elif op == SUBPATTERN:
            found = _loop_risk(list(av[-1]), after, in_loop=in_loop)
        elif op == BRANCH:
            alternatives = [list(alt) for alt in av[1]]
            if in_loop and any(
                _may_share(a, b, after)
                for i, a in enumerate(alternatives)
                for b in alternatives[i + 1 :]
            ):
                return "comme dans (a|a)* ou (m|mm)+"
            for alt in alternatives:
                found = found or _loop_risk(alt, after, in_loop=in_loop)
        elif op in (ASSERT, ASSERT_NOT):
            found = _loop_risk(list(av[1]), frozenset(), in_loop=False)
        elif op == GROUPREF_EXISTS:
            for alt in av[1:]:
                if alt is not None:
                    found = found or _loop_risk(list(alt), after, in_loop=in_loop)
        if found is not None:
            return found
    return None


def _afters(seq: list[Item], follow: Chars) -> list[Chars]:
    """For each item, the characters that can be read right after it."""
    afters: list[Chars] = []
    after = follow
    for item in reversed(seq):
        afters.append(after)
        first, nullable = _first([item])
        after = first | after if nullable else first
    return afters[::-1]


def _first(seq: list[Item]) -> tuple[Chars, bool]:
    """Characters `seq` can start with, and whether it can read nothing at all."""
    found: set[str] = set()
    for op, av in seq:
        single = _single(op, av)
        if single is not None:
            return frozenset(found | single), False
        if op in (*_REPEATS, POSSESSIVE_REPEAT):
            first, nullable = _first(list(av[2]))
            nullable = nullable or av[0] == 0
        elif op == SUBPATTERN:
            first, nullable = _first(list(av[-1]))
        elif op == ATOMIC_GROUP:
            first, nullable = _first(list(av))
        elif op == BRANCH:
            parts = [_first(list(alt)) for alt in av[1]]
            first = frozenset().union(*(p[0] for p in parts))
            nullable = any(p[1] for p in parts)
        elif op in _ZERO_WIDTH:
            continue
        else:  # back-references, conditionals: could be anything
            first, nullable = SAMPLE, True
        found |= first
        if not nullable:
            return frozenset(found), False
    return frozenset(found), True


def _may_share(a: list[Item], b: list[Item], after: Chars) -> bool:
    """Whether two alternatives may read the same text, compared one character at a time
    while both read single characters, then by their first characters. When one is a prefix
    of the other (`eur|euros`), the rest of the longer one must not be readable by what
    comes after the branch."""
    a = [item for item in a if item[0] not in _ZERO_WIDTH]
    b = [item for item in b if item[0] not in _ZERO_WIDTH]
    for i in range(max(len(a), len(b))):
        if i >= len(a) or i >= len(b):
            first, nullable = _first((a if i < len(a) else b)[i:])
            return nullable or bool(first & after)
        first_a, first_b = _single(*a[i]), _single(*b[i])
        if first_a is None or first_b is None:
            (fa, na), (fb, nb) = _first(a[i:]), _first(b[i:])
            return bool(fa & fb) or na or nb
        if not first_a & first_b:
            return False
    return True


def _single(op: Any, av: Any) -> Chars | None:
    """The characters a one-character item reads (case-insensitively), or None."""
    if op == LITERAL:
        return frozenset(c for c in SAMPLE if _same(c, chr(av)))
    if op == NOT_LITERAL:
        return frozenset(c for c in SAMPLE if not _same(c, chr(av)))
    if op == ANY:
        return SAMPLE
    if op == IN:
        negate = bool(av) and av[0][0] == NEGATE
        members = [_single_member(kind, value) for kind, value in av if kind != NEGATE]
        union = frozenset().union(*members)
        return SAMPLE - union if negate else union
    return None


def _single_member(kind: Any, value: Any) -> Chars:
    if kind == LITERAL:
        return frozenset(c for c in SAMPLE if _same(c, chr(value)))
    if kind == RANGE:
        low, high = value
        return frozenset(
            c for c in SAMPLE if any(low <= ord(v) <= high for v in (c, c.lower(), c.upper()))
        )
    if kind == CATEGORY:
        name = str(value).removeprefix("CATEGORY_").removeprefix("UNI_").removeprefix("LOC_")
        rx = re.compile(_CATEGORIES.get(name, r"[\s\S]"))
        return frozenset(c for c in SAMPLE if rx.fullmatch(c))
    return SAMPLE


def _same(c: str, literal: str) -> bool:
    return c == literal or c.lower() == literal.lower()


# --- trial runs ----------------------------------------------------------------------------


def _probe(compiled: regex.Pattern[str], tree: sre.SubPattern) -> str | None:
    """Time the pattern on texts made of what it reads (runs of one character, alternations,
    its own letters), each ending on a character that makes the search fail late."""
    for text in _probe_texts(tree):
        if _too_slow(compiled, text) and _too_slow(compiled, text):  # twice: not a hiccup
            shown = text[:12].replace("\n", "⏎")
            return (
                f"expression régulière trop lente : sur un texte de test de {len(text)} "
                f"caractères (« {shown}… »), la recherche dépasse {decimal(PROBE_BUDGET)} s ; "
                "simplifiez-la (évitez les répétitions imbriquées comme (\\w+\\s?)+)"
            )
    return None


def _too_slow(compiled: regex.Pattern[str], text: str) -> bool:
    try:
        compiled.search(text, timeout=PROBE_BUDGET)
    except TimeoutError:
        return True
    return False


def _probe_texts(tree: sre.SubPattern) -> list[str]:
    letters = "".join(dict.fromkeys(_literals(list(tree))))[:24]
    palette = "".join(dict.fromkeys(letters + "a1 ,.é€\n"))
    runs = [c * PROBE_LENGTH for c in palette]
    pairs = [(a + b) * (PROBE_LENGTH // 2) for a, b in ("a ", "1 ", "1,", "a.")]
    own = [(letters * PROBE_LENGTH)[:PROBE_LENGTH]] if letters else []
    return [text + "\x00" for text in runs + pairs + own]


def _literals(seq: list[Item]) -> list[str]:
    found: list[str] = []
    for op, av in seq:
        if op == LITERAL:
            found.append(chr(av))
        elif op in (*_REPEATS, POSSESSIVE_REPEAT):
            found += _literals(list(av[2]))
        elif op == SUBPATTERN:
            found += _literals(list(av[-1]))
        elif op == BRANCH:
            for alt in av[1]:
                found += _literals(list(alt))
    return found
