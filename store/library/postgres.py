"""The report library in PostgreSQL: the same store as the TinyDB file, shared by many workers.

Every change to the library goes through `_writing()`: one transaction that first takes an
advisory lock, so that writers (bot workers, `reportbot ingest`) classify duplicates against
what is committed and commit one at a time. Each article write appends its source to
`library_changes` and sends a NOTIFY; `refresh()` reads the changes since it last looked, and a
store opened with `listen=True` runs `refresh()` on every notification, so a report stored by
any process reaches every worker's watchers within moments. Notices are claimed with
`FOR UPDATE SKIP LOCKED`; flood counts, send slots and Telegram's retry_after holds live in
tables, so workers share them all (a listening store follows the holds in memory, through
NOTIFY). The update journal is a table too; the ids of finished updates are also kept in
memory, because the bot asks about one for every update, on its event loop.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from store.library import holds, pace
from store.library.flood import Asked, Verdict, judge
from store.library.interface import (
    KEEP_FINISHED,
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
from store.library.pg_schema import NewerSchema, migrate
from store.library.schema import stored_record
from store.reports.article import Article

POOL_SIZE = 8
CONNECT_TIMEOUT = 10.0
CHANNEL = "reportbot_library"
HOLDS_CHANNEL = "reportbot_holds"  # payload: "<chat id, or holds.EVERY> <seconds held>"
ARRIVAL_HOLD = 300.0  # seconds an open arrival's notices wait after its writer's last commit
CHANGES_KEPT = "1 day"  # a worker that has not refreshed for longer re-reads every digest
_WRITE_LOCK = 0x7265706E  # the advisory lock key of the write path
# The advisory lock key of taking a slot in the bulk lane; a group's lane is locked by its chat
# id, negative, so never one of these keys.
_SLOTS_LOCK = 0x72657073
# finish_updates drops the finished ids past the latest KEEP_FINISHED once this many more came
PRUNE_EVERY = 100
_NOW = "SELECT extract(epoch FROM clock_timestamp())::float8"
# flood.judge in one statement, a round trip instead of four (BEGIN, read, write, COMMIT): the
# user's times inside the window (`kept`) and `warned` as they were, read and locked by the
# FROM (which makes RETURNING see them), give the verdict and the new state.
_ADMIT = """
    UPDATE flood SET
        times = CASE WHEN cardinality(old.kept) < %(limit)s
            THEN old.kept || %(now)s::float8 ELSE old.kept END,
        warned = CASE WHEN cardinality(old.kept) < %(limit)s
            OR old.warned > %(now)s::float8 - %(window)s THEN old.warned ELSE %(now)s END
    FROM (
        SELECT user_id, warned,
            ARRAY(SELECT t FROM unnest(times) t WHERE t > %(now)s::float8 - %(window)s) AS kept
        FROM flood WHERE user_id = %(user)s FOR UPDATE
    ) old
    WHERE flood.user_id = old.user_id
    RETURNING CASE WHEN cardinality(old.kept) < %(limit)s THEN 'answer'
        WHEN old.warned > %(now)s::float8 - %(window)s THEN 'ignore' ELSE 'warn' END
"""

_log = logging.getLogger(__name__)


def redacted(url: str) -> str:
    """`url` without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rpartition("@")
    user = netloc[0].partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[2]}"))


