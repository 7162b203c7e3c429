"""The library service: every report in goes through it, is indexed, and its notices are queued
in the same commit; reports that arrive together make one digest per chat."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from conftest import eventually

from store.library.interface import BATCH_SIZE, Notice
from store.library.opening import open_store
from store.library.service import Library
from store.library.store import ReportStore
from store.library.subscriptions import announcements
from store.reports.article import Article
from store.reports.parser import parse_text

CLI = "import sys; from bot.cli import main; sys.exit(main(sys.argv[1:]))"


def report(n: int, topic: str = "markets") -> Article:
    return parse_text(
        f"Report {n} on the {topic}\n\nThe {topic} moved on Monday, report {n} said.\n",
        source=f"{topic}/{n}.txt",
    )


def test_a_report_added_is_answered_and_announced_to_the_chats_that_follow_it(
    store_location: str | Path,
    closing: ExitStack,
) -> None:
    library = closing.enter_context(Library.open(store_location))
    library.subscribe(1, [])
    library.subscribe(2, ["markets"])
    library.subscribe(3, ["cricket"])
    library.add(report(7))
    assert library.matcher.search("what did report 7 say")[0].source == "markets/7.txt"
    pending = closing.enter_context(open_store(store_location)).pending_notices()
    assert pending == [Notice(1, "markets/7.txt"), Notice(2, "markets/7.txt")]
    assert [len(a.notices) for a in announcements(pending)] == [1, 1]


def test_the_index_follows_a_report_another_process_stored(tmp_path: Path) -> None:
    db = tmp_path / "library.json"
    bot = Library.open(db)
    with Library.open(db, index=False) as other:
        other.add(report(1, "harbour"))
    assert bot.matcher.search("what did report 1 say on the harbour") == []
    assert bot.refresh().added == {"harbour/1.txt"}
    assert bot.matcher.search("what did report 1 say on the harbour")[0].source == "harbour/1.txt"
    with Library.open(db, index=False) as other:
        other.remove("harbour/1.txt")
    bot.refresh()
    assert bot.matcher.search("what did report 1 say on the harbour") == []


def test_many_reports_in_several_commits_make_one_digest_per_chat(
    store_location: str | Path, closing: ExitStack
) -> None:
    db = store_location
    library = closing.enter_context(Library.open(db, index=False))
    library.subscribe(1, ["markets"])
    library.subscribe(2, ["cricket"])
    library.add(report(0, "cricket"))  # alone: a notice of its own, sent or not
    count = 2 * BATCH_SIZE + 5
    seen_midway: list[list[Notice]] = []

    def arriving() -> Iterator[Article]:
        for n in range(count):
            if n == BATCH_SIZE + 1:  # the first batch is committed by now
                seen_midway.append(closing.enter_context(open_store(db)).pending_notices())
            yield report(n)

    assert len(list(library.add_many(arriving()))) == count
    # half-way, the stored reports' notices were held back for the digest
    assert closing.enter_context(open_store(db)).count() == count + 1
    assert seen_midway == [[Notice(2, "cricket/0.txt")]]
    messages = announcements(closing.enter_context(open_store(db)).pending_notices())
    assert [(a.chat_id, len(a.notices)) for a in messages] == [(2, 1), (1, count)]
    assert [n.source for n in messages[1].notices][:2] == ["markets/0.txt", "markets/1.txt"]


def test_a_reader_sees_all_of_an_arrivals_notices_or_none(tmp_path: Path) -> None:
    """The bot reads the outbox while an ingest writes: it must never find part of an arrival
    free, or the chat gets a digest of the first commit's reports and a second of the rest."""
    db = tmp_path / "library.json"
    library = Library.open(db, index=False)
    library.subscribe(1, ["markets"])
    count = BATCH_SIZE + 5
    seen: set[int] = set()
    done = threading.Event()

    def read_while_writing() -> None:
        reader = ReportStore(db)
        while not done.is_set():
            seen.add(len(reader.pending_notices()))

    reading = threading.Thread(target=read_while_writing)
    reading.start()
    try:
        assert len(list(library.add_many(report(n) for n in range(count)))) == count
    finally:
        done.set()
        reading.join()
    assert len(ReportStore(db).pending_notices()) == count
    assert seen <= {0, count}  # the reader may start late, after the first commit


def test_unsubscribing_drops_the_chats_pending_notices(
    store_location: str | Path, closing: ExitStack
) -> None:
    library = closing.enter_context(Library.open(store_location, index=False))
    library.subscribe(1, [])
    library.subscribe(2, [])
    library.add(report(1))
    assert library.unsubscribe(1) is True
    assert library.unsubscribe(1) is False
    assert [n.chat_id for n in library.store.pending_notices()] == [2]


def test_an_ingest_killed_midway_still_announces_what_it_stored(tmp_path: Path) -> None:
    """The arrival of a writer that died is released: its committed reports are announced,
    exactly once each, and nothing it never stored."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(12 * BATCH_SIZE):
        (corpus / f"{n:04d}.txt").write_text(
            f"Report {n} on the markets\n\nShares rose on Monday, report {n} said.\n"
        )
    db = tmp_path / "library.json"
    Library.open(db, index=False).subscribe(1, ["shares"])
    proc = subprocess.Popen(
        [sys.executable, "-c", CLI, "ingest", str(corpus), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    store = ReportStore(db)
    eventually(
        store.count,
        what="a first commit",
        timeout=60,
        alive=lambda: proc.poll() is None,
        log=lambda: str(proc.communicate()),
    )
    assert store.pending_notices() == [], "the notices of an unfinished ingest were released"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    stored = {article.source for article in ReportStore(db)}
    assert 0 < len(stored) < 12 * BATCH_SIZE
    pending = ReportStore(db).pending_notices()
    assert sorted(n.source for n in pending) == sorted(stored)
    assert [len(a.notices) for a in announcements(pending)] == [len(stored)]
    Library.open(db, index=False).subscribe(2, [])  # a commit: the abandoned arrival is closed
    assert ReportStore(db).pending_notices() == pending
    assert list(tmp_path.glob("*.lock")) == [db.with_name(db.name + ".lock")]
