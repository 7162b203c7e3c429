"""A BM25 index over token lists, with inverted postings that grow and shrink in place: the
engine's postings before tantivy, kept for `retrieval.py`'s comparison.

Documents get ascending integer ids that are never reused. Postings are one `array.array`
per term, each entry a document id and its term frequency packed in one integer, viewed by
numpy without copying at query time. Documents are indexed in batches (a whole library at
start-up, one article's later), each batch's postings counted and grouped by one numpy sort;
a removed document is only marked dead, so adding or removing one article rebuilds nothing.
"""

from __future__ import annotations

import itertools
from array import array
from collections import Counter, defaultdict
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

    def extend(self, docs: Sequence[Sequence[str]]) -> range:
        """Index `docs` in one pass and return their ids: every (term, document) pair is
        counted and grouped by one numpy sort, so each term's postings grow by one append."""
        first, count = self.size, len(docs)
        codes: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        flat = np.fromiter([codes[t] for terms in docs for t in terms], dtype=np.int64)
        lengths = np.fromiter(map(len, docs), dtype=np.int64, count=count)
        pairs, tf = np.unique(
            flat * count + np.repeat(np.arange(count, dtype=np.int64), lengths),
            return_counts=True,
        )
        code, doc = np.divmod(pairs, count)
        packed = (doc + first) << TF_BITS | np.minimum(tf, MAX_TF)
        vocabulary = list(codes)
        self._grow_postings(vocabulary, code, packed)
        terms = np.array(vocabulary, dtype=object)[code[np.argsort(doc, kind="stable")]].tolist()
        bounds = np.cumsum(np.bincount(doc, minlength=count)).tolist()
        for i, (start, end) in enumerate(itertools.pairwise([0, *bounds])):
            self._terms[first + i] = tuple(terms[start:end])
        self._lengths.frombytes(lengths.astype(np.float32).tobytes())
        self._alive.extend(bytes([1]) * count)
        self._total_length += float(lengths.sum())
        return range(first, first + count)

    def _grow_postings(self, vocabulary: list[str], code: np.ndarray, packed: np.ndarray) -> None:
        """Append each term's run of `packed` postings (sorted by term `code`) to its list."""
        starts = np.flatnonzero(np.diff(code, prepend=-1))
        bounds = np.append(starts, len(code)).tolist()
        postings, df = self._postings, self._df
        for term_code, start, end in zip(
            code[starts].tolist(), bounds[:-1], bounds[1:], strict=True
        ):
            term = vocabulary[term_code]
            chunk = packed[start:end].tobytes()
            posting = postings.get(term)
            if posting is None:
                postings[term] = array("q", chunk)
            else:
                posting.frombytes(chunk)
            df[term] += end - start

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

    def postings(self, term: str) -> np.ndarray:
        """The ids of the documents holding `term` (removed ones too: callers ask about live
        ones)."""
        return self._postings_of(term)[0]

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
