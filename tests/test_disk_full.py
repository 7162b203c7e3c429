"""A full disk while notices go out: the bot stops sending once it cannot mark what it sent,
says so once, sends nothing twice, and carries on when the disk has room again.

The bot runs as its own process with one fault at the operating system's edge: while a flag
file exists, every fsync fails with ENOSPC, as it does on a full disk.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from botprocess import BotProcess
from conftest import BOT_TOKEN, eventually

from bot.notices import BATCH
from bot.standin import BotApiStandIn
from store.library.store import Notice, ReportStore
from store.reports.parser import parse_text

DISK_FULL_CLI = """
import errno, os, sys
flag, fsync = os.environ["DISK_FULL_FLAG"], os.fsync
def full_fsync(fd):
    if os.path.exists(flag):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return fsync(fd)
os.fsync = full_fsync
from bot.cli import main
sys.exit(main(sys.argv[1:]))
"""
CHATS = [-7000 - n for n in range(2 * BATCH + 5)]
REPORT = "Ferry service to the islands resumes\n\nThe ferry sailed again on Monday."


def told(standin: BotApiStandIn) -> Counter[int]:
    return Counter(
        call.chat_id
        for call in standin.delivered(method="sendMessage")
        if call.text.startswith("New report:")
    )


def wait(condition, *, bot: BotProcess, what: str, timeout: float = 30) -> None:
    eventually(condition, what=what, timeout=timeout, alive=bot.alive, log=bot.log_text)


def test_a_full_disk_while_marking_notices_stops_sending_and_repeats_none(
    standin: BotApiStandIn, library_db: Path
) -> None:
    article = parse_text(REPORT, source="ferry.txt")
    with ReportStore(library_db) as store:
        with store.batch():
            for chat in CHATS:
                store.subscribe(chat, [])
        store.add(article, notices=[Notice(chat, article.source) for chat in CHATS])
        with store.batch():
            pass  # settles the outbox, so that the bot has nothing to write when it opens it
    full = library_db.with_name("disk-full")
    full.touch()
    bot = BotProcess(standin, library_db, token=BOT_TOKEN, code=DISK_FULL_CLI)
    bot.env["DISK_FULL_FLAG"] = str(full)
    bot.start()
    try:
        wait(lambda: len(told(standin)) == 1, bot=bot, what="the first notice")
        time.sleep(2.5)  # the rest of the batch, and the next one, would be due by now
        assert len(told(standin)) == 1, "notices went on though none could be marked"

        full.unlink()
        wait(lambda: set(told(standin)) == set(CHATS), bot=bot, what="the rest")
        time.sleep(1.5)  # long enough for one more batch, were anything sent twice
    finally:
        assert bot.stop() == 0, bot.log_text()
    assert told(standin) == Counter(dict.fromkeys(CHATS, 1))
    assert bot.log_text().count("cannot mark notices sent") == 1
    with ReportStore(library_db) as store:
        assert store.pending_notices() == []
