"""Stories the BBC corpus stores more than once, so that no story is on two sides of a split.

Some stories are stored twice under two paths: with the same text, with a new title, or with
a paragraph or two rewritten. Two reports are twins when at least half of the shorter one's
body paragraphs (spacing and case aside) are the other's too; twins of twins are one story.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "bbc"
SAME_PARAGRAPHS = 0.5  # of the shorter body's paragraphs, for twins


def _paragraphs(path: Path) -> set[str]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    body = text.split("\n", 1)[1] if "\n" in text else ""
    return {" ".join(p.split()).casefold() for p in body.split("\n\n") if p.strip()}


@functools.cache
def first_twin() -> dict[str, str]:
    """Each BBC report's path -> the first path (in sorted order) of its story."""
    bodies = {
        str(path.relative_to(CORPUS)): _paragraphs(path) for path in sorted(CORPUS.glob("*/*.txt"))
    }
    holders: dict[str, list[str]] = defaultdict(list)
    for source, paragraphs in bodies.items():
        for paragraph in paragraphs:
            holders[paragraph].append(source)
    shared: Counter[tuple[str, str]] = Counter()
    for sources in holders.values():
        shared.update(combinations(sources, 2))
    first = {source: source for source in bodies}

    def root(source: str) -> str:
        while first[source] != source:
            source = first[source]
        return source

    for (a, b), count in shared.items():
        if count >= SAME_PARAGRAPHS * min(len(bodies[a]), len(bodies[b])):
            low, high = sorted((root(a), root(b)))
            first[high] = low
    return {source: root(source) for source in bodies}


def story(article: str) -> str:
    """The story a report tells: its first twin's path (the seed and unknown paths are their
    own)."""
    return first_twin().get(article, article)
