"""Features read off one unit's terms against the question's: how closely the question's words
stand together in it, and how close to them stands what the question asks for. Ratios in 0..1,
the same in a library of one report or of thousands."""

from __future__ import annotations

from collections.abc import Collection


def proximity(asked: Collection[str], terms: list[str]) -> float:
    """How tightly the question's terms that the unit holds stand together: (k - 1) / (span - 1)
    for the k distinct terms in the shortest run of `terms` that holds them all (1 when they
    stand side by side), 0 when the unit holds fewer than two."""
    positions = [(i, term) for i, term in enumerate(terms) if term in asked]
    wanted = len({term for _, term in positions})
    if wanted < 2:
        return 0.0
    counts: dict[str, int] = {}
    held = 0
    span = len(terms)
    start = 0
    for right, term in positions:
        counts[term] = counts.get(term, 0) + 1
        held += counts[term] == 1
        while held == wanted:
            left, first = positions[start]
            span = min(span, right - left + 1)
            counts[first] -= 1
            held -= counts[first] == 0
            start += 1
    return (wanted - 1) / (span - 1)


def closeness(terms: list[str], asked: Collection[str], answers: Collection[str]) -> float:
    """How near the nearest of `answers` (terms of the things the question asks for) stands to
    a term of the question in `terms`: 1 / (1 + the terms between them), 0 when either is
    missing. The answer is told beside the question's own words ("found by 2012", "an order
    for 30 of the aircraft"), where a number elsewhere in a sentence that echoes the question
    tells something else."""
    held = [i for i, term in enumerate(terms) if term in asked]
    found = [i for i, term in enumerate(terms) if term in answers] if held else []
    if not found:
        return 0.0
    return 1.0 / (1.0 + min(abs(i - j) for i in found for j in held))
