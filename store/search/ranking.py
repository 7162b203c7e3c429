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
speaker evidence, position and length. The ranker weighs them with weights shared by every
question plus a part of their own for its group of shapes (`SHAPE_GROUPS`).
`bench/training/fit.py` fits the model on the training questions and writes `model.json`,
which is all the runtime needs.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from importlib import resources

import numpy as np

from store.search.background import REAL_WORD, is_real_word, rarity, zipf
from store.search.entries import UNIT_BITS, Entry
from store.search.excerpts import Unit, answers, evidence
from store.search.features import closeness, proximity
from store.search.index import LibraryIndex, View
from store.search.names import name_score
from store.search.postings import ARTICLES as ARTICLE_POSTINGS
from store.search.postings import PARAGRAPHS as PARAGRAPH_POSTINGS
from store.search.question import HOW_QUANTITY, Question, Shape, parse_question
from store.search.stats import Stats
from store.search.terms import STOP_WORDS, Bag, is_number, words

ARTICLES = 4  # articles whose units are candidates
POOL = 50  # articles and paragraphs tantivy offers for them
RESCORED = 16  # of those, the articles scored exactly, from which the ARTICLES are chosen
SURE = 4  # articles scored exactly for being among tantivy's best articles or paragraphs
SUPPORT = 5  # articles scored exactly to weigh a repair
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
    "terms_unit",
    "terms_window",
    "evidence_near",
    "lead_keywords",
    "answer_close",
    "echo_near",
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
    "missing_share",
    # The best candidate's own features: whether it shows the answer, not only its score.
    *(f"best_{name}" for name in FEATURES),
)
# The ranker's weights are shared by every question, plus a part of their own for each group
# of shapes (group 0 has none): what makes a sentence the answer to "what did X say" (a
# quotation by X) is not what makes it the answer to "how many" (a number), nor "why".
SHAPE_GROUPS = {
    Shape.KEYWORDS: 0,
    Shape.SAY: 1,
    Shape.WHO_SAID: 1,
    Shape.NUMBER: 2,
    Shape.DATE: 2,
    Shape.NAME: 2,
    Shape.WHY: 3,
}
GROUPS = 4
_SHAPE_WORDS = frozenset(["many", "much"])
_WORD = re.compile(r"[^\W_]+")
_FILLER = frozenset(["the", "a", "an", "guy", "bloke", "man", "woman", "person", "from", "of"])


@dataclass(frozen=True, slots=True)
class Query:
    weights: dict[str, float]
    """Each term's weight: its word's rarity in general English."""
    repaired: frozenset[str]
    """Terms that stand for a word the library lacks, repaired to one it has."""
    guessed: frozenset[str]
    """Of those, the ones repaired by a guess (not one slip away, nor held with the others)."""
    text: str
    """The question as meant: each repaired word replaced by its repair."""


def build_query(index: LibraryIndex, view: View, text: str) -> Query:
    """The question's terms and weights. A word the library lacks that is a real English word
    stays as typed (it costs the question its weight); another is repaired to the speller's
    likeliest candidate that an article holds with the question's other words (`_repair`). A
    repair to a stop word is read in the text but weighs nothing, as the word most likely was
    one. A word the library has only the stem of is repaired only one slip from a word it has
    ("meteing" is not "mete", "deades" not "dead"): else it is a form of that stem."""
    articles = view.stats.articles
    speller = view.speller
    weights: dict[str, float] = {}
    unknown: list[tuple[str, list[str]]] = []
    asking = {m.group(1) for m in HOW_QUANTITY.finditer(text)}
    for word in words(text):
        if word in STOP_WORDS or word in _SHAPE_WORDS or word in asking:
            continue
        stem = index.analyzer.stem(word)
        if word in speller or is_number(word):
            repairs = []
        elif not articles.df.get(stem):
            repairs = speller.candidates(word, limit=5)
        elif zipf(word) < REAL_WORD:  # else a form of the stem, whatever is near
            repairs = [r for r in speller.candidates(word, limit=5) if speller.sure(word, r)]
        else:
            repairs = []
        if not repairs or is_real_word(word, repairs):
            weights[stem] = max(weights.get(stem, 0.0), rarity(word))
        else:
            unknown.append((word, repairs))
    repaired: set[str] = set()
    guessed: set[str] = set()
    meant: dict[str, str] = {}
    # Words with fewer candidates first: a sure repair is context for the others.
    for word, repairs in sorted(unknown, key=lambda u: len(u[1])):
        best, sure = _repair(index, view, word, repairs, weights)
        meant[word] = best
        if best in STOP_WORDS or best in _SHAPE_WORDS or best in asking:
            continue
        stem = index.analyzer.stem(best)
        weights[stem] = max(weights.get(stem, 0.0), rarity(best))
        repaired.add(stem)
        if not sure:
            guessed.add(stem)
    if meant:
        text = _WORD.sub(lambda m: meant.get(m.group(), m.group()), text)
    return Query(weights, frozenset(repaired), frozenset(guessed), text)


