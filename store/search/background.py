"""How common a word is in general English (wordfreq's Zipf scale, offline), beside the library.

A library of one report knows a few hundred words, all equally rare in it; general English says
that "live" is common and "eiffel" rare, at any library size. So a word's weight in a question
is its background rarity, a word the library lacks costs the question that much, and a typed
word common enough in English is taken for a real word the library lacks, not a slip to repair
("eiffel" stays "eiffel", not "differ").
"""

from __future__ import annotations

import functools

from wordfreq import zipf_frequency

# Zipf 3 is once per million words: above it a word is an ordinary English word, not a slip,
# unless a word one slip away is SLIP points (a hundred times) more common ("wil" -> "will").
REAL_WORD = 3.0
SLIP = 2.0
TOP_ZIPF = 7.0  # about the most common content words; the very commonest are stop words
LEAST = 0.05  # the weight of the commonest words, that still say something


@functools.lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    return zipf_frequency(word, "en")


def load() -> None:
    """Read the frequency list now (about a second), not on a user's first question."""
    zipf("the")


def rarity(word: str) -> float:
    """0..1: LEAST for the commonest English words, 1 for words general English lacks."""
    return min(1.0, max(LEAST, (TOP_ZIPF - zipf(word)) / TOP_ZIPF))


def is_real_word(word: str, near: list[str]) -> bool:
    """Whether `word` was meant as typed, given the words `near` it."""
    own = zipf(word)
    return own >= REAL_WORD and all(zipf(other) - own < SLIP for other in near)
