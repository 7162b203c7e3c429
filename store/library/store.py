"""The report library on disk: one TinyDB file, one write path, safe across threads and processes.

Every change goes through `_writing()`: it takes the thread lock and the cross-process file lock,
starts from what is committed on disk, and commits through `AtomicJSONStorage`, so a crash
leaves the old or the new file, whole. The notice outbox lives in a small sidecar file
(`<db>.outbox.json`) so that marking a notice sent does not rewrite the whole library.

Reports stored together by `add_many` form one arrival: their notices are queued commit by
commit, with the articles, but held back from `pending_notices` until the last commit, so that
a chat can be told of them all in one digest. From its first commit to its last, an arrival is
marked open in the outbox and its writer holds a lock file beside the store; an open arrival
whose lock is free belongs to a writer that died, and its notices are released as they stand.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import stat
import threading
import time
import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.table import Document, Table

from store.library import holds, pace
from store.library.flood import Asked, Verdict, judge_each
from store.library.interface import (
    NOTICE_LEASE,
    AddOutcome,
    Announce,
    Notice,
    StoreChange,
    StoreError,
    Subscription,
    Update,
    Watcher,
    in_batches,
    notices_about,
)
from store.library.journal import UpdateJournal
from store.library.schema import (
    SCHEMA_VERSION,
    ShapeError,
    check_outbox,
    check_reread,
    is_current,
    migrate,
    schema_version,
    stored_record,
)
from store.library.storage import AtomicJSONStorage, stale_temp_files, write_atomically
from store.reports.article import Article

LOCK_TIMEOUT = 30.0

_log = logging.getLogger(__name__)


class _KeyedTable(Table):
    """Documents keyed by a string of our choosing (the source, the chat id) instead of 1, 2, 3."""

    document_id_class = str


class _KeyedDB(TinyDB):
    table_class = _KeyedTable


def _notice_key(chat_id: int, source: str) -> str:
    return json.dumps([chat_id, source])


class ReportStore:
    """Articles, subscriptions, admins and the notice outbox, kept in a TinyDB file at `path`."""

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.outbox_path = self.path.with_name(self.path.name + ".outbox.json")
        self._lock = threading.RLock()
        self._file_lock = FileLock(
            f"{self.path}.lock", timeout=lock_timeout, thread_local=False, preserve_lock_file=True
        )
        self._main = AtomicJSONStorage(self.path, check_reread=check_reread)
        self._outbox_storage = AtomicJSONStorage(self.outbox_path)
        self._db = _KeyedDB(storage=lambda: self._main)
        self._outbox_db = _KeyedDB(storage=lambda: self._outbox_storage)
        self._journal = UpdateJournal(self.path.with_name(self.path.name + ".updates.json"))
        self._writing_depth = 0
        self._watchers: list[Watcher] = []
        self._by_fingerprint: dict[str, str] = {}
        self._indexed_version = -1
        self._seen: dict[str, str] = {}
        self._seen_version = -1
        self._claims: dict[Notice, float] = {}
        # flood counts: their own lock, so that a question is never counted behind a commit
        self._asked: dict[int, Asked] = {}
        self._asked_lock = threading.Lock()
        self._slots: dict[int, pace.Slots] = {}  # lane key: its slots (pace.py)
        self._slot_lanes: dict[int, int] = {}  # slot: its lane's key, until it is given back
        self._slot_ids = itertools.count(1)
        self._holds: holds.Holds = {}  # retry_after holds (holds.py)
        self._open()
        self._seen = self._digests()
        self._seen_version = self._main.version

    @property
    def location(self) -> str:
        return str(self.path)

    # ---- articles -------------------------------------------------------------------------

    def add(self, article: Article, *, notices: Iterable[Notice] = ()) -> AddOutcome:
        """Store `article`; queue `notices` with it unless it is a duplicate."""
        notices = notices_about(article, notices)
        with self._writing():
            staged: dict[str, dict[str, Any]] = {}
            outcome = self._stage(article, staged)
            if outcome is not AddOutcome.DUPLICATE:
                self._enqueue(notices, staged)
                self._put(staged)
            return outcome

    def add_many(
        self, articles: Iterable[Article], *, announce: Announce | None = None
    ) -> Iterator[tuple[Article, AddOutcome]]:
        """Store `articles`, one commit per `BATCH_SIZE`; results are yielded once committed.

        Inside each commit, `announce(articles)` is given the articles it stores or updates and
        the notices it returns are queued with them, as one arrival (see the module's note)."""
        arrival = _Arrival(self.path) if announce is not None else None
        try:
            for batch, last in in_batches(articles):
                yield from self._add_batch(batch, announce, arrival, last=last)
        finally:
            if arrival is not None:
                arrival.end()

    def get(self, source: str) -> Article | None:
        with self._lock:
            record = self._records().get(source)
        return None if record is None else Article.from_record(record)

    def get_many(self, sources: Collection[str]) -> list[Article]:
        with self._lock:
            wanted = set(sources)
            found = [r for s, r in self._records().items() if s in wanted]
        return [Article.from_record(record) for record in found]

    def digests(self, sources: Collection[str] | None = None) -> dict[str, str]:
        with self._lock:
            every = self._digests()
        return every if sources is None else {s: every[s] for s in sources if s in every}

    def remove(self, source: str) -> bool:
        with self._writing():
            if source not in self._records():
                return False
            self._outbox().remove(
                doc_ids=[k for k, e in self._notice_entries() if e["source"] == source]
            )
            self._articles().remove(doc_ids=[source])
            self._fingerprints()
            return True

    def __iter__(self) -> Iterator[Article]:
        with self._lock:
            records = list(self._records().values())
        for record in records:
            yield Article.from_record(record)

    def __len__(self) -> int:
        return self.count()

    def count(self) -> int:
        with self._lock:
            return len(self._records())

    # ---- change notification --------------------------------------------------------------

    def watch(self, callback: Watcher) -> None:
        """Call `callback(change)` after each change made here, and on `refresh()` elsewhere."""
        with self._lock:
            self._watchers.append(callback)

    def refresh(self) -> StoreChange:
        """Pick up what other processes committed, tell the watchers, and return the change."""
        with self._lock:
            self._main.read()  # (a file it cannot read is the storage's StoreError)
            return self._notify()

    # ---- subscriptions and admins ---------------------------------------------------------

    def subscribe(self, chat_id: int, keywords: Iterable[str]) -> Subscription:
        """Set the keywords `chat_id` wants to be told about, replacing any earlier ones."""
        subscription = Subscription(chat_id, tuple(dict.fromkeys(keywords)))
        with self._writing():
            self._subs().remove(doc_ids=[str(chat_id)])
            self._subs().insert(Document({"keywords": list(subscription.keywords)}, str(chat_id)))
        return subscription

    def unsubscribe(self, chat_id: int) -> bool:
        with self._writing():
            return bool(self._subs().remove(doc_ids=[str(chat_id)]))

    def subscription(self, chat_id: int) -> Subscription | None:
        with self._lock:
            doc = self._subs().get(doc_id=str(chat_id))
        return None if doc is None else Subscription(chat_id, tuple(doc["keywords"]))

    def subscriptions(self) -> list[Subscription]:
        with self._lock:
            docs = list(self._subs())
        return [Subscription(int(doc.doc_id), tuple(doc["keywords"])) for doc in docs]

    def move_subscription(self, old_id: int, new_id: int) -> bool:
        """Carry a chat's subscription and pending notices over to its new id (group upgrade)."""
        with self._writing():
            subscription = self.subscription(old_id)
            if subscription is None:
                return False
            moved = [e for _, e in self._notice_entries() if e["chat_id"] == old_id]
            self.drop_notices(old_id)
            self._outbox().insert_multiple(
                Document({**e, "chat_id": new_id}, _notice_key(new_id, e["source"]))
                for e in moved
                if _notice_key(new_id, e["source"]) not in dict(self._notice_entries())
            )
            self.unsubscribe(old_id)
            self.subscribe(new_id, subscription.keywords)
            return True

    def add_admin(self, user_id: int) -> bool:
        with self._writing():
            if user_id in self.admins():
                return False
            self._admins().insert(Document({}, str(user_id)))
            return True

    def remove_admin(self, user_id: int) -> bool:
        with self._writing():
            return bool(self._admins().remove(doc_ids=[str(user_id)]))

    def admins(self) -> frozenset[int]:
        with self._lock:
            return frozenset(int(doc.doc_id) for doc in self._admins())

    # ---- outbox ---------------------------------------------------------------------------

    def pending_notices(self) -> list[Notice]:
        """Notices not yet marked sent, oldest first, for articles that are committed, but for
        those of an arrival whose writer is still at work."""
        with self._lock:
            # The outbox once, then the articles: an arrival is marked open before its first
            # notices are queued and closed after its last articles are committed, so whatever
            # this outbox shows of an arrival, the articles read after it hold no less.
            outbox = self._outbox_storage.read() or {}
            records = self._records()
            held = {a for a in outbox.get("arrivals", {}) if _Arrival.is_live(self.path, a)}
            return [
                Notice(entry["chat_id"], entry["source"], entry.get("arrival", ""))
                for entry in outbox.get("outbox", {}).values()
                if _notice_is_live(entry, records.get(entry["source"]))
                and entry.get("arrival") not in held
            ]

    def claim_notices(self, limit: int, *, lease: float = NOTICE_LEASE) -> list[Notice]:
        """Claims are held in this process: one file has one bot process sending."""
        now = time.monotonic()
        with self._lock:
            self._claims = {n: t for n, t in self._claims.items() if t > now}
            free = [n for n in self.pending_notices() if n not in self._claims]
            messages = set(list(dict.fromkeys((n.chat_id, n.arrival) for n in free))[:limit])
            claimed = [n for n in free if (n.chat_id, n.arrival) in messages]
            self._claims.update((n, now + lease) for n in claimed)
            return claimed

    def release_notices(self, notices: Iterable[Notice]) -> None:
        with self._lock:
            for notice in notices:
                self._claims.pop(notice, None)

    def mark_notices_sent(self, notices: Iterable[Notice]) -> int:
        """Take `notices` off the outbox in one write; how many were still pending."""
        with self._writing():
            pending = {key for key, _ in self._notice_entries()}
            keys = [key for n in notices if (key := _notice_key(n.chat_id, n.source)) in pending]
            return len(self._outbox().remove(doc_ids=keys)) if keys else 0

    def drop_notices(self, chat_id: int) -> int:
        with self._writing():
            keys = [key for key, entry in self._notice_entries() if entry["chat_id"] == chat_id]
            return len(self._outbox().remove(doc_ids=keys))

    # ---- flood limits ------------------------------------------------------------------------

    def admit_questions(
        self, user_ids: Sequence[int], *, limit: int, window: float
    ) -> list[Verdict]:
        """Counted in this process's memory: one file has one bot process answering."""
        with self._asked_lock:
            return judge_each(self._asked, user_ids, time.monotonic(), limit=limit, window=window)

    def take_send_slots(
        self, chat_id: int | None, lanes: Sequence[pace.Lane]
    ) -> tuple[list[int], float]:
        """Kept in this process's memory, as flood counts are."""
        with self._asked_lock:
            now = time.monotonic()
            delay = holds.held(self._holds, chat_id, now) or pace.wait_all(lanes, self._slots, now)
            if delay:
                return [], delay
            taken = [next(self._slot_ids) for _ in lanes]
            for lane, slot in zip(lanes, taken, strict=True):
                self._slots.setdefault(lane.key, {})[slot] = (now, None)
                self._slot_lanes[slot] = lane.key
            return taken, 0.0

    def give_back_send_slots(self, slots: Sequence[int]) -> None:
        with self._asked_lock:
            now = time.monotonic()
            for slot in slots:
                lane = self._slots.get(self._slot_lanes.pop(slot, pace.BULK_LANE), {})
                if slot in lane:
                    lane[slot] = (lane[slot][0], now)

    def hold_sends(self, chat_id: int | None, seconds: float) -> None:
        with self._asked_lock:
            now = time.monotonic()
            holds.hold(self._holds, chat_id, now + seconds, now)

    def send_hold(self, chat_id: int | None) -> float:
        return holds.held(self._holds, chat_id, time.monotonic())

    # ---- the update journal (see journal.py) ----------------------------------------------

    def journal_updates(self, updates: Iterable[Update]) -> list[int]:
        """Durably record Telegram updates not seen before as unfinished; their ids."""
        with self._journal_errors():
            return self._journal.add(updates)

    def finish_updates(self, update_ids: Iterable[int]) -> None:
        """Durably mark updates handled: never handled again, even if Telegram resends them."""
        with self._journal_errors():
            self._journal.finish(update_ids)

    def unfinished_updates(self) -> list[Update]:
        """Updates journaled and never finished (a crash came between), oldest first."""
        with self._journal_errors():
            return self._journal.unfinished()

    def update_finished(self, update_id: int) -> bool:
        with self._journal_errors():
            return self._journal.is_finished(update_id)

    @contextlib.contextmanager
    def _journal_errors(self) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            raise StoreError(
                f"cannot write the update journal {self._journal.path}: {exc.strerror}"
            ) from exc
        except ValueError as exc:
            raise StoreError(f"cannot read the update journal {self._journal.path}: {exc}") from exc

    # ---- the whole store ------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Make every change inside the block one commit (e.g. a thousand subscriptions)."""
        with self._writing():
            yield

    def backup(self, path: str | os.PathLike[str]) -> None:
        """Write a consistent copy of the store (and its outbox) to `path`."""
        target = Path(path)
        with self._lock, self._locked():
            copies = [(self._main, target)]
            copies.append((self._outbox_storage, target.with_name(target.name + ".outbox.json")))
            for storage, dest in copies:
                payload = storage.raw_bytes()
                if payload is None:
                    continue
                try:
                    write_atomically(dest, payload)
                except OSError as exc:
                    raise StoreError(f"cannot write the backup {dest}: {exc.strerror}") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._outbox_db.close()
            self._journal.close()

    def __enter__(self) -> ReportStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- internals ------------------------------------------------------------------------

    def _articles(self) -> Table:
        return self._db.table("articles")

    def _subs(self) -> Table:
        return self._db.table("subscriptions")

    def _admins(self) -> Table:
        return self._db.table("admins")

    def _outbox(self) -> Table:
        return self._outbox_db.table("outbox")

    def _arrivals(self) -> Table:
        """The arrivals still open: their writers commit more of their notices."""
        return self._outbox_db.table("arrivals")

    def _open_arrivals(self) -> list[str]:
        return list((self._outbox_storage.read() or {}).get("arrivals", {}))

    def _records(self) -> dict[str, dict[str, Any]]:
        """The stored article records by source, as held in memory (read-only)."""
        return (self._main.read() or {}).get("articles", {})

    def _notice_entries(self) -> list[tuple[str, dict[str, Any]]]:
        return list(((self._outbox_storage.read() or {}).get("outbox", {})).items())

    def _digests(self) -> dict[str, str]:
        return {source: record["digest"] for source, record in self._records().items()}

    def _fingerprints(self) -> dict[str, str]:
        """Fingerprint -> source of every stored article, rebuilt whenever the data changed."""
        if self._indexed_version != self._main.version:
            self._by_fingerprint = {digest: s for s, digest in self._digests().items()}
            self._indexed_version = self._main.version
        return self._by_fingerprint

    def _stage(self, article: Article, staged: dict[str, dict[str, Any]]) -> AddOutcome:
        """Classify `article` against what is stored and staged, and stage it unless a duplicate."""
        record = stored_record(article)
        by_fingerprint = self._fingerprints()
        if record["digest"] in by_fingerprint:
            return AddOutcome.DUPLICATE
        earlier = staged.get(article.source) or self._records().get(article.source)
        if earlier is not None:
            by_fingerprint.pop(earlier["digest"], None)
        by_fingerprint[record["digest"]] = article.source
        staged[article.source] = record
        return AddOutcome.STORED if earlier is None else AddOutcome.UPDATED

    def _put(self, staged: dict[str, dict[str, Any]]) -> None:
        table = self._articles()
        table.remove(doc_ids=[source for source in staged if source in self._records()])
        table.insert_multiple(Document(record, source) for source, record in staged.items())
        # The index was kept up to date while staging; the write only bumped the version.
        self._indexed_version = self._main.version

    def _add_batch(
        self,
        batch: list[Article],
        announce: Announce | None,
        arrival: _Arrival | None,
        *,
        last: bool,
    ) -> list[tuple[Article, AddOutcome]]:
        if not batch:
            return []
        with self._writing():
            staged: dict[str, dict[str, Any]] = {}
            results = [(article, self._stage(article, staged)) for article in batch]
            if staged:
                if announce is not None and arrival is not None:
                    latest = {a.source: a for a, o in results if o is not AddOutcome.DUPLICATE}
                    notices = announce(list(latest.values()))
                    if notices and not last and not arrival.opened:
                        arrival.open()
                        self._arrivals().insert(Document({}, arrival.name))
                    self._enqueue(notices, staged, arrival.name)
                self._put(staged)
        if last and arrival is not None and arrival.opened:
            # A commit of its own: a commit writes the outbox before the articles, and closing
            # the arrival with its last articles would free its notices before those articles.
            with self._writing():
                self._arrivals().remove(doc_ids=[arrival.name])
        return results

    def _enqueue(
        self, notices: Iterable[Notice], staged: dict[str, dict[str, Any]], arrival: str = ""
    ) -> None:
        """Queue `notices` of the `staged` records, but for those queued already."""
        # Outbox entries are committed before the article; an entry counts (`ok`) only once its
        # article is committed with the same digest, so a crash in between neither loses the
        # notices of a stored article nor sends any for one that never got stored.
        queued = dict(self._notice_entries())
        fresh = {
            _notice_key(n.chat_id, n.source): {
                "chat_id": n.chat_id,
                "source": n.source,
                "digest": staged[n.source]["digest"],
                "ok": False,
            }
            | ({"arrival": arrival} if arrival else {})
            for n in notices
        }
        self._outbox().insert_multiple(
            Document(entry, key) for key, entry in fresh.items() if key not in queued
        )

    def _open(self) -> None:
        try:
            version = schema_version(self._main.read())
            check_outbox(self._outbox_storage.read())
            unsettled = any(not e["ok"] for _, e in self._notice_entries())
        except ShapeError as exc:
            raise self._refused(exc) from exc
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot read the store {self.path}: {exc}") from exc
        if version is not None and version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer reportbot (schema {version}): upgrade it"
            )
        outdated = version is not None and version < SCHEMA_VERSION
        leftovers = stale_temp_files(self.path) or stale_temp_files(self.outbox_path)
        if outdated or ((unsettled or leftovers) and self._writable()):
            with self._writing():
                pass

    def _refused(self, exc: ShapeError) -> StoreError:
        return StoreError(f"{self.path} is not a store reportbot can use ({exc}); left as it was")

    def _upkeep(self) -> None:
        """Repairs due at the start of every commit, while no other writer can be mid-commit."""
        for leftover in [*stale_temp_files(self.path), *stale_temp_files(self.outbox_path)]:
            leftover.unlink(missing_ok=True)
        data = self._main.read()
        if not is_current(data):
            try:
                version = schema_version(data)
            except ShapeError as exc:
                raise self._refused(exc) from exc
            if version is not None:  # a file to change: keep it as it was, beside it
                backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
                write_atomically(backup, self._main.raw_bytes() or b"")
                _log.info(
                    "migrating %s from schema %s; the old file is %s", self.path, version, backup
                )
            self._main.write(migrate(data or {}))
        self._settle_outbox()
        self._release_abandoned_arrivals()

    def _release_abandoned_arrivals(self) -> None:
        """Close the arrivals whose writers died before their last commit."""
        abandoned = [a for a in self._open_arrivals() if not _Arrival.is_live(self.path, a)]
        if abandoned:
            self._arrivals().remove(doc_ids=abandoned)

    def _settle_outbox(self) -> None:
        """Confirm notices whose article got committed; drop those whose article never was."""
        records = self._records()
        confirm, drop = [], []
        for key, entry in self._notice_entries():
            if not entry["ok"]:
                live = _notice_is_live(entry, records.get(entry["source"]))
                (confirm if live else drop).append(key)
        if confirm:
            self._outbox().update({"ok": True}, doc_ids=confirm)
        if drop:
            self._outbox().remove(doc_ids=drop)

    def _writable(self) -> bool:
        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError:
            return True
        return bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) and os.access(
            self.path, os.W_OK
        )

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            with self._file_lock:
                yield
        except Timeout as exc:
            raise StoreError(
                f"the store {self.path} is busy: another process held its lock "
                f"for over {self._file_lock.timeout:g} s"
            ) from exc

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """The one write path: locks, the latest data, one commit per file, then the watchers."""
        with self._lock:
            if self._writing_depth:
                self._writing_depth += 1
                try:
                    yield
                finally:
                    self._writing_depth -= 1
                return
            if not self._writable():
                raise StoreError(f"the store {self.path} is read-only")
            try:
                with self._locked():
                    self._writing_depth = 1
                    try:
                        # The outbox commits first (inner block), the articles second.
                        with self._main.batch(), self._outbox_storage.batch():
                            self._upkeep()
                            yield
                    finally:
                        self._writing_depth = 0
            except StoreError:
                raise
            except OSError as exc:
                raise StoreError(f"cannot write the store {self.path}: {exc.strerror}") from exc
            self._notify()

    def _notify(self) -> StoreChange:
        if self._seen_version == self._main.version:
            return StoreChange()
        now = self._digests()
        before = self._seen
        change = StoreChange(
            added=frozenset(now.keys() - before.keys()),
            updated=frozenset(s for s in now.keys() & before.keys() if now[s] != before[s]),
            removed=frozenset(before.keys() - now.keys()),
        )
        self._seen, self._seen_version = now, self._main.version
        if change:
            for callback in list(self._watchers):
                try:
                    callback(change)
                except Exception:
                    _log.exception("a store watcher failed on %s", change)
        return change