def _repair(
    index: LibraryIndex, view: View, word: str, repairs: list[str], context: dict[str, float]
) -> tuple[str, bool]:
    """The speller's likeliest candidate for `word` that an article holds with all of the
    question's other words the library knows, else the one whose article holds most of their
    weight, and whether it is sure: the lone candidate one slip away, or one held with every
    other word of the question the library knows. A common candidate is held with almost
    anything, so the speller's order (which weighs how common it is) decides among those that
    fit, not how well they score."""
    if len(repairs) == 1:  # a tantivy search saved
        return repairs[0], view.speller.sure(word, repairs[0])
    known = {t: w for t, w in context.items() if view.stats.articles.df.get(t)}
    if not known:
        return repairs[0], False
    total = sum(known.values())
    best, best_share = repairs[0], -1.0
    for repair in repairs:
        stem = index.analyzer.stem(repair)
        if repair in STOP_WORDS:  # found with anything
            share = 1.0
        elif not view.stats.articles.df.get(stem):
            share = 0.0
        else:
            seqs = view.searchers.holding(known, stem, SUPPORT)
            bags = [e.article_bag.counts for e in (index.entry(view, s) for s in seqs) if e]
            share = max(
                (sum(w for t, w in known.items() if t in bag) / total for bag in bags),
                default=0.0,
            )
        if share >= 1.0 - 1e-9:
            return repair, True
        if share > best_share:
            best, best_share = repair, share
    return best, False


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
    entries: dict[int, Entry]  # the candidates' articles, by sequence number

    def unit(self, key: int) -> tuple[Entry, Unit]:
        """The article entry and the unit of a candidate's key (in `docs`)."""
        entry = self.entries[key >> UNIT_BITS]
        return entry, entry.unit(key)

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
    within: Collection[str] | None = None,
    borrowed: Borrowed | None = None,
) -> Analysis | None:
    """The candidates of a question and their features, or None when nothing matches: no word
    the library knows as typed or surely repaired (a repair by a guess is not enough). The
    question is read as meant, its repairs in place of its slips. With `within`
    (sources), only those articles are searched; `borrowed` words join the question's."""
    view = index.view
    stats = view.stats
    typed = parse_question(text)
    query = build_query(index, view, typed.text)
    # Its shape and words as meant.
    question = typed if query.text == typed.text else parse_question(query.text)
    asked = query.weights.keys()  # the question's own terms, not those it borrows
    if borrowed is not None:
        lent = build_query(index, view, borrowed.text)
        query = Query(
            {**{t: w * borrowed.share for t, w in lent.weights.items()}, **query.weights},
            query.repaired | (lent.repaired - query.weights.keys()),
            query.guessed | (lent.guessed - query.weights.keys()),
            query.text,
        )
    known = {t: w for t, w in query.weights.items() if stats.articles.df.get(t)}
    if not len(stats) or not known.keys() - query.guessed:
        return None
    if within is None:
        pool = _pool(index, view, known)
    else:
        pool = [e for e in (index.entry_of_source(view, s) for s in within) if e is not None]
    if not pool:
        return None
    # Exact BM25 with the library's statistics, for the few articles tantivy offered.
    article_scores = stats.articles.scores([e.article_bag for e in pool], known)
    every = stats.paragraphs.scores([b for e in pool for b in e.paragraph_bags], known)
    bounds = np.cumsum([len(e.paragraph_terms) for e in pool])
    paragraph_scores = np.split(every, bounds[:-1])
    if float(article_scores.max()) <= 0.0:
        return None
    best_paragraph = np.array([p.max(initial=0.0) for p in paragraph_scores], dtype=np.float32)
    best_paragraph /= float(best_paragraph.max()) or 1.0
    blend = article_scores / float(article_scores.max()) + best_paragraph
    top = [
        i
        for i in sorted(range(len(pool)), key=lambda i: (-blend[i], pool[i].seq))[:ARTICLES]
        if blend[i] > 0.0
    ]
    entries = [pool[i] for i in top]
    docs = np.array([e.key(u) for e in entries for u in range(len(e.units))], dtype=np.int64)
    if not len(docs):
        return None
    unit_terms = [terms for e in entries for terms in e.unit_terms]
    offsets = np.cumsum([0] + [len(e.units) for e in entries])[:-1]

    def spread(values: list[list[int]]) -> np.ndarray:
        """Per-article unit places (-1: none) as places among all the candidates."""
        return np.concatenate(
            [
                np.where(np.array(v) >= 0, np.array(v) + o, -1)
                for v, o in zip(values, offsets, strict=True)
            ]
        ).astype(np.int64)

    before, after = spread([e.before for e in entries]), spread([e.after for e in entries])
    # Counted for this question only: its terms are all that is read of them.
    every_term = frozenset(query.weights)
    unit_bags = [Bag.of_only(t, every_term) for t in unit_terms]
    own = stats.units.scores(unit_bags, known)
    padded = np.append(own, np.float32(0.0))  # the last reads -1: no neighbour
    near = padded[before] + padded[after]
    window = own + 0.5 * near
    lent = window.copy()
    quote_of = spread([e.quote_of for e in entries])
    for i in np.flatnonzero(quote_of >= 0):
        lent[quote_of[i]] = max(lent[quote_of[i]], window[i])
    in_paragraph = np.concatenate(
        [np.append(paragraph_scores[i], np.float32(0.0))[pool[i].unit_paragraph] for i in top]
    )
    owner = np.repeat(np.arange(len(top)), [len(e.units) for e in entries])  # place in `top`

    terms = list(query.weights)
    weight = np.array([query.weights[t] for t in terms], dtype=np.float64)
    total = float(weight.sum()) or 1.0
    unit_sets = [set(t) for t in unit_terms]
    has_unit = np.array([[t in b.counts for t in terms] for b in unit_bags], dtype=bool)
    has_unit = has_unit.reshape(len(docs), len(terms))
    has_near = np.append(has_unit, np.zeros((1, len(terms)), dtype=bool), axis=0)
    has_near = has_near[before] | has_near[after]
    article_sets = [e.article_bag.counts for e in entries]
    in_article = np.array([[t in held for t in terms] for held in article_sets], dtype=bool)
    has_article = in_article.reshape(len(entries), len(terms))[owner]
    titled = np.array([[t in e.title for t in terms] for e in entries], dtype=bool)
    titles = titled.reshape(len(entries), len(terms))[owner]
    held_unit = (has_unit | titles) @ weight / total
    held_window = (has_unit | has_near | titles) @ weight / total
    # The same shares, each term counting once: a near miss names the report's people and
    # places (rare, heavy words) but asks what it does not tell ("when did X die"), and the
    # words saying so are common, light ones. Words a follow-up borrows are left out: each
    # would count as much as the question's own.
    its_own = np.array([t in asked for t in terms], dtype=bool)
    terms_unit = held_unit
    terms_window = held_window
    if its_own.any():
        terms_unit = (has_unit | titles)[:, its_own].mean(axis=1)
        terms_window = (has_unit | has_near | titles)[:, its_own].mean(axis=1)
    held_article = has_article @ weight / total
    missing = _gaps(
        terms, weight, query.repaired, has_article, has_unit | has_near | titles, its_own
    )

    features = np.zeros((len(docs), len(FEATURES)), dtype=np.float64)
    column = {name: i for i, name in enumerate(FEATURES)}

    def share(values: np.ndarray) -> np.ndarray:
        return values / (float(values.max()) or 1.0)

    top_blend = blend[np.array(top)]
    features[:, column["unit"]] = share(own)
    features[:, column["window"]] = share(window)
    features[:, column["neighbours"]] = near / (float(own.max()) or 1.0)
    features[:, column["window_in_article"]] = window / _per_owner_max(window, owner)
    features[:, column["unit_in_article"]] = own / _per_owner_max(own, owner)
    features[:, column["paragraph"]] = share(in_paragraph)
    features[:, column["article"]] = (top_blend / float(top_blend[0]))[owner]
    features[:, column["best_paragraph"]] = best_paragraph[np.array(top)][owner]
    features[:, column["first_article"]] = owner == 0
    features[:, column["held_unit"]] = held_unit
    features[:, column["held_window"]] = held_window
    features[:, column["held_article"]] = held_article
    features[:, column["held_near_only"]] = held_window - held_unit
    features[:, column["terms_unit"]] = terms_unit
    features[:, column["terms_window"]] = terms_window
    features[:, column["window_article"]] = (
        features[:, column["window"]] * features[:, column["article"]]
    )
    features[:, column["lent"]] = share(lent) - share(window)
    units = [(e, u) for e in entries for u in e.units]
    quoted = np.array([u.quote is not None for _, u in units], dtype=bool)
    sentence = np.array([u.sentence for _, u in units], dtype=np.int64)
    _within_article(
        owner, own, has_unit | titles, quoted, sentence, weight / total, features, column
    )
    _describe_units(index, question, query, units, unit_terms, unit_sets, features, column)
    features[:, column["typed_held"]] = features[:, column["evidence"]] * held_window
    _evidence_near(units, before, after, features, column)
    held_library = _held_library(stats, query, entries[0])
    by_seq = {e.seq: e for e in entries}
    return Analysis(question, query, docs, features, held_library, missing, len(stats), by_seq)


