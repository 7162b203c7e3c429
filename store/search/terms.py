"""Text to index terms: lower-cased words and numbers, stop words out, lemmatized and then
Snowball-stemmed. The stemmer cuts endings but does not know irregular forms ("saw", "seen",
"found"); simplemma's English dictionary maps them to their lemma ("see", "find") first, and
lemminflect's verb forms where simplemma reads another word ("won" is also a currency to it)."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
import simplemma
import Stemmer
from lemminflect import getAllLemmas

WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
HYPHENATED = re.compile(rf"{WORD.pattern}(?:-{WORD.pattern})*")  # "e-mail", "30-year-old"
POSSESSIVE = re.compile(r"['\u2019]s\b")
APOSTROPHE = re.compile(r"['\u2019]")
NUMBER = re.compile(r"\d")
ORDINALS = {
    "1st": "first",
    "2nd": "second",
    "3rd": "third",
    "4th": "fourth",
    "5th": "fifth",
    "6th": "sixth",
    "7th": "seventh",
    "8th": "eighth",
    "9th": "ninth",
}
ORDINAL = re.compile(rf"\b(?:{'|'.join(ORDINALS)})\b")
# The combining marks NFKD splits accents into (the diacritical mark blocks).
COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

_STOP_TEXT = """a about above after again against all am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each few for from further had hadn't has hasn't have
    haven't having he he'd he'll he's her here here's hers herself him himself his how how's i
    i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my
    myself no nor not of off on once only or other ought our ours ourselves out over own same
    shan't she she'd she'll she's should shouldn't so some such than that that's the their
    theirs them themselves then there there's these they they'd they'll they're they've this
    those through to too under until up very was wasn't we we'd we'll we're we've were weren't
    what what's when when's where where's which while who who's whom why why's with won't
    would wouldn't you you'd you'll you're you've your yours yourself yourselves
    s t also just get got say said says tell told"""
# Contractions that lose their apostrophe become other words ("we'll" -> "well"): those stay.
# ("i'd" -> "id": news writes "ID cards" far more often than anyone asks "id like to know")
_WORDS_TOO = frozenset(["well", "hell", "shell", "ill", "wed", "shed", "id"])
# Stored as `words` leaves them: without apostrophes ("don't" -> "dont").
STOP_WORDS = frozenset(word.replace("'", "") for word in _STOP_TEXT.split()) - _WORDS_TOO


def fold(text: str) -> str:
    """Lower case without accents."""
    text = text.lower()
    if text.isascii():
        return text
    return COMBINING.sub("", unicodedata.normalize("NFKD", text))


def words(text: str) -> list[str]:
    """The surface words of `text`, possessive 's dropped ("manuel's" -> "manuel") and other
    apostrophes closed up ("don't" -> "dont")."""
    text = _plain(text)
    return _spelt(text, WORD.findall(text))


def indexed_words(text: str) -> list[str]:
    """`words`, each compound of letters that `text` hyphenates followed by its parts closed
    up ("e-mail" -> "e", "mail", "email"): asked about, it is as often typed as one word
    ("email", "walmart", "wifi"), and the library then holds that word too."""
    text = _plain(text)
    if "-" not in text:
        return _spelt(text, WORD.findall(text))
    found: list[str] = []
    for token in HYPHENATED.findall(text):
        parts = token.split("-")
        found.extend(parts)
        if len(parts) > 1 and token.replace("-", "").isalpha():
            found.append("".join(parts))
    return _spelt(text, found)


def _plain(text: str) -> str:
    text = fold(text)
    if "'" in text or "\u2019" in text:
        text = APOSTROPHE.sub("", POSSESSIVE.sub("", text))
    return text


def _spelt(text: str, found: list[str]) -> list[str]:
    """`found` with the ordinals under ten spelt out ("2nd" -> "second"): typed in digits,
    they are written in words in the reports."""
    if ORDINAL.search(text) is None:
        return found
    return [ORDINALS.get(word, word) for word in found]


def is_number(word: str) -> bool:
    return NUMBER.search(word) is not None


def lemma(word: str) -> str:
    """simplemma's lemma of `word`; where it keeps the word as it is, and lemminflect knows the
    word only as a form of one other verb ("won", "shook"), that verb."""
    found = simplemma.lemmatize(word, "en")
    if found == word:
        readings = getAllLemmas(word)
        if readings.keys() == {"VERB"} and len(readings["VERB"]) == 1:
            return readings["VERB"][0]
    return found


class Bag(NamedTuple):
    """A document's terms, counted, and how many there are: what BM25 reads of it (counting
    each query term in a list of the terms, for every question, was a tenth of its CPU)."""

    counts: Mapping[str, int]
    length: int

    @classmethod
    def of(cls, terms: Sequence[str]) -> Bag:
        # A plain dict of numbers, which the garbage collector does not track (a Counter it does).
        return cls(dict(Counter(terms)), len(terms))


class Counted(NamedTuple):
    """Documents' terms counted by term: each term's place in `starts`, where its documents
    (`docs`) and how often it stands in each (`counts`) start and end; and each document's
    length. A question reads its few terms' counts in many documents (an article's units, its
    paragraphs) at once, rather than each document's counts term by term. Flat lists of
    numbers, not a list per term: kept for thousands of articles, those would be millions of
    objects for the garbage collector to walk (it took most of the time to build them)."""

    places: Mapping[str, int]
    starts: Sequence[int]
    docs: Sequence[int]
    counts: Sequence[int]
    lengths: Sequence[int]

    @classmethod
    def of(cls, texts: Sequence[Sequence[str]]) -> Counted:
        places: dict[str, int] = {}
        ids = [places.setdefault(term, len(places)) for terms in texts for term in terms]
        lengths = [len(terms) for terms in texts]
        n = max(1, len(texts))
        # One key per (term, document), sorted by term and then document.
        keys = np.array(ids, dtype=np.int64) * n + np.repeat(np.arange(len(texts)), lengths)
        found, counts = np.unique(keys, return_counts=True)
        starts = np.searchsorted(found // n, np.arange(len(places) + 1))
        # Tuples of numbers, which the garbage collector stops tracking, as it does the whole.
        return cls(
            places,
            tuple(starts.tolist()),
            tuple((found % n).tolist()),
            tuple(counts.tolist()),
            tuple(lengths),
        )


def counted(docs: Sequence[Counted], terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The counts of `terms` (columns) in the documents of all `docs` one after another (rows),
    and the documents' lengths (float32, as BM25 reads them)."""
    rows: list[int] = []
    columns: list[int] = []
    values: list[int] = []
    start = 0
    for doc in docs:
        for column, term in enumerate(terms):
            place = doc.places.get(term)
            if place is not None:
                first, end = doc.starts[place], doc.starts[place + 1]
                rows.extend([start + i for i in doc.docs[first:end]])
                columns.extend([column] * (end - first))
                values.extend(doc.counts[first:end])
        start += len(doc.lengths)
    counts = np.zeros((start, len(terms)), dtype=np.int64)
    counts[rows, columns] = values
    lengths = np.fromiter(
        itertools.chain.from_iterable(doc.lengths for doc in docs), dtype=np.float32, count=start
    )
    return counts, lengths


