"""Ranking: a question's terms, the candidate units of its best articles with what is known of
each (its features), and the learned model that orders them and says whether the library
answers the question at all.

A question's terms weigh their rarity in general English (`background`), so that a word the
library lacks costs the question as much as it says, at any library size. The candidates are
the units of the few articles whose whole text and best paragraph match best. Each candidate's
features are ratios and flags that mean the same in a library of one report or of thousands:
its BM25 and its neighbours', its paragraph's and its article's (each as a share of the best
candidate's), the share of the question's weight it, its window and its article hold, whether it
shows what the question's shape asks for (a number, a date, a name, a reason), quotation and
speaker evidence, position and length. `bench/training/fit.py` fits the model on the training
questions and writes `model.json`, which is all the runtime needs.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from importlib import resources

import numpy as np

from store.search.background import is_real_word, rarity
from store.search.excerpts import evidence
from store.search.features import proximity
from store.search.index import LibraryIndex
from store.search.names import name_score
from store.search.question import Question, Shape, parse_question
from store.search.terms import STOP_WORDS, is_number, words

ARTICLES = 4  # articles whose units are candidates
FEATURES = (
    "unit",
    "window",
    "neighbours",
    "window_in_article",
    "unit_in_article",
    "paragraph",
    "article",
    "best_paragraph",
    "first_article",
    "held_unit",
    "held_window",
    "held_article",
    "held_near_only",
    "window_article",
    "novel",
    "evidence",
    "evidence_count",
    "quote",
    "say_quote",
    "say_speaker",
    "fragment",
    "who_said_quote",
    "who_said_echo",
    "lent",
    "lead",
    "position",
    "length",
    "aside",
    "unit_rank",
    "held_in_article",
    "held_alone",
    "pairs",
    "title_echo",
    "evidence_number",
    "evidence_date",
    "evidence_name",
    "evidence_why",
    "keywords_number",
    "keywords_name",
    "proximity",
    "typed_held",
)
QUESTION_FEATURES = (
    "top",
    "margin",
    "held_library",
    "missing",
    "terms",
    "repaired",
    "size",
    "whole",
    "missing_most",
    "missing_window",
    "missing_number",
    # The best candidate's own features: whether it shows the answer, not only its score.
    *(f"best_{name}" for name in FEATURES),
)
_SHAPE_WORDS = frozenset(["many", "much"])
_FILLER = frozenset(["the", "a", "an", "guy", "bloke", "man", "woman", "person", "from", "of"])


@dataclass(frozen=True, slots=True)
class Query:
    weights: dict[str, float]
    """Each term's weight: its word's rarity in general English."""
    repaired: frozenset[str]
    """Terms that stand for a word the library lacks, repaired to one it has."""


def build_query(index: LibraryIndex, text: str) -> Query:
    """The question's terms and weights. A word the library lacks that is a real English word
    stays as typed (it costs the question its weight); another is repaired to the candidate
    that shares most with the question's other words. A repair to a stop word is dropped, as
    the word most likely was one."""
    weights: dict[str, float] = {}
    unknown: list[list[str]] = []
    for word in words(text):
        if word in STOP_WORDS or word in _SHAPE_WORDS:
            continue
        stem = index.analyzer.stem(word)
        known = index.articles.df(stem) or is_number(word)
        repairs = [] if known else index.speller.candidates(word)
        if not repairs or is_real_word(word, repairs):
            weights[stem] = max(weights.get(stem, 0.0), rarity(word))
        elif not any(r in STOP_WORDS for r in repairs):
            unknown.append(repairs)
    repaired: set[str] = set()
    if unknown:
        context = index.articles.scores(weights) if weights else None
        for repairs in unknown:
            best = max(
                repairs, key=lambda r: index.articles.support(index.analyzer.stem(r), context)
            )
            stem = index.analyzer.stem(best)
            weights[stem] = max(weights.get(stem, 0.0), rarity(best))
            repaired.add(stem)
    return Query(weights, frozenset(repaired))


@dataclass(slots=True)
class Analysis:
    """A question's candidates and their features (rows in `docs` order)."""

    question: Question
    query: Query
    docs: np.ndarray
    features: np.ndarray
    held_library: float
    missing: np.ndarray  # per candidate and GAPS: the question's weight it lacks
    size: int

    def question_features(self, logits: np.ndarray, order: np.ndarray) -> np.ndarray:
        top = int(order[0])
        row = self.features[top]
        second = float(logits[order[1]]) if len(order) > 1 else float(logits[top]) - 5.0
        total = sum(self.query.weights.values()) or 1.0
        repaired = sum(self.query.weights[t] for t in self.query.repaired) / total
        return np.array(
            [
                float(logits[top]),
                float(logits[top]) - second,
                self.held_library,
                float(self.missing[top, 0]),
                math.log1p(len(self.query.weights)),
                repaired,
                math.log10(1 + self.size),
                # Every word of the question is in its best article: a short question about
                # a small library is not out of it for being short.
                float(row[FEATURES.index("held_article")] >= 1.0 - 1e-9),
                *self.missing[top, 1:],
                *row,
            ],
            dtype=np.float64,
        )


