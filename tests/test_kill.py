"""Nothing a user sent is lost when the bot is SIGKILLed, and nothing is answered twice after
the restart: updates are journaled before Telegram is told they arrived, and marked finished
once answered.

Each test kills `reportbot run` at a moment it can name: once Telegram (the stand-in) holds
the updates as confirmed, while replies are held up (a stalled sendMessage never arrives, so
it cannot be doubled), or while Telegram keeps delivering updates the bot already answered.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from botprocess import BotProcess, free_port, listening
from conftest import BOT_TOKEN, eventually
from standin_hooks import HookedStandIn
from test_webhook import post

from bot.standin import BotApiStandIn, user
from store.library.opening import open_store

ADMIN = user(1, "Admin")
USERS = [user(100 + n, f"User{n}") for n in range(40)]
STALLED = USERS[::4]  # their replies hang until the kill
QUESTION = "how many homes were flooded in kellmouth"


class ForgetfulStandIn(HookedStandIn):
    """Takes no confirmation while `confirming` is off: every getUpdates delivers every update
    again, as Telegram does after a bot died before confirming."""

    confirming = True

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return super()._get_updates(params if self.confirming else {**params, "offset": 0})


def wait(condition: Callable[[], bool], *, bot: BotProcess, what: str, timeout: float = 30):
    eventually(
        condition, what=what, timeout=timeout, alive=bot.alive, log=bot.log_text, every=0.002
    )


def replies(standin: BotApiStandIn) -> Counter[int]:
    return Counter(call.chat_id for call in standin.delivered(method="sendMessage"))


@pytest.fixture(params=["tinydb", "postgres"])
def db(request: pytest.FixtureRequest) -> Path | str:
    """The sample library in each backend in turn: a TinyDB file, then a PostgreSQL database."""
    return request.getfixturevalue(
        "library_db" if request.param == "tinydb" else "postgres_library"
    )


def bot_on(standin: BotApiStandIn, db: Path | str, folder: Path) -> BotProcess:
    return BotProcess(standin, db, token=BOT_TOKEN, folder=folder)


def unfinished_on_disk(db: Path | str) -> int:
    """Updates journaled and not finished, read where the store keeps them."""
    if isinstance(db, str):
        with psycopg.connect(db) as conn:
            row = conn.execute("SELECT count(*) FROM updates WHERE NOT finished").fetchone()
            return row[0] if row else 0
    journal = db.with_name(db.name + ".updates.json")
    return len(json.loads(journal.read_text())["unfinished"]) if journal.exists() else 0


def restart_until_idle(
    standin: BotApiStandIn, db: Path | str, folder: Path, done: Callable[[], bool]
) -> None:
    bot = bot_on(standin, db, folder).start()
    try:
        wait(done, bot=bot, what="everything answered")
        standin.wait_until_idle(timeout=30, quiet=1.0)  # time enough to answer anything twice
    finally:
        assert bot.stop() == 0, bot.log_text()


def test_a_kill_mid_burst_loses_no_question_and_answers_none_twice(
    standin: BotApiStandIn, db: Path | str, tmp_path: Path
) -> None:
    for who in STALLED:
        standin.fail("stall", method="sendMessage", chat_id=who["id"], times=None, stall=60)
    bot = bot_on(standin, db, tmp_path).start()
    try:
        for who in USERS:
            standin.send_text(QUESTION, user=who)
        answered = len(USERS) - len(STALLED)
        wait(
            lambda: (
                standin.pending_updates == 0
                and len(replies(standin)) == answered
                and unfinished_on_disk(db) == len(STALLED)
            ),
            bot=bot,
            what="the unstalled questions answered and marked",
        )
    finally:
        bot.kill()
    standin.clear_faults()

    restart_until_idle(standin, db, tmp_path, lambda: len(replies(standin)) == len(USERS))
    assert replies(standin) == Counter({who["id"]: 1 for who in USERS})
    assert unfinished_on_disk(db) == 0


def test_updates_delivered_again_are_answered_once(db: Path | str, tmp_path: Path) -> None:
    with ForgetfulStandIn(token=BOT_TOKEN) as standin:
        standin.confirming = False
        bot = bot_on(standin, db, tmp_path).start()
        try:
            for who in USERS[:10]:
                standin.send_text(QUESTION, user=who)
            wait(lambda: len(replies(standin)) == 10, bot=bot, what="ten answers")
            wait(lambda: unfinished_on_disk(db) == 0, bot=bot, what="all marked")
            time.sleep(0.5)  # the same ten delivered again many times over
        finally:
            bot.kill()
        standin.confirming = True
        restart_until_idle(standin, db, tmp_path, lambda: standin.pending_updates == 0)
        assert replies(standin) == Counter({who["id"]: 1 for who in USERS[:10]})


def test_a_kill_mid_add_loses_no_report(
    standin: BotApiStandIn, db: Path | str, tmp_path: Path
) -> None:
    titles = [f"Council minutes number {n} on the harbour wall" for n in range(12)]
    standin.fail("stall", method="sendMessage", chat_id=ADMIN["id"], times=None, stall=60)
    bot = bot_on(standin, db, tmp_path).start()
    try:
        for n, title in enumerate(titles):
            standin.send_text(f"/add {title}\n\nThe council met {n} times.", user=ADMIN)
        # killed as soon as Telegram counts the /adds delivered, before they can all be stored
        wait(lambda: standin.pending_updates == 0, bot=bot, what="the /adds fetched")
    finally:
        bot.kill()
    standin.clear_faults()

    def confirmed() -> Counter[str]:
        sent = [c.text for c in standin.delivered(chat_id=ADMIN["id"], method="sendMessage")]
        return Counter(t for text in sent for t in titles if t in text)

    restart_until_idle(standin, db, tmp_path, lambda: len(confirmed()) == len(titles))
    with open_store(db) as store:
        assert set(titles) <= {article.title for article in store}
    assert confirmed() == Counter(dict.fromkeys(titles, 1))


def test_a_webhook_update_is_journaled_before_its_post_is_answered(
    standin: BotApiStandIn, db: Path | str, tmp_path: Path
) -> None:
    alice = USERS[0]
    standin.fail("stall", method="sendMessage", chat_id=alice["id"], times=None, stall=60)

    def start() -> tuple[BotProcess, str, str]:
        port = free_port()
        url = f"http://127.0.0.1:{port}/telegram"
        bot = bot_on(standin, db, tmp_path)
        bot.env |= {"WEBHOOK_URL": url, "WEBHOOK_PORT": str(port)}
        after = len(standin.calls)
        bot.start()
        registered = standin.wait_for(lambda c: c.method == "setWebhook", after=after)
        eventually(lambda: listening(port), what=f"the bot listening on port {port}")
        return bot, url, registered.params["secret_token"]

    bot, url, secret = start()
    try:
        message = standin.text_message(QUESTION, user=alice)
        assert post(url, {"update_id": 7, "message": message}, secret) == 200
    finally:
        bot.kill()  # the moment the POST is answered: Telegram will not send it again
    standin.clear_faults()
    bot, _, _ = start()
    try:
        wait(lambda: replies(standin)[alice["id"]] == 1, bot=bot, what="the answer")
    finally:
        assert bot.stop() == 0, bot.log_text()