class Analyzer:
    """Stems words with a cache of its own; `terms` is what every index stores and queries."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("english")
        # A stop word's stem is "" so that one look-up per word both stems and filters.
        self._stems: dict[str, str] = dict.fromkeys(STOP_WORDS, "")
        self._token_terms: dict[str, tuple[str, ...]] = {}

    def stem(self, word: str) -> str:
        """The stem of `word`, "" for a stop word."""
        stem = self._stems.get(word)
        if stem is None:
            stem = self._learn([word])[0]
        return stem

    def stems(self, surface: Sequence[str]) -> list[str]:
        stems = list(map(self._stems.get, surface))
        if None in stems:
            self._learn({word for word, stem in zip(surface, stems, strict=True) if stem is None})
            stems = list(map(self._stems.__getitem__, surface))
        return [stem for stem in stems if stem]

    def _learn(self, new: Iterable[str]) -> list[str]:
        """Stem words not seen before (numbers stay as they are) and cache them."""
        new = list(new)
        stems = self._stemmer.stemWords([lemma(word) for word in new])
        for i, word in enumerate(new):
            self._stems[word] = word if is_number(word) else stems[i]
        return [self._stems[word] for word in new]

    def terms(self, text: str) -> list[str]:
        return self.stems(words(text))

    def token_terms(self, token: str) -> tuple[str, ...]:
        """`terms` of one token of the library's text, kept: excerpts are highlighted token by
        token, and the library has only so many."""
        found = self._token_terms.get(token)
        if found is None:
            found = self._token_terms[token] = tuple(self.stems(indexed_words(token)))
        return found