@dataclass(frozen=True, slots=True)
class Borrowed:
    """Words a follow-up borrows from the question before it ("why?" after "how far did virgin
    blue shares fall"), weighed at `share` of their own weight: they say what the conversation
    is about, not what this question asks, so they find its report without pulling the answer
    back to the sentence that answered the last question."""

    text: str
    share: float


def analyse(
    index: LibraryIndex,
    text: str,
    allowed: np.ndarray | None = None,
    borrowed: Borrowed | None = None,
) -> Analysis | None:
    """The candidates of a question and their features, or None when nothing matches: no word
    the library knows as typed (every word repaired to a near one is a guess). With `allowed`
    (per article id), only those articles are searched; `borrowed` words join the question's."""
    question = parse_question(text)
    query = build_query(index, question.text)
    if borrowed is not None:
        lent = build_query(index, borrowed.text)
        query = Query(
            {**{t: w * borrowed.share for t, w in lent.weights.items()}, **query.weights},
            query.repaired | (lent.repaired - query.weights.keys()),
        )
    known = {t: w for t, w in query.weights.items() if index.articles.df(t)}
    if not index.entries or not known.keys() - query.repaired:
        return None
    article_scores = index.articles.scores(known)
    paragraph_scores = index.paragraphs.scores(known)
    unit_scores = index.units.scores(known)
    if allowed is not None:
        article_scores = article_scores * allowed
        paragraph_scores = paragraph_scores * allowed[index.paragraph_doc]
        unit_scores = unit_scores * allowed[index.unit_doc]
    if float(article_scores.max()) <= 0.0:
        return None
    best_paragraph = _best(paragraph_scores, index.paragraph_doc, article_scores.shape)
    blend = article_scores / float(article_scores.max()) + best_paragraph
    top = [int(a) for a in np.argsort(-blend, kind="stable")[:ARTICLES] if blend[a] > 0.0]
    docs = np.array([d for a in top for d in index.by_doc[a].units], dtype=np.int64)
    if not len(docs):
        return None
    padded = np.append(unit_scores, np.float32(0.0))
    before, after = index.before[docs], index.after[docs]
    own = unit_scores[docs]
    near = padded[before] + padded[after]
    window = own + 0.5 * near
    lent = window.copy()
    quote_of = index.quote_of[docs]
    position = {int(d): i for i, d in enumerate(docs)}
    inner = np.flatnonzero(quote_of >= 0)
    for i in inner:
        j = position.get(int(quote_of[i]))
        if j is not None:
            lent[j] = max(lent[j], window[i])
    unit_paragraph = index.unit_paragraph[docs]
    in_paragraph = np.where(
        unit_paragraph >= 0, np.append(paragraph_scores, np.float32(0.0))[unit_paragraph], 0.0
    )
    article_of = index.unit_doc[docs]

    terms = list(query.weights)
    weight = np.array([query.weights[t] for t in terms], dtype=np.float64)
    total = float(weight.sum()) or 1.0
    has_unit = np.zeros((len(docs), len(terms)), dtype=bool)
    has_near = np.zeros_like(has_unit)
    has_article = np.zeros_like(has_unit)
    for j, term in enumerate(terms):
        if index.units.df(term):
            mark = np.zeros(index.units.size + 1, dtype=bool)  # the last reads -1: no neighbour
            mark[index.units.postings(term)] = True
            has_unit[:, j] = mark[docs]
            has_near[:, j] = mark[before] | mark[after]
        if index.articles.df(term):
            in_article = np.zeros(index.articles.size, dtype=bool)
            in_article[index.articles.postings(term)] = True
            has_article[:, j] = in_article[article_of]
    titled = {a: [t in index.by_doc[a].title for t in terms] for a in top}
    titles = np.array([titled[a] for a in article_of.tolist()], dtype=bool).reshape(
        len(docs), len(terms)
    )
    held_unit = (has_unit | titles) @ weight / total
    held_window = (has_unit | has_near | titles) @ weight / total
    held_article = has_article @ weight / total
    missing = _gaps(terms, weight, query.repaired, has_article, has_unit | has_near | titles)

    features = np.zeros((len(docs), len(FEATURES)), dtype=np.float64)
    column = {name: i for i, name in enumerate(FEATURES)}

    def share(values: np.ndarray) -> np.ndarray:
        return values / (float(values.max()) or 1.0)

    features[:, column["unit"]] = share(own)
    features[:, column["window"]] = share(window)
    features[:, column["neighbours"]] = near / (float(own.max()) or 1.0)
    features[:, column["window_in_article"]] = window / _per_owner_max(window, article_of)
    features[:, column["unit_in_article"]] = own / _per_owner_max(own, article_of)
    features[:, column["paragraph"]] = share(in_paragraph)
    features[:, column["article"]] = (blend / float(blend[top[0]]))[article_of]
    features[:, column["best_paragraph"]] = best_paragraph[article_of]
    features[:, column["first_article"]] = article_of == top[0]
    features[:, column["held_unit"]] = held_unit
    features[:, column["held_window"]] = held_window
    features[:, column["held_article"]] = held_article
    features[:, column["held_near_only"]] = held_window - held_unit
    features[:, column["window_article"]] = (
        features[:, column["window"]] * features[:, column["article"]]
    )
    features[:, column["lent"]] = share(lent) - share(window)
    quoted = np.array([index.unit(d)[1].quote is not None for d in docs.tolist()], dtype=bool)
    _within_article(article_of, own, has_unit | titles, quoted, weight / total, features, column)
    _describe_units(index, question, query, docs, features, column)
    features[:, column["typed_held"]] = features[:, column["evidence"]] * held_window
    held_library = _held_library(index, query, top[0])
    return Analysis(question, query, docs, features, held_library, missing, len(index))


