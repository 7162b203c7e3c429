"""The answering index: what the engine knows of a library, kept in step with it.

Tantivy holds the postings and each parsed article (`postings.py`); `stats.py` the library's
statistics, with the speller's words and the speakers. Both live in a directory (shared, by
memory mapping, with every process on the host that opens it) or, without one, in memory.
Ranking reads a few candidate articles' entries (`entries.py`), stored analysed with the
postings, read when asked for and kept in a small cache.

Answering reads a `View`: the searchers and statistics of one commit. A write builds the next
view aside, under the index's writer lock, and swaps it in when done, so that answers never
wait for a commit; another process's commits are taken in by `reload`.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from store.reports.article import Article, fingerprint
from store.search.entries import (
    UNIT_BITS,
    Entry,
    entry_of,
    speakers,
    stored_entry,
    surface_words,
)
from store.search.excerpts import Unit
from store.search.lru import LRU
from store.search.postings import Postings, Searchers
from store.search.spelling import Speller
from store.search.stats import Stats
from store.search.terms import Analyzer

BATCH = 500  # articles indexed in one commit when many come at once
ENTRIES = 4096  # articles' entries kept: building one is most of a question's CPU when missed
STATS = "stats.marshal"

Fetch = Callable[[list[str]], Iterable[Article]]  # the stored articles of some sources

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class View:
    """The index as of one commit."""

    stats: Stats
    searchers: Searchers
    speller: Speller

    @classmethod
    def of(cls, stats: Stats, searchers: Searchers) -> View:
        speller = Speller()
        speller.add(stats.words)
        return cls(stats, searchers, speller)

    def following(self, stats: Stats, searchers: Searchers, touched: set[str]) -> View:
        """The view after a change that touched only the words `touched`."""
        return View(stats, searchers, self.speller.following(stats.words, touched))


class LibraryIndex:
    def __init__(self, directory: Path | None = None) -> None:
        """The index in `directory` (made when missing, rebuilt empty when damaged), or in
        memory."""
        self.analyzer = Analyzer()
        self.directory = directory
        self._writing = threading.Lock()
        self._entries: LRU[Entry] = LRU(ENTRIES)
        self._entries_lock = threading.Lock()
        try:
            self._postings = Postings(directory)
            stats = self._saved_stats()
        except ValueError as exc:
            assert directory is not None
            _log.warning("index %s is damaged (%s): rebuilding it", directory, exc)
            shutil.rmtree(directory, ignore_errors=True)
            self._postings = Postings(directory)
            stats = Stats()
        self.view = View.of(stats, self._postings.searchers)

    def _saved_stats(self) -> Stats:
        """The statistics saved with the postings; ValueError when they do not match them."""
        opstamps = self._postings.opstamps()
        if opstamps is None or opstamps == (0, 0):
            return Stats()
        stats = Stats.load(self.directory / STATS)
        if stats.opstamps != opstamps:
            # A writer may be between its commit and saving the statistics: ask again once
            # it is done.
            with self._postings.writing():
                stats = Stats.load(self.directory / STATS)
                if stats.opstamps != self._postings.opstamps():
                    raise ValueError("its statistics are of another commit")
            self._postings.reload()
        return stats

    def __len__(self) -> int:
        return len(self.view.stats)

    def sources(self) -> list[str]:
        return list(self.view.stats.reports)

    # ---- writing ------------------------------------------------------------------------------

    def add(self, articles: Iterable[Article]) -> None:
        """Index articles (replacing those of the same sources), in batches."""
        batch: list[tuple[Article, str]] = []
        for article in articles:
            batch.append((article, fingerprint(article)))
            if len(batch) == BATCH:
                self.update(batch, ())
                batch = []
        if batch:
            self.update(batch, ())

    def update(self, added: Iterable[tuple[Article, str]], removed: Iterable[str]) -> int:
        """Index `added` (article, content digest) and drop the `removed` sources, in one
        commit; an article already indexed with the same digest is left as it is. Returns how
        many sources changed."""
        added = [(a, d) for a, d in {a.source: (a, d) for a, d in added}.values()]
        removed = list(removed)
        with self._writing, self._postings.writing() as batch:
            stats, mine = self._latest_stats()
            searchers = self._postings.reload()
            changed = 0
            touched: set[str] = set()
            gone = removed + [
                a.source for a, d in added if stats.reports.get(a.source, ("", d))[1] != d
            ]
            for source in gone:
                if source not in stats.reports:
                    continue
                seq, _ = stats.reports[source]
                old = self._entry(searchers, seq)
                if old is not None:
                    words = surface_words(old.article)
                    stats.remove(old, words, speakers(old.article))
                    touched.update(words)
                else:  # never in the postings: only its sequence number is left to forget
                    del stats.reports[source]
                batch.delete(seq)
                changed += 1
            for article, digest in added:
                if article.source in stats.reports:
                    continue  # the same content, indexed already
                entry = entry_of(article, stats.next_seq, self.analyzer)
                stats.next_seq += 1
                quoted = speakers(article)
                words = surface_words(article)
                stats.add(entry, digest, words, quoted)
                touched.update(words)
                record = entry.stored()
                batch.add(entry.seq, entry.article_terms, entry.paragraph_terms, quoted, record)
                changed += 1
            if changed:
                stats.opstamps = batch.commit()
                self._save(stats)
            if mine:  # only this change since the view: its words alone are new to the speller
                self.view = self.view.following(stats, self._postings.reload(), touched)
            elif stats.opstamps != self.view.stats.opstamps:  # another process's too
                self.view = View.of(stats, self._postings.reload())
        return changed

    def _save(self, stats: Stats) -> None:
        """Save the statistics beside the postings just committed. When that fails (a full
        disk), answering goes on from memory, and the next start finds the two of different
        commits and rebuilds the index."""
        if self.directory is None:
            return
        try:
            stats.save(self.directory / STATS)
        except OSError as exc:
            _log.warning("cannot save the index in %s (%s)", self.directory, exc.strerror)

    def _latest_stats(self) -> tuple[Stats, bool]:
        """A copy of the statistics to change, as the last writer left them (under the lock),
        and whether they are this view's (no other process wrote since)."""
        if self.directory is None or self._postings.opstamps() == self.view.stats.opstamps:
            return self.view.stats.copy(), True
        return Stats.load(self.directory / STATS), False

    def reconcile(self, digests: Mapping[str, str], get_many: Fetch) -> int:
        """Bring the index in step with a store holding `digests` (source: content digest),
        reading only the reports that differ; how many sources changed."""
        self.reload()
        indexed = self.view.stats.reports
        return self._take(digests, [s for s in indexed if s not in digests], get_many)

    def follow(self, digests: Mapping[str, str], removed: Iterable[str], get_many: Fetch) -> int:
        """Take in a change to the store: sources now holding `digests`, and `removed` ones.
        What another process indexed already is reloaded; the rest is indexed here."""
        self.reload()
        indexed = self.view.stats.reports
        return self._take(digests, [s for s in removed if s in indexed], get_many)

    def _take(self, digests: Mapping[str, str], removed: list[str], get_many: Fetch) -> int:
        indexed = self.view.stats.reports
        stale = [s for s, d in digests.items() if indexed.get(s, (0, ""))[1] != d]
        changed = self.update((), removed) if removed else 0
        for start in range(0, len(stale), BATCH):
            found = get_many(stale[start : start + BATCH])
            changed += self.update([(a, digests[a.source]) for a in found], ())
        return changed

    def reload(self) -> None:
        """Take in what another process committed."""
        if self.directory is None:
            return
        with self._writing:
            if self._postings.opstamps() == self.view.stats.opstamps:
                return
            try:
                stats = Stats.load(self.directory / STATS)
            except ValueError:
                return  # nothing committed yet
            if stats.opstamps != self.view.stats.opstamps:
                self.view = View.of(stats, self._postings.reload())

    # ---- reading ------------------------------------------------------------------------------

    def entry(self, view: View, seq: int) -> Entry | None:
        return self._entry(view.searchers, seq)

    def _entry(self, searchers: Searchers, seq: int) -> Entry | None:
        with self._entries_lock:
            found = self._entries.get(seq)
        if found is None:
            record = searchers.record(seq)
            if record is None:
                return None
            found = stored_entry(record, seq, self.analyzer)
            with self._entries_lock:
                self._entries.put(seq, found)
        return found

    def entry_of_source(self, view: View, source: str) -> Entry | None:
        known = view.stats.reports.get(source)
        return None if known is None else self.entry(view, known[0])

    def unit(self, view: View, key: int) -> tuple[Entry, Unit]:
        entry = self.entry(view, key >> UNIT_BITS)
        assert entry is not None, f"no article for unit {key}"
        return entry, entry.unit(key)