class PostgresStore:
    """Articles, subscriptions, admins, the notice outbox, flood counts, send slots and holds,
    and the update journal in PostgreSQL."""

    def __init__(self, url: str, *, listen: bool = False, pool_size: int = POOL_SIZE) -> None:
        self.url = url
        self._lock = threading.RLock()  # this process's writers, one at a time
        self._tx: psycopg.Connection | None = None
        self._tx_thread: int | None = None
        self._refreshing = threading.Lock()
        self._watchers: list[Watcher] = []
        self._closed = threading.Event()
        self._holds: holds.Holds = {}  # on time.monotonic()'s clock
        self._holds_lock = threading.Lock()  # the listener's and the senders' threads
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT) as conn:
                migrate(conn)
                self._seen, self._last_change = _snapshot(conn)
                finished = conn.execute("SELECT update_id FROM updates WHERE finished")
                self._finished = {row[0] for row in finished.fetchall()}
                self._unpruned = len(self._finished)  # finished ids the journal may drop
                self._read_holds(conn)
        except NewerSchema as exc:
            raise StoreError(f"the store {self.location} {exc}") from None
        except psycopg.Error as exc:
            raise StoreError(f"cannot open the store {self.location}: {_reason(exc)}") from None
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True},
            open=True,
            name="reportbot",
        )
        self._listener: threading.Thread | None = None
        if listen:
            self._listener = threading.Thread(target=self._listen, name="store-listen", daemon=True)
            self._listener.start()

    @property
    def location(self) -> str:
        return redacted(self.url)

    # ---- articles -------------------------------------------------------------------------

    def add(self, article: Article, *, notices: Iterable[Notice] = ()) -> AddOutcome:
        """Store `article`; queue `notices` with it unless it is a duplicate."""
        notices = notices_about(article, notices)
        with self._writing() as conn:
            [outcome] = self._store_batch(conn, [article])
            if outcome is not AddOutcome.DUPLICATE:
                _enqueue(conn, notices, "")
            return outcome

    def add_many(
        self, articles: Iterable[Article], *, announce: Announce | None = None
    ) -> Iterator[tuple[Article, AddOutcome]]:
        """Store `articles`, one commit per `BATCH_SIZE`; results are yielded once committed.
        With `announce`, one arrival: its notices wait in `arrivals` until the last commit."""
        arrival, opened, closed = uuid.uuid4().hex, False, False
        try:
            for batch, last in in_batches(articles):
                if not (batch or opened):
                    continue
                with self._writing() as conn:
                    results = list(zip(batch, self._store_batch(conn, batch), strict=True))
                    if announce is not None:
                        fresh = {a.source: a for a, o in results if o is not AddOutcome.DUPLICATE}
                        queued = fresh and _enqueue(conn, announce(list(fresh.values())), arrival)
                        opened = opened or bool(queued and not last)
                        if opened:
                            closed = last
                            _hold_arrival(conn, arrival, open=not last)
                yield from results
        finally:
            if opened and not closed:  # the caller stopped early: release what was queued
                with self._writing() as conn:
                    _hold_arrival(conn, arrival, open=False)

    def get(self, source: str) -> Article | None:
        with self._reading() as conn:
            sql = "SELECT record FROM articles WHERE source = %s"
            row = conn.execute(sql, (source,)).fetchone()
        return None if row is None else Article.from_record(row[0])

    def get_many(self, sources: Collection[str]) -> list[Article]:
        with self._reading() as conn:
            sql = "SELECT record FROM articles WHERE source = ANY(%s) ORDER BY position"
            rows = conn.execute(sql, (list(sources),)).fetchall()
        return [Article.from_record(record) for (record,) in rows]

    def digests(self, sources: Collection[str] | None = None) -> dict[str, str]:
        with self._reading() as conn:
            if sources is None:
                rows = conn.execute("SELECT source, digest FROM articles").fetchall()
            else:
                sql = "SELECT source, digest FROM articles WHERE source = ANY(%s)"
                rows = conn.execute(sql, (list(sources),)).fetchall()
        return dict(rows)

    def remove(self, source: str) -> bool:
        with self._writing() as conn:
            gone = conn.execute("DELETE FROM articles WHERE source = %s", (source,)).rowcount
            if gone:
                _log_changes(conn, [source])
            return bool(gone)

    def __iter__(self) -> Iterator[Article]:
        # Streamed through a server-side cursor: 100,000 records are never all in memory as rows.
        with (
            self._reading() as conn,
            conn.transaction(),
            conn.cursor(name="reportbot_articles") as cursor,
        ):
            cursor.itersize = 500
            cursor.execute("SELECT record FROM articles ORDER BY position")
            for (record,) in cursor:
                yield Article.from_record(record)

    def __len__(self) -> int:
        return self.count()

    def count(self) -> int:
        with self._reading() as conn:
            return _scalar(conn, "SELECT count(*) FROM articles")

    # ---- change notification --------------------------------------------------------------

    def watch(self, callback: Watcher) -> None:
        """Call `callback(change)` after each change made here, and on `refresh()` elsewhere."""
        with self._lock:
            self._watchers.append(callback)

    def refresh(self) -> StoreChange:
        """Pick up what was committed since the last look, tell the watchers, return the change."""
        with self._refreshing:
            with self._reading() as conn:
                oldest = _scalar(conn, "SELECT coalesce(min(id), 0) FROM library_changes")
                if oldest > self._last_change + 1 and self._last_change:  # pruned past us
                    now, last = _snapshot(conn)
                    touched = now.keys() | self._seen.keys()
                else:
                    rows = conn.execute(
                        "SELECT id, source FROM library_changes WHERE id > %s",
                        (self._last_change,),
                    ).fetchall()
                    if not rows:
                        return StoreChange()
                    last = max(i for i, _ in rows)
                    touched = {s for _, s in rows}
                    now = dict(
                        conn.execute(
                            "SELECT source, digest FROM articles WHERE source = ANY(%s)",
                            (list(touched),),
                        ).fetchall()
                    )
            before = self._seen
            change = StoreChange(
                added=frozenset(s for s in touched if s in now and s not in before),
                updated=frozenset(
                    s for s in touched if s in now and s in before and now[s] != before[s]
                ),
                removed=frozenset(s for s in touched if s not in now and s in before),
            )
            for source in touched:
                if source in now:
                    before[source] = now[source]
                else:
                    before.pop(source, None)
            self._last_change = last
            if change:
                for callback in list(self._watchers):
                    try:
                        callback(change)
                    except Exception:
                        _log.exception("a store watcher failed on %s", change)
            return change

    # ---- subscriptions and admins ---------------------------------------------------------

    def subscribe(self, chat_id: int, keywords: Iterable[str]) -> Subscription:
        """Set the keywords `chat_id` wants to be told about, replacing any earlier ones."""
        subscription = Subscription(chat_id, tuple(dict.fromkeys(keywords)))
        with self._writing() as conn:
            conn.execute(
                "INSERT INTO subscriptions (chat_id, keywords) VALUES (%s, %s::text[])"
                " ON CONFLICT (chat_id) DO UPDATE"
                " SET keywords = excluded.keywords, position = nextval('positions')",
                (chat_id, list(subscription.keywords)),
            )
        return subscription

    def unsubscribe(self, chat_id: int) -> bool:
        with self._writing() as conn:
            sql = "DELETE FROM subscriptions WHERE chat_id = %s"
            return bool(conn.execute(sql, (chat_id,)).rowcount)

    def subscription(self, chat_id: int) -> Subscription | None:
        with self._reading() as conn:
            row = conn.execute(
                "SELECT keywords FROM subscriptions WHERE chat_id = %s", (chat_id,)
            ).fetchone()
        return None if row is None else Subscription(chat_id, tuple(row[0]))

    def subscriptions(self) -> list[Subscription]:
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT chat_id, keywords FROM subscriptions ORDER BY position"
            ).fetchall()
        return [Subscription(chat_id, tuple(keywords)) for chat_id, keywords in rows]

    def move_subscription(self, old_id: int, new_id: int) -> bool:
        """Carry a chat's subscription and pending notices over to its new id (group upgrade)."""
        with self._writing() as conn:
            subscription = self.subscription(old_id)
            if subscription is None:
                return False
            conn.execute(
                "UPDATE notices SET chat_id = %(new)s, claimed_until = NULL"
                " WHERE chat_id = %(old)s AND source NOT IN"
                " (SELECT source FROM notices WHERE chat_id = %(new)s)",
                {"old": old_id, "new": new_id},
            )
            self.drop_notices(old_id)
            self.unsubscribe(old_id)
            self.subscribe(new_id, subscription.keywords)
            return True

    def add_admin(self, user_id: int) -> bool:
        with self._writing() as conn:
            sql = "INSERT INTO admins (user_id) VALUES (%s) ON CONFLICT DO NOTHING"
            return bool(conn.execute(sql, (user_id,)).rowcount)

    def remove_admin(self, user_id: int) -> bool:
        with self._writing() as conn:
            return bool(conn.execute("DELETE FROM admins WHERE user_id = %s", (user_id,)).rowcount)

    def admins(self) -> frozenset[int]:
        with self._reading() as conn:
            return frozenset(r[0] for r in conn.execute("SELECT user_id FROM admins").fetchall())

    # ---- outbox ---------------------------------------------------------------------------

    def pending_notices(self) -> list[Notice]:
        """Notices not yet marked sent, oldest first, but for those of an open arrival."""
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT chat_id, source, arrival FROM notices n WHERE {_RELEASED}"
                " ORDER BY position"
            ).fetchall()
        return [Notice(*row) for row in rows]

    def claim_notices(self, limit: int, *, lease: float = NOTICE_LEASE) -> list[Notice]:
        """The notices of up to `limit` messages (a chat and an arrival each), claimed with
        SKIP LOCKED: workers claiming at once each get different notices."""
        free = f"{_RELEASED} AND (n.claimed_until IS NULL OR n.claimed_until <= clock_timestamp())"
        with self._reading() as conn:
            rows = conn.execute(
                "UPDATE notices SET claimed_until = clock_timestamp() + make_interval(secs => %s)"
                " WHERE (chat_id, source) IN (SELECT chat_id, source FROM notices n"
                f"  WHERE {free} AND (chat_id, arrival) IN (SELECT chat_id, arrival"
                f"   FROM notices n WHERE {free} GROUP BY chat_id, arrival"
                "    ORDER BY min(position) LIMIT %s)"
                "  FOR UPDATE SKIP LOCKED)"
                " RETURNING position, chat_id, source, arrival",
                (lease, limit),
            ).fetchall()
        return [Notice(*row[1:]) for row in sorted(rows)]

    def release_notices(self, notices: Iterable[Notice]) -> None:
        notices = list(notices)
        with self._reading() as conn:
            conn.execute(
                "UPDATE notices SET claimed_until = NULL WHERE (chat_id, source) IN"
                " (SELECT * FROM unnest(%s::bigint[], %s::text[]))",
                ([n.chat_id for n in notices], [n.source for n in notices]),
            )

    def mark_notices_sent(self, notices: Iterable[Notice]) -> int:
        """Take `notices` off the outbox in one write; how many were still pending."""
        notices = list(notices)
        if not notices:
            return 0
        with self._reading() as conn:
            return conn.execute(
                "DELETE FROM notices WHERE (chat_id, source) IN"
                " (SELECT * FROM unnest(%s::bigint[], %s::text[]))",
                ([n.chat_id for n in notices], [n.source for n in notices]),
            ).rowcount

    def drop_notices(self, chat_id: int) -> int:
        with self._reading() as conn:
            return conn.execute("DELETE FROM notices WHERE chat_id = %s", (chat_id,)).rowcount

    # ---- flood limits ------------------------------------------------------------------------

    def admit_questions(
        self, user_ids: Sequence[int], *, limit: int, window: float
    ) -> list[Verdict]:
        """One statement a question (`_ADMIT`), each alone a transaction that locks one row, so
        workers count one question of a user at a time and never wait on each other in a
        circle; a user's first question inserts their row as `judge` leaves it (one more
        statement, where inserting an empty row and judging it again were two)."""
        verdicts = []
        now = time.time()
        first, counted = judge(Asked(), now, limit=limit, window=window)
        with self._reading() as conn:
            for user_id in user_ids:
                asked = {"user": user_id, "now": now, "limit": limit, "window": window}
                row = conn.execute(_ADMIT, asked).fetchone()
                if row is None:
                    inserted = conn.execute(
                        "INSERT INTO flood (user_id, times, warned) VALUES (%s, %s, %s)"
                        " ON CONFLICT DO NOTHING",
                        (user_id, list(counted.times), counted.warned),
                    ).rowcount
                    # else another worker's question inserted it meanwhile: judged with it
                    row = (first.value,) if inserted else conn.execute(_ADMIT, asked).fetchone()
                verdicts.append(Verdict(row[0]))
        return verdicts

    def take_send_slots(
        self, chat_id: int | None, lanes: Sequence[pace.Lane]
    ) -> tuple[list[int], float]:
        """One taker at a time in each lane across workers (advisory locks, taken in one order),
        on the server's clock."""
        keys = [lane.key for lane in lanes]
        held_keys = [holds.EVERY] if chat_id is None else [chat_id, holds.EVERY]
        with self._reading() as conn, conn.transaction():
            for key in sorted(_SLOTS_LOCK if key == pace.BULK_LANE else key for key in keys):
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (key,))
            now, until = conn.execute(
                f"SELECT ({_NOW}), (SELECT max(until) FROM send_holds WHERE chat_id = ANY(%s))",
                (held_keys,),
            ).fetchone()
            if until is not None and until > now:
                return [], until - now
            rows = conn.execute(
                "SELECT id, lane, taken, given_back FROM send_slots WHERE lane = ANY(%s)", (keys,)
            ).fetchall()
            slots: dict[int, pace.Slots] = {}
            for slot, lane, taken, back in rows:
                slots.setdefault(lane, {})[slot] = (taken, back)
            delay = pace.wait_all(lanes, slots, now)
            kept = {slot for lane in slots.values() for slot in lane}
            if gone := [row[0] for row in rows if row[0] not in kept]:
                conn.execute("DELETE FROM send_slots WHERE id = ANY(%s)", (gone,))
            if delay:
                return [], delay
            taken = conn.execute(
                "INSERT INTO send_slots (lane, taken) SELECT unnest(%s::bigint[]), %s RETURNING id",
                (keys, now),
            ).fetchall()
        return [row[0] for row in taken], 0.0

    def give_back_send_slots(self, slots: Sequence[int]) -> None:
        with self._reading() as conn:
            conn.execute(
                f"UPDATE send_slots SET given_back = ({_NOW}) WHERE id = ANY(%s)", (list(slots),)
            )

    def hold_sends(self, chat_id: int | None, seconds: float) -> None:
        key = holds.EVERY if chat_id is None else chat_id
        with self._reading() as conn, conn.transaction():
            conn.execute(
                f"INSERT INTO send_holds (chat_id, until) VALUES (%s, ({_NOW}) + %s)"
                " ON CONFLICT (chat_id) DO UPDATE"
                " SET until = greatest(send_holds.until, excluded.until)",
                (key, seconds),
            )
            conn.execute(f"DELETE FROM send_holds WHERE until < ({_NOW})")
            conn.execute("SELECT pg_notify(%s, %s)", (HOLDS_CHANNEL, f"{key} {seconds}"))
        self._follow_hold(key, seconds)

    def send_hold(self, chat_id: int | None) -> float:
        """From memory: this process's holds, and the others' as their NOTIFY came (a store
        opened without `listen` hears of its own only)."""
        return holds.held(self._holds, chat_id, time.monotonic())

    # ---- the update journal (see bot/journal.py) ------------------------------------------

    def journal_updates(self, updates: Iterable[Update]) -> list[int]:
        """Durably record Telegram updates not seen before as unfinished; their ids."""
        updates = list(updates)
        if not updates:
            return []
        with self._reading() as conn:
            rows = conn.execute(
                "INSERT INTO updates (update_id, body)"
                " SELECT (u->>'update_id')::bigint, u FROM jsonb_array_elements(%s) u"
                " ON CONFLICT DO NOTHING RETURNING update_id",
                (Jsonb(updates),),
            ).fetchall()
        fresh = {row[0] for row in rows}
        return [i for i in dict.fromkeys(u["update_id"] for u in updates) if i in fresh]

    def finish_updates(self, update_ids: Iterable[int]) -> None:
        """Durably mark updates handled: never handled again, even if Telegram resends them.
        The latest KEEP_FINISHED finished ids are kept (and at most PRUNE_EVERY more)."""
        ids = sorted(set(update_ids))
        if not ids:
            return
        self._unpruned += len(ids)
        with self._reading() as conn:
            conn.execute(
                "INSERT INTO updates (update_id, finished) SELECT unnest(%s::bigint[]), true"
                " ON CONFLICT (update_id) DO UPDATE SET body = NULL, finished = true",
                (ids,),
            )
            # not at each finish: finding the old ids reads KEEP_FINISHED of them
            if self._unpruned >= PRUNE_EVERY:
                self._unpruned = 0
                conn.execute(
                    "DELETE FROM updates WHERE finished AND update_id < (SELECT min(update_id)"
                    " FROM (SELECT update_id FROM updates WHERE finished"
                    "  ORDER BY update_id DESC LIMIT %s) kept)",
                    (KEEP_FINISHED,),
                )
        self._finished.update(ids)  # one C call: the event loop never sees it half done
        if len(self._finished) > 2 * KEEP_FINISHED:
            self._finished = set(sorted(self._finished)[-KEEP_FINISHED:])

    def unfinished_updates(self) -> list[Update]:
        """Updates journaled and never finished (a crash came between), oldest first."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT body FROM updates WHERE NOT finished ORDER BY update_id"
            ).fetchall()
        return [row[0] for row in rows]

    def update_finished(self, update_id: int) -> bool:
        """From memory: the ids finished when the store was opened, and those finished by this
        process since. Another worker's finishes are not seen, but in webhook mode Telegram
        sends each update to one worker only, and again only if it was not journaled."""
        return update_id in self._finished

    # ---- the whole store ------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Make every change inside the block one transaction (e.g. a thousand subscriptions)."""
        with self._writing():
            yield

    def backup(self, path: str | os.PathLike[str]) -> None:
        raise StoreError(
            f"back up the PostgreSQL store {self.location} with pg_dump, not to a file at {path}"
        )

    def close(self) -> None:
        self._closed.set()
        if self._listener is not None:
            self._listener.join(timeout=5)
        self._pool.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- internals ------------------------------------------------------------------------

    def _store_batch(self, conn: psycopg.Connection, batch: list[Article]) -> list[AddOutcome]:
        """Classify `batch` against what is committed and what came before it in the batch, as
        the TinyDB store does, and write what is new in one statement."""
        records = [stored_record(article) for article in batch]
        sources = [a.source for a in batch]
        rows = conn.execute(
            "SELECT source, digest FROM articles WHERE source = ANY(%s) OR digest = ANY(%s)",
            (sources, [r["digest"] for r in records]),
        ).fetchall()
        by_fingerprint = {digest: source for source, digest in rows}
        stored = {source: digest for source, digest in rows}
        staged: dict[str, dict[str, Any]] = {}
        outcomes = []
        for record in records:
            source, digest = record["source"], record["digest"]
            if digest in by_fingerprint:
                outcomes.append(AddOutcome.DUPLICATE)
                continue
            earlier = staged[source]["digest"] if source in staged else stored.get(source)
            if earlier is not None:
                by_fingerprint.pop(earlier, None)
            by_fingerprint[digest] = source
            staged[source] = record
            outcomes.append(AddOutcome.STORED if earlier is None else AddOutcome.UPDATED)
        if staged:
            conn.cursor().executemany(
                "INSERT INTO articles (source, digest, record) VALUES (%s, %s, %s)"
                " ON CONFLICT (source) DO UPDATE SET digest = excluded.digest,"
                " record = excluded.record, position = nextval('positions')",
                [(s, r.pop("digest"), Jsonb(r)) for s, r in staged.items()],
            )
            _log_changes(conn, list(staged))
        return outcomes

    @contextlib.contextmanager
    def _reading(self) -> Iterator[psycopg.Connection]:
        """A connection: the write transaction when this thread is inside one, else the pool's."""
        if self._tx is not None and self._tx_thread == threading.get_ident():
            yield self._tx
            return
        try:
            with self._pool.connection() as conn:
                yield conn
        except psycopg.Error as exc:
            raise StoreError(f"the store {self.location} failed: {_reason(exc)}") from exc

    @contextlib.contextmanager
    def _writing(self) -> Iterator[psycopg.Connection]:
        """The one write path: this process's lock, then one transaction holding the advisory
        write lock; after the commit, the watchers hear of it."""
        with self._lock:
            if self._tx is not None:
                yield self._tx
                return
            try:
                with self._pool.connection() as conn, conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
                    self._tx, self._tx_thread = conn, threading.get_ident()
                    try:
                        yield conn
                    finally:
                        self._tx = self._tx_thread = None
            except psycopg.Error as exc:
                raise StoreError(f"cannot write the store {self.location}: {_reason(exc)}") from exc
        self.refresh()

    def _listen(self) -> None:
        """Refresh on every NOTIFY from a writer, and follow every worker's holds; reconnect
        after a lost connection."""
        while not self._closed.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    conn.execute(f"LISTEN {HOLDS_CHANNEL}")
                    self._read_holds(conn)  # whatever was held while not listening
                    self.refresh()  # and committed
                    while not self._closed.is_set():
                        for note in conn.notifies(timeout=0.5, stop_after=1):
                            if note.channel == HOLDS_CHANNEL:
                                key, seconds = note.payload.split()
                                self._follow_hold(int(key), float(seconds))
                            else:
                                self.refresh()
            except (psycopg.Error, StoreError) as exc:
                _log.warning("listening for library changes failed (%s): retrying", exc)
                self._closed.wait(1.0)

    def _read_holds(self, conn: psycopg.Connection) -> None:
        rows = conn.execute(
            f"SELECT chat_id, until - ({_NOW}) FROM send_holds WHERE until > ({_NOW})"
        ).fetchall()
        for key, seconds in rows:
            self._follow_hold(key, seconds)

    def _follow_hold(self, key: int, seconds: float) -> None:
        """A hold of `seconds` from now, on this process's clock: no two hosts' clocks meet."""
        with self._holds_lock:
            now = time.monotonic()
            holds.hold(self._holds, key, now + seconds, now)