def _describe_units(
    index: LibraryIndex,
    question: Question,
    query: Query,
    docs: np.ndarray,
    features: np.ndarray,
    column: dict[str, int],
) -> None:
    """Fill in what is read off each unit itself: length, new words, answer-type evidence,
    position, quotation and speaker. Values are gathered in lists and written per column:
    setting numpy cells one by one cost more than the rest of the ranking."""
    asked = set(words(question.text))
    asked_terms = index.analyzer.terms(question.text)
    wanted = query.weights.keys()
    typed = _TYPED.get(question.shape)
    values: dict[str, list[float]] = {name: [0.0] * len(docs) for name in _PER_UNIT}
    for i, doc in enumerate(docs.tolist()):
        entry, unit = index.unit(doc)
        values["length"][i] = math.log1p(len(unit.index_text)) / 6.0
        own_terms = index.units.terms(doc)
        values["novel"][i] = 1.0 - len(wanted & set(own_terms)) / (len(own_terms) or 1)
        values["title_echo"][i] = len(entry.title.intersection(own_terms)) / (len(own_terms) or 1)
        if len(wanted) > 1:
            in_order = index.analyzer.terms(unit.index_text)
            values["pairs"][i] = _pairs(asked_terms, in_order)
            values["proximity"][i] = proximity(wanted, in_order)
        if unit.kind == "aside":
            values["aside"][i] = 1.0
        elif unit.quote is None:
            found = evidence(question.shape, unit.index_text, question.text)
            values["evidence"][i] = float(found > 0)
            values["evidence_count"][i] = math.log1p(found)
            if typed:
                values[typed][i] = float(found > 0)
            elif question.shape is Shape.KEYWORDS:
                # "what city ...", "which countries ...": the shape is not read, but an answer
                # still names or counts something the question does not.
                for shape, name in (
                    (Shape.NUMBER, "keywords_number"),
                    (Shape.NAME, "keywords_name"),
                ):
                    values[name][i] = float(evidence(shape, unit.index_text, question.text) > 0)
            values["lead"][i] = float(unit.sentence == 0)
            values["position"][i] = unit.sentence / max(1, len(entry.article.sentences))
        else:
            values["quote"][i] = 1.0
            values["fragment"][i] = float(unit.fragment)
            if question.shape is Shape.SAY:
                values["say_quote"][i] = 1.0
                values["say_speaker"][i] = max(
                    name_score(question.speaker, unit.quote.speaker or ""),
                    _overlap(question.speaker, unit.who),
                )
            elif question.shape is Shape.WHO_SAID and unit.quote.speaker:
                values["who_said_quote"][i] = 1.0
                # The asker does not know the speaker: a speaker named by the question's own
                # words matched by accident ("who said syria will ..." and a quote by "Syria
                # and Russia").
                values["who_said_echo"][i] = float(bool(set(words(unit.quote.speaker)) & asked))
    for name, column_values in values.items():
        features[:, column[name]] = column_values


