"""What ranking reads of one article: its units and their terms, its paragraphs' terms (the
title's in front), its whole text's terms (the title's twice) and, per unit, its paragraph, the
sentences either side and the quotation whose words it holds. The same terms feed the library's
statistics (`stats.py`) and its postings (`postings.py`), so that a feature computed from an
entry means what it did over the library. The index stores each entry with its terms analysed
(`Entry.stored`): analysing an article again was most of a question's CPU whenever one of its
candidates had left the cache of entries."""

from __future__ import annotations

import json
import marshal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from store.reports.article import Article, Quote
from store.search.excerpts import Unit, article_units, neighbours, quoted_in
from store.search.terms import Analyzer, Bag, indexed_words

# A unit's key is its article's sequence number and its place in the article in one integer,
# so that keys sort as the articles were indexed and then as the units stand.
UNIT_BITS = 20
STORED = 1  # the format of a stored entry
MARSHAL = 4  # marshal's format: shares a term repeated in an entry (the analyser's one string)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Parts:
    """What only a chosen candidate's units need: the article and its units, and per unit the
    sentences either side and the quotation whose words it holds."""

    article: Article
    units: list[Unit]
    before: list[int]  # per unit: the unit of the sentence before it, or -1
    after: list[int]
    quote_of: list[int]  # per unit: the quotation unit whose words it holds, or -1

    @classmethod
    def of(cls, article: Article, units: list[Unit] | None = None) -> _Parts:
        units = article_units(article) if units is None else units
        sides = neighbours(units)
        return cls(
            article,
            units,
            [before for before, _ in sides],
            [after for _, after in sides],
            quoted_in(article, units),
        )


class Entry:
    """An article's entry. Its terms are read at once, as every article tantivy offers is
    scored by them; the article itself and its units only when asked for, as only the few
    articles whose units become candidates (and those shown) need them."""

    __slots__ = (
        "_bag",
        "_derived",
        "_parts",
        "_record",
        "article_terms",
        "paragraph_terms",
        "seq",
        "title",
        "title_terms",
        "unit_paragraph",
        "unit_terms",
    )

    def __init__(
        self,
        seq: int,
        title_terms: Sequence[str],
        unit_terms: Sequence[Sequence[str]],
        layout: list[tuple[str, int]],
        record: dict[str, Any],
        parts: _Parts | None = None,
    ) -> None:
        """`layout` is each unit's kind and paragraph; `record` the article's `to_record`."""
        body = [i for i, (kind, _) in enumerate(layout) if kind != "quote"]  # and asides
        paragraphs: dict[int, list[str]] = {}
        for i, (kind, paragraph) in enumerate(layout):
            if kind == "passage":
                paragraphs.setdefault(paragraph, list(title_terms)).extend(unit_terms[i])
        order = {number: i for i, number in enumerate(paragraphs)}
        self.seq = seq
        # Terms in tuples, which the garbage collector stops tracking: in lists, the thousands
        # of entries cached in a large library were most of what each full collection walked.
        self.title_terms = tuple(title_terms)
        self.unit_terms = tuple(map(tuple, unit_terms))
        self.paragraph_terms = tuple(map(tuple, paragraphs.values()))
        self.unit_paragraph = tuple(order.get(paragraph, -1) for _, paragraph in layout)
        self.article_terms = self.title_terms * 2 + tuple(t for i in body for t in unit_terms[i])
        self.title = frozenset(title_terms)
        self._record = record
        self._parts = parts
        self._bag: Bag | None = None
        self._derived: dict[Callable[[Entry], Any], Any] = {}

    def _built(self) -> _Parts:
        parts = self._parts
        if parts is None:  # two threads may both build it: the same, and either is kept
            parts = self._parts = _Parts.of(Article.from_record(self._record))
        return parts

    @property
    def article_bag(self) -> Bag:
        """The article's terms, counted (kept: every candidate article is scored by them)."""
        bag = self._bag
        if bag is None:  # as `_built`: two threads may both count, the same
            bag = self._bag = Bag.of(self.article_terms)
        return bag

    def derived(self, make: Callable[[Entry], T]) -> T:
        """`make(self)`, made once and kept with the entry: what ranking reads of an article
        whatever the question (as `_built`: two threads may both make it, the same)."""
        found = self._derived.get(make)
        if found is None:
            found = self._derived[make] = make(self)
        return found

    def derived_again(self, make: Callable[[Entry], T]) -> T | None:
        """None the first time it is asked for, `derived(make)` from the second on: for what
        pays only when the entry is read more than once."""
        if make in self._derived:
            return self.derived(make)
        self._derived[make] = None  # the first reading: `derived` takes None for not made yet
        return None

    @property
    def article(self) -> Article:
        return self._built().article

    @property
    def units(self) -> list[Unit]:
        return self._built().units

    @property
    def before(self) -> list[int]:
        return self._built().before

    @property
    def after(self) -> list[int]:
        return self._built().after

    @property
    def quote_of(self) -> list[int]:
        return self._built().quote_of

    @property
    def source(self) -> str:
        return self._record["source"]

    def key(self, unit: int) -> int:
        return self.seq << UNIT_BITS | unit

    def unit(self, key: int) -> Unit:
        return self.units[key & ((1 << UNIT_BITS) - 1)]

    def quotation(self, key: int) -> Quote | None:
        """The quotation `key`'s unit is, or the one its sentence stands in."""
        index = key & ((1 << UNIT_BITS) - 1)
        quote = self.units[index].quote
        if quote is None and self.quote_of[index] >= 0:
            quote = self.units[self.quote_of[index]].quote
        return quote