def _pool(index: LibraryIndex, view: View, known: dict[str, float]) -> list[Entry]:
    """The articles worth scoring exactly: tantivy's best by the same blend of the article's
    BM25 and its best paragraph's, from its best articles and paragraphs. An article found by
    one of the two only is given the other's last score found: its most, so that none that may
    rank among the ARTICLES is left out."""
    shares: list[dict[int, float]] = []
    floors: list[float] = []
    for kind in (ARTICLE_POSTINGS, PARAGRAPH_POSTINGS):
        hits = view.searchers.top(kind, known, POOL)
        best = (hits[0][0] if hits else 0.0) or 1.0
        found: dict[int, float] = {}
        for score, seq in hits:
            found.setdefault(seq, score / best)
        shares.append(found)
        floors.append(hits[-1][0] / best if len(hits) == POOL else 0.0)
    blend = {
        seq: sum(found.get(seq, floor) for found, floor in zip(shares, floors, strict=True))
        for seq in shares[0].keys() | shares[1].keys()
    }
    # With the articles of tantivy's very best article and paragraphs: the exact best of
    # either, which sets the scale of the blend, is most likely among them.
    chosen = sorted(blend, key=lambda seq: (-blend[seq], seq))[:RESCORED]
    chosen += [seq for found in shares for seq in list(found)[:SURE] if seq not in chosen]
    return [e for e in (index.entry(view, seq) for seq in chosen) if e is not None]


