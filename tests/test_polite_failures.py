"""When something cannot be done, the user hears why: a read-only store, Telegram failing to say
who is a group admin, a sustained 429. And ADMIN_IDS stays the one word on its admins."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.handlers.admin import ADMINS_ONLY
from bot.standin import BotApiStandIn, Call, group_chat, user
from store.library.store import ReportStore

ADMIN = user(1, "Ada")
ALICE = user(101, "Alice")
GROUP = group_chat(-900, "Harbour watchers")


def ask(standin: BotApiStandIn, text: str, who: dict = ADMIN, **where) -> Call:
    mark = len(standin.calls)
    standin.send_text(text, user=who, **where)
    return standin.wait_for_reply(where["chat"]["id"] if where else who["id"], after=mark)


@pytest.fixture
def read_only_store(start_bot, library_db: Path) -> Iterator[Path]:
    """The bot running on a store it may read but not write."""
    start_bot()
    os.chmod(library_db, 0o444)
    try:
        yield library_db
    finally:
        os.chmod(library_db, 0o644)


def test_a_read_only_store_is_named_when_a_change_is_refused(
    read_only_store: Path, standin: BotApiStandIn
) -> None:
    for command in ("/remove harbour-flood-barrier.txt", "/admin add 42", "/subscribe"):
        reply = ask(standin, command).text
        assert reply.startswith("Sorry, nothing was changed: the store"), (command, reply)
        assert "read-only" in reply


def test_subscribe_answers_when_telegram_cannot_say_who_is_admin(
    start_bot, standin: BotApiStandIn
) -> None:
    start_bot()
    standin.fail("server_error", method="getChatMember", times=None)
    reply = ask(standin, "/subscribe flood", who=ALICE, chat=GROUP)
    assert reply.text.startswith("I could not check with Telegram that you are an admin here")


def test_a_sustained_429_delays_the_reply_instead_of_losing_it(
    start_bot, standin: BotApiStandIn
) -> None:
    start_bot()
    standin.fail("retry_after", method="sendMessage", chat_id=ALICE["id"], times=5)
    reply = ask(standin, "how many homes were flooded in kellmouth", who=ALICE)
    assert "310 homes" in reply.text
    sent = standin.delivered(chat_id=ALICE["id"])
    assert len(sent) == 1 and "something went wrong" not in sent[0].text


def test_an_id_taken_out_of_admin_ids_is_no_admin_any_more(
    start_bot, standin: BotApiStandIn, library_db: Path
) -> None:
    with ReportStore(library_db) as store:
        store.add_admin(ADMIN["id"])  # as `/admin add <own id>` once stored it
    bot = start_bot(admin_ids=(ADMIN["id"],))
    reply = ask(standin, f"/admin add {ADMIN['id']}").text
    assert reply.endswith("is set in ADMIN_IDS; change it there.")
    bot.stop()
    start_bot(admin_ids=(2,))
    assert ask(standin, "/stats").text == ADMINS_ONLY


def test_a_stranger_is_not_told_where_the_store_is(
    read_only_store: Path, standin: BotApiStandIn
) -> None:
    for command in ("/subscribe", "/unsubscribe"):
        reply = ask(standin, command, who=ALICE).text
        assert reply == "Sorry, something went wrong on my side.", (command, reply)
        assert str(read_only_store.parent) not in reply