@dataclass(frozen=True, slots=True)
class Indexed:
    """An article as indexing reads it: its entry, the entry as the index stores it (see
    `stored_entry`), and the words the speller learns from it (`surface_words`)."""

    entry: Entry
    stored: bytes
    words: list[str]


def indexed(article: Article, seq: int, analyzer: Analyzer) -> Indexed:
    """The article's entry, stored form and surface words, its text read once for all three
    (reading it again for the speller was a tenth of an ingest's CPU)."""
    stem = analyzer.stems
    units = article_units(article)
    title = indexed_words(article.title)
    texts = [indexed_words(unit.index_text) for unit in units]
    layout = [(unit.kind, unit.paragraph) for unit in units]
    record = article.to_record()
    # Its units' neighbours and quotations are made when ranking first asks for them.
    entry = Entry(seq, stem(title), [stem(text) for text in texts], layout, record)
    stored = marshal.dumps((STORED, record, entry.title_terms, entry.unit_terms, layout), MARSHAL)
    return Indexed(entry, stored, _surface(title, units, texts))


def entry_of(article: Article, seq: int, analyzer: Analyzer) -> Entry:
    return indexed(article, seq, analyzer).entry


def stored_entry(data: bytes, seq: int, analyzer: Analyzer) -> Entry:
    """The entry of an article as the index stores it: its record with the terms analysed when
    it was indexed (in `marshal`, the quickest to read back), or, written before the terms were
    kept, the article's JSON record, analysed now."""
    if data[:1] == b"{":
        return entry_of(Article.from_record(json.loads(data)), seq, analyzer)
    version, record, title_terms, unit_terms, layout = marshal.loads(data)
    if version != STORED:
        raise ValueError(f"an entry of format {version!r}, not {STORED}")
    return Entry(seq, title_terms, unit_terms, layout, record)


def surface_words(entry: Entry) -> list[str]:
    """The words the speller learns from `entry`'s article, each as often as it stands."""
    units = entry.units
    return _surface(
        indexed_words(entry.article.title), units, [indexed_words(u.index_text) for u in units]
    )


def _surface(title: list[str], units: list[Unit], texts: list[list[str]]) -> list[str]:
    """The title's words and the text's, from each unit's `words`: quotations repeat their
    sentences' words, so they are left out."""
    body = [text for unit, text in zip(units, texts, strict=True) if unit.kind != "quote"]
    return title + [word for text in body for word in text]


def speakers(article: Article) -> list[str]:
    """The names of those the article quotes, once each."""
    return list(dict.fromkeys(q.speaker for q in article.quotes if q.speaker))
