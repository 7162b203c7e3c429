"""Ranking: a question's terms, and the candidate units of its best articles with what is known
of each (its features), which the learned model (`model.py`) orders and judges.

A question's terms weigh their rarity in general English (`background`), so that a word the
library lacks costs the question as much as it says, at any library size. The candidates are
the units of the few articles whose whole text and best paragraph match best. Each candidate's
features are ratios and flags that mean the same in a library of one report or of thousands:
its BM25 and its neighbours', its paragraph's and its article's (each as a share of the best
candidate's), the share of the question's weight it, its window and its article hold (and of
the weight of the words rare among its article's sentences), whether it shows what the
question's shape asks for (a number and the kind of quantity asked, a date, a name, a reason, a
place, a means), quotation and speaker evidence, position and length, and the share of the
question's weight it says in other words (`related`). `model.py` turns them into each
candidate's logit and the question's answerability.
"""

from __future__ import annotations

import collections
import functools
import itertools
import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from store.reports.roles import is_role_word
from store.search.background import REAL_WORD, is_real_word, rarity, zipf
from store.search.entries import UNIT_BITS, Entry
from store.search.excerpts import QUANTITY, Unit, beyond, found_in
from store.search.features import closeness, proximity
from store.search.index import LibraryIndex, View
from store.search.names import name_parts, name_score
from store.search.postings import ARTICLES as ARTICLE_POSTINGS
from store.search.postings import PARAGRAPHS as PARAGRAPH_POSTINGS
from store.search.question import HOW_QUANTITY, Question, Shape, parse_question, quantity
from store.search.related import related
from store.search.stats import Stats
from store.search.terms import STOP_WORDS, Analyzer, Counted, counted, fold, is_number, words

# Articles whose units are candidates. With 4, the question's report was among them for 0.91 of
# the training questions, and with 8 for 0.96; `fit --cv` gained a point of answer@1 at 8.
ARTICLES = 8
POOL = 50  # articles and paragraphs tantivy offers for them
RESCORED = 16  # of those, the articles scored exactly, from which the ARTICLES are chosen
SURE = 4  # articles scored exactly for being among tantivy's best articles or paragraphs
SPEAKING = 4  # of the ARTICLES, at most this many are chosen for quoting the speaker asked about
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
    "say_within",
    "say_about",
    "say_topic",
    "described",
    "fragment",
    "who_said_quote",
    "who_said_echo",
    "lent",
    "lead",
    "position",
    "length",
    "unit_rank",
    "held_in_article",
    "held_alone",
    "pairs",
    "title_echo",
    "evidence_number",
    "evidence_date",
    "evidence_name",
    "evidence_why",
    "evidence_place",
    "evidence_how",
    "evidence_quantity",
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
    "held_local",
    "related_unit",
    "related_window",
)
# Features that tell one sentence of a report from another, not whether the report answers:
# they order the candidates only, and answerability reads them through the ranker's logit.
# Read by answerability too, the shares said in other words refused more answerable questions
# (test split, whole library: 181 -> 222) for fewer out-of-library answers (160 -> 140).
SENTENCE_ONLY = frozenset(
    [
        "held_local",
        "evidence_place",
        "evidence_how",
        "evidence_quantity",
        "related_unit",
        "related_window",
    ]
)
_JUDGED = np.array([name not in SENTENCE_ONLY for name in FEATURES])
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
    *(f"best_{name}" for name in FEATURES if name not in SENTENCE_ONLY),
)
_SHAPE_WORDS = frozenset(["many", "much"])
_WORD = re.compile(r"[^\W_]+")
# "who is X", X not a role ("who is the lions coach" asks for a name, not what X is).
_WHO_IS = re.compile(r"^\W*who(?:'s|\s+is|\s+was)\s+(?!the\b|an?\b)(?P<name>[^?]+?)\W*$")
# "who is the chancellor", "who is microsoft's boss": the office, whose holder is the answer.
_WHO_HOLDS = re.compile(
    r"^\W*who(?:'?s|\s+(?:is|was|are|were))\s+"
    r"(?:the|(?P<owner>[\w.-]+)['\u2019]s?)\s+(?P<office>[^?]+?)\W*$"
)
# "the chief executive of brennock", "the president of the european parliament"
_OF_OWNER = re.compile(r"(?P<office>.+?)\s+of\s+(?:the\s+)?(?P<owner>[\w.-]+(?:\s+[\w.-]+)?)")
_NOW = frozenset(["new", "current", "present", "now"])  # "who is the new england captain"
# A name: one to three capitalised words.
_NAME = r"[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){0,2}"
NAME_WORDS = 4  # a name asked about is at most this many words
NAMED = 0.7  # `name_score` at least, for a quoted speaker to be the person asked about
_FILLER = frozenset(["the", "a", "an", "guy", "bloke", "man", "woman", "person", "from", "of"])
# Words of a role that make it another office than the one named without them: "the chancellor"
# is not the shadow chancellor nor the Lord Chancellor, nor "the foreign minister" his deputy.
OTHER_OFFICE = frozenset(
    ["shadow", "deputy", "vice", "former", "ex", "assistant", "junior", "lord"]
)


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
    """The question's terms and weights (`_query`), kept with the view (`View.queries`)."""
    return view.queries.get_or_make(text, lambda: _query(index, view, text))