def _describe_units(
    index: LibraryIndex,
    question: Question,
    query: Query,
    units: list[tuple[Entry, Unit]],
    unit_terms: list[list[str]],
    unit_sets: list[set[str]],
    features: np.ndarray,
    column: dict[str, int],
) -> None:
    """Fill in what is read off each unit itself: length, new words, answer-type evidence,
    position, quotation and speaker. Values are gathered in lists and written per column:
    setting numpy cells one by one cost more than the rest of the ranking."""
    asked = set(words(question.text))
    asked_terms = index.analyzer.terms(question.text)
    asked_set = set(asked_terms)
    wanted = query.weights.keys()
    typed = _TYPED.get(question.shape)
    term_of = index.analyzer.token_terms
    values: dict[str, list[float]] = {name: [0.0] * len(units) for name in _PER_UNIT}
    for i, (entry, unit) in enumerate(units):
        values["length"][i] = math.log1p(len(unit.index_text)) / 6.0
        own_terms = unit_sets[i]
        held = len(wanted & own_terms)
        values["novel"][i] = 1.0 - held / (len(own_terms) or 1)
        values["title_echo"][i] = len(entry.title.intersection(own_terms)) / (len(own_terms) or 1)
        # Both are 0 for a unit with fewer than two of the words: most units, left unread.
        if len(wanted) > 1 and len(asked_set & own_terms) > 1:
            values["pairs"][i] = _pairs(asked_terms, unit_terms[i])
        if len(wanted) > 1 and held > 1:
            values["proximity"][i] = proximity(wanted, unit_terms[i])
        if unit.kind == "aside":
            values["aside"][i] = 1.0
        elif unit.quote is None:
            things = answers(question.shape, unit.index_text, question.text)
            found = len(things)
            values["evidence"][i] = float(found > 0)
            values["evidence_count"][i] = math.log1p(found)
            if typed:
                values[typed][i] = float(found > 0)
                if found and held:
                    values["answer_close"][i] = _closeness(things, unit_terms[i], wanted, term_of)
            elif question.shape is Shape.KEYWORDS:
                # "what city ...", "which countries ...": the shape is not read, but an answer
                # still names or counts something the question does not.
                numbers = answers(Shape.NUMBER, unit.index_text, question.text)
                values["keywords_number"][i] = float(bool(numbers))
                values["keywords_name"][i] = float(
                    evidence(Shape.NAME, unit.index_text, question.text) > 0
                )
                if held and numbers:
                    values["answer_close"][i] = _closeness(numbers, unit_terms[i], wanted, term_of)
            values["lead"][i] = float(unit.sentence == 0)
            # A topic question ("ukip erewash") asks what the report is about: its lead says.
            values["lead_keywords"][i] = values["lead"][i] * (question.shape is Shape.KEYWORDS)
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
    "answer_close",
    "lead_keywords",
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


