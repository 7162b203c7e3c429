"""Poking at the bot: forged buttons, strangers trying admin actions by every path, the token
in the logs, and a store that cannot be written. Each gets a harmless answer, changes nothing
on disk, and the bot keeps answering."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from urllib.parse import quote

from botprocess import BotProcess
from conftest import ADMIN, ALICE, BOT_TOKEN, MALLORY, ask

from bot.handlers.admin import ADMINS_ONLY
from bot.keyboards import source_key
from bot.standin import BotApiStandIn, Call
from store.library.store import ReportStore

QUESTION = "how many homes were flooded in kellmouth"
REPORT = "Pier reopens after storm\n\nThe pier reopened on Friday after the winter storms."
DEAD_BUTTON = "This button no longer works. Ask again?"
GONE = "That report is no longer in the library."


def on_disk(db: Path) -> dict[str, bytes]:
    """Every file of the store, to compare before and after (not its lock, nor the journal of
    the updates the bot took, which changes with every one)."""
    return {
        p.name: p.read_bytes()
        for p in db.parent.glob(db.name + "*")
        if p.suffix != ".lock" and not p.name.endswith(".updates.json")
    }


def press(standin: BotApiStandIn, message: dict, data: str, who: dict) -> Call:
    """Press a button; the callback's answer."""
    query_id = standin.click(message, data, user=who)
    return standin.wait_for(
        lambda c: c.method == "answerCallbackQuery" and c.params["callback_query_id"] == query_id
    )


def only_reply_since(standin: BotApiStandIn, mark: int) -> None:
    """Ask one more question: its reply is the only message sent or edited since `mark`."""
    reply = ask(standin, "when will the barrier open", who=ALICE)
    assert standin.delivered(after=mark) == [reply]


# ---- forged callback queries ----------------------------------------------------------------


FORGED = [
    "",
    "full:",
    "full:0000000000000000",  # well formed, no such report
    "full:../../etc/passwd",
    "more:-1",
    "more:99999999999999999999",
    "remove:harbour-flood-barrier.txt",
    "admin:add:202",
    "\u202e\u200bfull:\x00",
    "x" * 64,
    "more:²",  # a digit to isdigit(), not to int()
]


def test_forged_callback_data_gets_a_harmless_answer(standin, bot, library_db) -> None:
    reply = ask(standin, QUESTION)
    before = on_disk(library_db)
    mark = len(standin.calls)
    for data in FORGED:
        answer = press(standin, reply.result, data, MALLORY)
        assert answer.ok
        assert answer.params.get("text") in (DEAD_BUTTON, GONE), data
    only_reply_since(standin, mark)
    assert on_disk(library_db) == before


def test_a_button_under_another_users_message_does_nothing_there(standin, bot) -> None:
    reply = ask(standin, QUESTION)  # Alice's private chat with the bot
    mark = len(standin.calls)
    for button in reply.buttons:
        answer = press(standin, reply.result, button["callback_data"], MALLORY)
        assert answer.params.get("text") == DEAD_BUTTON
    only_reply_since(standin, mark)


def test_a_button_for_a_removed_report_says_so(standin, bot) -> None:
    reply = ask(standin, QUESTION)
    full = next(b["callback_data"] for b in reply.buttons if b["text"] == "Full report")
    assert full == f"full:{source_key('harbour-flood-barrier.txt')}"
    assert ask(standin, "/remove harbour-flood-barrier.txt", who=ADMIN).text.startswith("Removed")
    mark = len(standin.calls)
    assert press(standin, reply.result, full, ALICE).params.get("text") == GONE
    only_reply_since(standin, mark)


# ---- admin-only actions ----------------------------------------------------------------------


def test_a_strangers_admin_commands_are_refused(standin, bot, library_db) -> None:
    before = on_disk(library_db)
    for command in (
        f"/add {REPORT}",
        "/remove harbour-flood-barrier.txt",
        "/stats",
        "/admin add 202",
        "/admin",
    ):
        assert ask(standin, command, who=MALLORY).text == ADMINS_ONLY, command
    assert on_disk(library_db) == before


