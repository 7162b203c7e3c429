"""Repair words the library's vocabulary lacks: fewest edits, then closest, then most common
in general English (then in the library).

An edit is an insertion, deletion, substitution or a swap of two neighbours (OSA distance),
so "yaer" is one edit from "year" and "wrold" one from "world" but two from "would". Among
equally near words the longer (relatively closer) one wins, then the more common one: general
English's frequencies hold at any library size, where a small library's counts are noise. Words
one edit away are found by trying every edit of the typed word (a few hundred look-ups); only
when there are none are words two edits away sought, with rapidfuzz over the vocabulary
bucketed by length, so that a look-up only scans words that could be close.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from store.search.background import zipf
from store.search.lru import LRU

RECENT = 4096


def max_edits(word: str) -> int:
    return 1 if len(word) <= 5 else 2


class Speller:
    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._by_length: dict[int, set[str]] = {}
        self._choices: dict[int, list[str]] = {}
        self._letters: set[str] = set()  # every character of the vocabulary, for edits
        # Repairs asked for lately, until the vocabulary changes: a name the library lacks or a
        # common misspelling comes back in question after question.
        self._recent: LRU[list[str]] = LRU(RECENT)

    def __contains__(self, word: str) -> bool:
        return self._counts.get(word, 0) > 0

    def add(self, counts: Mapping[str, int]) -> None:
        """Learn words, each with how often the library has it."""
        for word in [w for w in counts if w not in self._counts]:
            self._by_length.setdefault(len(word), set()).add(word)
            self._choices.pop(len(word), None)
            self._letters.update(word)
        self._counts.update(counts)
        self._recent.clear()

    def following(self, counts: Mapping[str, int], touched: Iterable[str]) -> Speller:
        """A speller of `counts` (a library this speller's but in the `touched` words), made
        without going through the whole vocabulary again: it shares this one's buckets of
        word lengths that did not change."""
        new = Speller()
        new._counts = Counter(counts)
        new._by_length = dict(self._by_length)
        new._letters = set(self._letters)
        changed: set[int] = set()
        for word in set(touched):
            if (counts.get(word, 0) > 0) == (word in self):
                continue
            length = len(word)
            if length not in changed:
                changed.add(length)
                new._by_length[length] = set(new._by_length.get(length, ()))
            if word in self:
                new._by_length[length].discard(word)
            else:
                new._by_length[length].add(word)
                new._letters.update(word)
        new._choices = {n: c for n, c in self._choices.items() if n not in changed}
        return new

    def _bucket(self, length: int) -> list[str]:
        choices = self._choices.get(length)
        if choices is None:
            choices = self._choices[length] = list(self._by_length.get(length, ()))
        return choices

    def correct(self, word: str) -> str | None:
        """The vocabulary word `word` most likely stands for, or None when none is close."""
        candidates = self.candidates(word, limit=1)
        return candidates[0] if candidates else None

    def candidates(self, word: str, *, limit: int = 3) -> list[str]:
        """Up to `limit` vocabulary words at the fewest edits from `word`, likeliest first.

        A known word stands for itself, and so does a known word plus "s" (a possessive typed
        without its apostrophe: "mens" is "men's", not "means").
        """
        for known in (word, word[:-1] if word.endswith("s") else ""):
            if known in self:
                return [known]
        found = self._recent.get(word)
        if found is None:
            near = self._one_edit_away(word)
            if not near and max_edits(word) > 1:
                near = self._two_edits_away(word)
            # All equally many edits away: relatively closest first (the longer of the two words
            # longest), then the more common one.
            found = sorted(
                near, key=lambda c: (-max(len(word), len(c)), -zipf(c), -self._counts[c], c)
            )
            self._recent.put(word, found)
        return found[:limit]

    def _one_edit_away(self, word: str) -> set[str]:
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        edits = {a + b[1:] for a, b in splits if b}
        edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        edits |= {a + c + b[1:] for a, b in splits if b for c in self._letters}
        edits |= {a + c + b for a, b in splits for c in self._letters}
        edits.discard(word)
        # The view intersects by looking up the few hundred edits in the vocabulary.
        return {edit for edit in self._counts.keys() & edits if self._counts[edit] > 0}

    def _two_edits_away(self, word: str) -> list[str]:
        found = []
        for length in range(max(1, len(word) - 2), len(word) + 3):
            choices = self._bucket(length)
            if not choices:
                continue
            distances = process.cdist([word], choices, scorer=OSA.distance, dtype=np.int32)[0]
            found += [choices[index] for index in np.flatnonzero(distances == 2)]
        return found
