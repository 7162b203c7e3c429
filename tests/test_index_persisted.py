"""The engine's index on disk: kept by whoever commits, read again at start without reading the
reports, followed by other processes, and rebuilt from the store when it is damaged."""

from __future__ import annotations

import json
import logging
import marshal
import shutil
import subprocess
import sys
import threading
from contextlib import ExitStack
from pathlib import Path

import pytest
from filelock import FileLock

from bot.config import index_location
from store.library.service import Library
from store.reports.article import Article
from store.reports.parser import parse_text
from store.search.entries import entry_of, speakers
from store.search.matcher import Matcher
from store.search.postings import Postings
from store.search.stats import Change, Saved
from store.search.terms import Analyzer

CLI = "import sys; from bot.cli import main; sys.exit(main(sys.argv[1:]))"
QUESTION = "what did the harbour master say about the storm"
ANSWER = "harbour/1.txt"


def reportbot(*args: str, cwd: Path) -> None:
    """Run the command line in a process of its own, as an admin would, and check it succeeded."""
    done = subprocess.run(
        [sys.executable, "-c", CLI, *args], capture_output=True, text=True, cwd=cwd
    )
    assert done.returncode == 0, done.stderr


def harbour() -> Article:
    return parse_text(
        "Storm closes the harbour\n\nThe harbour master said the storm would close the port "
        "until Friday.\n",
        source=ANSWER,
    )


def market(n: int) -> Article:
    return parse_text(
        f"Report {n} on the markets\n\nThe markets moved on Monday, report {n} said.\n",
        source=f"markets/{n}.txt",
    )


def brought_up_to_date(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "brought up to date" in r.getMessage()]


def test_a_restart_reads_the_index_and_no_report(
    store_location: str | Path, tmp_path: Path, closing: ExitStack, caplog
) -> None:
    caplog.set_level(logging.INFO)
    index = tmp_path / "index"
    first = closing.enter_context(Library.open(store_location, index_dir=index))
    first.add(market(1))
    first.add(harbour())
    assert first.matcher.search(QUESTION)[0].source == ANSWER
    first.close()
    caplog.clear()

    again = closing.enter_context(Library.open(store_location, index_dir=index))
    assert brought_up_to_date(caplog) == []  # nothing indexed at start
    assert again.matcher.search(QUESTION)[0].source == ANSWER
    assert sorted(again.matcher.sources()) == [ANSWER, "markets/1.txt"]


def test_a_report_removed_while_no_bot_ran_is_forgotten_at_start(
    store_location: str | Path, tmp_path: Path, closing: ExitStack, caplog
) -> None:
    caplog.set_level(logging.INFO)
    index = tmp_path / "index"
    with Library.open(store_location, index_dir=index) as library:
        library.add(harbour())
        library.add(market(2))
    with Library.open(store_location, index=False) as writer:  # no index kept: it lags
        writer.remove(ANSWER)
    caplog.clear()
    library = closing.enter_context(Library.open(store_location, index_dir=index))
    assert brought_up_to_date(caplog) == [
        f"index: 1 reports brought up to date with {library.store.location}"
    ]
    assert library.matcher.search(QUESTION) == []
    assert library.matcher.sources() == ["markets/2.txt"]


def test_a_report_ingested_by_another_process_is_answered_after_the_refresh(
    tmp_path: Path, closing: ExitStack
) -> None:
    db = tmp_path / "library.json"
    index = index_location(db, None)
    bot = closing.enter_context(Library.open(db, index_dir=index))
    bot.add(market(3))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "harbour.txt").write_text(
        "Storm closes the harbour\n\nThe harbour master said the storm would close the port "
        "until Friday.\n"
    )
    reportbot("ingest", str(tmp_path / "in"), "--db", str(db), cwd=tmp_path)
    # The ingest wrote the index: a process opening it now has the report without indexing it.
    fresh = Matcher(directory=index)
    assert [r.source for r in fresh.search(QUESTION)][:1] == ["harbour.txt"]
    assert bot.matcher.search(QUESTION) == []
    bot.refresh()
    assert bot.matcher.search(QUESTION)[0].source == "harbour.txt"


def test_reportbot_remove_takes_the_report_out_of_the_index(
    tmp_path: Path, closing: ExitStack
) -> None:
    db = tmp_path / "library.json"
    index = index_location(db, None)
    bot = closing.enter_context(Library.open(db, index_dir=index))
    bot.add(harbour())
    bot.add(market(5))
    reportbot("remove", ANSWER, "--db", str(db), cwd=tmp_path)
    # The index on disk forgot it: a process opening it now does not answer from it.
    fresh = Matcher(directory=index)
    assert fresh.search(QUESTION) == []
    assert fresh.sources() == ["markets/5.txt"]
    # A running bot takes the removal in from what the remover wrote.
    assert bot.matcher.search(QUESTION)[0].source == ANSWER
    bot.refresh()
    assert bot.matcher.search(QUESTION) == []
    assert bot.matcher.sources() == ["markets/5.txt"]


