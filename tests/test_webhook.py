"""`reportbot run` in webhook mode: it registers its URL with a secret, answers the updates
posted to it, and refuses a post that lacks the secret, as a forger's would."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from botprocess import BotProcess, free_port, listening
from conftest import ALICE, BOT_TOKEN, eventually

from bot.standin import BotApiStandIn

QUESTION = "how many homes were flooded in kellmouth"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def post(url: str, update: dict[str, Any], secret: str) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(update).encode(),
        headers={"Content-Type": "application/json", SECRET_HEADER: secret},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@contextmanager
def webhook_bot(
    standin: BotApiStandIn, db: Path | str, folder: Path | None = None
) -> Iterator[tuple[str, dict[str, Any], BotProcess]]:
    """A bot on `db` in webhook mode, logging in `folder`: its URL, what it registered, and
    its process."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    bot = BotProcess(standin, db, token=BOT_TOKEN, folder=folder)
    bot.env |= {"WEBHOOK_URL": url, "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port)}
    bot.start()
    try:
        registered = standin.wait_for(lambda c: c.method == "setWebhook", timeout=30)
        # python-telegram-bot registers the webhook before its server listens
        eventually(lambda: listening(port), what=f"the bot listening on port {port}")
        yield url, registered.params, bot
    finally:
        assert bot.stop() == 0, bot.log_text()


@pytest.fixture
def webhook(standin: BotApiStandIn, library_db: Path):
    with webhook_bot(standin, library_db) as (url, registered, _):
        yield url, registered


def test_the_bot_registers_its_url_with_a_secret(webhook) -> None:
    url, registered = webhook
    assert registered["url"] == url
    assert len(registered["secret_token"]) >= 32


def test_an_update_posted_with_the_secret_is_answered(standin: BotApiStandIn, webhook) -> None:
    url, registered = webhook
    message = standin.text_message(QUESTION, user=ALICE)
    assert post(url, {"update_id": 1, "message": message}, registered["secret_token"]) == 200
    reply = standin.wait_for_reply(ALICE["id"])
    assert "310 homes" in reply.text


def test_an_update_without_the_secret_is_refused(standin: BotApiStandIn, webhook) -> None:
    url, registered = webhook
    forged = standin.text_message("/stats", user=ALICE)
    assert post(url, {"update_id": 1, "message": forged}, "guessed") == 403
    asked = standin.text_message(QUESTION, user=ALICE)
    assert post(url, {"update_id": 2, "message": asked}, registered["secret_token"]) == 200
    standin.wait_for_reply(ALICE["id"])
    # the forged update was refused before the bot read it: the only reply is to the second
    assert [call.replies_to for call in standin.delivered(ALICE["id"])] == [asked["message_id"]]


def test_a_lone_surrogate_posted_to_the_webhook_is_journaled_and_answered(
    standin: BotApiStandIn, postgres_library: str, tmp_path: Path
) -> None:
    # python-telegram-bot parses a webhook's posts itself, so the escaped lone surrogate stays
    # in the text; PostgreSQL refuses it in the journal, and the question was handled
    # unjournaled, to be lost if the worker died before answering.
    with webhook_bot(standin, postgres_library, tmp_path) as (url, registered, bot):
        message = standin.text_message("/quotes Bl\ud800air", user=ALICE)
        assert post(url, {"update_id": 1, "message": message}, registered["secret_token"]) == 200
        reply = standin.wait_for_reply(ALICE["id"])
        assert "I found no quotes by Bl\ufffd" in reply.text
        assert "unjournaled" not in bot.log_text()


@pytest.mark.parametrize("given", ["Given-webhook_secret-0123456789abcdef", None])
def test_the_webhook_secret_never_reaches_the_log_even_at_debug(
    standin: BotApiStandIn, library_db: Path, given: str | None
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    bot = BotProcess(standin, library_db, token=BOT_TOKEN, log_level="DEBUG")
    bot.env |= {"WEBHOOK_URL": url, "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port)}
    if given:
        bot.env["WEBHOOK_SECRET"] = given
    bot.start()
    try:
        secret = standin.wait_for(lambda c: c.method == "setWebhook").params["secret_token"]
        assert secret == (given or secret)
        eventually(lambda: listening(port), what=f"the bot listening on port {port}")
        message = standin.text_message(QUESTION, user=ALICE)
        assert post(url, {"update_id": 1, "message": message}, secret) == 200
        standin.wait_for_reply(ALICE["id"])
    finally:
        assert bot.stop() == 0
    log = bot.log_text()
    assert " DEBUG " in log and "setWebhook" in log
    assert secret not in log


@pytest.mark.parametrize("listen", ["127.0.0.1", "no-such-host.invalid"])
def test_a_webhook_address_it_cannot_listen_on_is_one_line(
    standin: BotApiStandIn, library_db: Path, listen: str
) -> None:
    # before: an OSError traceback (the port taken by another worker, or a misspelt address)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        bot = BotProcess(standin, library_db, token=BOT_TOKEN)
        bot.env |= {
            "WEBHOOK_URL": "http://127.0.0.1/telegram",
            "WEBHOOK_LISTEN": listen,
            "WEBHOOK_PORT": str(port),
        }
        bot.start()
        assert bot.proc is not None
        assert bot.proc.wait(30) == 2
    last = bot.log_text().splitlines()[-1]
    assert last.startswith(
        f"reportbot: error: cannot listen for the webhook on {listen}:{port} "
        "(WEBHOOK_LISTEN:WEBHOOK_PORT): "
    ), bot.log_text()
    assert "Traceback" not in bot.log_text()


def test_webhook_settings_without_its_url_are_said_to_be_ignored(
    standin: BotApiStandIn, library_db: Path
) -> None:
    bot = BotProcess(standin, library_db, token=BOT_TOKEN)
    bot.env |= {"WEBHOOK_PORT": str(free_port()), "WEBHOOK_SECRET": "half-set"}
    bot.start()
    try:
        standin.send_text(QUESTION, user=ALICE)
        assert "Kellmouth" in standin.wait_for_reply(ALICE["id"]).text  # by polling
    finally:
        assert bot.stop() == 0
    assert "WEBHOOK_PORT, WEBHOOK_SECRET set without WEBHOOK_URL: ignored" in bot.log_text()
