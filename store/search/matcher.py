"""The answering engine: a question in, ranked excerpts and quotes out.

Three BM25 indexes share one analyzer: one over whole articles (title counted twice), one over
paragraphs with the title in front, and one over units, each a sentence or a quotation (a
quotation also carries its speaker's name and role). Articles rank by their best paragraph's
BM25 plus a quarter of their own. A unit's window score is its own BM25 plus its neighbours' at a
lower weight, since the answer often sits in the sentence after the best match; the units of
the top few articles are then scored together (window and article rank, the article's rank
weighing most) and the question's shape reranks them: quotes by the named speaker for "what
did X say", attributed quotes for "who said", sentences with numbers, dates or names for "how
many", "when", "who". The results after the first lean to the question's words it did not show.
Question words the library does not know are repaired against its vocabulary first, choosing the
repair that shares an article with the question's other words.
"""

from __future__ import annotations

import gc
import itertools
import threading
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from store.reports.article import Article
from store.search.excerpts import (
    Unit,
    article_units,
    excerpt,
    highlights,
    neighbours,
    quoted_in,
    shows,
)
from store.search.lexical import LexicalIndex
from store.search.lru import LRU
from store.search.names import name_score
from store.search.people import speaker_scores
from store.search.question import Question, Shape, parse_question
from store.search.spelling import Speller
from store.search.terms import STOP_WORDS, Analyzer, is_number, words

# Weights tuned on the dev questions and checked on bench/data/heldout_questions.jsonl.
# Of the article's rank in a unit's: high enough that the first results come from the best
# article, as bm25s's best paragraph picks it, and the units only order within it.
ARTICLE_WEIGHT = 5.0
WHOLE_ARTICLE = 0.25  # of the whole article's score, against its best paragraph's, in its rank
NEIGHBOUR = 0.3  # of each neighbouring sentence's score in a unit's window
ARTICLES = 3  # articles whose units are reranked together
# For the results after the first, of the unit's paragraph's BM25 (a share of the best's): the
# answer often sits in the best paragraph without the question's words, as bm25s shows it.
PARAGRAPH = 0.25
# For the results after the first, of the question's words the first result or its title shows.
NOVEL = 0.3
EVIDENCE = 0.3  # for a sentence showing the number, date or name asked for
WHO_SAID_BONUS = 0.75  # for an attributed quote, on "who said": only a quote names who said it
SPEAKER_ECHO = 0.5  # off it when the question's own words name its speaker
# Off a quotation of fewer words than this on "what did X say" with no topic: a phrase quoted
# inside a sentence ("go all the way") says less than the speaker's own full quotation.
FRAGMENT = 0.5
FRAGMENT_WORDS = 5
# A question gets no answer when its best article holds less than this share of its weight,
# or none of the article's best few units and their neighbours hold this many times the
# weight of a word only one article has. Each further result must come from an article that
# holds that share too, and hold MIN_NEAR times that weight itself, so an unrelated excerpt
# is dropped rather than shown as "Also:".
MIN_COVERAGE = 0.5
# A word of SHORT_WORD letters or fewer that the library lacks is one edit from many real words
# ("live" -> "five", "site" -> "sit"): its repair is kept only when an article holding it
# matches the question's other words at least REPAIR_FIT as well as the best article does.
SHORT_WORD = 4
REPAIR_FIT = 0.5
MIN_HELD = 1.1
MIN_NEAR = 0.5
ANSWER_WINDOW = 5
WHOLE = 0.999  # of the question's weight: all of it, give or take rounding
# Questions whose results are kept until the library changes: people ask what others asked.
RECENT = 2048
# Articles indexed in one batch at start-up: large enough for the bulk build's speed, small
# enough that its temporary term lists stay a small part of the peak memory.
BATCH = 500

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


@dataclass(slots=True)
class _Entry:
    article: Article
    doc: int
    units: range
    paragraphs: range
    unit_list: list[Unit]
    words: list[str]
    title: frozenset[str]

    def unit(self, doc: int) -> Unit:
        return self.unit_list[doc - self.units.start]


