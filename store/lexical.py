"""A BM25 index over token lists, with inverted postings that grow and shrink in place.

Documents get ascending integer ids that are never reused. Postings are one `array.array`
per term, each entry a document id and its term frequency packed in one integer (one append
per term when indexing), viewed by numpy without copying at query time; a removed document
is only marked dead, so adding or removing one article never rebuilds anything.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

TF_BITS = 12
MAX_TF = (1 << TF_BITS) - 1


class LexicalIndex:
    def __init__(self, *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self._postings: dict[str, array] = {}
        self._df: Counter[str] = Counter()
        self._lengths = array("f")
        self._alive = bytearray()
        self._terms: dict[int, tuple[str, ...]] = {}
        self._total_length = 0.0

    def __len__(self) -> int:
        return len(self._terms)

    @property
    def size(self) -> int:
        """One past the highest id ever given: the length of a dense score array."""
        return len(self._lengths)

    def add(self, terms: Sequence[str]) -> int:
        doc = len(self._lengths)
        counts = Counter(terms)
        postings, df = self._postings, self._df
        base = doc << TF_BITS
        for term, tf in counts.items():
            posting = postings.get(term)
            if posting is None:
                posting = postings[term] = array("q")
                df[term] = 1
            else:
                df[term] += 1
            posting.append(base | (tf if tf < MAX_TF else MAX_TF))
        self._lengths.append(len(terms))
        self._alive.append(1)
        self._terms[doc] = tuple(counts)
        self._total_length += len(terms)
        return doc

    def remove(self, doc: int) -> None:
        terms = self._terms.pop(doc)
        self._df.subtract(terms)
        self._alive[doc] = 0
        self._total_length -= self._lengths[doc]

    def terms(self, doc: int) -> tuple[str, ...]:
        """The distinct terms of a live document."""
        return self._terms[doc]

    @property
    def max_idf(self) -> float:
        """The idf of a term no document has yet."""
        n = len(self._terms)
        return float(np.log(1.0 + (n + 0.5) / 0.5))

    @property
    def rare_idf(self) -> float:
        """The idf of a term only one document has."""
        n = len(self._terms)
        return float(np.log(1.0 + (n - 0.5) / 1.5))

    def df(self, term: str) -> int:
        return self._df.get(term, 0)

    def idf(self, term: str) -> float:
        n, df = len(self._terms), self.df(term)
        return float(np.log(1.0 + (n - df + 0.5) / (df + 0.5))) if df else 0.0

    def support(self, term: str, context: np.ndarray | None) -> float:
        """How well `term` fits a query whose other terms gave `context` scores: the best
        context score among the live documents holding it, ties going to the commoner term."""
        if not self.df(term):
            return -1.0
        best = 0.0 if context is None else float(context[self._postings_of(term)[0]].max())
        return best + 1e-6 * self.df(term)

    def _postings_of(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """The ids of the documents holding `term`, and its frequency in each."""
        packed = np.frombuffer(self._postings[term], dtype=np.int64)
        return packed >> TF_BITS, (packed & MAX_TF).astype(np.float32)

    def scores(self, query: Mapping[str, float]) -> np.ndarray:
        """Dense BM25 scores for every id, each query term's idf times its weight in `query`.

        Dead documents and documents sharing no term score 0.
        """
        scores = np.zeros(self.size, dtype=np.float32)
        if not self._terms:
            return scores
        lengths = np.frombuffer(self._lengths, dtype=np.float32)
        average = self._total_length / len(self._terms)
        for term, weight in query.items():
            idf = self.idf(term) * weight
            if idf <= 0.0:
                continue
            ids, tf = self._postings_of(term)
            norm = self.k1 * (1.0 - self.b + self.b * lengths[ids] / average)
            scores[ids] += idf * tf * (self.k1 + 1.0) / (tf + norm)
        scores *= np.frombuffer(self._alive, dtype=np.uint8)
        return scores