def _evidence_near(
    units: list[tuple[Entry, Unit]],
    before: np.ndarray,
    after: np.ndarray,
    features: np.ndarray,
    column: dict[str, int],
) -> None:
    """Whether a sentence that does not show what the question asks for has a neighbour in its
    paragraph that does: the excerpt shows that neighbour with it ("Sales rose. They reached
    £3bn.")."""
    shown = features[:, column["evidence"]] > 0.0
    if not shown.any():
        return
    paragraph = np.array([unit.paragraph for _, unit in units])
    passage = np.array([unit.kind == "passage" for _, unit in units])
    # The last place reads -1: no neighbour.
    shows_at, paragraph_at = np.append(shown, False), np.append(paragraph, -2)
    near = np.zeros(len(units), dtype=bool)
    for side in (before, after):
        near |= shows_at[side] & (paragraph_at[side] == paragraph)
    features[:, column["evidence_near"]] = ~shown & passage & near


GAPS = ("article", "most", "window", "number", "share")


def _gaps(
    terms: list[str],
    weight: np.ndarray,
    repaired: frozenset[str],
    in_article: np.ndarray,
    in_window: np.ndarray,
    own: np.ndarray,
) -> np.ndarray:
    """Per candidate, what of the question it lacks (GAPS): the weight of the words its article
    lacks, the rarest of them, the rarest word its window lacks, whether its article lacks
    a number the question gives (a year, a score: a fact the library may not hold), and the
    share of the question's own words (`own`: not borrowed) its article lacks, each counting
    once (a near miss lacks the common words of what it asks: "when did X die"). A repaired
    word is a guess, so it is never counted missing from the article."""
    unrepaired = np.array([t not in repaired for t in terms], dtype=bool)
    number = np.array([is_number(t) for t in terms], dtype=bool)
    lacked = ~in_article & unrepaired
    gaps = np.zeros((len(in_article), len(GAPS)), dtype=np.float64)
    gaps[:, 0] = lacked @ weight
    gaps[:, 1] = (lacked * weight).max(axis=1, initial=0.0)
    gaps[:, 2] = (~in_window * weight).max(axis=1, initial=0.0)
    gaps[:, 3] = (lacked & number).any(axis=1)
    gaps[:, 4] = lacked[:, own].mean(axis=1) if own.any() else 0.0
    return gaps


