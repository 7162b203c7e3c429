"""The library's postings in tantivy: one index of whole articles (which also keeps each parsed
article, and the speakers it quotes) and one of paragraphs, each a document of our `Analyzer`'s
terms joined by spaces (tantivy's `whitespace` tokenizer), in a directory, memory-mapped and so
shared by the processes that open it, or in memory.

Tantivy finds the candidates (BM25 over articles and over paragraphs, with tantivy's own
statistics, which count a deleted document until its segment is merged: near enough to choose
candidates, which ranking then scores exactly). One process at a time writes, under tantivy's
lock on each index; another that wants to write waits for it.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import tantivy

ARTICLES, PARAGRAPHS = "articles", "paragraphs"
WRITER_HEAP = 50_000_000
LOCK_WAIT = 120.0  # seconds a writer waits for another process's lock before giving up
LOCK_POLL = 0.05
TIES = 16  # hits fetched beyond those asked for, so that equal scores at the cut are all seen
TIES_MOST = 4096  # hits fetched at most to see them
_BITS = 20  # terms told apart in one query: float32 scores hold sums of powers of two below 2**24


class IndexBusy(RuntimeError):
    """Another process held the index's writer lock for longer than LOCK_WAIT."""


def _schema(kind: str) -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    # An article's terms are kept too, so that a few found articles can be scored exactly.
    stored = kind == ARTICLES
    builder.add_text_field("body", tokenizer_name="whitespace", index_option="freq", stored=stored)
    builder.add_unsigned_field("seq", indexed=True, fast=True)
    if kind == ARTICLES:
        builder.add_text_field("speaker", tokenizer_name="raw", index_option="basic")
        builder.add_bytes_field("record", stored=True)
    return builder.build()


@dataclass(frozen=True, slots=True)
class Searchers:
    """One consistent look at both indexes: answering keeps using it while a writer commits."""

    articles: tantivy.Searcher
    paragraphs: tantivy.Searcher
    schema: tantivy.Schema

    def top(self, kind: str, weights: Mapping[str, float], limit: int) -> list[tuple[float, int]]:
        """The best `limit` documents of `kind` by BM25 for `weights`: (score, article seq)."""
        query = self._weighted(weights)
        if query is None:
            return []
        return _best(self.articles if kind == ARTICLES else self.paragraphs, query, limit)

    def holding(self, weights: Mapping[str, float], term: str, limit: int) -> list[int]:
        """The sequence numbers of the `limit` articles holding `term` that score best for
        `weights`."""
        return self._best_with(self._term(term), weights, limit)

    def quoting_best(
        self, speakers: Iterable[str], weights: Mapping[str, float], limit: int
    ) -> list[int]:
        """The sequence numbers of the `limit` articles quoting any of `speakers` that score
        best for `weights`."""
        quoting = tantivy.Query.term_set_query(self.schema, "speaker", list(speakers))
        return self._best_with(quoting, weights, limit)

    def _best_with(
        self, must: tantivy.Query, weights: Mapping[str, float], limit: int
    ) -> list[int]:
        context = self._weighted(weights)
        if context is None:  # all would score alike: the earliest indexed
            hits = self.articles.search(
                must, limit, count=False, order_by_field="seq", order=tantivy.Order.Asc
            ).hits
            return [int(seq) for seq, _ in hits]
        clauses = [
            (tantivy.Occur.Must, tantivy.Query.const_score_query(must, 0.0)),
            (tantivy.Occur.Should, context),
        ]
        return [seq for _, seq in _best(self.articles, tantivy.Query.boolean_query(clauses), limit)]

    def held(self, seqs: list[int], terms: list[str]) -> dict[int, set[str]]:
        """Which of `terms` each of the articles `seqs` holds, without reading the articles:
        each term scores a power of two, so that an article's score spells out its terms."""
        held: dict[int, set[str]] = {seq: set() for seq in seqs}
        # (A term set query costs 0.4 ms whatever it holds; as many term queries, a hundredth.)
        within = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "seq", s)) for s in seqs]
        )
        for start in range(0, len(terms), _BITS):
            chunk = terms[start : start + _BITS]
            clauses = [(tantivy.Occur.Must, tantivy.Query.const_score_query(within, 0.0))]
            clauses += [
                (tantivy.Occur.Should, tantivy.Query.const_score_query(self._term(t), 2.0**i))
                for i, t in enumerate(chunk)
            ]
            query = tantivy.Query.boolean_query(clauses)
            hits = self.articles.search(query, len(held), count=False).hits
            found = self.articles.fast_field_values("seq", [address for _, address in hits])
            for (score, _), seq in zip(hits, found, strict=True):
                held[seq].update(t for i, t in enumerate(chunk) if int(score) >> i & 1)
        return held

    def record(self, seq: int) -> bytes | None:
        """The stored article of sequence number `seq`."""
        query = tantivy.Query.term_query(self.schema, "seq", seq)
        hits = self.articles.search(query, 1, count=False).hits
        return self.articles.doc(hits[0][1]).get_first("record") if hits else None

    def quoting(self, speakers: Iterable[str], limit: int) -> list[int]:
        """The sequence numbers of up to `limit` articles quoting any of `speakers`, earliest
        indexed first."""
        query = tantivy.Query.term_set_query(self.schema, "speaker", list(speakers))
        hits = self.articles.search(
            query, limit, count=False, order_by_field="seq", order=tantivy.Order.Asc
        ).hits
        return [int(seq) for seq, _ in hits]

    def _term(self, term: str) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, "body", term)

    def _weighted(self, weights: Mapping[str, float]) -> tantivy.Query | None:
        clauses = [
            (tantivy.Occur.Should, tantivy.Query.boost_query(self._term(t), w))
            for t, w in weights.items()
            if w > 0.0
        ]
        return tantivy.Query.boolean_query(clauses) if clauses else None


