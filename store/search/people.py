"""Which of the library's speakers a typed name means: "gordon brown" is Gordon Brown before
Nick Brown and never Lord Browne, and "tony blare" is Tony Blair.

A word of the typed name that some speaker's name holds is taken as typed; any other word is
a slip, repaired to the speakers' name words closest to it (rapidfuzz). A speaker then scores
by how closely their surname is named and how many of the other typed words their other
names hold: a name the library gives without a first name ("Mr Brown") neither confirms nor
contradicts "gordon".
"""

from __future__ import annotations

from collections.abc import Collection

from rapidfuzz import fuzz, process

from store.search.names import name_parts

REPAIR = 75.0  # rapidfuzz ratio at least, for a name word to stand for a typed one
REPAIRS = 5  # name words tried for each typed word the library has no speaker with
SURNAME = 0.6  # of a speaker's score, for the surname; the other typed words share the rest
UNKNOWN = 0.5  # for a typed first name when the library's name has none to compare
NAMES = 0.7  # a speaker scores at least this to be meant


def speaker_scores(typed: str, speakers: Collection[str]) -> dict[str, float]:
    """The speakers `typed` names, each with a score from NAMES to 1."""
    wanted = name_parts(typed)
    parts = {speaker: name_parts(speaker) for speaker in speakers}
    known = {part for name in parts.values() for part in name}
    readings = {word: _readings(word, known) for word in wanted}
    scores = {}
    for speaker, name in parts.items():
        score = _score(wanted, name, readings)
        if score >= NAMES:
            scores[speaker] = score
    return scores


def _readings(word: str, known: Collection[str]) -> dict[str, float]:
    """The name words `word` may stand for, each with how closely (1 as typed)."""
    if word in known:
        return {word: 1.0}
    found = process.extract(word, known, scorer=fuzz.ratio, score_cutoff=REPAIR, limit=REPAIRS)
    return {part: score / 100.0 for part, score, _ in found}


def _score(
    wanted: tuple[str, ...], name: tuple[str, ...], readings: dict[str, dict[str, float]]
) -> float:
    if not wanted or not name:
        return 0.0
    *others, surname = name
    closeness = [readings[word].get(surname, 0.0) for word in wanted]
    best = max(range(len(wanted)), key=closeness.__getitem__)
    if closeness[best] == 0.0:
        return 0.0
    rest = [word for i, word in enumerate(wanted) if i != best]
    if not rest:
        return closeness[best]
    held = [
        max((readings[word].get(part, 0.0) for part in others), default=UNKNOWN) for word in rest
    ]
    return closeness[best] * (SURNAME + (1.0 - SURNAME) * sum(held) / len(held))
