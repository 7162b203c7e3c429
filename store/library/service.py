"""The library: the store, the answering index kept in step with it, and who hears of new reports.

Every report comes in through `Library.add` or `Library.add_many`, whoever sends it (`/add`, an
upload, a forwarded post, `reportbot ingest`): the chats to tell are chosen from the
subscriptions inside the same commit that stores it, and their notices are queued in the
store's outbox there, by the process that commits. The bot only sends what the outbox holds.

The index follows every commit: the process that commits writes it; the others take it in on
`refresh()` (a PostgreSQL store refreshes on every NOTIFY), and index what nobody has.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from store.library.interface import (
    AddOutcome,
    LibraryStore,
    Notice,
    StoreChange,
    StoreError,
    Subscription,
    Watcher,
)
from store.library.opening import open_store
from store.library.shelf import Shelf
from store.library.subscriptions import notices_for
from store.reports.article import Article

if TYPE_CHECKING:
    from store.search.matcher import Matcher

_log = logging.getLogger(__name__)


class Library:
    """`store` with its `matcher`, whose index lives in `index_dir` (beside the store; see
    `index_location`) or, without one, in memory. Unless `index` is False (a process that only
    writes), the matcher answers; a writer with an index directory keeps the index current
    all the same."""

    def __init__(
        self, store: LibraryStore, *, index: bool = True, index_dir: Path | None = None
    ) -> None:
        self.store = store
        self._matcher: Matcher | None = None
        self._answers = index
        self._shelf: Shelf | None = None
        self._changes = 0  # changes followed: a shelf read across one is not kept
        self._shelving = threading.Lock()
        if index or index_dir is not None:
            # Imported here: a process that only writes without an index (the tests' and the
            # benchmarks' helpers) is spared the engine's numerical libraries.
            from store.search.matcher import Matcher

            try:
                self._matcher = Matcher(directory=index_dir)
            except OSError as exc:  # a folder it may not write, or a file in its place
                raise StoreError(f"cannot open the index {index_dir}: {exc.strerror}") from exc
            changed = self._matcher.reconcile(store.digests(), store.get_many)
            if changed:
                _log.info("index: %d reports brought up to date with %s", changed, store.location)
        store.watch(self._follow)

    @classmethod
    def open(
        cls,
        location: str | os.PathLike[str],
        *,
        index: bool = True,
        index_dir: Path | None = None,
    ) -> Library:
        """The library at `location` (a file or a postgresql:// URL). With its index, it
        follows other processes' commits to a PostgreSQL store as they happen."""
        return cls(open_store(location, listen=index), index=index, index_dir=index_dir)

    @property
    def matcher(self) -> Matcher:
        """The answering engine over every stored report."""
        if self._matcher is None or not self._answers:
            raise RuntimeError("this library was opened without an index")
        return self._matcher

    # ---- reports in and out ---------------------------------------------------------------

    def add(self, article: Article) -> AddOutcome:
        """Store one report; each chat that should hear of it gets its own notice."""
        ((_, outcome),) = self.add_many([article])
        return outcome

    def add_many(self, articles: Iterable[Article]) -> Iterator[tuple[Article, AddOutcome]]:
        """Store reports that arrive together; each chat hears of those it follows in one
        digest (or one notice, if only one of them). Results come as they are committed."""
        return self.store.add_many(articles, announce=self._notices)

    def remove(self, source: str) -> bool:
        return self.store.remove(source)

    def shelf(self) -> Shelf:
        """The reports per category and the newest ones; reads every report after a change,
        so call it off the event loop."""
        with self._shelving:
            shelf, seen = self._shelf, self._changes
        if shelf is None:
            shelf = Shelf.of(self.store)
            with self._shelving:
                if self._changes == seen:
                    self._shelf = shelf
        return shelf

    def refresh(self) -> StoreChange:
        """Take in what other processes committed: the index follows."""
        return self.store.refresh()

    def watch(self, callback: Watcher) -> None:
        """Call `callback(change)` after each change, once the index has it."""
        self.store.watch(callback)

    # ---- who hears of them ----------------------------------------------------------------

    def subscribe(self, chat_id: int, keywords: Iterable[str]) -> Subscription:
        return self.store.subscribe(chat_id, keywords)

    def unsubscribe(self, chat_id: int) -> bool:
        """Stop a chat's notices, those still pending included; False if it had none."""
        with self.store.batch():
            self.store.drop_notices(chat_id)
            return self.store.unsubscribe(chat_id)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _notices(self, articles: list[Article]) -> list[Notice]:
        # The store calls this inside the commit that stores `articles`, under its write lock,
        # so the subscriptions read here are the ones committed alongside.
        return notices_for(articles, self.store.subscriptions())

    def _follow(self, change: StoreChange) -> None:
        """The store's watcher (called under its lock, so one change at a time), in the thread
        that committed or heard of the change, never in one that answers."""
        with self._shelving:
            self._shelf, self._changes = None, self._changes + 1
        if self._matcher is None:
            return
        digests = self.store.digests(change.added | change.updated)
        self._matcher.follow(digests, change.removed, self.store.get_many)