class Matcher:
    def __init__(self, articles: Iterable[Article] = ()) -> None:
        self._lock = threading.RLock()
        self._analyzer = Analyzer()
        self._articles = LexicalIndex()
        self._units = LexicalIndex()
        self._paragraphs = LexicalIndex()
        self._speller = Speller()
        self._recent: LRU[tuple[int, tuple[Any, ...]]] = LRU(RECENT)
        self._entries: dict[str, _Entry] = {}
        self._by_doc: dict[int, _Entry] = {}
        # Per unit id: its article's doc id, and the ids of the sentences before and after it
        # (-1, which reads the zero padding the scores get, when there is none).
        self._unit_doc = array("i")
        self._paragraph_doc = array("i")
        self._unit_paragraph = array("i")
        self._before = array("i")
        self._after = array("i")
        # Per unit id: the id of the quotation unit whose words the sentence holds, or -1.
        self._quote_of = array("i")
        library = list({article.source: article for article in articles}.values())
        with _collector_paused():
            for start in range(0, len(library), BATCH):
                self._index(library[start : start + BATCH])

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, article: Article) -> None:
        """Index `article`, replacing any article with the same source."""
        with self._lock:
            self.remove(article.source)
            self._index([article])
            self._recent.clear()

    def _index(self, articles: list[Article]) -> None:
        """Index articles of new sources, each index taking all their documents in one batch."""
        stem = self._analyzer.stems
        article_terms: list[list[str]] = []
        paragraph_terms: list[list[str]] = []
        unit_terms: list[list[str]] = []
        parts: list[tuple[list[Unit], frozenset[str], list[int], list[str]]] = []
        for article in articles:
            title = words(article.title)
            units = article_units(article)
            unit_words = [words(unit.index_text) for unit in units]
            terms = [stem(ws) for ws in unit_words]
            passages = [i for i, unit in enumerate(units) if unit.kind == "passage"]
            title_terms = stem(title)
            article_terms.append(title_terms * 2 + [t for i in passages for t in terms[i]])
            paragraphs: dict[int, list[str]] = {}
            for i in passages:
                paragraphs.setdefault(units[i].paragraph, list(title_terms)).extend(terms[i])
            paragraph_terms.extend(paragraphs.values())
            unit_terms.extend(terms)
            body = [w for i in passages for w in unit_words[i]]
            order = {number: i for i, number in enumerate(paragraphs)}
            where = [order.get(unit.paragraph, -1) for unit in units]
            parts.append((units, frozenset(title_terms), where, title + body))
        paragraph_ids = self._paragraphs.extend(paragraph_terms)
        unit_ids = self._units.extend(unit_terms)
        next_paragraph, next_unit = paragraph_ids.start, unit_ids.start
        docs = self._articles.extend(article_terms)
        for article, doc, (units, title, where, surface) in zip(articles, docs, parts, strict=True):
            entry = _Entry(
                article,
                doc,
                range(next_unit, next_unit + len(units)),
                range(next_paragraph, next_paragraph + max(where, default=-1) + 1),
                units,
                surface,
                title,
            )
            self._paragraph_doc.extend([doc] * len(entry.paragraphs))
            self._unit_paragraph.extend([next_paragraph + p if p >= 0 else -1 for p in where])
            self._unit_doc.extend([doc] * len(units))
            self._quote_of.extend(
                [next_unit + q if q >= 0 else -1 for q in quoted_in(article, units)]
            )
            for before, after in neighbours(units):
                self._before.append(next_unit + before if before >= 0 else -1)
                self._after.append(next_unit + after if after >= 0 else -1)
            next_unit, next_paragraph = entry.units.stop, entry.paragraphs.stop
            self._entries[article.source] = entry
            self._by_doc[doc] = entry
        self._speller.add(itertools.chain.from_iterable(part[3] for part in parts))

    def _unit(self, doc: int) -> tuple[_Entry, Unit]:
        """The article entry and the unit of a unit id."""
        entry = self._by_doc[self._unit_doc[doc]]
        return entry, entry.unit(doc)

    def remove(self, source: str) -> bool:
        with self._lock:
            entry = self._entries.pop(source, None)
            if entry is None:
                return False
            self._articles.remove(entry.doc)
            del self._by_doc[entry.doc]
            for doc in entry.units:
                self._units.remove(doc)
            for doc in entry.paragraphs:
                self._paragraphs.remove(doc)
            self._speller.remove(entry.words)
            self._recent.clear()
            return True

    # -- questions ---------------------------------------------------------------------------

    def _query(self, text: str) -> tuple[dict[str, float], frozenset[str]]:
        """Question terms and their weights, and which terms are repairs. A word the library
        does not know becomes the repair that shares most with the rest of the question; a
        repair to a stop word is dropped, as the word most likely was one, and so is a short
        word's repair that the rest of the question does not lead to: the word was more likely
        a real one the library lacks than a slip of the finger."""
        query: dict[str, float] = {}
        unknown: list[tuple[str, list[str]]] = []
        for word in words(text):
            if word in STOP_WORDS or word in _SHAPE_WORDS:
                continue
            stem = self._analyzer.stem(word)
            known = self._articles.df(stem) or is_number(word)
            repairs = [] if known else self._speller.candidates(word)
            if not repairs:
                query[stem] = query.get(stem, 0.0) + 1.0
            elif not any(r in STOP_WORDS for r in repairs):
                unknown.append((word, [self._analyzer.stem(r) for r in repairs]))
        repaired: set[str] = set()
        if unknown:
            context = self._articles.scores(query) if query else None
            fit = 0.0 if context is None else REPAIR_FIT * float(context.max())
            for word, stems in unknown:
                best = max(stems, key=lambda s: self._articles.support(s, context))
                if len(word) <= SHORT_WORD and self._articles.support(best, context) < fit:
                    continue
                query[best] = query.get(best, 0.0) + 1.0
                repaired.add(best)
        return query, frozenset(repaired)

    def search(
        self, question: str, *, k: int = 5, within: Collection[str] | None = None
    ) -> list[Result]:
        """The best `k` results for `question`; from the articles of the sources `within` only,
        when given (a conversation's context: the reports its last question was answered from)."""
        with self._lock:
            if within is None:
                return self._remembered(question, k, self._search)
            return self._search(question, k, self._allowed(within))

    def _allowed(self, sources: Collection[str]) -> np.ndarray:
        """Per article id, whether its source is among `sources`."""
        allowed = np.zeros(self._articles.size, dtype=bool)
        allowed[[self._entries[s].doc for s in sources if s in self._entries]] = True
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

    def _search(self, question: str, k: int, allowed: np.ndarray | None = None) -> list[Result]:
        parsed = parse_question(question)
        query, repaired = self._query(parsed.text)
        # A question none of whose words the library knows as typed is not about it: every
        # word repaired to a near one ("legs" -> "less", "spider" -> "sides") is a guess.
        if not self._entries or not query.keys() - repaired:
            return []
        article_scores = self._articles.scores(query)
        unit_scores = self._units.scores(query)
        unit_doc = np.frombuffer(self._unit_doc, dtype=np.int32)
        paragraph_doc = np.frombuffer(self._paragraph_doc, dtype=np.int32)
        paragraph_scores = self._paragraphs.scores(query)
        if allowed is not None:
            article_scores = article_scores * allowed
            unit_scores = unit_scores * allowed[unit_doc]
            paragraph_scores = paragraph_scores * allowed[paragraph_doc]
        if float(article_scores.max()) <= 0.0:
            return []
        padded = np.append(unit_scores, np.float32(0.0))
        window = unit_scores + NEIGHBOUR * (
            padded[np.frombuffer(self._before, dtype=np.int32)]
            + padded[np.frombuffer(self._after, dtype=np.int32)]
        )
        blend = WHOLE_ARTICLE * article_scores / article_scores.max() + _best(
            paragraph_scores, paragraph_doc, article_scores.shape
        )
        top = [int(a) for a in np.argsort(-blend)[:ARTICLES] if allowed is None or allowed[a]]
        candidates = [doc for a in top for doc in self._by_doc[a].units]
        if parsed.shape is Shape.WHO_SAID:
            self._lend_to_quotes(window, candidates)
        wmax = float(window[candidates].max()) or 1.0
        amax = float(blend[top[0]])
        ranked = sorted(
            (
                (
                    self._rerank(
                        parsed,
                        doc,
                        float(window[doc]) / wmax
                        + ARTICLE_WEIGHT * float(blend[unit_doc[doc]]) / amax,
                    ),
                    doc,
                )
                for doc in candidates
            ),
            # Ties go to the earlier unit: a report puts what matters first.
            key=lambda item: (-item[0], item[1]),
        )
        covers: dict[int, bool] = {}
        docs = [doc for _, doc in ranked]
        if not ranked or not self._answers(query, repaired, docs, covers):
            return []
        if not parsed.wants_quote:
            ranked[1:] = self._novel(ranked[1:], query, ranked[0][1], wmax)
        ranked[1:] = self._widened(ranked[1:], paragraph_scores, candidates)
        return self._results(parsed, query, ranked, k, covers)

    def _novel(
        self, ranked: list[tuple[float, int]], query: dict[str, float], first: int, wmax: float
    ) -> list[tuple[float, int]]:
        """`ranked` rescored with the question's words that the first result and its title
        already show weighing NOVEL: the results after it are there to show what it did not
        (the answer often sits where the question's other words are, "1954" and "tv" beside
        the "Casino Royale" of the title and the lead)."""
        shown = set(self._units.terms(first)) | self._unit(first)[0].title
        covered = {t: w for t, w in query.items() if t in shown}
        if not covered:
            return ranked
        penalty = self._units.scores(covered)
        cut = (1.0 - NOVEL) / wmax
        return [(score - cut * float(penalty[doc]), doc) for score, doc in ranked]

    def _lend_to_quotes(self, window: np.ndarray, candidates: list[int]) -> None:
        """Raise each quotation's window score to its best sentence's: on "who said" the
        sentence that matches is the quotation, whose speaker is the answer, and a quotation of
        several sentences scores lower as one long unit than its best sentence alone."""
        docs = np.array(candidates, dtype=np.int64)
        quote = np.frombuffer(self._quote_of, dtype=np.int32)[docs]
        inner = quote >= 0
        np.maximum.at(window, quote[inner], window[docs[inner]])

    def _widened(
        self, ranked: list[tuple[float, int]], paragraph_scores: np.ndarray, candidates: list[int]
    ) -> list[tuple[float, int]]:
        """`ranked` reordered with each unit's paragraph score added at PARAGRAPH weight."""
        in_paragraph = np.append(paragraph_scores, np.float32(0.0))[
            np.frombuffer(self._unit_paragraph, dtype=np.int32)
        ]
        boost = PARAGRAPH / (float(in_paragraph[candidates].max()) or 1.0)
        return sorted(
            ranked, key=lambda item: (-item[0] - boost * float(in_paragraph[item[1]]), item[1])
        )

    def _rerank(self, question: Question, doc: int, score: float) -> float:
        unit = self._unit(doc)[1]
        if question.shape is Shape.SAY:
            if unit.kind != "quote":
                return score - 0.3
            who = max(
                name_score(question.speaker, unit.quote.speaker or ""),
                _overlap(question.speaker, unit.who),
            )
            fragment = not question.topic and len(unit.quote.text.split()) < FRAGMENT_WORDS
            return score + 0.2 + 0.6 * who - (FRAGMENT if fragment else 0.0)
        if question.shape is Shape.WHO_SAID:
            if unit.kind != "quote" or not unit.quote.speaker:
                return score
            # The asker does not know the speaker: a speaker named by the question's own words
            # matched by accident ("who said syria will ..." and a quote by "Syria and Russia").
            # Only the name counts: a role shares words with questions ("France captain").
            named = bool(set(words(unit.quote.speaker)) & set(words(question.text)))
            return score + WHO_SAID_BONUS - (SPEAKER_ECHO if named else 0.0)
        if unit.kind == "quote":
            return score - 0.1
        return score + (EVIDENCE if shows(question.shape, unit.index_text, question.text) else 0.0)

    def _held(self, query: dict[str, float], terms: set[str]) -> tuple[float, float]:
        """The weight of the question's distinct terms among `terms` (rare words weigh most; a
        word typed twice is no more evidence), and the question's whole weight."""
        total = held = 0.0
        for term in query:
            idf = self._articles.idf(term) or self._articles.max_idf
            total += idf
            held += idf * (term in terms)
        return held, total

    def _window(self, doc: int) -> set[str]:
        """The terms of a unit, of the sentences either side of it and of its article's title."""
        terms = set(self._units.terms(doc)) | self._unit(doc)[0].title
        for near in (self._before[doc], self._after[doc]):
            if near >= 0:
                terms.update(self._units.terms(near))
        return terms

    def _covers(self, query: dict[str, float], article: int, cache: dict[int, bool]) -> bool:
        """Whether an article holds most of the question's weight (cached by article id)."""
        if article not in cache:
            held, total = self._held(query, set(self._articles.terms(article)))
            cache[article] = held >= MIN_COVERAGE * total
        return cache[article]

    def _near(self, query: dict[str, float], doc: int) -> float:
        """The question's weight held by a unit and the sentences either side of it."""
        return self._held(query, self._window(doc))[0]

    def _answers(
        self,
        query: dict[str, float],
        repaired: frozenset[str],
        ranked: list[int],
        cache: dict[int, bool],
    ) -> bool:
        """Whether the best article that holds most of the question's weight has, among its
        best units with their neighbours and its title, one that holds more than a word only
        one article has, or every word of the question, one of them as typed and in no other
        article: in a small library every word is rare, and a short question about its one
        report ("who won the cup") is a fair one."""
        covering = (self._unit(doc)[0] for doc in ranked)
        entry = next((e for e in covering if self._covers(query, e.doc, cache)), None)
        if entry is None:
            return False
        total = self._held(query, set())[1]
        for doc in [doc for doc in ranked if self._unit(doc)[0] is entry][:ANSWER_WINDOW]:
            window = self._window(doc)
            held = self._held(query, window)[0]
            if held >= MIN_HELD * self._articles.rare_idf:
                return True
            unique = any(
                self._articles.df(t) == 1 for t in window.intersection(query) if t not in repaired
            )
            if unique and held >= total * WHOLE:
                return True
        return False

    def _relevant(self, query: dict[str, float], doc: int, cache: dict[int, bool]) -> bool:
        """Whether a unit after the first stands on its own evidence: its article holds most
        of the question's weight and its neighbourhood a word few articles have."""
        return (
            self._covers(query, self._unit(doc)[0].doc, cache)
            and self._near(query, doc) >= MIN_NEAR * self._articles.rare_idf
        )

    def _results(
        self,
        question: Question,
        query: dict[str, float],
        ranked: list[tuple[float, int]],
        k: int,
        covers: dict[int, bool],
    ) -> list[Result]:
        """The best `k` distinct excerpts: the first unit, then those that stand on their own."""
        results: list[Result] = []
        seen: list[str] = []
        for score, doc in ranked:
            if not self._covers(query, self._unit(doc)[0].doc, covers) or (
                results and not self._relevant(query, doc, covers)
            ):
                continue
            entry, unit = self._unit(doc)
            text, kind = excerpt(entry.article, unit, question)
            folded = text.casefold()
            if any(folded in other or other in folded for other in seen):
                continue
            seen.append(folded)
            quote = unit.quote
            results.append(
                Result(
                    source=entry.article.source,
                    title=entry.article.title,
                    kind=kind,
                    text=text,
                    speaker=quote.speaker if quote else None,
                    role=quote.role if quote else None,
                    score=round(score, 4),
                    paragraph=unit.paragraph,
                    highlights=highlights(text, query, self._analyzer, question.shape),
                )
            )
            if len(results) == k:
                break
        return results

    # -- names and titles ---------------------------------------------------------------------

    def quotes_by(self, name: str, *, k: int = 10) -> list[Result]:
        """Quotations by the speakers `name` means (see `people`), best match first."""
        with self._lock:
            said = [
                (unit.quote.speaker, doc)
                for entry in self._entries.values()
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
                entry, unit = self._unit(doc)
                quote = unit.quote
                results.append(
                    Result(
                        entry.article.source,
                        entry.article.title,
                        "quote",
                        quote.text,
                        quote.speaker,
                        quote.role,
                        round(score, 4),
                        quote.paragraph,
                    )
                )
            return results

    def closest_titles(self, question: str, *, k: int = 3) -> list[tuple[str, str]]:
        """The (source, title) of the articles that share most with `question`."""
        with self._lock:
            return self._remembered(question, k, self._closest_titles)

    def _closest_titles(self, question: str, k: int) -> list[tuple[str, str]]:
        query = self._query(parse_question(question).text)[0]
        if not query or not self._entries:
            return []
        scores = self._articles.scores(query)
        best = np.argsort(-scores)[:k]
        return [
            (self._by_doc[int(doc)].article.source, self._by_doc[int(doc)].article.title)
            for doc in best
            if scores[doc] > 0.0
        ]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while indexing a whole library: the index makes no
    cycles, and the collections its million small objects set off took about a sixth of the
    build."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _best(scores: np.ndarray, owner: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Per article, its best part's score (0 for none), as a share of the best of all."""
    hit = np.flatnonzero(scores)
    best = np.zeros(shape, dtype=np.float32)
    np.maximum.at(best, owner[hit], scores[hit])
    return best / (float(best.max()) or 1.0)


_SHAPE_WORDS = frozenset(["many", "much"])


def _overlap(wanted: str, who: frozenset[str]) -> float:
    """The share of the words naming a speaker ("the syrian foreign minister") found in a
    quote's speaker and role."""
    asked = {w for w in words(wanted) if w not in _FILLER}
    return len(asked & who) / len(asked) if asked else 0.0


_FILLER = frozenset(["the", "a", "an", "guy", "bloke", "man", "woman", "person", "from", "of"])
