"""The store on both backends (the TinyDB file and PostgreSQL): round trips, duplicates,
batching, watchers, subscriptions, the outbox, flood counts; then what is the file's alone:
migration, locking, crashes mid-write."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from conftest import eventually
from filelock import FileLock

from store.library.flood import Verdict
from store.library.interface import (
    BATCH_SIZE,
    KEEP_FINISHED,
    AddOutcome,
    LibraryStore,
    Notice,
    StoreChange,
    StoreError,
)
from store.library.opening import open_store
from store.library.pace import BULK_LANE, Lane
from store.library.pg_schema import MIGRATIONS
from store.library.store import ReportStore
from store.reports.article import Article, Quote, Sentence


def article(source: str, text: str = "", *, title: str | None = None) -> Article:
    body = text or f"The text of {source}."
    return Article(
        source=source,
        title=title or "A report",
        paragraphs=[body],
        sentences=[Sentence(body, 0, 0, len(body))],
        quotes=[Quote(body[:10], "Ann Lee", "minister", 0)],
        category="news",
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "library.json"


Opener = Callable[[], LibraryStore]


@pytest.fixture
def opened(store_location: str | Path) -> Iterator[Opener]:
    """opened() is a new handle on one store, as another process would open it; all are
    closed after the test."""
    handles: list[LibraryStore] = []

    def opener() -> LibraryStore:
        handles.append(open_store(store_location))
        return handles[-1]

    yield opener
    for handle in handles:
        handle.close()


def test_round_trip_keeps_every_field(opened: Opener) -> None:
    original = Article(
        source="world/idlib.txt",
        title="Idlib offensive",
        paragraphs=["“We warn,” said Staffan di Mistura.", "Second £30.2m paragraph."],
        sentences=[Sentence("Second £30.2m paragraph.", 1, 0, 24)],
        quotes=[Quote("We warn,", "Staffan di Mistura", "the UN's Syria envoy", 0)],
        category="world",
        published="2018-09-04",
        caption="FILE \u2013 a photo",
        byline="CGTN's Lucy Taylor reports from Moscow.",
    )
    opened().add(original)
    reopened = opened()
    assert reopened.get("world/idlib.txt") == original
    assert [a.source for a in reopened] == ["world/idlib.txt"]
    assert reopened.count() == 1
    assert reopened.get("missing.txt") is None


def test_reingest_is_idempotent(db: Path) -> None:
    store = ReportStore(db)
    articles = [article(f"a/{i}.txt") for i in range(5)]
    assert {outcome for _, outcome in store.add_many(articles)} == {AddOutcome.STORED}
    before = db.read_bytes()
    assert {outcome for _, outcome in store.add_many(articles)} == {AddOutcome.DUPLICATE}
    assert store.count() == 5
    assert db.read_bytes() == before


def test_same_text_under_another_source_is_a_duplicate(opened: Opener) -> None:
    store = opened()
    store.add(article("one.txt", "Prices rose “sharply” in May.", title="Prices"))
    copy = article("two.txt", 'prices  rose "SHARPLY" in may.', title="PRICES")
    assert store.add(copy) is AddOutcome.DUPLICATE
    assert store.get("two.txt") is None


def test_changed_text_under_the_same_source_updates_it(opened: Opener) -> None:
    store = opened()
    store.add(article("one.txt", "First version."))
    assert store.add(article("one.txt", "Second version.")) is AddOutcome.UPDATED
    assert store.get("one.txt").paragraphs == ["Second version."]
    assert store.count() == 1
    # The old text is no longer stored, so it counts as new again.
    assert store.add(article("one.txt", "First version.")) is AddOutcome.UPDATED


def test_duplicates_within_one_batch(opened: Opener) -> None:
    store = opened()
    outcomes = [
        o
        for _, o in store.add_many(
            [article("a.txt", "Same."), article("b.txt", "Same."), article("a.txt", "New.")]
        )
    ]
    assert outcomes == [AddOutcome.STORED, AddOutcome.DUPLICATE, AddOutcome.UPDATED]
    assert opened().get("a.txt").paragraphs == ["New."]


def test_add_many_commits_in_batches(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commits: list[str] = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (commits.append(str(b)), real_replace(a, b)))
    count = 2 * BATCH_SIZE + 10
    results = list(ReportStore(db).add_many(article(f"{i}.txt") for i in range(count)))
    assert len(results) == count
    assert commits.count(str(db)) == 3
    assert ReportStore(db).count() == count


def test_remove(opened: Opener) -> None:
    store = opened()
    store.add(article("a.txt"))
    assert store.remove("a.txt") is True
    assert store.remove("a.txt") is False
    assert opened().count() == 0


def test_version_0_file_is_migrated_on_open(db: Path) -> None:
    old = {
        "_default": {
            "1": {"source": "a.txt", "title": "A", "paragraphs": ["Alpha text."], "quotes": []},
            "2": {"source": "b.txt", "title": "B", "paragraphs": ["Beta text."], "quotes": []},
        }
    }
    db.write_text(json.dumps(old))
    store = ReportStore(db)
    assert sorted(a.source for a in store) == ["a.txt", "b.txt"]
    assert store.get("a.txt").paragraphs == ["Alpha text."]
    on_disk = json.loads(db.read_text())
    assert on_disk["meta"] == {"schema": {"version": 1}}
    assert "_default" not in on_disk
    # The migrated records carry fingerprints, so duplicates are recognised.
    same = Article(source="c.txt", title="A", paragraphs=["Alpha text."])
    assert store.add(same) is AddOutcome.DUPLICATE


def test_file_from_a_newer_version_is_refused(db: Path) -> None:
    db.write_text(json.dumps({"meta": {"schema": {"version": 99}}}))
    with pytest.raises(StoreError, match="newer reportbot"):
        ReportStore(db)


def test_other_process_commits_are_seen_on_refresh(opened: Opener) -> None:
    bot_side = opened()
    bot_side.add(article("old.txt"))
    bot_side.add(article("gone.txt"))
    changes: list[StoreChange] = []
    bot_side.watch(changes.append)

    cli_side = opened()
    cli_side.add(article("new.txt"))
    cli_side.add(article("old.txt", "Changed text."))
    cli_side.remove("gone.txt")

    expected = StoreChange(
        added=frozenset({"new.txt"}),
        updated=frozenset({"old.txt"}),
        removed=frozenset({"gone.txt"}),
    )
    assert bot_side.refresh() == expected
    assert changes == [expected]
    assert bot_side.get("old.txt").paragraphs == ["Changed text."]
    assert bot_side.refresh() == StoreChange()
    assert changes == [expected]


def test_watchers_hear_about_writes_made_here(opened: Opener) -> None:
    store = opened()
    changes: list[StoreChange] = []
    store.watch(changes.append)
    store.add(article("a.txt"))
    store.add(article("a.txt"))  # a duplicate changes nothing
    store.add(article("a.txt", "Changed."))
    store.remove("a.txt")
    assert changes == [
        StoreChange(added=frozenset({"a.txt"})),
        StoreChange(updated=frozenset({"a.txt"})),
        StoreChange(removed=frozenset({"a.txt"})),
    ]


def test_a_write_starts_from_what_another_process_committed(opened: Opener) -> None:
    first, second = opened(), opened()
    first.add(article("a.txt", "Shared text."))
    assert second.add(article("b.txt", "Shared text.")) is AddOutcome.DUPLICATE
    second.add(article("c.txt"))
    first.add(article("d.txt"))
    assert sorted(a.source for a in opened()) == ["a.txt", "c.txt", "d.txt"]


def test_concurrent_processes_lose_nothing(store_location: str | Path, opened: Opener) -> None:
    script = (
        "import sys\n"
        "from store.reports.article import Article\n"
        "from store.library.opening import open_store, parse_location\n"
        "store = open_store(parse_location(sys.argv[1]))\n"
        "for i in range(40):\n"
        "    store.add(Article(f'{sys.argv[2]}/{i}.txt', 'T', [f'{sys.argv[2]} text {i}']))\n"
    )
    writers = [
        subprocess.Popen([sys.executable, "-c", script, str(store_location), name])
        for name in ("x", "y")
    ]
    assert [w.wait(timeout=60) for w in writers] == [0, 0]
    assert opened().count() == 80


def test_concurrent_threads_lose_nothing(opened: Opener) -> None:
    store = opened()
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(15):
                store.add(article(f"{n}/{i}.txt"))
                store.get(f"{n}/{i}.txt")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert opened().count() == 90


def test_read_only_store_gives_a_clear_error_and_stays_whole(db: Path) -> None:
    store = ReportStore(db)
    store.add(article("a.txt"))
    before = db.read_bytes()
    db.chmod(0o444)
    with pytest.raises(StoreError, match=r"library\.json is read-only"):
        ReportStore(db).add(article("b.txt"))
    assert db.read_bytes() == before
    assert [a.source for a in ReportStore(db)] == ["a.txt"]


def test_failed_write_keeps_the_old_store(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ReportStore(db)
    store.add(article("a.txt"))
    before = db.read_bytes()

    def disk_full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(StoreError, match="No space left on device"):
        store.add(article("b.txt"))
    monkeypatch.undo()
    assert db.read_bytes() == before
    assert [a.source for a in store] == ["a.txt"]
    assert list(db.parent.glob("*.tmp")) == []
    assert store.add(article("b.txt")) is AddOutcome.STORED


def test_lock_held_elsewhere_times_out_with_a_clear_error(db: Path) -> None:
    store = ReportStore(db, lock_timeout=0.2)
    with FileLock(f"{db}.lock"), pytest.raises(StoreError, match="busy"):
        store.add(article("a.txt"))
    assert store.add(article("a.txt")) is AddOutcome.STORED


def test_leftover_temp_file_is_cleaned_up(db: Path) -> None:
    ReportStore(db).add(article("a.txt"))
    leftover = db.parent / f".{db.name}.killed.tmp"
    leftover.write_text('{"half')
    store = ReportStore(db)
    assert not leftover.exists()
    assert store.count() == 1


def test_subscriptions_and_admins(opened: Opener) -> None:
    store = opened()
    store.subscribe(10, ["syria", "idlib", "syria"])
    store.subscribe(11, ["football"])
    store.subscribe(10, ["rates"])
    assert store.add_admin(7) is True
    assert store.add_admin(7) is False
    reopened = opened()
    assert [(s.chat_id, s.keywords) for s in reopened.subscriptions()] == [
        (11, ("football",)),
        (10, ("rates",)),
    ]
    assert reopened.subscription(10).keywords == ("rates",)
    assert reopened.subscription(99) is None
    assert reopened.admins() == frozenset({7})
    assert reopened.remove_admin(7) is True
    assert reopened.unsubscribe(11) is True
    assert reopened.unsubscribe(11) is False
    assert opened().admins() == frozenset()


def test_batch_makes_many_changes_one_commit(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ReportStore(db)
    store.add(article("a.txt"))
    commits: list[str] = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (commits.append(str(b)), real_replace(a, b)))
    with store.batch():
        for chat in range(100):
            store.subscribe(chat, ["news"])
    assert commits == [str(db)]
    assert len(ReportStore(db).subscriptions()) == 100


def test_notices_are_queued_once_and_marked_sent(opened: Opener) -> None:
    store = opened()
    notices = [Notice(1, "a.txt"), Notice(2, "a.txt"), Notice(1, "a.txt")]
    store.add(article("a.txt"), notices=notices)
    store.add(article("b.txt"), notices=[Notice(1, "b.txt")])
    assert store.add(article("c.txt", "The text of a.txt."), notices=[Notice(3, "c.txt")]) is (
        AddOutcome.DUPLICATE
    )
    expected = [Notice(1, "a.txt"), Notice(2, "a.txt"), Notice(1, "b.txt")]
    assert opened().pending_notices() == expected

    assert store.mark_notices_sent([Notice(1, "a.txt"), Notice(9, "a.txt")]) == 1
    assert store.mark_notices_sent([Notice(1, "a.txt")]) == 0
    assert store.drop_notices(1) == 1
    assert opened().pending_notices() == [Notice(2, "a.txt")]
    with pytest.raises(ValueError, match="must be about it"):
        store.add(article("d.txt"), notices=[Notice(1, "a.txt")])


def test_marking_a_notice_sent_leaves_the_library_file_alone(db: Path) -> None:
    store = ReportStore(db)
    store.add(article("a.txt"), notices=[Notice(1, "a.txt")])
    library = db.stat()
    assert store.mark_notices_sent([Notice(1, "a.txt")]) == 1
    assert (db.stat().st_ino, db.stat().st_mtime_ns) == (library.st_ino, library.st_mtime_ns)


def test_each_pending_notice_is_claimed_by_one_sender_until_its_lease_ends(
    opened: Opener,
) -> None:
    store = opened()
    store.add(article("a.txt"), notices=[Notice(chat, "a.txt") for chat in range(5)])
    first = store.claim_notices(3)
    assert first == [Notice(0, "a.txt"), Notice(1, "a.txt"), Notice(2, "a.txt")]
    assert store.claim_notices(3) == [Notice(3, "a.txt"), Notice(4, "a.txt")]
    assert store.claim_notices(3) == []
    store.mark_notices_sent(first)
    assert store.pending_notices() == [Notice(3, "a.txt"), Notice(4, "a.txt")]
    # A sender that claimed and never marked (it died): the notice is claimable once its
    # lease is over.
    store.add(article("b.txt"), notices=[Notice(7, "b.txt")])
    assert store.claim_notices(5, lease=0) == [Notice(7, "b.txt")]
    assert store.claim_notices(5) == [Notice(7, "b.txt")]
    # A sender that claimed more than it could send gives the rest back at once.
    store.release_notices([Notice(7, "b.txt")])
    assert store.claim_notices(5) == [Notice(7, "b.txt")]


def test_flood_limit_counts_every_question_once_and_warns_once(opened: Opener) -> None:
    store = opened()
    verdicts = [store.admit_questions([42], limit=3, window=60)[0] for _ in range(4)]
    assert verdicts == [Verdict.ANSWER] * 3 + [Verdict.WARN]
    # questions counted together are counted in order, each user on their own
    assert store.admit_questions([42, 43, 42], limit=3, window=60) == [
        Verdict.IGNORE,
        Verdict.ANSWER,
        Verdict.IGNORE,
    ]
    assert store.admit_questions([43, 43, 43], limit=3, window=60) == [
        Verdict.ANSWER,
        Verdict.ANSWER,
        Verdict.WARN,
    ]
    assert store.admit_questions([], limit=3, window=60) == []


def test_send_slots_count_until_a_window_after_they_are_given_back(opened: Opener) -> None:
    store = opened()
    bulk = Lane(BULK_LANE, 2, 0.5)
    slots = [store.take_send_slots(1, [bulk]) for _ in range(2)]
    assert all(len(taken) == 1 and delay == 0 for taken, delay in slots)
    taken, delay = store.take_send_slots(2, [bulk])
    assert taken == [] and delay > 0  # both still out
    store.give_back_send_slots(slots[0][0])
    taken, delay = store.take_send_slots(2, [bulk])
    assert taken == [] and 0 < delay <= bulk.window  # the one given back counts for a window yet
    time.sleep(delay)
    taken, delay = store.take_send_slots(2, [bulk])
    assert len(taken) == 1 and delay == 0


def test_a_message_takes_a_slot_in_each_of_its_lanes_or_in_none(opened: Opener) -> None:
    store = opened()
    bulk = Lane(BULK_LANE, 2, 60)
    group, other = Lane(-100, 1, 60), Lane(-200, 1, 60)
    assert len(store.take_send_slots(-100, [group, bulk])[0]) == 2
    taken, delay = store.take_send_slots(-100, [group, bulk])
    assert taken == [] and delay > 0  # the group's lane is full
    assert len(store.take_send_slots(-200, [other, bulk])[0]) == 2  # the refusal took no slot
    assert store.take_send_slots(7, [bulk])[0] == []  # the bulk lane is full now
    assert store.take_send_slots(-300, [Lane(-300, 1, 60)])[1] == 0  # a lane of its own


def test_bulk_send_slots_are_shared_across_processes(postgres_url: str) -> None:
    lane = Lane(BULK_LANE, 3, 60)
    with open_store(postgres_url) as one, open_store(postgres_url) as two:
        taken = [s.take_send_slots(1, [lane])[0] for s in (one, two, one, two)]
    assert [bool(slots) for slots in taken] == [True, True, True, False]


def test_a_retry_after_holds_its_chat_and_one_for_no_chat_holds_every_chat(
    opened: Opener,
) -> None:
    store = opened()
    store.hold_sends(-100, 0.5)
    assert 0.3 < store.send_hold(-100) <= 0.5
    assert store.send_hold(5) == 0 and store.send_hold(None) == 0
    taken, delay = store.take_send_slots(-100, [Lane(-100, 20, 60)])
    assert taken == [] and 0.3 < delay <= 0.5  # even with slots free
    store.hold_sends(None, 0.2)
    assert 0.1 < store.send_hold(5) <= 0.2 and 0.1 < store.send_hold(None) <= 0.2
    assert store.take_send_slots(7, [Lane(BULK_LANE, 30, 1)])[0] == []
    time.sleep(0.5)
    assert store.send_hold(-100) == store.send_hold(5) == 0
    assert store.take_send_slots(-100, [Lane(-100, 20, 60)])[1] == 0


def test_a_retry_after_told_to_one_store_is_heard_by_every_listening_one(postgres_url: str) -> None:
    """A listening store (a bot worker's) hears of another's hold as it is made, and reads it
    from memory; a store opened later reads the holds still on."""
    with open_store(postgres_url, listen=True) as one, open_store(postgres_url, listen=True) as two:
        one.hold_sends(42, 30)
        eventually(lambda: two.send_hold(42) > 29, what="the hold heard by the other worker")
        assert two.send_hold(43) == 0
        with open_store(postgres_url) as later:
            assert 28 < later.send_hold(42) <= 30


def test_the_update_journal_outlives_a_restart(opened: Opener) -> None:
    store = opened()
    updates = [{"update_id": n, "message": {"text": f"question {n}"}} for n in (7, 5, 6)]
    assert sorted(store.journal_updates(updates)) == [5, 6, 7]
    assert store.journal_updates([updates[0], {"update_id": 8}]) == [8]  # 7 is journaled
    store.finish_updates([6])
    assert store.update_finished(6) and not store.update_finished(5)
    again = opened()  # as the bot restarted after a kill
    assert again.unfinished_updates() == [updates[1], updates[0], {"update_id": 8}]
    assert again.update_finished(6) and not again.update_finished(7)
    assert again.journal_updates([updates[2]]) == []  # handled already: never again


def test_the_journal_keeps_only_the_latest_finished_ids(opened: Opener) -> None:
    opened().finish_updates(range(1, KEEP_FINISHED + 11))
    again = opened()
    assert again.update_finished(KEEP_FINISHED + 10) and again.update_finished(11)
    assert not again.update_finished(10)
    assert again.unfinished_updates() == []


def test_notices_survive_an_update_and_follow_a_moved_chat(opened: Opener) -> None:
    store = opened()
    store.subscribe(1, ["x"])
    store.add(article("a.txt"), notices=[Notice(1, "a.txt")])
    store.add(article("a.txt", "Changed."))
    assert store.pending_notices() == [Notice(1, "a.txt")]
    assert store.move_subscription(1, -100) is True
    assert store.move_subscription(1, -100) is False
    assert store.subscription(-100).keywords == ("x",)
    assert opened().pending_notices() == [Notice(-100, "a.txt")]
    store.remove("a.txt")
    assert store.pending_notices() == []


def test_notices_of_an_article_that_never_got_stored_are_dropped(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ReportStore(db)
    store.add(article("a.txt"), notices=[Notice(1, "a.txt")])
    real_replace = os.replace

    def crash_on_library(src: str, dst: str) -> None:
        # The outbox commits; the process "dies" before the article does.
        if Path(dst) == db:
            raise OSError(errno.EIO, "simulated crash")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_library)
    with pytest.raises(StoreError):
        store.add(article("b.txt"), notices=[Notice(1, "b.txt")])
    monkeypatch.undo()
    assert "b.txt" in db.with_name(db.name + ".outbox.json").read_text()
    assert ReportStore(db).pending_notices() == [Notice(1, "a.txt")]
    assert "b.txt" not in db.with_name(db.name + ".outbox.json").read_text()


def test_backup_is_a_whole_store(db: Path, tmp_path: Path) -> None:
    store = ReportStore(db)
    store.add(article("a.txt"), notices=[Notice(5, "a.txt")])
    store.backup(tmp_path / "copy.json")
    copy = ReportStore(tmp_path / "copy.json")
    assert copy.get("a.txt") == store.get("a.txt")
    assert copy.pending_notices() == [Notice(5, "a.txt")]


def test_a_missing_store_reads_as_empty_and_is_created_on_first_write(db: Path) -> None:
    store = ReportStore(db)
    assert store.count() == 0
    assert list(store) == []
    assert not db.exists()
    store.add(article("a.txt"))
    assert json.loads(db.read_text())["meta"] == {"schema": {"version": 1}}


def test_senders_sharing_a_database_claim_different_notices(postgres_url: str) -> None:
    with open_store(postgres_url) as one, open_store(postgres_url) as two:
        one.add(article("a.txt"), notices=[Notice(chat, "a.txt") for chat in range(40)])
        claims: list[list[Notice]] = [[], []]

        def claim(store: LibraryStore, into: list[Notice]) -> None:
            while batch := store.claim_notices(3):
                into.extend(batch)

        pairs = zip((one, two), claims, strict=True)
        threads = [threading.Thread(target=claim, args=pair) for pair in pairs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(n.chat_id for n in claims[0] + claims[1]) == list(range(40))


def test_flood_limits_hold_across_processes(postgres_url: str) -> None:
    with open_store(postgres_url) as one, open_store(postgres_url) as two:
        verdicts = [s.admit_questions([5], limit=2, window=60)[0] for s in (one, two, one, two)]
    assert verdicts == [Verdict.ANSWER, Verdict.ANSWER, Verdict.WARN, Verdict.IGNORE]


def test_a_database_from_a_newer_version_is_refused(postgres_url: str) -> None:
    open_store(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_migrations (version) VALUES (99)")
    with pytest.raises(StoreError, match="newer reportbot"):
        open_store(postgres_url)


def test_opening_twice_migrates_once_and_keeps_the_data(postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        store.add(article("a.txt"))
    with open_store(postgres_url) as store, psycopg.connect(postgres_url) as conn:
        assert store.count() == 1
        versions = conn.execute("SELECT version FROM schema_migrations ORDER BY version")
        assert versions.fetchall() == [(v,) for v in sorted(MIGRATIONS)]


def test_a_database_the_first_release_made_is_migrated_and_keeps_its_data(
    postgres_url: str,
) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:  # as version 1 left it
        conn.execute(MIGRATIONS[1])
        conn.execute("CREATE TABLE schema_migrations (version integer PRIMARY KEY)")
        conn.execute("INSERT INTO schema_migrations VALUES (1)")
        conn.execute("INSERT INTO admins VALUES (7)")
    with open_store(postgres_url) as store:
        assert store.admins() == {7}
        assert store.journal_updates([{"update_id": 3}]) == [3]
        assert store.unfinished_updates() == [{"update_id": 3}]


def test_a_store_that_listens_hears_another_process_within_moments(postgres_url: str) -> None:
    heard = threading.Event()
    with open_store(postgres_url, listen=True) as worker, open_store(postgres_url) as ingest:
        worker.watch(lambda change: heard.set() if "new.txt" in change.added else None)
        ingest.add(article("new.txt"))
        assert heard.wait(2.0)


def test_an_unreachable_database_is_a_one_line_error() -> None:
    with pytest.raises(StoreError, match=r"cannot open the store postgresql://u:\*\*\*@"):
        open_store("postgresql://u:secret@127.0.0.1:1/none")
