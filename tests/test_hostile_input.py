"""Hypothesis throws odd updates at the real handlers: emoji, right-to-left text, zero-width
characters, NUL, 10,000 characters, lone surrogates, HTML and Markdown, commands with odd
arguments, documents with wrong names, empty, binary or too big. No handler may fail, and every
reply must be one Telegram accepts (the stand-in refuses HTML that does not parse, empty or
over-long messages, and over-long callback data), in valid UTF-8.

Each update is parsed by the bot's getUpdates request as it would come off the wire, and goes
straight to `Application.process_update`, which returns once the handlers ran.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ADMIN, BOT_TOKEN
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from telegram import Update
from telegram.ext import Application

from bot.app import build_application, open_library
from bot.config import Config
from bot.notices import notice_html
from bot.standin import BotApiStandIn, Call, private_chat, telegram_text, user, utf16_length
from bot.standin.rules import MAX_TEXT
from bot.wire import CleanTextRequest
from store.reports.parser import MAX_REPORT_BYTES, RejectedReport, parse_text

ADMIN_ID = ADMIN["id"]
COMMANDS = [
    *("/start", "/help", "/ask", "/quotes", "/latest", "/library", "/nosuchcommand"),
    *("/subscribe", "/unsubscribe", "/subscriptions", "/add", "/remove", "/stats", "/admin"),
    *("/ask@reportbot", "/start@otherbot"),
]
ODD = (
    "\u200b\u200c\u200d\u2060\ufeff\u202e\u2066\x00\x1b\r\t"  # zero-width, bidi, NUL, control
    "مرحبا بالعالم שלום עולם"  # right to left
    "😀👍🏽👨‍👩‍👧‍👦🇬🇧"  # emoji, with modifiers and joiners
    "\ud800\udfff"  # lone surrogates
)
MARKUP = ["<b>", "</b>", "<i>", "<a href='x'>", "<script>", "&amp;", "&", "<", ">", "*", "_"]
MARKUP += ["`", "```", "[link](http://x)", "||", "~~", "<tg-spoiler>", "&#0;", "]]>", '"']
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

text = st.one_of(
    st.text(max_size=200),
    st.text(st.sampled_from(ODD), max_size=100),
    st.lists(st.sampled_from([*MARKUP, " ", "word", "flood", "barrier"]), max_size=40).map("".join),
    st.builds(
        lambda unit, n: (unit * n)[:10_000], st.text(min_size=1, max_size=8), st.just(10_000)
    ),
)


class Harness:
    """The real bot's Application, driven update by update, replying to a stand-in."""

    def __init__(self, app: Application, standin: BotApiStandIn) -> None:
        self.app, self.standin = app, standin
        self.loop = asyncio.new_event_loop()
        self.ids = itertools.count(1)
        self.problems: list[logging.LogRecord] = []

    def send(self, payload: dict[str, Any]) -> list[Call]:
        """Process one update; the calls the bot made meanwhile, each checked."""
        mark = len(self.standin.calls)
        self.problems.clear()
        # off the wire as getUpdates brings it: JSON, with lone surrogates as \ud800 escapes
        wire = json.dumps({"update_id": next(self.ids)} | payload).encode()
        update = Update.de_json(CleanTextRequest.parse_json_payload(wire), self.app.bot)
        self.loop.run_until_complete(self.app.process_update(update))
        calls = self.standin.calls[mark:]
        for call in calls:
            assert call.ok, f"{call.method} refused: {call.result}"
            call.html.encode("utf-8")  # raises on a lone surrogate: Telegram wants UTF-8
            assert "something went wrong" not in call.html
        assert not self.problems, [r.getMessage() for r in self.problems]
        return calls

    def message(self, text: str, *, from_id: int, **extra: Any) -> dict[str, Any]:
        sender = user(from_id, "Tester")
        message = {
            "message_id": next(self.ids),
            "date": int(time.time()),
            "chat": private_chat(sender),
            "from": sender,
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.split() else text
            length = len(command.encode("utf-16-le", "surrogatepass")) // 2
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"message": message | extra}


