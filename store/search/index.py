"""The answering index: what the engine knows of a library, kept in step with it.

Three BM25 indexes share one analyzer: one over whole articles (title counted twice), one over
paragraphs with the title in front, and one over units, each a sentence, a quotation (which
also carries its speaker's name and role) or a line the parser keeps aside (caption, byline).
Per unit id, flat arrays give its article, its paragraph, the sentences either side of it and
the quotation whose words it holds, so that ranking reads them with numpy.
"""

from __future__ import annotations

import gc
import itertools
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from store.reports.article import Article
from store.search.excerpts import Unit, article_units, neighbours, quoted_in
from store.search.lexical import LexicalIndex
from store.search.spelling import Speller
from store.search.terms import Analyzer, words

# Articles indexed in one batch at start-up: large enough for the bulk build's speed, small
# enough that its temporary term lists stay a small part of the peak memory.
BATCH = 500


@dataclass(slots=True)
class Entry:
    article: Article
    doc: int
    units: range
    paragraphs: range
    unit_list: list[Unit]
    words: list[str]
    title: frozenset[str]

    def unit(self, doc: int) -> Unit:
        return self.unit_list[doc - self.units.start]


class LibraryIndex:
    def __init__(self) -> None:
        self.analyzer = Analyzer()
        self.articles = LexicalIndex()
        self.units = LexicalIndex()
        self.paragraphs = LexicalIndex()
        self.speller = Speller()
        self.entries: dict[str, Entry] = {}
        self.by_doc: dict[int, Entry] = {}
        # Per unit id: its article's doc id, its paragraph's id, and the ids of the sentences
        # before and after it (-1, which reads the zero padding the scores get, for none).
        self._unit_doc = array("i")
        self._paragraph_doc = array("i")
        self._unit_paragraph = array("i")
        self._before = array("i")
        self._after = array("i")
        # Per unit id: the id of the quotation unit whose words the sentence holds, or -1.
        self._quote_of = array("i")

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, articles: Iterable[Article]) -> None:
        """Index articles of new sources (a whole library in batches)."""
        library = list({article.source: article for article in articles}.values())
        with _collector_paused():
            for start in range(0, len(library), BATCH):
                self._index(library[start : start + BATCH])

    def _index(self, articles: list[Article]) -> None:
        """Index articles of new sources, each index taking all their documents in one batch."""
        stem = self.analyzer.stems
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
            body = [i for i, unit in enumerate(units) if unit.kind != "quote"]  # and asides
            article_terms.append(title_terms * 2 + [t for i in body for t in terms[i]])
            paragraphs: dict[int, list[str]] = {}
            for i in passages:
                paragraphs.setdefault(units[i].paragraph, list(title_terms)).extend(terms[i])
            paragraph_terms.extend(paragraphs.values())
            unit_terms.extend(terms)
            surface = [w for i in body for w in unit_words[i]]
            order = {number: i for i, number in enumerate(paragraphs)}
            where = [order.get(unit.paragraph, -1) for unit in units]
            parts.append((units, frozenset(title_terms), where, title + surface))
        paragraph_ids = self.paragraphs.extend(paragraph_terms)
        unit_ids = self.units.extend(unit_terms)
        next_paragraph, next_unit = paragraph_ids.start, unit_ids.start
        docs = self.articles.extend(article_terms)
        for article, doc, (units, title, where, surface) in zip(articles, docs, parts, strict=True):
            entry = Entry(
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
            self.entries[article.source] = entry
            self.by_doc[doc] = entry
        self.speller.add(itertools.chain.from_iterable(part[3] for part in parts))

    def remove(self, source: str) -> bool:
        entry = self.entries.pop(source, None)
        if entry is None:
            return False
        self.articles.remove(entry.doc)
        del self.by_doc[entry.doc]
        for doc in entry.units:
            self.units.remove(doc)
        for doc in entry.paragraphs:
            self.paragraphs.remove(doc)
        self.speller.remove(entry.words)
        return True

    def unit(self, doc: int) -> tuple[Entry, Unit]:
        """The article entry and the unit of a unit id."""
        entry = self.by_doc[self._unit_doc[doc]]
        return entry, entry.unit(doc)

    # Views of the per-unit arrays, for numpy (no copies).
    @property
    def unit_doc(self) -> np.ndarray:
        return np.frombuffer(self._unit_doc, dtype=np.int32)

    @property
    def paragraph_doc(self) -> np.ndarray:
        return np.frombuffer(self._paragraph_doc, dtype=np.int32)

    @property
    def unit_paragraph(self) -> np.ndarray:
        return np.frombuffer(self._unit_paragraph, dtype=np.int32)

    @property
    def before(self) -> np.ndarray:
        return np.frombuffer(self._before, dtype=np.int32)

    @property
    def after(self) -> np.ndarray:
        return np.frombuffer(self._after, dtype=np.int32)

    @property
    def quote_of(self) -> np.ndarray:
        return np.frombuffer(self._quote_of, dtype=np.int32)


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