def test_a_strangers_upload_and_forward_are_refused(standin, bot, library_db) -> None:
    before = on_disk(library_db)
    mark = len(standin.calls)
    standin.send_document(REPORT.encode(), "pier.txt", user=MALLORY)
    assert standin.wait_for_reply(MALLORY["id"], after=mark).text == ADMINS_ONLY
    mark = len(standin.calls)
    standin.forward_channel_post(REPORT, user=MALLORY)
    assert standin.wait_for_reply(MALLORY["id"], after=mark).text == ADMINS_ONLY
    assert on_disk(library_db) == before


def test_an_inline_query_cannot_act_as_an_admin(standin, bot, library_db) -> None:
    before = on_disk(library_db)
    for text in (f"/add {REPORT}", "/remove harbour-flood-barrier.txt", "/admin add 202"):
        mark = len(standin.calls)
        standin.inline_query(text, user=MALLORY)
        assert standin.wait_for(lambda c: c.method == "answerInlineQuery", after=mark).ok
    assert ask(standin, "/admin add 303", who=MALLORY).text == ADMINS_ONLY
    assert on_disk(library_db) == before


# ---- the token -------------------------------------------------------------------------------


def test_the_token_never_reaches_the_log_even_at_debug(standin, library_db) -> None:
    bot = BotProcess(standin, library_db, token=BOT_TOKEN, log_level="DEBUG").start()
    try:
        ask(standin, QUESTION)
        mark = len(standin.calls)
        standin.send_document(REPORT.encode(), "pier.txt", user=ADMIN)  # a file URL, too
        standin.wait_for_reply(ADMIN["id"], after=mark)
        standin.fail("server_error", method="sendMessage")  # an error, logged with its cause
        standin.fail("drop", method="sendMessage")
        ask(standin, "/help")
        standin.fail("bad_gateway", method="getUpdates", times=2)
        ask(standin, QUESTION)
    finally:
        assert bot.stop() == 0
    log = bot.log_text()
    assert " DEBUG " in log and "getFile" in log and "failed in transit" in log
    assert "/bot[redacted]" in log  # PTB logs its API URL at DEBUG: the token was there to hide
    secret = BOT_TOKEN.split(":", 1)[1]
    for leak in (BOT_TOKEN, secret, quote(BOT_TOKEN, safe=""), secret[:12]):
        assert leak not in log


# ---- a store that cannot be written ------------------------------------------------------------


def test_a_read_only_store_tells_the_admin_and_keeps_answering(standin, bot, library_db) -> None:
    before = on_disk(library_db)
    os.chmod(library_db, 0o444)
    try:
        reply = ask(standin, f"/add {REPORT}", who=ADMIN)
        assert reply.text.startswith("The report was not stored: the store")
        assert "read-only" in reply.text
        assert "310" in ask(standin, QUESTION).text
    finally:
        os.chmod(library_db, 0o644)
    assert on_disk(library_db) == before


def test_a_full_disk_tells_the_admin_and_leaves_the_store_whole(
    standin, bot, library_db, monkeypatch
) -> None:
    before = on_disk(library_db)

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", disk_full)
        reply = ask(standin, f"/add {REPORT}", who=ADMIN)
    assert reply.text.startswith("The report was not stored: cannot write the store")
    assert "No space left on device" in reply.text
    assert "310" in ask(standin, QUESTION).text
    assert on_disk(library_db) == before
    # the update journal may be writing the next poll's updates: only the store's own count
    journal = f".{library_db.name}.updates.json."
    leftovers = [p.name for p in library_db.parent.iterdir() if p.suffix == ".tmp"]
    assert [name for name in leftovers if not name.startswith(journal)] == []
    with ReportStore(library_db) as store:
        assert store.get("telegram/1-1.txt") is None
        assert store.count() == 5
    # and once there is room again, the same report goes in
    assert ask(standin, f"/add {REPORT}", who=ADMIN).text.startswith("Stored")
