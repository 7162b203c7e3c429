"""What every store offers, whichever backend holds it: the TinyDB file (`store.py`) or
PostgreSQL (`postgres.py`). Callers depend on `LibraryStore`; `open_store` picks the backend.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from store.library.flood import Verdict
from store.library.pace import Lane
from store.reports.article import Article

BATCH_SIZE = 256  # articles committed together by add_many
NOTICE_LEASE = 60.0  # seconds a claimed notice is held for its sender before another may
# Finished update ids kept, so that an update Telegram delivers again is not handled twice: at
# most one poll's updates (100) are ever delivered and not yet confirmed.
KEEP_FINISHED = 1000

Update = dict[str, Any]  # a Telegram update as JSON


class StoreError(Exception):
    """The store cannot do what was asked; the message says why, for a person to read."""


class AddOutcome(StrEnum):
    STORED = "stored"
    UPDATED = "updated"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class Notice:
    """Tell `chat_id` about the report `source`; one outbox entry per chat and source.

    `arrival` names the reports stored together with it (empty when it came alone)."""

    chat_id: int
    source: str
    arrival: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Subscription:
    chat_id: int
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoreChange:
    """Sources added, updated and removed since watchers were last told."""

    added: frozenset[str] = frozenset()
    updated: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed)


Watcher = Callable[[StoreChange], None]
# Given the articles a commit stores or updates, the notices to queue with them.
Announce = Callable[[list[Article]], Iterable[Notice]]


def in_batches(articles: Iterable[Article]) -> Iterator[tuple[list[Article], bool]]:
    """`articles` in lists of `BATCH_SIZE`, each with whether it is the last; the last may be
    shorter, or empty."""
    batch: list[Article] = []
    for article in articles:
        if len(batch) == BATCH_SIZE:  # not the last batch: one more article came
            yield batch, False
            batch = []
        batch.append(article)
    yield batch, True


def notices_about(article: Article, notices: Iterable[Notice]) -> list[Notice]:
    """`notices`, checked to be about `article` (they are stored with it)."""
    notices = list(notices)
    if any(notice.source != article.source for notice in notices):
        raise ValueError(f"notices sent with {article.source!r} must be about it")
    return notices


class LibraryStore(Protocol):
    """Articles, subscriptions, admins, the notice outbox, flood counts, send slots and holds:
    one write path."""

    @property
    def location(self) -> str:
        """Where the store lives, for messages (a file path, or a URL without its password)."""

    def add(self, article: Article, *, notices: Iterable[Notice] = ()) -> AddOutcome: ...
    def add_many(
        self, articles: Iterable[Article], *, announce: Announce | None = None
    ) -> Iterator[tuple[Article, AddOutcome]]:
        """Store `articles`, one commit per `BATCH_SIZE`; results are yielded once committed.
        Inside each commit, `announce(articles)` gives the notices to queue with the articles
        it stores or updates: one arrival, whose notices stay out of `pending_notices` until
        its last commit (or until its writer is found dead)."""

    def get(self, source: str) -> Article | None: ...
    def get_many(self, sources: Collection[str]) -> list[Article]:
        """The stored articles of `sources` (those stored), in the order they were stored."""

    def digests(self, sources: Collection[str] | None = None) -> dict[str, str]:
        """Source: content digest (`fingerprint`) of the stored articles, or of those of
        `sources` that are stored."""

    def remove(self, source: str) -> bool: ...
    def __iter__(self) -> Iterator[Article]: ...
    def __len__(self) -> int: ...
    def count(self) -> int: ...
    def watch(self, callback: Watcher) -> None: ...
    def refresh(self) -> StoreChange: ...
    def subscribe(self, chat_id: int, keywords: Iterable[str]) -> Subscription: ...
    def unsubscribe(self, chat_id: int) -> bool: ...
    def subscription(self, chat_id: int) -> Subscription | None: ...
    def subscriptions(self) -> list[Subscription]: ...
    def move_subscription(self, old_id: int, new_id: int) -> bool: ...
    def add_admin(self, user_id: int) -> bool: ...
    def remove_admin(self, user_id: int) -> bool: ...
    def admins(self) -> frozenset[int]: ...
    def pending_notices(self) -> list[Notice]: ...
    def claim_notices(self, limit: int, *, lease: float = NOTICE_LEASE) -> list[Notice]:
        """Up to `limit` pending notices, oldest first, that no other claim holds; each is
        held for `lease` seconds, so that one sender alone sends it unless it is not marked
        sent by then."""

    def mark_notices_sent(self, notices: Iterable[Notice]) -> int: ...
    def release_notices(self, notices: Iterable[Notice]) -> None:
        """End this sender's claim on `notices` before its lease: it will not send them."""

    def drop_notices(self, chat_id: int) -> int: ...
    def admit_questions(
        self, user_ids: Sequence[int], *, limit: int, window: float
    ) -> list[Verdict]:
        """Count a question from each of `user_ids` (one user may be there more than once), in
        order, across every process sharing the store; a verdict for each."""

    def take_send_slots(
        self, chat_id: int | None, lanes: Sequence[Lane]
    ) -> tuple[list[int], float]:
        """A slot in each of `lanes` for one message to `chat_id`, all or none, shared by every
        process sharing the store, so that at most each lane's limit of messages is received in
        any of its windows (`store.library.pace`), and none while the chat is held
        (`store.library.holds`): `(slots, 0.0)`, or `([], seconds to wait before asking again)`."""

    def give_back_send_slots(self, slots: Sequence[int]) -> None:
        """Telegram has answered the message `slots` were taken for (or it failed)."""

    def hold_sends(self, chat_id: int | None, seconds: float) -> None:
        """Telegram answered a request to `chat_id` (None: to no chat) with "retry after
        `seconds`": every process sharing the store holds off it (None: every request) so long."""

    def send_hold(self, chat_id: int | None) -> float:
        """The seconds a request to `chat_id` (None: to no chat) must still wait for a hold;
        answered from memory, without a round trip, as it is asked before every request."""

    def journal_updates(self, updates: Iterable[Update]) -> list[int]:
        """Durably record Telegram updates not seen before as unfinished; their ids."""

    def finish_updates(self, update_ids: Iterable[int]) -> None:
        """Durably mark updates handled: never handled again, even if Telegram resends them."""

    def unfinished_updates(self) -> list[Update]:
        """Updates journaled and never finished (a crash came between), oldest first."""

    def update_finished(self, update_id: int) -> bool:
        """Called on the event loop for every update: answered without a round trip."""

    def batch(self) -> contextlib.AbstractContextManager[None]: ...
    def backup(self, path: str | os.PathLike[str]) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> LibraryStore: ...
    def __exit__(self, *exc: object) -> None: ...
