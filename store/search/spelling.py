"""Repair words the library's vocabulary lacks: fewest edits, the likeliest slips first, then
closest, then most common in general English (then in the library).

An edit is an insertion, deletion, substitution or a swap of two neighbours (OSA distance),
so "yaer" is one edit from "year" and "wrold" one from "world" but two from "would". Of words
one edit away, those a common slip explains come first (`slip`): two letters swapped, a letter
doubled or undoubled, a neighbouring key, a vowel for a vowel, a letter dropped; a wrong first
letter is rarer. With none one edit away, words that sound the same (by metaphone) up to two
edits away, whatever the word's length: "fone" for "phone". Among equally likely
words the longer (relatively closer) one wins, then the more common one: general English's
frequencies hold at any library size, where a small library's counts are noise. Words one edit
away are found by trying the edits of the typed word that begin as some vocabulary word begins
(a few dozen look-ups, where every letter at every place was a few hundred); only when there
are none (and none sounds the same) are other words two edits away sought, with rapidfuzz over the
vocabulary bucketed by length, so that a look-up only scans words that could be close.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TypeVar

import jellyfish
import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from store.search.background import zipf
from store.search.lru import LRU

RECENT = 4096
K = TypeVar("K")
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _near_keys() -> dict[str, frozenset[str]]:
    """Each key's neighbours on a QWERTY keyboard: beside it in its row, and the two it touches
    in the row above (the same column and the next) and below (the one before and the same)."""
    place = {
        key: (row, column) for row, keys in enumerate(_ROWS) for column, key in enumerate(keys)
    }
    touching = {(0, -1), (0, 1), (-1, 0), (-1, 1), (1, -1), (1, 0)}
    return {
        key: frozenset(
            other for other, (r, c) in place.items() if (r - row, c - column) in touching
        )
        for key, (row, column) in place.items()
    }


NEAR_KEYS = _near_keys()
VOWELS = frozenset("aeiouy")
# What a slip costs, one edit being 1: the common slips cost less, so that of words equally
# many edits away the one a common slip explains comes first.
SWAP = 0.5  # two neighbouring letters swapped, a letter doubled or undoubled
CLOSE = 0.75  # a neighbouring key, a vowel for a vowel, a letter dropped
FIRST = 0.5  # more for a wrong first letter: people rarely get it wrong
SOUNDING = 2  # the most edits between words that sound the same


def max_edits(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def sound(word: str) -> str:
    """What `word` sounds like (its metaphone key); "" when too short to say (one consonant)."""
    key = jellyfish.metaphone(word)
    return key if len(key) > 1 else ""


def _near(a: str, b: str) -> bool:
    return b in NEAR_KEYS.get(a, ()) or (a in VOWELS and b in VOWELS)


def slip(typed: str, meant: str) -> float:
    """How unlikely a slip made `typed` of `meant`, one edit apart (1 for an edit of no common
    kind)."""
    shorter = min(len(typed), len(meant))
    at = next((i for i in range(shorter) if typed[i] != meant[i]), shorter)
    if len(typed) == len(meant):
        if typed[at + 1 :] != meant[at + 1 :]:
            return SWAP  # the letters at `at` and after it swapped
        cost = CLOSE if _near(typed[at], meant[at]) else 1.0
    elif len(typed) > len(meant):  # a letter typed too many
        extra, around = typed[at], typed[max(0, at - 1) : at] + typed[at + 1 : at + 2]
        if extra in around:
            return SWAP
        cost = CLOSE if any(extra in NEAR_KEYS.get(c, ()) for c in around) else 1.0
    else:  # a letter dropped
        lost, around = meant[at], meant[max(0, at - 1) : at] + meant[at + 1 : at + 2]
        if lost in around:
            return SWAP
        cost = CLOSE
    return cost + (FIRST if at == 0 else 0.0)


class Speller:
    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._by_length: dict[int, set[str]] = {}
        self._by_sound: dict[str, set[str]] = {}
        self._choices: dict[int, list[str]] = {}
        # Each start of a vocabulary word ("" too, and whole words), with the letters that
        # follow it in some word: the only letters an edit made after it can put in.
        self._next: dict[str, str] = {"": ""}
        # Repairs asked for lately, until the vocabulary changes: a name the library lacks or a
        # common misspelling comes back in question after question.
        self._recent: LRU[list[str]] = LRU(RECENT)

    def __contains__(self, word: str) -> bool:
        return self._counts.get(word, 0) > 0

    def add(self, counts: Mapping[str, int]) -> None:
        """Learn words, each with how often the library has it."""
        for word in [w for w in counts if w not in self._counts]:
            self._by_length.setdefault(len(word), set()).add(word)
            if key := sound(word):
                self._by_sound.setdefault(key, set()).add(word)
            self._choices.pop(len(word), None)
            _learn_starts(self._next, word)
        self._counts.update(counts)
        self._recent.clear()

    def following(self, counts: Mapping[str, int], touched: Iterable[str]) -> Speller:
        """A speller of `counts` (a library this speller's but in the `touched` words), made
        without going through the whole vocabulary again: it shares this one's buckets (of
        word lengths and sounds) that did not change."""
        new = Speller()
        new._counts = Counter(counts)
        new._by_length = dict(self._by_length)
        new._by_sound = dict(self._by_sound)
        new._next = dict(self._next)
        lengths: set[int] = set()
        sounds: set[str] = set()
        for word in set(touched):
            if (counts.get(word, 0) > 0) == (word in self):
                continue
            buckets = [_own(new._by_length, len(word), lengths)]
            if key := sound(word):
                buckets.append(_own(new._by_sound, key, sounds))
            for bucket in buckets:
                if word in self:
                    bucket.discard(word)
                else:
                    bucket.add(word)
            if word not in self:
                _learn_starts(new._next, word)
        new._choices = {n: c for n, c in self._choices.items() if n not in lengths}
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
            cost = {c: slip(word, c) for c in self._one_edit_away(word)}
            near: Iterable[str] = cost.keys()
            if not cost:
                near = self._sounding(word)
            if not near and max_edits(word) > 1:
                near = self._two_edits_away(word)
            # All equally many edits away: the likeliest slips, then relatively closest first
            # (the longer of the two words longest), then the more common one.
            found = sorted(
                near,
                key=lambda c: (
                    cost.get(c, 2.0),
                    -max(len(word), len(c)),
                    -zipf(c),
                    -self._counts[c],
                    c,
                ),
            )
            self._recent.put(word, found)
        return found[:limit]

    def _one_edit_away(self, word: str) -> set[str]:
        edits: set[str] = set()
        for i in range(len(word) + 1):
            before, after = word[:i], word[i:]
            letters = self._next.get(before)
            if letters is None:
                break  # no vocabulary word starts so, whatever is edited after this
            # each letter that may follow put in here, then the rest after it: insertions and
            # substitutions
            grown = [before + c for c in letters]
            edits.update([g + after for g in grown])
            if after:
                rest = after[1:]
                edits.update([g + rest for g in grown])
                edits.add(before + rest)  # a deletion
                if rest:
                    edits.add(before + rest[0] + after[0] + rest[1:])  # a swap
        edits.discard(word)
        # The view intersects by looking up the few hundred edits in the vocabulary.
        return {edit for edit in self._counts.keys() & edits if self._counts[edit] > 0}

    def sure(self, word: str, candidate: str) -> bool:
        """Whether one slip makes `word` of `candidate`: an edit, or spelling it as it sounds."""
        return OSA.distance(word, candidate, score_cutoff=1) <= 1 or sound(word) == sound(candidate)

    def _sounding(self, word: str) -> list[str]:
        """The vocabulary words that sound like `word`, up to SOUNDING edits from it."""
        key = sound(word)
        alike = [w for w in self._by_sound.get(key, ()) if w != word] if key else []
        return [w for w in alike if OSA.distance(word, w, score_cutoff=SOUNDING) <= SOUNDING]

    def _two_edits_away(self, word: str) -> list[str]:
        found = []
        for length in range(max(1, len(word) - 2), len(word) + 3):
            choices = self._bucket(length)
            if not choices:
                continue
            distances = process.cdist([word], choices, scorer=OSA.distance, dtype=np.int32)[0]
            found += [choices[index] for index in np.flatnonzero(distances == 2)]
        return found


def _learn_starts(starts: dict[str, str], word: str) -> None:
    """Add the starts of `word` to `starts`, each with the letter that follows it there. A
    word that leaves the vocabulary keeps its starts: they only let more edits be tried."""
    for n, letter in enumerate(word):
        start = word[:n]
        letters = starts.get(start, "")
        if letter not in letters:
            starts[start] = letters + letter
    starts.setdefault(word, "")


def _own(buckets: dict[K, set[str]], key: K, owned: set[K]) -> set[str]:
    """`buckets[key]`, copied the first time it is asked for (`owned` records which): a
    following speller shares the buckets it does not change."""
    if key not in owned:
        owned.add(key)
        buckets[key] = set(buckets.get(key, ()))
    return buckets[key]