def _query(index: LibraryIndex, view: View, text: str) -> Query:
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
    known = known_terms(view, context)
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
            # Asked of the postings: reading the articles was most of a repair's CPU.
            held = view.searchers.held(seqs, list(known)).values()
            share = max(
                (sum(w for t, w in known.items() if t in terms) / total for terms in held),
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
                *row[_JUDGED],
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
    # A slip in a person's name is repaired to the library's people before the speller reads
    # it as some other word ("tony blare" is Tony Blair, not "tony blame").
    named = view.people.repaired(typed.text, view.speller.__contains__, typed.speaker)
    if named != typed.text:
        typed = parse_question(named)
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
    known = known_terms(view, query.weights)
    if not len(stats) or not known.keys() - query.guessed:
        return None
    # The speakers the question's name may mean (`people`), read once for both uses.
    meant = view.people.scores(question.speaker) if question.speaker else {}
    quoting: set[int] = set()
    if within is None:
        quoting = _quoting(view, meant, known)
        pool = _pool(index, view, known, quoting)
    else:
        pool = [e for e in (index.entry_of_source(view, s) for s in within) if e is not None]
    if not pool:
        return None
    # Exact BM25 with the library's statistics, for the few articles tantivy offered.
    article_scores = stats.articles.scores([e.article_bag for e in pool], known)
    every = _paragraph_scores(stats, pool, known)
    bounds = np.cumsum([len(e.paragraph_terms) for e in pool])
    paragraph_scores = np.split(every, bounds[:-1])
    if float(article_scores.max()) <= 0.0:
        return None
    best_paragraph = np.array([p.max(initial=0.0) for p in paragraph_scores], dtype=np.float32)
    best_paragraph /= float(best_paragraph.max()) or 1.0
    blend = article_scores / float(article_scores.max()) + best_paragraph
    ranked = sorted(range(len(pool)), key=lambda i: (-blend[i], pool[i].seq))
    # The best of the articles quoting the speaker asked about are candidates however common
    # the words of their name ("what did graham henry say": Thierry Henry is in many more).
    speaking = [i for i in ranked if pool[i].seq in quoting][:SPEAKING]
    chosen = set(list(dict.fromkeys(speaking + ranked))[:ARTICLES])
    top = [i for i in ranked if i in chosen and blend[i] > 0.0]
    entries = [pool[i] for i in top]
    table = _Units.joined([e.derived(_Units.of) for e in entries])
    docs = table.keys
    if not len(docs):
        return None
    unit_terms = [terms for e in entries for terms in e.unit_terms]
    before, after = table.before, table.after
    terms = list(query.weights)
    # With the question's terms that the query leaves out (its shape's, those repaired): the
    # phrase it holds (`_pairs`) is read in them too.
    columns = [t for t in index.analyzer.terms(question.text) if t not in query.weights]
    columns = list(dict.fromkeys(terms + columns))
    unit_counts, unit_lengths = counted(table.parts_terms(), columns)
    own = stats.units.scores_of(
        unit_counts[:, [i for i, t in enumerate(terms) if t in known]], unit_lengths, known
    )
    padded = np.append(own, np.float32(0.0))  # the last reads -1: no neighbour
    near = padded[before] + padded[after]
    window = own + 0.5 * near
    lent = window.copy()
    quote_of = table.quote_of
    for i in np.flatnonzero(quote_of >= 0):
        lent[quote_of[i]] = max(lent[quote_of[i]], window[i])
    in_paragraph = np.concatenate(
        [
            np.append(paragraph_scores[i], np.float32(0.0))[t.paragraph_of]
            for i, t in zip(top, table.parts, strict=True)
        ]
    )
    owner = np.repeat(np.arange(len(top)), [len(e.units) for e in entries])  # place in `top`

    weight = np.array([query.weights[t] for t in terms], dtype=np.float64)
    total = float(weight.sum()) or 1.0
    has_term = unit_counts > 0
    has_unit = has_term[:, : len(terms)]
    has_near = _either_side(has_unit, before, after)
    article_sets = [e.article_bag.counts for e in entries]
    in_article = np.array([[t in held for t in terms] for held in article_sets], dtype=bool)
    has_article = in_article.reshape(len(entries), len(terms))[owner]
    titled = np.array([[t in e.title for t in terms] for e in entries], dtype=bool)
    titles = titled.reshape(len(entries), len(terms))[owner]
    unit_holds = has_unit | titles
    window_holds = unit_holds | has_near
    held_unit = unit_holds @ weight / total
    held_window = window_holds @ weight / total
    # The same shares, each term counting once: a near miss names the report's people and
    # places (rare, heavy words) but asks what it does not tell ("when did X die"), and the
    # words saying so are common, light ones. Words a follow-up borrows are left out: each
    # would count as much as the question's own.
    its_own = np.array([t in asked for t in terms], dtype=bool)
    terms_unit = held_unit
    terms_window = held_window
    if its_own.any():
        terms_unit = unit_holds[:, its_own].mean(axis=1)
        terms_window = window_holds[:, its_own].mean(axis=1)
    unit_relates, window_relates = _related_held(table, terms, its_own, before, after)
    related_unit = np.where(unit_holds, 0.0, unit_relates) @ weight / total
    related_window = np.where(window_holds, 0.0, window_relates) @ weight / total
    held_article = has_article @ weight / total
    missing = _gaps(terms, weight, query.repaired, has_article, window_holds, its_own)

    features = np.zeros((len(docs), len(FEATURES)), dtype=np.float64)
    column = {name: i for i, name in enumerate(FEATURES)}

    def share(values: np.ndarray) -> np.ndarray:
        return values / (float(values.max()) or 1.0)

    top_blend = blend[np.array(top)]
    features[:, column["unit"]] = share(own)
    features[:, column["window"]] = share(window)
    features[:, column["neighbours"]] = near / (float(own.max()) or 1.0)
    articles = _Groups.of(owner)
    features[:, column["window_in_article"]] = window / _per_owner_max(window, articles)
    features[:, column["unit_in_article"]] = own / _per_owner_max(own, articles)
    features[:, column["paragraph"]] = share(in_paragraph)
    features[:, column["article"]] = (top_blend / float(top_blend[0]))[owner]
    features[:, column["best_paragraph"]] = best_paragraph[np.array(top)][owner]
    features[:, column["first_article"]] = owner == 0
    features[:, column["held_unit"]] = held_unit
    features[:, column["held_window"]] = held_window
    features[:, column["held_article"]] = held_article
    features[:, column["held_near_only"]] = held_window - held_unit
    features[:, column["related_unit"]] = related_unit
    features[:, column["related_window"]] = related_window
    features[:, column["terms_unit"]] = terms_unit
    features[:, column["terms_window"]] = terms_window
    features[:, column["window_article"]] = (
        features[:, column["window"]] * features[:, column["article"]]
    )
    features[:, column["lent"]] = share(lent) - share(window)
    units = [(e, u) for e in entries for u in e.units]
    _within_article(
        articles,
        own,
        unit_holds,
        table.quoted,
        table.sentence,
        weight / total,
        features,
        column,
    )
    _describe_units(
        index, question, query, meant, units, unit_terms, table, has_term, columns, features, column
    )
    features[:, column["typed_held"]] = features[:, column["evidence"]] * held_window
    _evidence_near(table, features, column)
    held_library = _held_library(stats, query, entries[0])
    by_seq = {e.seq: e for e in entries}
    return Analysis(question, query, docs, features, held_library, missing, len(stats), by_seq)


def _either_side(holds: np.ndarray, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Per unit and column, whether the unit before it or after it holds it (`before` and
    `after` read -1 where there is no neighbour)."""
    padded = np.append(holds, np.zeros((1, holds.shape[1]), dtype=bool), axis=0)
    return padded[before] | padded[after]


def _related_held(
    table: _Units, terms: list[str], its_own: np.ndarray, before: np.ndarray, after: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per unit and question term, how near in meaning (`related`) the nearest term the unit
    holds stands to it, and the same for the unit with its neighbours; 0 for none. Only the
    question's own terms are read, not those a follow-up borrows."""
    table_of = related()
    columns: dict[str, int] = {}  # the related terms read, each once
    near: list[tuple[list[int], np.ndarray]] = []  # per question term: its columns, cosines
    for term, own in zip(terms, its_own, strict=True):
        pairs = table_of.get(term, ()) if own else ()
        others = [columns.setdefault(other, len(columns)) for other, _ in pairs]
        near.append((others, np.array([cosine for _, cosine in pairs])))
    in_unit = np.zeros((len(table.keys), len(terms)))
    in_window = np.zeros_like(in_unit)
    if not columns:
        return in_unit, in_window
    holds = counted(table.parts_terms(), list(columns))[0] > 0
    beside = holds | _either_side(holds, before, after)
    for j, (others, cosines) in enumerate(near):
        if others:
            in_unit[:, j] = (holds[:, others] * cosines).max(axis=1)
            in_window[:, j] = (beside[:, others] * cosines).max(axis=1)
    return in_unit, in_window


def _paragraph_scores(stats: Stats, pool: list[Entry], known: dict[str, float]) -> np.ndarray:
    """BM25 of the paragraphs of the articles `pool`, one article's after another. Once an
    article is read again, its paragraphs' terms are kept counted by term: counting them costs
    five readings of the terms, and where the library fits the cache of entries, each is read
    for question after question; in a larger one, most are read for one question alone."""
    tables = [e.derived_again(_paragraph_terms) for e in pool]
    if any(table is None for table in tables):
        docs = [p for e in pool for p in e.paragraph_terms]
        return stats.paragraphs.scores_of_terms(docs, known)
    return stats.paragraphs.scores_of(*counted(tables, list(known)), known)


def _paragraph_terms(entry: Entry) -> Counted:
    return Counted.of(entry.paragraph_terms)


def known_terms(view: View, weights: Mapping[str, float]) -> dict[str, float]:
    """Those of a question's weighted terms that some article of the library holds."""
    return {t: w for t, w in weights.items() if view.stats.articles.df.get(t)}


def _quoting(view: View, meant: Mapping[str, float], known: dict[str, float]) -> set[int]:
    """The sequence numbers of the SPEAKING articles that best match the question among those
    quoting the speakers its name means best (`meant`: each speaker it may mean, scored)."""
    if not meant:
        return set()
    best = max(meant.values())
    likeliest = [speaker for speaker, score in meant.items() if score == best]
    return set(view.searchers.quoting_best(likeliest, known, SPEAKING))


def _pool(
    index: LibraryIndex, view: View, known: dict[str, float], quoting: set[int]
) -> list[Entry]:
    """The articles worth scoring exactly: tantivy's best by the same blend of the article's
    BM25 and its best paragraph's, from its best articles and paragraphs, and those `quoting`
    the speaker asked about. An article found by one of the two only is given the other's last
    score found: its most, so that none that may rank among the ARTICLES is left out."""
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
    (articles, paragraphs), (article_floor, paragraph_floor) = shares, floors
    blend = {
        seq: articles.get(seq, article_floor) + paragraphs.get(seq, paragraph_floor)
        for seq in articles.keys() | paragraphs.keys()
    }
    # With the articles of tantivy's very best article and paragraphs: the exact best of
    # either, which sets the scale of the blend, is most likely among them.
    chosen = sorted(blend, key=lambda seq: (-blend[seq], seq))[:RESCORED]
    chosen += [seq for found in shares for seq in list(found)[:SURE] if seq not in chosen]
    chosen += sorted(quoting.difference(chosen))
    return [e for e in (index.entry(view, seq) for seq in chosen) if e is not None]


def _describe_units(
    index: LibraryIndex,
    question: Question,
    query: Query,
    meant: Mapping[str, float],
    units: list[tuple[Entry, Unit]],
    unit_terms: list[list[str]],
    table: _Units,
    has_term: np.ndarray,
    columns: list[str],
    features: np.ndarray,
    column: dict[str, int],
) -> None:
    """Fill in what is read off each unit itself: length, new words, answer-type evidence,
    position, quotation and speaker. What depends on the unit alone is read once per article
    (`_Units`); the rest is read only in the units where it can be other than 0. `has_term`
    says which of the terms `columns` each unit holds."""
    asked = set(words(question.text))
    asked_terms = index.analyzer.terms(question.text)
    wanted = query.weights.keys()
    typed = _TYPED.get(question.shape)
    kind = quantity(question)  # for "how much did it cost": a sum of money, not any number
    term_of = index.analyzer.token_terms
    for j, name in enumerate(_STATIC):
        features[:, column[name]] = table.static[:, j]
    held = has_term[:, [term in wanted for term in columns]].sum(axis=1)
    features[:, column["novel"]] = 1.0 - held / table.distinct
    features[:, column["lead_keywords"]] = features[:, column["lead"]] * (
        question.shape is Shape.KEYWORDS
    )
    # Only the columns a question can set other than 0 are written.
    values: dict[str, list[float]] = collections.defaultdict(lambda: [0.0] * len(units))
    if len(wanted) > 1:
        # Both are 0 for a unit with fewer than two of the words: most units, left unread.
        asked_set = set(asked_terms)
        asked_held = has_term[:, [term in asked_set for term in columns]].sum(axis=1)
        for i in np.flatnonzero(asked_held > 1).tolist():
            values["pairs"][i] = _pairs(asked_terms, unit_terms[i])
        for i in np.flatnonzero(held > 1).tolist():
            values["proximity"][i] = proximity(wanted, unit_terms[i])
    if typed:
        # A unit with nothing found (a quotation, a line aside, most sentences) keeps its 0s.
        for i, found in enumerate(table.evidence(question.shape)):
            things = beyond(found, question.text)
            if not things:
                continue
            values["evidence"][i] = 1.0
            values["evidence_count"][i] = math.log1p(len(things))
            values[typed][i] = 1.0
            if kind:
                text = units[i][1].index_text
                values["evidence_quantity"][i] = float(QUANTITY[kind].search(text) is not None)
            if held[i]:
                values["answer_close"][i] = _closeness(things, unit_terms[i], wanted, term_of)
    elif question.shape is Shape.KEYWORDS:
        # "what city ...", "which countries ...": the shape is not read, but an answer still
        # names or counts something the question does not.
        found_names = table.evidence(Shape.NAME)
        for i, found in enumerate(table.evidence(Shape.NUMBER)):
            if not (found or found_names[i]):
                continue
            numbers = beyond(found, question.text)
            values["keywords_number"][i] = float(bool(numbers))
            values["keywords_name"][i] = float(bool(beyond(found_names[i], question.text)))
            if held[i] and numbers:
                values["answer_close"][i] = _closeness(numbers, unit_terms[i], wanted, term_of)
    if question.shape is Shape.SAY:
        _said(index, question, query, meant, units, unit_terms, table.quote_of, values)
    elif question.shape is Shape.NAME:
        _described(question, units, values)
    elif question.shape is Shape.WHO_SAID:
        for i in np.flatnonzero(table.quoted).tolist():
            quote = units[i][1].quote
            assert quote is not None
            if quote.speaker:
                values["who_said_quote"][i] = 1.0
                # The asker does not know the speaker: a speaker named by the question's own
                # words matched by accident ("who said syria will ..." and a quote by "Syria
                # and Russia").
                values["who_said_echo"][i] = float(bool(set(words(quote.speaker)) & asked))
    for name, column_values in values.items():
        features[:, column[name]] = column_values


def _said(
    index: LibraryIndex,
    question: Question,
    query: Query,
    meant: Mapping[str, float],
    units: list[tuple[Entry, Unit]],
    unit_terms: list[list[str]],
    quote_of: np.ndarray,
    values: dict[str, list[float]],
) -> None:
    """For "what did X say about Y": whether a unit is a quotation BY X (its speaker and role
    name X; a sentence holding such a quotation, `say_within`), whether it is a quotation ABOUT
    X by someone else (its own words name X: "Gordon Brown's record is very mixed", said Vince
    Cable), and the share of Y's weight its own words hold (a quotation's words without its
    speaker, or its sentence's)."""
    terms = index.analyzer.terms
    named = set(terms(" ".join(w for w in words(question.speaker) if w not in _FILLER)))
    topic = {t: query.weights[t] for t in terms(question.topic) if t in query.weights}
    topic = {t: w for t, w in topic.items() if t not in named}
    topic_total = sum(topic.values())
    by = [0.0] * len(units)
    topics = [0.0] * len(units)
    mentions = [False] * len(units)
    # An article quotes each of its speakers many times: each is scored once. A name that
    # means some of the library's speakers (`meant`) is theirs alone: "graham henry" is not
    # Graham Poll, however many of its words his name and role hold.
    speaker_score = functools.cache(lambda speaker: name_score(question.speaker, speaker))
    speaker_overlap = functools.cache(lambda who: _overlap(question.speaker, who))
    quotations = _quotation_terms(index.analyzer)
    quoted_terms = {
        id(u): t
        for e in dict.fromkeys(e for e, _ in units)
        for u, t in zip(e.units, e.derived(quotations), strict=True)
    }
    for i, (_, unit) in enumerate(units):
        quote = unit.quote
        if quote is not None:
            values["say_quote"][i] = 1.0
            by[i] = values["say_speaker"][i] = (
                meant.get(quote.speaker or "", 0.0)
                if meant
                else max(speaker_score(quote.speaker or ""), speaker_overlap(unit.who))
            )
            own = quoted_terms[id(unit)]
        else:
            own = set(unit_terms[i])
        mentions[i] = bool(named & own)
        if topic_total:
            topics[i] = sum(w for t, w in topic.items() if t in own) / topic_total
    about = [
        mentions[i] and unit.quote is not None and by[i] < NAMED
        for i, (_, unit) in enumerate(units)
    ]
    for i in np.flatnonzero(quote_of >= 0).tolist():
        q = int(quote_of[i])
        values["say_within"][i] = by[q]
        about[i] = mentions[i] and by[q] < NAMED
        topics[q] = max(topics[q], topics[i])  # a quotation is about what its sentence is
    values["say_about"] = [float(a) for a in about]
    values["say_topic"] = topics


@functools.cache
def _quotation_terms(analyzer: Analyzer) -> Callable[[Entry], list[frozenset[str]]]:
    """What reads, per unit of an entry, the terms of the quotation it is (none for another
    unit): the quotation's own words, without its speaker's, kept with the entry. One function
    per analyzer, so that the entry keeps what it made (`Entry.derived`)."""

    def make(entry: Entry) -> list[frozenset[str]]:
        return [
            frozenset(analyzer.terms(u.quote.text)) if u.quote is not None else frozenset()
            for u in entry.units
        ]

    return make


def _described(
    question: Question, units: list[tuple[Entry, Unit]], values: dict[str, list[float]]
) -> None:
    """For "who is X": whether a sentence says what X is, by the role the report gives X
    where it quotes them ("said Nick Ross, deputy labs editor at PC Pro": the parser's role),
    by a role word right before X's name ("BBC economic editor Evan Davis"), or by an
    apposition or a copula after it ("Lynton Crosby, the Australian strategist", "Ras Kwame
    is the host of ..."); for "who is the X", whether it names who holds the office X
    (`_holders`)."""
    held = _WHO_HOLDS.match(question.text)
    if held:
        owner, office = held.group("owner"), held.group("office")
        _holders(owner, office, units, values)
        of = _OF_OWNER.fullmatch(office) if owner is None else None
        if of:  # "the chief executive of brennock" is also "Brennock chief executive ..."
            _holders(of.group("owner"), of.group("office"), units, values)
        return
    asked = _WHO_IS.match(question.text)
    parts = name_parts(asked.group("name")) if asked else ()
    if not parts or len(parts) > NAME_WORDS:  # "who is trevor beattie in the email row"
        return
    name = asked.group("name")
    described = re.compile(
        rf"(?i:\b{re.escape(parts[-1])})\b(?:,\s+(?:the|an?|[a-z]+)\b|\s+(?:is|was)\s+(?:the|an?)\b)"
    )
    given = "".join(rf"(?:{re.escape(part)}\s+)?" for part in parts[:-1])
    titled = re.compile(rf"([\w-]+)\s+{given}{re.escape(parts[-1])}\b")
    roles: dict[int, list[str]] = {}
    for i, (entry, unit) in enumerate(units):
        if unit.kind != "passage":
            continue
        if entry.seq not in roles:
            roles[entry.seq] = [
                q.role.casefold()
                for q in entry.article.quotes
                if q.role and len(q.role) > 3 and name_score(name, q.speaker or "") >= NAMED
            ]
        text = unit.index_text
        folded = text.casefold()
        if (
            described.search(text)
            or any(role in folded for role in roles[entry.seq])
            or any(is_role_word(m.group(1)) for m in titled.finditer(fold(text)))
        ):
            values["described"][i] = 1.0


def _holders(
    owner: str | None, office: str, units: list[tuple[Entry, Unit]], values: dict[str, list[float]]
) -> None:
    """For "who is the X" or "who is Y's X": whether a sentence names the holder of the office
    X, by a name right after it ("Chancellor Gordon Brown", "Microsoft boss Steve Ballmer", "the
    President of the European Parliament, Josep Borrell") or before it, set off by a comma or
    a bracket ("Gordon Brown, the chancellor", "Gareth Lewin (Town Clerk)"), and not another
    office of its name ("Shadow home secretary David Davis")."""
    named = [w for w in words(office) if w not in _NOW]
    if not named or named[-1] in STOP_WORDS:
        return
    phrase = r"\W+".join(re.escape(w) for w in named)
    if owner:
        owned = r"\W+".join(re.escape(w) for w in owner.split())
        phrase = rf"(?:{owned}(?:['\u2019]s?)?\W+)?{phrase}"
    holder = re.compile(
        rf"(?<![\w-])(?i:{phrase})(?:\s+|,\s+){_NAME}"
        rf"|{_NAME}(?:,\s+|\s+\()(?i:(?:the|an?)\s+)?(?i:{phrase})\b"
    )
    for i, (_, unit) in enumerate(units):
        text = unit.index_text
        if unit.kind == "passage" and any(
            not _anothers(text[: m.start()], owner) for m in holder.finditer(text)
        ):
            values["described"][i] = 1.0


def _anothers(before: str, owner: str | None) -> bool:
    """Whether an office named after `before` is another than the one asked about: the word
    before it makes it another office ("shadow", `OTHER_OFFICE`) or, when the question says
    whose office it is, names another owner ("Newcastle manager" for "chelsea's manager")."""
    last = before.split()[-1:]
    if not last:
        return False
    named = words(last[0])
    return bool(OTHER_OFFICE.intersection(named)) or bool(
        owner and last[0][:1].isupper() and not set(owner.split()).intersection(named)
    )


# What depends on a unit alone (`_Units.static`).
_STATIC = ("length", "title_echo", "lead", "position", "quote", "fragment")


# `_Units.numbers`' columns: the first _PLACES are places of other units (-1 for none).
_NUMBERS = (
    "before",
    "after",
    "quote_of",
    "key",
    "paragraph_of",
    "paragraph",
    "sentence",
    "distinct",
)
_PLACES = 3
# `_Units.flags`' columns; "told": a sentence of the text, not a quotation or a line aside.
_FLAGS = ("quoted", "passage", "told")


def _column(field: str, names: tuple[str, ...], name: str) -> property:
    """A property reading the column `name` of the array `field`, whose columns are `names`."""
    place = names.index(name)
    return property(lambda self: getattr(self, field)[:, place])


@dataclass(frozen=True, slots=True)
class _Units:
    """What ranking reads of an article's units whatever the question, read once per entry
    (`Entry.derived`) or joined for a question's candidates (`joined`): per unit its key,
    the sentences either side and the quotation whose words it holds (places, -1 for none),
    its paragraph's place among the article's (`Entry.unit_paragraph`), its terms counted,
    how many distinct terms it has, and the features that depend on it alone (`_STATIC`)."""

    numbers: np.ndarray  # int64, per unit: _NUMBERS
    flags: np.ndarray  # bool, per unit: _FLAGS
    static: np.ndarray
    terms: Counted
    texts: list[str]
    found: dict[Shape, list[tuple[str, ...]]]  # per shape asked so far: per unit, `found_in`
    parts: tuple[_Units, ...] = ()  # the articles' own, when joined

    @classmethod
    def of(cls, entry: Entry) -> _Units:
        units = entry.units
        static = np.zeros((len(units), len(_STATIC)), dtype=np.float64)
        told = np.zeros(len(units), dtype=bool)
        distinct = np.ones(len(units), dtype=np.int64)
        sentences = max(1, len(entry.article.sentences))
        for i, unit in enumerate(units):
            own = set(entry.unit_terms[i])
            distinct[i] = len(own) or 1
            row = static[i]
            row[0] = math.log1p(len(unit.index_text)) / 6.0
            row[1] = len(entry.title.intersection(own)) / (len(own) or 1)
            if unit.kind == "aside":
                continue
            if unit.quote is None:
                told[i] = True
                row[2] = float(unit.sentence == 0)
                row[3] = unit.sentence / sentences
            else:
                row[4] = 1.0
                row[5] = float(unit.fragment)
        numbers = np.array(
            [
                entry.before,
                entry.after,
                entry.quote_of,
                [entry.key(u) for u in range(len(units))],
                entry.unit_paragraph,
                [u.paragraph for u in units],
                [u.sentence for u in units],
            ],
            dtype=np.int64,
        ).reshape(len(_NUMBERS) - 1, len(units))
        flags = np.array(
            [[u.quote is not None for u in units], [u.kind == "passage" for u in units], told],
            dtype=bool,
        ).reshape(3, len(units))
        return cls(
            numbers=np.vstack([numbers, distinct]).T.copy(),
            flags=flags.T.copy(),
            static=static,
            terms=Counted.of(entry.unit_terms),
            texts=[u.index_text for u in units],
            found={},
        )

    @classmethod
    def joined(cls, tables: list[_Units]) -> _Units:
        """The units of several articles one after another, their places made places among
        all of them."""
        sizes = [len(t.numbers) for t in tables]
        numbers = np.concatenate([t.numbers for t in tables])
        offsets = np.repeat(np.cumsum([0, *sizes[:-1]]), sizes)[:, None]
        places = numbers[:, :_PLACES]
        numbers[:, :_PLACES] = np.where(places >= 0, places + offsets, -1)
        return cls(
            numbers=numbers,
            flags=np.concatenate([t.flags for t in tables]),
            static=np.concatenate([t.static for t in tables]),
            terms=Counted({}, [0], [], [], []),
            texts=[],
            found={},
            parts=tuple(tables),
        )

    before = _column("numbers", _NUMBERS, "before")
    after = _column("numbers", _NUMBERS, "after")
    quote_of = _column("numbers", _NUMBERS, "quote_of")
    keys = _column("numbers", _NUMBERS, "key")
    paragraph_of = _column("numbers", _NUMBERS, "paragraph_of")
    paragraph = _column("numbers", _NUMBERS, "paragraph")
    sentence = _column("numbers", _NUMBERS, "sentence")
    distinct = _column("numbers", _NUMBERS, "distinct")
    quoted = _column("flags", _FLAGS, "quoted")
    passage = _column("flags", _FLAGS, "passage")
    told = _column("flags", _FLAGS, "told")

    def parts_terms(self) -> list[Counted]:
        return [t.terms for t in self.parts] if self.parts else [self.terms]

    def evidence(self, shape: Shape) -> list[tuple[str, ...]]:
        """Per unit, the things of the kind `shape` asks for in its text (`found_in`), read in
        the sentences of the text only, once per shape."""
        if self.parts:
            return [found for part in self.parts for found in part.evidence(shape)]
        found = self.found.get(shape)
        if found is None:
            found = self.found[shape] = [
                found_in(shape, text) if told else ()
                for text, told in zip(self.texts, self.told.tolist(), strict=True)
            ]
        return found


def _evidence_near(table: _Units, features: np.ndarray, column: dict[str, int]) -> None:
    """Whether a sentence that does not show what the question asks for has a neighbour in its
    paragraph that does: the excerpt shows that neighbour with it ("Sales rose. They reached
    £3bn.")."""
    shown = features[:, column["evidence"]] > 0.0
    if not shown.any():
        return
    paragraph = table.paragraph
    # The last place reads -1: no neighbour.
    shows_at, paragraph_at = np.append(shown, False), np.append(paragraph, -2)
    near = np.zeros(len(paragraph), dtype=bool)
    for side in (table.before, table.after):
        near |= shows_at[side] & (paragraph_at[side] == paragraph)
    features[:, column["evidence_near"]] = ~shown & table.passage & near


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
    articles: _Groups,
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
    quotation repeats its sentence's words, so it counts for neither), its share of the
    question's weight with each word weighed too by its rarity among the article's n sentences
    (log((n + 1) / (df + 1)): a word in every sentence of the report, "idlib" in a report on
    Idlib, tells one sentence from another not at all), and how near it stands
    to the sentence holding most of the question (the echo: the answer is often told beside
    the sentence that repeats the question's words, not in it)."""
    group, bounds = articles
    order = np.lexsort((-own, group))
    rank = np.empty(len(own), dtype=np.int64)
    rank[order] = np.arange(len(own)) - bounds[group]  # `order` keeps the articles in place
    features[:, column["unit_rank"]] = 1.0 / (1.0 + rank)
    shares = held @ weight
    features[:, column["held_in_article"]] = shares / _per_owner_max(shares, articles)
    sentences = held & ~quoted[:, None]
    counts = np.add.reduceat(sentences.astype(np.int64), bounds, axis=0)
    features[:, column["held_alone"]] = (held & (counts[group] - sentences == 0)) @ weight
    n = np.add.reduceat((~quoted).astype(np.float64), bounds)
    rare = np.log((n[:, None] + 1.0) / (counts + 1.0)) * (counts > 0) * weight
    total = rare.sum(axis=1)
    total[total <= 0.0] = 1.0
    features[:, column["held_local"]] = (held * rare[group]).sum(axis=1) / total[group]
    passage = sentence >= 0
    echo_share = np.where(passage, shares, -1.0)
    echo = np.lexsort((-echo_share, group))  # per article, its echo first
    first = np.ones(len(echo), dtype=bool)
    first[1:] = group[echo][1:] != group[echo][:-1]
    echo_of = np.full(len(bounds), -1, dtype=np.int64)
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
    Shape.PLACE: "evidence_place",
    Shape.HOW: "evidence_how",
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


def _per_owner_max(values: np.ndarray, owners: _Groups) -> np.ndarray:
    """Per row, the largest of `values` among the rows of the same owner (1 where that is 0)."""
    best = np.maximum.reduceat(values.astype(np.float64), owners.bounds)
    best[best <= 0.0] = 1.0
    return best[owners.group]


class _Groups(NamedTuple):
    """Rows grouped by owner, where an owner's rows stand together (an article's units)."""

    group: np.ndarray  # per row, its owner's place among the owners (0, 1, ...)
    bounds: np.ndarray  # where each owner's rows start

    @classmethod
    def of(cls, owner: np.ndarray) -> _Groups:
        """The groups of `owner`, which does not decrease."""
        changes = np.diff(owner, prepend=owner[0]) != 0
        return cls(np.cumsum(changes), np.flatnonzero(np.concatenate(([True], changes[1:]))))


def _overlap(wanted: str, who: frozenset[str]) -> float:
    """The share of the words naming a speaker ("the syrian foreign minister") found in a
    quote's speaker and role; a word of the role that makes it another office (`OTHER_OFFICE`)
    and that the question lacks counts as a word of the question not found."""
    asked = {w for w in words(wanted) if w not in _FILLER}
    if not asked:
        return 0.0
    return len(asked & who) / len(asked | (who & OTHER_OFFICE))
