"""The answering engine: a question in, ranked excerpts and quotes out.

`index.LibraryIndex` holds what the engine knows of the library; `ranking` finds a question's
candidate units, and its learned model orders them and says whether the library answers the
question at all. The matcher puts the two together under one lock, remembers recent answers
until the library changes, and turns units into results (`_result`, the one place a `Result`
is made).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from store.reports.article import Article
from store.search import background
from store.search.excerpts import Unit, excerpt, highlights
from store.search.index import Entry, LibraryIndex
from store.search.lru import LRU
from store.search.people import speaker_scores
from store.search.question import parse_question
from store.search.ranking import Borrowed, Model, analyse, build_query

# Questions whose results are kept until the library changes: people ask what others asked.
RECENT = 2048

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Result:
    source: str
    title: str
    kind: str
    text: str
    speaker: str | None
    role: str | None
    score: float
    paragraph: int
    highlights: tuple[str, ...] = ()


class Matcher:
    def __init__(self, articles: Iterable[Article] = (), *, model: Model | None = None) -> None:
        self._lock = threading.RLock()
        self._index = LibraryIndex()
        self._model = model or _default_model()
        self._recent: LRU[tuple[int, tuple[Any, ...]]] = LRU(RECENT)
        self._index.add(articles)
        background.load()

    def __len__(self) -> int:
        return len(self._index)

    def sources(self) -> list[str]:
        """The sources of every indexed report."""
        with self._lock:
            return list(self._index.entries)

    def add(self, article: Article) -> None:
        """Index `article`, replacing any article with the same source."""
        with self._lock:
            self._index.remove(article.source)
            self._index.add([article])
            self._recent.clear()

    def remove(self, source: str) -> bool:
        with self._lock:
            removed = self._index.remove(source)
            if removed:
                self._recent.clear()
            return removed

    def search(
        self,
        question: str,
        *,
        k: int = 5,
        within: Collection[str] | None = None,
        borrowed: Borrowed | None = None,
    ) -> list[Result]:
        """The best `k` results for `question`; from the articles of the sources `within` only,
        when given (a conversation's context: the reports its last question was answered from),
        and with the words a follow-up `borrowed` from the last question."""
        with self._lock:
            if within is None and borrowed is None:
                return self._remembered(question, k, self._search)
            allowed = None if within is None else self._allowed(within)
            return self._search(question, k, allowed, borrowed)

    def _allowed(self, sources: Collection[str]) -> np.ndarray:
        """Per article id, whether its source is among `sources`."""
        entries = self._index.entries
        allowed = np.zeros(self._index.articles.size, dtype=bool)
        allowed[[entries[s].doc for s in sources if s in entries]] = True
        return allowed

    def _remembered(self, question: str, k: int, compute: Callable[[str, int], list[V]]) -> list[V]:
        """The first `k` of `compute(question, k)` (ranked, so that the first `k` of more are
        the same), from the recent answers while the library has not changed."""
        key = (compute.__name__, question)
        known: tuple[int, tuple[V, ...]] | None = self._recent.get(key)
        if known is None or (known[0] < k and len(known[1]) == known[0]):
            known = (k, tuple(compute(question, k)))
            self._recent.put(key, known)
        return list(known[1][:k])

    def _search(
        self,
        question: str,
        k: int,
        allowed: np.ndarray | None = None,
        borrowed: Borrowed | None = None,
    ) -> list[Result]:
        analysis = analyse(self._index, question, allowed, borrowed)
        if analysis is None:
            return []
        logits, order = self._model.rank(analysis)
        if self._model.answerability(analysis, logits, order) < self._model.threshold:
            return []
        results: list[Result] = []
        seen: list[str] = []
        for i in order.tolist():
            if results and not self._model.keeps(float(logits[i])):
                break
            entry, unit = self._index.unit(int(analysis.docs[i]))
            text, kind = excerpt(entry.article, unit, analysis.question)
            folded = text.casefold()
            if any(folded in other or other in folded for other in seen):
                continue
            seen.append(folded)
            shape = analysis.question.shape
            marked = highlights(text, analysis.query.weights, self._index.analyzer, shape)
            results.append(self._result(entry, unit, text, kind, float(logits[i]), marked))
            if len(results) == k:
                break
        return results

    def _result(
        self,
        entry: Entry,
        unit: Unit,
        text: str,
        kind: str,
        score: float,
        marked: tuple[str, ...] = (),
    ) -> Result:
        quote = unit.quote
        return Result(
            source=entry.article.source,
            title=entry.article.title,
            kind=kind,
            text=text,
            speaker=quote.speaker if quote else None,
            role=quote.role if quote else None,
            score=round(score, 4),
            paragraph=unit.paragraph,
            highlights=marked,
        )

    # -- names and titles ---------------------------------------------------------------------

    def quotes_by(self, name: str, *, k: int = 10) -> list[Result]:
        """Quotations by the speakers `name` means (see `people`), best match first."""
        with self._lock:
            said = [
                (unit.quote.speaker, doc)
                for entry in self._index.entries.values()
                for doc, unit in zip(entry.units, entry.unit_list, strict=True)
                if unit.quote is not None and unit.quote.speaker
            ]
            scores = speaker_scores(name, {speaker for speaker, _ in said})
            found = sorted(
                ((scores[speaker], doc) for speaker, doc in said if speaker in scores),
                key=lambda item: (-item[0], item[1]),
            )
            results = []
            for score, doc in found[:k]:
                entry, unit = self._index.unit(doc)
                assert unit.quote is not None
                results.append(self._result(entry, unit, unit.quote.text, "quote", score))
            return results

    def closest_titles(self, question: str, *, k: int = 3) -> list[tuple[str, str]]:
        """The (source, title) of the articles that share most with `question`."""
        with self._lock:
            return self._remembered(question, k, self._closest_titles)

    def _closest_titles(self, question: str, k: int) -> list[tuple[str, str]]:
        query = build_query(self._index, parse_question(question).text).weights
        if not query or not self._index.entries:
            return []
        scores = self._index.articles.scores(query)
        best = np.argsort(-scores)[:k]
        by_doc = self._index.by_doc
        return [
            (by_doc[int(doc)].article.source, by_doc[int(doc)].article.title)
            for doc in best
            if scores[doc] > 0.0
        ]


_MODEL: Model | None = None


def _default_model() -> Model:
    """The model shipped beside the engine, read once per process."""
    global _MODEL
    if _MODEL is None:
        _MODEL = Model.load()
    return _MODEL