@pytest.mark.parametrize(
    "damage",
    ["statistics", "log torn", "log damaged", "crash before the log", "postings", "missing"],
)
def test_a_damaged_or_missing_index_is_rebuilt_from_the_store(
    store_location: str | Path, tmp_path: Path, closing: ExitStack, caplog, damage: str
) -> None:
    index = tmp_path / "index"
    with Library.open(store_location, index_dir=index) as library:
        library.add(harbour())
        saved = {path.name: path.read_bytes() for path in index.glob("stats.*")}
        library.add(market(4))  # its change is the log's last record
    log = index / "stats.log"
    if damage == "statistics":
        (index / "stats.marshal").write_bytes(b"not what was saved")
    elif damage == "log torn":  # the writer died while appending
        log.write_bytes(log.read_bytes()[:-10])
    elif damage == "log damaged":
        data = bytearray(log.read_bytes())
        data[-10] ^= 0xFF
        log.write_bytes(bytes(data))
    elif damage == "crash before the log":  # the postings committed, the statistics not
        for name, data in saved.items():
            (index / name).write_bytes(data)
    elif damage == "postings":
        for meta in index.glob("*/meta.json"):
            meta.write_text("{")
    else:
        shutil.rmtree(index)
    caplog.clear()
    caplog.set_level(logging.INFO)
    library = closing.enter_context(Library.open(store_location, index_dir=index))
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    if damage == "missing":
        assert warnings == []
    else:
        assert len(warnings) == 1 and "damaged" in warnings[0] and "\n" not in warnings[0]
    assert brought_up_to_date(caplog) == [
        f"index: 2 reports brought up to date with {library.store.location}"
    ]
    assert library.matcher.search(QUESTION)[0].source == ANSWER


def _as_if_older(index: Path) -> None:
    """Mark the index as written by a reportbot whose index version was the one before."""
    base = index / "stats.marshal"
    record = marshal.loads(base.read_bytes())
    base.write_bytes(marshal.dumps({**record, "version": record["version"] - 1}))


def test_an_index_written_by_an_older_reportbot_is_rebuilt_without_alarm(
    tmp_path: Path, closing: ExitStack, caplog
) -> None:
    """An upgrade that indexes reports by other terms leaves every deployment's index of the
    version before: it is rebuilt from the store, and that is news, not a warning."""
    db, index = tmp_path / "library.json", tmp_path / "index"
    with Library.open(db, index_dir=index) as library:
        library.add(harbour())
    _as_if_older(index)
    caplog.clear()
    caplog.set_level(logging.INFO)
    library = closing.enter_context(Library.open(db, index_dir=index))
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert any("of another reportbot" in r.getMessage() for r in caplog.records)
    assert brought_up_to_date(caplog) == [f"index: 1 reports brought up to date with {db}"]
    assert library.matcher.search(QUESTION)[0].source == ANSWER


def test_an_index_that_stored_its_articles_as_json_still_answers(tmp_path: Path) -> None:
    """Indexes written before entries kept their analysed terms hold each article's JSON record:
    a bot upgraded over one answers from it as before, without a rebuild."""
    index = tmp_path / "index"
    Matcher([harbour()], directory=index)
    saved = Saved(index)
    stats = saved.load()
    postings = Postings(index)
    entry = entry_of(harbour(), 0, Analyzer())
    old = json.dumps(harbour().to_record(), ensure_ascii=False).encode()
    with postings.writing() as batch:
        batch.delete(0)
        batch.add(0, entry.article_terms, entry.paragraph_terms, speakers(harbour()), old)
        rewritten = Change(stats.next_seq, opstamps=batch.commit())  # the same counts
    saved.write(stats.applied(rewritten), rewritten)
    [first, *_] = Matcher(directory=index).search(QUESTION)
    assert first.source == ANSWER and first.text.startswith("The harbour master said the storm")


def test_a_worker_waits_for_the_one_rebuilding_the_index_and_keeps_what_it_built(
    tmp_path: Path, caplog
) -> None:
    """Workers restarted together after an upgrade all find the index of the version before.
    One starts it afresh; another must wait for it, then use what it built, not delete it."""
    index = tmp_path / "index"
    Matcher([harbour()], directory=index)
    _as_if_older(index)
    caplog.set_level(logging.INFO)
    first = FileLock(f"{index}.lock", thread_local=False)
    first.acquire()  # the first worker's, while it rebuilds
    opened: list[Matcher] = []
    second = threading.Thread(target=lambda: opened.append(Matcher(directory=index)))
    second.start()
    second.join(timeout=0.5)  # (unfixed, the second deleted the index by now)
    shutil.rmtree(index)
    Matcher([harbour()], directory=index)  # what the first worker built
    caplog.clear()
    first.release()
    second.join()
    assert [r.source for r in opened[0].search(QUESTION)][:1] == [ANSWER]
    assert not [r for r in caplog.records if "rebuilding" in r.getMessage()]