_PER_UNIT = (
    "length",
    "proximity",
    "keywords_number",
    "keywords_name",
    "title_echo",
    "pairs",
    "evidence_number",
    "evidence_date",
    "evidence_name",
    "evidence_why",
    "novel",
    "aside",
    "evidence",
    "evidence_count",
    "lead",
    "position",
    "quote",
    "fragment",
    "say_quote",
    "say_speaker",
    "who_said_quote",
    "who_said_echo",
)


GAPS = ("article", "most", "window", "number")


def _gaps(
    terms: list[str],
    weight: np.ndarray,
    repaired: frozenset[str],
    in_article: np.ndarray,
    in_window: np.ndarray,
) -> np.ndarray:
    """Per candidate, what of the question it lacks (GAPS): the weight of the words its article
    lacks, the rarest of them, the rarest word its window lacks, and whether its article lacks
    a number the question gives (a year, a score: a fact the library may not hold). A repaired
    word is a guess, so it is never counted missing from the article."""
    unrepaired = np.array([t not in repaired for t in terms], dtype=bool)
    number = np.array([is_number(t) for t in terms], dtype=bool)
    lacked = ~in_article & unrepaired
    gaps = np.zeros((len(in_article), len(GAPS)), dtype=np.float64)
    gaps[:, 0] = lacked @ weight
    gaps[:, 1] = (lacked * weight).max(axis=1, initial=0.0)
    gaps[:, 2] = (~in_window * weight).max(axis=1, initial=0.0)
    gaps[:, 3] = (lacked & number).any(axis=1)
    return gaps


def _within_article(
    article_of: np.ndarray,
    own: np.ndarray,
    held: np.ndarray,
    quoted: np.ndarray,
    weight: np.ndarray,
    features: np.ndarray,
    column: dict[str, int],
) -> None:
    """What sets a unit apart from the other units of its article: its BM25's rank among
    them, its share of the question's weight against the best of them, and the weight it
    holds that no other sentence of the article holds (the rare word only the answer has; a
    quotation repeats its sentence's words, so it counts for neither)."""
    _, group = np.unique(article_of, return_inverse=True)
    order = np.lexsort((-own, group))
    rank = np.empty(len(own), dtype=np.int64)
    starts = np.searchsorted(group[order], group[order], side="left")
    rank[order] = np.arange(len(own)) - starts
    features[:, column["unit_rank"]] = 1.0 / (1.0 + rank)
    shares = held @ weight
    features[:, column["held_in_article"]] = shares / _per_owner_max(shares, article_of)
    counts = np.zeros((int(group.max()) + 1, held.shape[1]), dtype=np.int64)
    sentences = held & ~quoted[:, None]
    np.add.at(counts, group, sentences.astype(np.int64))
    features[:, column["held_alone"]] = (held & (counts[group] - sentences == 0)) @ weight