@pytest.fixture(scope="module")
def harness(sample_library: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    db = tmp_path_factory.mktemp("hostile") / "library.json"
    shutil.copyfile(sample_library, db)
    with BotApiStandIn(token=BOT_TOKEN) as standin:
        config = Config(
            token=BOT_TOKEN,
            admin_ids=frozenset({ADMIN_ID}),
            db_path=db,
            api_base_url=standin.base_url,
        )
        app = build_application(config)
        harness = Harness(app, standin)
        errors = logging.getLogger("bot.handlers.errors")
        recorder = logging.Handler(logging.WARNING)
        recorder.emit = harness.problems.append  # type: ignore[method-assign]
        errors.addHandler(recorder)
        harness.loop.run_until_complete(app.initialize())
        harness.loop.run_until_complete(open_library(app))
        try:
            yield harness
        finally:
            errors.removeHandler(recorder)
            harness.loop.run_until_complete(app.shutdown())
            harness.loop.close()


@SETTINGS
@given(question=text, from_id=st.integers(1000, 2**40))
@example(question="x" * 10_000, from_id=1000)
@example(question="\x00", from_id=1001)
@example(question="\ud83d", from_id=1002)
@example(question="<b>flood</b> *barrier* [x](y) &amp; &", from_id=1003)
def test_any_text_gets_replies_telegram_accepts(harness: Harness, question: str, from_id: int):
    calls = harness.send(harness.message(question, from_id=from_id))
    if question.strip(ODD[:11] + " \n"):
        assert calls, "a question in a private chat went unanswered"


@SETTINGS
@given(
    command=st.sampled_from(COMMANDS),
    argument=text,
    from_id=st.sampled_from([ADMIN_ID, 5000]),
)
@example(command="/admin", argument="add -0", from_id=ADMIN_ID)
@example(command="/admin", argument="remove 99999999999999999999999", from_id=ADMIN_ID)
@example(command="/remove", argument="../../etc/passwd", from_id=ADMIN_ID)
@example(command="/add", argument="\n\n\n", from_id=ADMIN_ID)
@example(command="/" + "x" * 5000, argument="", from_id=5000)
@example(command="/subscribe", argument="a," * 5000, from_id=5000)
@example(command="/remove", argument="y" * 10_000, from_id=ADMIN_ID)
def test_any_command_with_any_argument(harness: Harness, command: str, argument: str, from_id):
    harness.send(harness.message(f"{command} {argument}", from_id=from_id))


documents = st.tuples(
    st.sampled_from(
        ["report.txt", "report.md", "page.html", "a.pdf", "x.exe", "", "noext", "..txt"]
    ),
    st.one_of(
        st.just(b""),
        st.binary(max_size=2000),
        text.map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.just(b"\x00" * 100),
        st.just("Title\n\nBody with café".encode("cp1252")),
    ),
    st.one_of(st.none(), text.map(lambda s: s[:1024])),
)


@SETTINGS
@given(document=documents, from_id=st.sampled_from([ADMIN_ID, 5000]))
@example(document=("huge.txt", b"a" * (MAX_REPORT_BYTES + 1), None), from_id=ADMIN_ID)
def test_any_document(harness: Harness, document: tuple[str, bytes, str | None], from_id: int):
    name, content, caption = document
    file_id = harness.standin.add_file(content, f"documents/{next(harness.ids)}")
    extra: dict[str, Any] = {
        "document": {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(content),
        }
        | ({"file_name": name} if name else {})
    }
    if caption is not None:
        extra["caption"] = caption
    payload = harness.message("", from_id=from_id, **extra)
    del payload["message"]["text"]
    calls = harness.send(payload)
    assert len([c for c in calls if c.method == "sendMessage"]) == 1  # stored, or why not


@SETTINGS
@given(query=text.map(lambda s: s[:256]), data=text.map(lambda s: s[:64]))
@example(query="flood barrier", data="more:3")
def test_any_inline_query_and_button(harness: Harness, query: str, data: str):
    sender = user(6000, "Tester")
    inline = {"id": "1", "from": sender, "query": query, "offset": "", "chat_type": "private"}
    harness.send({"inline_query": inline})
    message = harness.message("flood barrier", from_id=6000)["message"]
    button = {"id": "2", "from": sender, "message": message, "chat_instance": "1", "data": data}
    harness.send({"callback_query": button})


# report text is decoded bytes, or an update's text off the wire: never a lone surrogate
report_text = text.map(lambda s: s.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))


@SETTINGS
@given(title=report_text, body=report_text)
@example(title="T" * 10_000, body="Body.")
def test_any_report_makes_a_notice_telegram_accepts(title: str, body: str):
    try:
        article = parse_text(f"{title}\n\n{body}", source="x.txt")
    except RejectedReport:
        return
    notice = notice_html(article)
    assert 0 < utf16_length(telegram_text(notice)) <= MAX_TEXT
