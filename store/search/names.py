"""Loose matching of speaker names: "mistura", "di mistura" and "De Mistura" all find
"Staffan di Mistura"; "moualem" finds "Walid al-Moualem"."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from store.reports.lexicon import COURTESY_TITLES, NAME_PARTICLES, PEERAGE_TITLES
from store.search.terms import fold

# Words around a name that do not tell people apart: honorifics and name particles.
TITLES = frozenset(title.lower() for title in COURTESY_TITLES | PEERAGE_TITLES)
_PART = re.compile(r"[a-z0-9]+")
SIMILAR = 85.0


def name_parts(name: str) -> tuple[str, ...]:
    """The words that identify a person: lower-cased, accents, titles and particles dropped."""
    return tuple(
        part
        for part in _PART.findall(fold(name))
        if part not in TITLES and part not in NAME_PARTICLES
    )


def same_word(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 5 and fuzz.ratio(a, b) >= SIMILAR)


def name_score(query: str, name: str) -> float:
    """How well the words of `query` name `name`, 0..1: the surname counts most (0.6), the
    other parts share the rest; without the surname, the other parts count for little."""
    wanted, parts = name_parts(query), name_parts(name)
    if not wanted or not parts:
        return 0.0
    *others, surname = [any(same_word(w, part) for w in wanted) for part in parts]
    rest = sum(others) / len(others) if others else 0.0
    return 0.6 + 0.4 * (rest if others else 1.0) if surname else 0.3 * rest
