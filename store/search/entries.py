"""What ranking reads of one article, built from the article when it is a candidate: its units
and their terms, its paragraphs' terms (the title's in front), its whole text's terms (the
title's twice) and, per unit, its paragraph, the sentences either side and the quotation whose
words it holds. The same terms feed the library's statistics (`stats.py`) and its postings
(`postings.py`), so that a feature computed from an entry means what it did over the library.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from store.reports.article import Article, Quote
from store.search.excerpts import Unit, article_units, neighbours, quoted_in
from store.search.terms import Analyzer, words

# A unit's key is its article's sequence number and its place in the article in one integer,
# so that keys sort as the articles were indexed and then as the units stand.
UNIT_BITS = 20


@dataclass(frozen=True, slots=True)
class Entry:
    article: Article
    seq: int
    units: list[Unit]
    unit_terms: list[list[str]]
    paragraph_terms: list[list[str]]
    unit_paragraph: list[int]  # per unit: its place in `paragraph_terms`, or -1
    before: list[int]  # per unit: the unit of the sentence before it, or -1
    after: list[int]
    quote_of: list[int]  # per unit: the quotation unit whose words it holds, or -1
    article_terms: list[str]
    title: frozenset[str]

    @property
    def source(self) -> str:
        return self.article.source

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


def entry_of(article: Article, seq: int, analyzer: Analyzer) -> Entry:
    stem = analyzer.stems
    title_terms = stem(words(article.title))
    units = article_units(article)
    terms = [stem(words(unit.index_text)) for unit in units]
    body = [i for i, unit in enumerate(units) if unit.kind != "quote"]  # and asides
    paragraphs: dict[int, list[str]] = {}
    for i, unit in enumerate(units):
        if unit.kind == "passage":
            paragraphs.setdefault(unit.paragraph, list(title_terms)).extend(terms[i])
    order = {number: i for i, number in enumerate(paragraphs)}
    sides = neighbours(units)
    return Entry(
        article,
        seq,
        units,
        terms,
        list(paragraphs.values()),
        [order.get(unit.paragraph, -1) for unit in units],
        [before for before, _ in sides],
        [after for _, after in sides],
        quoted_in(article, units),
        title_terms * 2 + [t for i in body for t in terms[i]],
        frozenset(title_terms),
    )


def surface_words(article: Article) -> Counter[str]:
    """The words the speller learns from `article`: its title's and its text's (quotations
    repeat their sentences' words, so they are left out)."""
    counts = Counter(words(article.title))
    for unit in article_units(article):
        if unit.kind != "quote":
            counts.update(words(unit.index_text))
    return counts


def speakers(article: Article) -> list[str]:
    """The names of those the article quotes, once each."""
    return list(dict.fromkeys(q.speaker for q in article.quotes if q.speaker))