def _pairs(asked: list[str], terms: list[str]) -> float:
    """The share of the question's consecutive term pairs that stand next to each other in
    `terms` (either order): a phrase of the question, not just its words."""
    wanted = {(a, b) for a, b in itertools.pairwise(asked) if a != b}
    if not wanted:
        return 0.0
    found = set(itertools.pairwise(terms))
    found |= {(b, a) for a, b in found}
    return len(wanted & found) / len(wanted)


# Evidence of each kind of answer is its own feature: a number may weigh more for "how many"
# than a name does for "who".
_TYPED = {
    Shape.NUMBER: "evidence_number",
    Shape.DATE: "evidence_date",
    Shape.NAME: "evidence_name",
    Shape.WHY: "evidence_why",
}


def _held_library(index: LibraryIndex, query: Query, article: int) -> float:
    """The share of the question's library weight (idf; a word no article has weighs as the
    rarest) that the best article holds."""
    terms = set(index.articles.terms(article))
    total = held = 0.0
    for term in query.weights:
        idf = index.articles.idf(term) or index.articles.max_idf
        total += idf
        held += idf * (term in terms)
    return held / (total or 1.0)


def _best(scores: np.ndarray, owner: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Per article, its best part's score (0 for none), as a share of the best of all."""
    hit = np.flatnonzero(scores)
    best = np.zeros(shape, dtype=np.float32)
    np.maximum.at(best, owner[hit], scores[hit])
    return best / (float(best.max()) or 1.0)


def _per_owner_max(values: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Per row, the largest of `values` among the rows of the same owner (1 where that is 0)."""
    _, group = np.unique(owner, return_inverse=True)
    best = np.zeros(int(group.max()) + 1, dtype=np.float64)
    np.maximum.at(best, group, values)
    best[best <= 0.0] = 1.0
    return best[group]


def _overlap(wanted: str, who: frozenset[str]) -> float:
    """The share of the words naming a speaker ("the syrian foreign minister") found in a
    quote's speaker and role."""
    asked = {w for w in words(wanted) if w not in _FILLER}
    return len(asked & who) / len(asked) if asked else 0.0


@dataclass(frozen=True, slots=True)
class Model:
    """Two logistic regressions: one scores each candidate (does it hold the answer?), one the
    question (does the library answer it?), refused below `threshold`. Further results are
    shown while a candidate's probability is at least `further`."""

    ranker: np.ndarray
    ranker_bias: float
    answerable: np.ndarray
    answerable_bias: float
    threshold: float
    further: float

    @classmethod
    def load(cls) -> Model:
        data = json.loads(resources.files("store.search").joinpath("model.json").read_text())
        if tuple(data["features"]) != FEATURES or tuple(data["question_features"]) != (
            QUESTION_FEATURES
        ):
            raise ValueError("store/search/model.json was fit on other features: refit it")
        return cls.of(data)

    @classmethod
    def of(cls, data: dict) -> Model:
        """The model that `fit.py` describes in `data` (model.json's content)."""
        return cls(
            np.array(data["ranker"]["coef"]),
            data["ranker"]["intercept"],
            np.array(data["answerable"]["coef"]),
            data["answerable"]["intercept"],
            data["answerable"]["threshold"],
            data["further"],
        )

    def rank(self, analysis: Analysis) -> tuple[np.ndarray, np.ndarray]:
        """Each candidate's logit, and the candidates' order (ties to the earlier unit: a
        report puts what matters first)."""
        logits = analysis.features @ self.ranker + self.ranker_bias
        return logits, np.lexsort((analysis.docs, -logits))

    def answerability(self, analysis: Analysis, logits: np.ndarray, order: np.ndarray) -> float:
        x = analysis.question_features(logits, order)
        return _sigmoid(float(x @ self.answerable + self.answerable_bias))

    def keeps(self, logit: float) -> bool:
        return _sigmoid(logit) >= self.further


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, x))))