def _within_article(
    article_of: np.ndarray,
    own: np.ndarray,
    held: np.ndarray,
    quoted: np.ndarray,
    sentence: np.ndarray,
    weight: np.ndarray,
    features: np.ndarray,
    column: dict[str, int],
) -> None:
    """What sets a unit apart from the other units of its article: its BM25's rank among
    them, its share of the question's weight against the best of them, the weight it
    holds that no other sentence of the article holds (the rare word only the answer has; a
    quotation repeats its sentence's words, so it counts for neither), and how near it stands
    to the sentence holding most of the question (the echo: the answer is often told beside
    the sentence that repeats the question's words, not in it)."""
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
    passage = sentence >= 0
    echo_share = np.where(passage, shares, -1.0)
    echo = np.lexsort((-echo_share, group))  # per article, its echo first
    first = np.ones(len(echo), dtype=bool)
    first[1:] = group[echo][1:] != group[echo][:-1]
    echo_of = np.full(int(group.max()) + 1, -1, dtype=np.int64)
    echo_of[group[echo][first]] = echo[first]
    echo_row = np.where(passage & passage[echo_of[group]], echo_of[group], -1)
    distance = np.abs(sentence - sentence[echo_row])
    features[:, column["echo_near"]] = np.where(
        (echo_row >= 0) & (distance > 0), 1.0 / (1.0 + distance), 0.0
    )


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


def _closeness(
    things: list[str],
    terms: list[str],
    wanted: Collection[str],
    term_of: Callable[[str], tuple[str, ...]],
) -> float:
    """`closeness` of the things a question asks for (numbers, dates, names) that a unit
    holds, read as terms, to the question's terms in the unit's."""
    found = {term for thing in things for term in term_of(thing) if term not in wanted}
    return closeness(terms, wanted, found)


def _held_library(stats: Stats, query: Query, article: Entry) -> float:
    """The share of the question's library weight (idf; a word no article has weighs as the
    rarest) that the best article holds."""
    terms = article.article_bag.counts
    total = held = 0.0
    for term in query.weights:
        idf = stats.articles.idf(term) or stats.articles.max_idf
        total += idf
        held += idf * (term in terms)
    return held / (total or 1.0)


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


def own_weights(coef: np.ndarray) -> np.ndarray:
    """The ranker's weights per group of shapes, from the fit's: the shared ones, then each
    group's own part (none for group 0)."""
    parts = coef.reshape(GROUPS, -1)
    return parts[0] + np.vstack([np.zeros(parts.shape[1]), parts[1:]])


def by_group(features: np.ndarray, shape: Shape) -> np.ndarray:
    """A question's candidates' features as the fit sees them: the shared columns, and a copy in
    its group's columns (zeros in the others)."""
    group = SHAPE_GROUPS[shape]
    wide = np.zeros((len(features), GROUPS * features.shape[1]), dtype=features.dtype)
    wide[:, : features.shape[1]] = features
    if group:
        wide[:, group * features.shape[1] : (group + 1) * features.shape[1]] = features
    return wide


@dataclass(frozen=True, slots=True)
class Model:
    """Two logistic regressions: one scores each candidate (does it hold the answer?), one the
    question (does the library answer it?), refused below `threshold`. Further results are
    shown while a candidate's probability is at least `further`."""

    ranker: np.ndarray  # (GROUPS, features): each group's weights, shared part included
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
            own_weights(np.array(data["ranker"]["coef"])),
            data["ranker"]["intercept"],
            np.array(data["answerable"]["coef"]),
            data["answerable"]["intercept"],
            data["answerable"]["threshold"],
            data["further"],
        )

    def rank(self, analysis: Analysis) -> tuple[np.ndarray, np.ndarray]:
        """Each candidate's logit, and the candidates' order (ties to the earlier unit: a
        report puts what matters first)."""
        group = SHAPE_GROUPS[analysis.question.shape]
        logits = analysis.features @ self.ranker[group] + self.ranker_bias
        return logits, np.lexsort((analysis.docs, -logits))

    def answerability(self, analysis: Analysis, logits: np.ndarray, order: np.ndarray) -> float:
        x = analysis.question_features(logits, order)
        return _sigmoid(float(x @ self.answerable + self.answerable_bias))

    def keeps(self, logit: float) -> bool:
        return _sigmoid(logit) >= self.further


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, x))))
