"""The answering engine: a question in, ranked excerpts and quotes out.

`index.LibraryIndex` holds what the engine knows of the library; `ranking` finds a question's
candidate units, and its learned model orders them and says whether the library answers the
question at all. The matcher puts the two together, remembers recent answers until the
library changes, and turns units into results (`_result`, the one place a `Result` is made).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from store.reports.article import Article, Quote
from store.search import background
from store.search.entries import Entry
from store.search.excerpts import Unit, excerpt, highlights
from store.search.index import Fetch, LibraryIndex, View
from store.search.lru import LRU
from store.search.model import Model
from store.search.postings import ARTICLES
from store.search.question import Question, Shape, parse_question
from store.search.ranking import GAPS, Analysis, Borrowed, analyse, build_query
from store.search.related import related

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


@dataclass(frozen=True, slots=True)
class Considered:
    """What the model makes of a question: whether the library (or the part of it asked)
    answers it, and the results, best first."""

    answered: bool
    gaps: dict[str, float]
    """What of the question the best result's report lacks (`ranking.GAPS`): "article", the
    weight of the words it lacks, each 0..1 by its rarity in general English; "share", the
    share of the question's own words (not those it borrowed) it lacks; ..."""
    results: Iterator[Result]


class Matcher:
    def __init__(
        self,
        articles: Iterable[Article] = (),
        *,
        model: Model | None = None,
        directory: Path | None = None,
    ) -> None:
        """An engine over `articles`, with its index in `directory` or in memory."""
        self._index = LibraryIndex(directory)
        self._model = model or _default_model()
        # Answers of the index's current view: a write swaps the view, and what was computed
        # from the one before is not kept (`_remembered`).
        self._recent: LRU[tuple[int, tuple[Any, ...]]] = LRU(RECENT)
        self._recent_view: View | None = None
        self._lock = threading.Lock()
        self._index.add(articles)
        background.load()
        related()  # read now, not on a user's first question

    def prepare(self) -> None:
        """Make ahead of the first question what it would make itself (a process that answers
        for long calls this before `gc.freeze()`, so that the collector never walks them)."""
        self._index.view.prepare()

    def __len__(self) -> int:
        return len(self._index)

    def sources(self) -> list[str]:
        """The sources of every indexed report."""
        return self._index.sources()

    def add(self, article: Article) -> None:
        """Index `article`, replacing any article with the same source."""
        self._index.add([article])

    def remove(self, source: str) -> bool:
        return bool(self._index.update((), [source]))

    def reconcile(self, digests: Mapping[str, str], get_many: Fetch) -> int:
        """Bring the index in step with a store (see `LibraryIndex.reconcile`)."""
        return self._index.reconcile(digests, get_many)

    def follow(self, digests: Mapping[str, str], removed: Iterable[str], get_many: Fetch) -> int:
        """Take in a change to the store (see `LibraryIndex.follow`)."""
        return self._index.follow(digests, removed, get_many)

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
        if within is None and borrowed is None:
            return self._remembered(question, k, self._search)
        return self._search(question, k, within, borrowed)

    def _remembered(self, question: str, k: int, compute: Callable[[str, int], list[V]]) -> list[V]:
        """The first `k` of `compute(question, k)` (ranked, so that the first `k` of more are
        the same), from the recent answers while the index has not changed."""
        key = (compute.__name__, question)
        view = self._index.view
        with self._lock:
            if self._recent_view is not view:
                self._recent.clear()
                self._recent_view = view
            known: tuple[int, tuple[V, ...]] | None = self._recent.get(key)
        if known is None or (known[0] < k and len(known[1]) == known[0]):
            known = (k, tuple(compute(question, k)))
            with self._lock:
                if self._recent_view is view:
                    self._recent.put(key, known)
        return list(known[1][:k])

    def _search(
        self,
        question: str,
        k: int,
        within: Collection[str] | None = None,
        borrowed: Borrowed | None = None,
    ) -> list[Result]:
        considered = self._consider(question, within, borrowed, cut=True)
        if considered is None or not considered.answered:
            return []
        return list(itertools.islice(considered.results, k))

    def consider(
        self, question: str, *, within: Collection[str], borrowed: Borrowed | None = None
    ) -> Considered | None:
        """Whether the model takes the articles of the sources `within` to answer `question`,
        and all their excerpts in its order, none left out: for a conversation's follow-up,
        which weighs them by more than the model knows (what the last answer showed)."""
        return self._consider(question, within, borrowed, cut=False)

    def _consider(
        self,
        question: str,
        within: Collection[str] | None,
        borrowed: Borrowed | None,
        *,
        cut: bool,
    ) -> Considered | None:
        """With `cut`, the results end before the first one after the best that the model would
        not show."""
        analysis = analyse(self._index, question, within, borrowed)
        if analysis is None:
            return None
        logits, order = self._model.rank(analysis)
        answered = self._model.answerability(analysis, logits, order) >= self._model.threshold
        gaps = dict(zip(GAPS, analysis.missing[int(order[0])].tolist(), strict=True))
        return Considered(answered, gaps, self._excerpts(analysis, logits, order, cut=cut))

    def _excerpts(
        self, analysis: Analysis, logits: np.ndarray, order: np.ndarray, *, cut: bool
    ) -> Iterator[Result]:
        """The candidates' results in `order`, each excerpt once, made as they are read."""
        seen: list[str] = []
        for i in order.tolist():
            if cut and seen and not self._model.keeps(float(logits[i])):
                return
            key = int(analysis.docs[i])
            entry, unit = analysis.unit(key)
            within = entry.quotation(key)
            text, kind = excerpt(entry.article, unit, analysis.question, within)
            # A sentence holding a quotation is attributed to its speaker, as the quotation is.
            quote = within if within is not None else unit.quote
            folded = text.casefold()
            if any(folded in other or other in folded for other in seen):
                continue
            seen.append(folded)
            shape = analysis.question.shape
            marked = highlights(text, analysis.query.weights, self._index.analyzer, shape)
            yield self._result(entry, unit, quote, text, kind, float(logits[i]), marked)

    def _result(
        self,
        entry: Entry,
        unit: Unit,
        quote: Quote | None,
        text: str,
        kind: str,
        score: float,
        marked: tuple[str, ...] = (),
    ) -> Result:
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

    def speakers_named(self, name: str) -> frozenset[str]:
        """The speakers `name` may mean (`people`: "brown" is Gordon Brown and Nick Brown,
        "graham henry" is not Graham Poll)."""
        return frozenset(self._index.view.people.scores(name))

    def quotes_by(self, name: str, *, k: int = 10) -> list[Result]:
        """Quotations by the speakers `name` means (see `people`), best match first; among
        equally good ones, those of the earliest indexed reports first."""
        view = self._index.view
        scores = view.people.scores(name)
        asked = Question(name, Shape.SAY, speaker=name)
        results: list[Result] = []
        for score in sorted(set(scores.values()), reverse=True):
            meant = {speaker for speaker, s in scores.items() if s == score}
            for seq in view.searchers.quoting(meant, k):
                entry = self._index.entry(view, seq)
                for unit in [] if entry is None else entry.units:
                    if unit.quote is not None and unit.quote.speaker in meant:
                        # A fragment ("perfect storm") is shown in the sentence it stands in.
                        text, kind = excerpt(entry.article, unit, asked)
                        results.append(self._result(entry, unit, unit.quote, text, kind, score))
                        if len(results) == k:
                            return results
        return results

    def closest_titles(self, question: str, *, k: int = 3) -> list[tuple[str, str]]:
        """The (source, title) of the articles that share most with `question`."""
        return self._remembered(question, k, self._closest_titles)

    def _closest_titles(self, question: str, k: int) -> list[tuple[str, str]]:
        view = self._index.view
        query = build_query(self._index, view, parse_question(question).text).weights
        found = []
        for _, seq in view.searchers.top(ARTICLES, query, k) if query else []:
            entry = self._index.entry(view, seq)
            if entry is not None:
                found.append((entry.article.source, entry.article.title))
        return found


_MODEL: Model | None = None


def _default_model() -> Model:
    """The model shipped beside the engine, read once per process."""
    global _MODEL
    if _MODEL is None:
        _MODEL = Model.load()
    return _MODEL