class _Arrival:
    """One `add_many` call that announces: a name for its notices and, once it spans commits,
    a lock file held while its writer is at work, so that others can tell an arrival still
    coming from an abandoned one."""

    def __init__(self, store_path: Path) -> None:
        self.name = uuid.uuid4().hex
        self._path = self.lock_path(store_path, self.name)
        self._lock: FileLock | None = None

    @property
    def opened(self) -> bool:
        return self._lock is not None

    def open(self) -> None:
        """Hold the lock; the caller marks the arrival open in the same commit."""
        lock = FileLock(self._path, timeout=0, thread_local=False)
        lock.acquire()
        self._lock = lock

    def end(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._path.unlink(missing_ok=True)
            self._lock = None

    @staticmethod
    def lock_path(store_path: Path, name: str) -> Path:
        return store_path.with_name(f"{store_path.name}.arrival-{name}.lock")

    @classmethod
    def is_live(cls, store_path: Path, name: str) -> bool:
        """Is the writer of arrival `name` at work? Its lock is held while it is; a lock file
        that no one holds is left from a writer that died, and goes."""
        path = cls.lock_path(store_path, name)
        if not path.exists():
            return False
        try:
            with FileLock(path, timeout=0, thread_local=False):
                path.unlink(missing_ok=True)
        except Timeout:
            return True
        except OSError:  # a read-only folder: the litter stays
            pass
        return False


def _notice_is_live(entry: dict[str, Any], record: dict[str, Any] | None) -> bool:
    return record is not None and (entry["ok"] or record["digest"] == entry["digest"])