class Batch:
    """Changes to both indexes, committed together."""

    def __init__(self, articles: tantivy.Index, paragraphs: tantivy.Index) -> None:
        self._indexes = (articles, paragraphs)
        self._writers = (_writer(articles), _writer(paragraphs))
        self._committed = False

    def add(
        self,
        seq: int,
        article_terms: list[str],
        paragraph_terms: list[list[str]],
        speakers: list[str],
        record: bytes,
    ) -> None:
        document = tantivy.Document()
        document.add_unsigned("seq", seq)
        document.add_text("body", " ".join(article_terms))
        for speaker in speakers:
            document.add_text("speaker", speaker)
        document.add_bytes("record", record)
        self._writers[0].add_document(document)
        for terms in paragraph_terms:
            paragraph = tantivy.Document()
            paragraph.add_unsigned("seq", seq)
            paragraph.add_text("body", " ".join(terms))
            self._writers[1].add_document(paragraph)

    def delete(self, seq: int) -> None:
        for index, writer in zip(self._indexes, self._writers, strict=True):
            writer.delete_documents_by_query(tantivy.Query.term_query(index.schema, "seq", seq))

    def commit(self) -> tuple[int, int]:
        """Commit both (paragraphs first); their opstamps (articles, paragraphs)."""
        paragraphs = self._writers[1].commit()
        self._committed = True
        return self._writers[0].commit(), paragraphs

    def close(self) -> None:
        for writer in self._writers:
            # A rollback after the commit would cancel the merges it started: segments then
            # pile up, one a commit (278 of them at 75,000 reports), and every search and
            # reload goes through them all.
            if not self._committed:
                writer.rollback()
            writer.wait_merging_threads()


def _best(searcher: tantivy.Searcher, query: tantivy.Query, limit: int) -> list[tuple[float, int]]:
    """The best `limit` hits of `query`, (score, article seq), equal scores earliest indexed
    first. Tantivy orders equal scores by where it keeps each document, which its merges of
    segments, in the background, change from one build of an index to the next: the same
    question over the same reports then had other candidates (twin reports score alike)."""
    wanted = limit + TIES
    hits = searcher.search(query, wanted, count=False).hits
    # (all the hits equal to the last one asked for, up to TIES_MOST: beyond, their order stays
    # tantivy's, which a question of several words over a real library never reaches)
    while len(hits) == wanted and wanted < TIES_MOST and hits[-1][0] == hits[limit - 1][0]:
        wanted *= 4
        hits = searcher.search(query, wanted, count=False).hits
    seqs = searcher.fast_field_values("seq", [address for _, address in hits])
    found = sorted(zip((score for score, _ in hits), seqs, strict=True), key=_best_first)
    return found[:limit]


def _best_first(hit: tuple[float, int]) -> tuple[float, int]:
    return -hit[0], hit[1]


def _writer(index: tantivy.Index) -> tantivy.IndexWriter:
    """The index's writer, waiting while another process holds it."""
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            return index.writer(heap_size=WRITER_HEAP, num_threads=1)
        except ValueError as exc:
            if "LockBusy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise IndexBusy("another process has held the index for too long") from exc
            time.sleep(LOCK_POLL)


class Postings:
    def __init__(self, directory: Path | None) -> None:
        """The indexes in `directory` (created when missing), or in memory for None. A
        directory tantivy cannot open raises ValueError."""
        self.directory = directory
        self._indexes = {kind: self._open(kind) for kind in (ARTICLES, PARAGRAPHS)}
        self.searchers = self._searchers()

    def _open(self, kind: str) -> tantivy.Index:
        if self.directory is None:
            return tantivy.Index(_schema(kind))
        path = self.directory / kind
        path.mkdir(parents=True, exist_ok=True)
        if tantivy.Index.exists(str(path)):
            return tantivy.Index.open(str(path))
        return tantivy.Index(_schema(kind), path=str(path))

    def opstamps(self) -> tuple[int, int] | None:
        """The last commit of each index on disk (None in memory)."""
        if self.directory is None:
            return None
        found = []
        for kind in (ARTICLES, PARAGRAPHS):
            meta = self.directory / kind / "meta.json"
            found.append(int(json.loads(meta.read_text())["opstamp"]) if meta.exists() else 0)
        return found[0], found[1]

    def reload(self) -> Searchers:
        """Take in the last commit, whoever made it."""
        self.searchers = self._searchers()
        return self.searchers

    def _searchers(self) -> Searchers:
        for index in self._indexes.values():
            index.reload()
        return Searchers(
            self._indexes[ARTICLES].searcher(),
            self._indexes[PARAGRAPHS].searcher(),
            self._indexes[ARTICLES].schema,
        )

    @contextlib.contextmanager
    def writing(self) -> Iterator[Batch]:
        """A batch of changes, under both writer locks until the block ends; what the block
        does not commit is rolled back."""
        batch = Batch(self._indexes[ARTICLES], self._indexes[PARAGRAPHS])
        try:
            yield batch
        finally:
            batch.close()
