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
from pathlib import Path
from typing import Any

from filelock import FileLock

from store.reports.article import Article, fingerprint
from store.search.entries import (
    UNIT_BITS,
    Entry,
    indexed,
    speakers,
    stored_entry,
    surface_words,
)
from store.search.excerpts import Unit
from store.search.lru import SharedLRU
from store.search.people import People
from store.search.postings import Postings, Searchers
from store.search.spelling import Speller
from store.search.stats import Change, OtherVersion, Saved, Stats
from store.search.terms import Analyzer

BATCH = 500  # articles indexed in one commit when many come at once
ENTRIES = 4096  # articles' entries kept: building one is most of a question's CPU when missed
RECENT = 256  # questions' queries kept by a view (`View.queries`)

Fetch = Callable[[list[str]], Iterable[Article]]  # the stored articles of some sources

_log = logging.getLogger(__name__)


class View:
    """The index as of one commit. Its speller is made when first asked for: a process that
    only writes (`reportbot ingest`) never asks, and spares the work at every commit."""

    __slots__ = ("_people", "_speller", "queries", "searchers", "stats")

    def __init__(self, stats: Stats, searchers: Searchers, speller: Speller | None = None) -> None:
        self.stats = stats
        self.searchers = searchers
        self._speller = speller
        self._people: People | None = None
        # Questions' queries by their text (`ranking.build_query`): a question that found
        # nothing is read again for the closest reports, and each reading of a follow-up borrows
        # the words of the question before it.
        self.queries: SharedLRU[Any] = SharedLRU(RECENT)

    @property
    def people(self) -> People:
        """The speakers of this view, their names read when first asked for."""
        if self._people is None:
            self._people = People([s for s, n in self.stats.speakers.items() if n > 0])
        return self._people

    @property
    def speller(self) -> Speller:
        # Two threads asking at once may each make one: the same speller, and one is kept.
        if self._speller is None:
            speller = Speller()
            speller.add(self.stats.words)
            self._speller = speller
        return self._speller

    def prepare(self) -> None:
        """Make now what the first question would make: the speller and the speakers' names."""
        _ = self.speller, self.people

    def following(self, stats: Stats, searchers: Searchers, touched: set[str]) -> View:
        """The view after a change that touched only the words `touched`."""
        if self._speller is None:
            return View(stats, searchers)
        return View(stats, searchers, self._speller.following(stats.words, touched))


class LibraryIndex:
    def __init__(self, directory: Path | None = None) -> None:
        """The index in `directory` (made when missing, rebuilt empty when damaged), or in
        memory."""
        self.analyzer = Analyzer()
        self.directory = directory
        self._writing = threading.Lock()
        self._entries: SharedLRU[Entry] = SharedLRU(ENTRIES)
        self._saved = None if directory is None else Saved(directory)
        self.view = View(self._opened(), self._postings.searchers)

    def _opened(self) -> Stats:
        """Open the postings, and the statistics saved with them; an index that is damaged, or
        of another version, is started afresh by one process: workers started together after
        an upgrade each find it so, and one must not delete what another is building."""
        try:
            self._postings = Postings(self.directory)
            return self._saved_stats()
        except ValueError:
            assert self.directory is not None
        with FileLock(f"{self.directory}.lock", thread_local=False):
            try:  # another process may have started it afresh while this one waited
                self._postings = Postings(self.directory)
                return self._saved_stats()
            except ValueError as exc:
                # (after an upgrade an index of another version is expected; damage is not)
                upgraded = isinstance(exc, OtherVersion)
                _log.log(
                    logging.INFO if upgraded else logging.WARNING,
                    "index %s is %s (%s): rebuilding it",
                    self.directory,
                    "of another reportbot" if upgraded else "damaged",
                    exc,
                )
                shutil.rmtree(self.directory, ignore_errors=True)
                self._postings = Postings(self.directory)
                return Stats()

    def _saved_stats(self) -> Stats:
        """The statistics saved with the postings; ValueError when they do not match them."""
        opstamps = self._postings.opstamps()
        if self._saved is None or opstamps is None or opstamps == (0, 0):
            return Stats()
        stats = self._saved.load()
        if stats.opstamps != opstamps:
            # A writer may be between its commit and saving the statistics: ask again once
            # it is done.
            with self._postings.writing():
                stats = self._saved.load()
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
            if self._saved is not None and self._postings.opstamps() != self.view.stats.opstamps:
                self._catch_up()  # another process committed since this view
            stats, searchers = self.view.stats, self.view.searchers
            change = Change(stats.next_seq)
            touched: set[str] = set()
            gone = removed + [
                a.source for a, d in added if stats.reports.get(a.source, ("", d))[1] != d
            ]
            for source in gone:
                known = stats.indexed(source, change)
                if known is None:
                    continue
                old = self._entry(searchers, known[0])
                if old is None:  # never in the postings: only its sequence number is left
                    change.remove(source, None, [], [])
                else:
                    words = surface_words(old)
                    change.remove(source, old, words, speakers(old.article))
                    touched.update(words)
                batch.delete(known[0])
            for article, digest in added:
                if stats.indexed(article.source, change) is not None:
                    continue  # the same content, indexed already
                new = indexed(article, change.next_seq, self.analyzer)
                change.next_seq += 1
                entry, quoted = new.entry, speakers(article)
                change.add(entry, digest, new.words, quoted)
                touched.update(new.words)
                batch.add(entry.seq, entry.article_terms, entry.paragraph_terms, quoted, new.stored)
            if not change.reports:
                return 0
            change.opstamps = batch.commit()
            stats = stats.applied(change)
            self._save(stats, change)
            self.view = self.view.following(stats, self._postings.reload(), touched)
        return len(change.reports)

    def _save(self, stats: Stats, change: Change) -> None:
        """Save the statistics beside the postings just committed. When that fails (a full
        disk), answering goes on from memory, and the next start finds the two of different
        commits and rebuilds the index."""
        if self._saved is None:
            return
        try:
            self._saved.write(stats, change)
        except OSError as exc:
            _log.warning("cannot save the index in %s (%s)", self.directory, exc.strerror)

    def _catch_up(self) -> None:
        """Take in the statistics and postings other processes committed since this view,
        reading only the changes since when the log still holds them (under `_writing`)."""
        assert self._saved is not None
        try:
            found = self._saved.since(self.view.stats)
            stats, touched = (self._saved.load(), None) if found is None else found
        except ValueError:
            return  # nothing committed yet
        if stats.opstamps == self.view.stats.opstamps:
            return
        searchers = self._postings.reload()
        if touched is None:
            self.view = View(stats, searchers)
        else:  # only these words' counts changed: the speller follows them alone
            self.view = self.view.following(stats, searchers, touched)

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
            if self._postings.opstamps() != self.view.stats.opstamps:
                self._catch_up()

    # ---- reading ------------------------------------------------------------------------------

    def entry(self, view: View, seq: int) -> Entry | None:
        return self._entry(view.searchers, seq)

    def _entry(self, searchers: Searchers, seq: int) -> Entry | None:
        def make() -> Entry | None:
            record = searchers.record(seq)
            return None if record is None else stored_entry(record, seq, self.analyzer)

        return self._entries.get_or_make(seq, make)

    def entry_of_source(self, view: View, source: str) -> Entry | None:
        known = view.stats.reports.get(source)
        return None if known is None else self.entry(view, known[0])

    def unit(self, view: View, key: int) -> tuple[Entry, Unit]:
        entry = self.entry(view, key >> UNIT_BITS)
        assert entry is not None, f"no article for unit {key}"
        return entry, entry.unit(key)