# A notice is out of its arrival's hold (an arrival still being committed holds its notices).
_RELEASED = (
    "NOT EXISTS (SELECT 1 FROM arrivals a"
    " WHERE a.name = n.arrival AND a.open_until > clock_timestamp())"
)


def _enqueue(conn: psycopg.Connection, notices: Iterable[Notice], arrival: str) -> int:
    """Queue `notices` (as part of `arrival`); how many were not queued already."""
    notices = list(dict.fromkeys(notices))
    return conn.execute(
        "INSERT INTO notices (chat_id, source, arrival)"
        " SELECT *, %s FROM unnest(%s::bigint[], %s::text[]) ON CONFLICT DO NOTHING",
        (arrival, [n.chat_id for n in notices], [n.source for n in notices]),
    ).rowcount


def _hold_arrival(conn: psycopg.Connection, arrival: str, *, open: bool) -> None:
    """Hold `arrival`'s notices for ARRIVAL_HOLD more seconds, or (not `open`) release them."""
    if not open:
        conn.execute("DELETE FROM arrivals WHERE name = %s", (arrival,))
        return
    conn.execute(
        "INSERT INTO arrivals (name, open_until)"
        " VALUES (%s, clock_timestamp() + make_interval(secs => %s))"
        " ON CONFLICT (name) DO UPDATE SET open_until = excluded.open_until",
        (arrival, ARRIVAL_HOLD),
    )


def _log_changes(conn: psycopg.Connection, sources: list[str]) -> None:
    conn.execute("INSERT INTO library_changes (source) SELECT unnest(%s::text[])", (sources,))
    conn.execute(f"DELETE FROM library_changes WHERE at < now() - interval '{CHANGES_KEPT}'")
    conn.execute("SELECT pg_notify(%s, '')", (CHANNEL,))


def _snapshot(conn: psycopg.Connection) -> tuple[dict[str, str], int]:
    """Every source's digest and the last change id, read from one snapshot."""
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        digests = dict(conn.execute("SELECT source, digest FROM articles").fetchall())
        last = _scalar(conn, "SELECT coalesce(max(id), 0) FROM library_changes")
    return digests, last


def _scalar(conn: psycopg.Connection, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    return row[0] if row else 0


def _reason(exc: psycopg.Error) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
