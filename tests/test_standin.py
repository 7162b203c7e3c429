"""The stand-in refuses what Telegram's documentation says Telegram refuses, by its own count:
it is the oracle of every bot test, so it must not share the bot's code for what it checks."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from conftest import ADMIN, ALICE, BOT_TOKEN, ask

from bot.standin import ApiError, telegram_text
from bot.standin.rules import MAX_TEXT, check_markup, checked_text

EMOJI = "\U0001f389"  # outside the BMP: two UTF-16 code units


def accepted(text: str, parse_mode: str | None = "HTML") -> bool:
    try:
        checked_text({"text": text, "parse_mode": parse_mode}, "text")
    except ApiError:
        return False
    return True


def test_a_message_is_4096_utf16_code_units_after_entity_parsing():
    assert accepted("a" * MAX_TEXT) and not accepted("a" * (MAX_TEXT + 1))
    assert accepted(EMOJI * (MAX_TEXT // 2)) and not accepted(EMOJI * (MAX_TEXT // 2) + "a")
    assert accepted(f"<b>{'&amp;' * MAX_TEXT}</b>")  # tags take no room, an entity one char
    assert not accepted("&amp;" * (MAX_TEXT + 1))
    assert accepted("<" * MAX_TEXT, parse_mode=None)  # without a parse mode, nothing parses
    assert not accepted("  \n ")


@pytest.mark.parametrize(
    ("html", "why"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<blink>x</blink>", 'Unsupported start tag "blink" at byte offset 0'),
        ("£ <b", "Unclosed start tag at byte offset 3"),  # offsets count UTF-8 bytes
        ("x < y", "Unclosed start tag at byte offset 2"),
        ("Q&A", "Unsupported or unescaped '&' at byte offset 1"),
        ("&nbsp;", "Unsupported or unescaped '&' at byte offset 0"),
        ("&#0;", "Unsupported or unescaped '&' at byte offset 0"),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
def test_html_telegram_cannot_parse_is_refused_in_its_words(html: str, why: str):
    with pytest.raises(ApiError) as refused:
        telegram_text(html)
    assert refused.value.code == 400
    assert refused.value.description == f"Bad Request: can't parse entities: {why}"


def test_entities_decode_and_tags_vanish():
    html = '<a href="https://x.org/?a=1&amp;b=2">A &lt;b&gt; &#38; &#x1F389;</a> &quot;q&quot;'
    assert telegram_text(html) == f'A <b> & {EMOJI} "q"'


@pytest.mark.parametrize(
    ("data", "ok"), [("x" * 64, True), ("x" * 65, False), ("é" * 33, False), ("", False)]
)
def test_callback_data_is_1_to_64_bytes(data: str, ok: bool):
    markup = {"reply_markup": {"inline_keyboard": [[{"text": "Go", "callback_data": data}]]}}
    if ok:
        check_markup(markup)
    else:
        with pytest.raises(ApiError, match="BUTTON_DATA_INVALID"):
            check_markup(markup)


# Two paragraphs of ~5,000 characters, one in twenty-two an emoji (two UTF-16 code units), so
# each is cut in two. Counted in code points each cut fits, in UTF-16 it does not: replace
# bot.formatting.telegram_length with len and the stand-in refuses it as "message is too long".
SENTENCE = f"The crowd cheered {EMOJI * 4} as the boats came in past the harbour wall. "
REGATTA = (
    "Kelport regatta draws a record crowd\n\n"
    + "\n\n".join(f"Race {n}: " + SENTENCE * 60 for n in (1, 2))
    + "\n\nThe regatta ended at dusk."
)


def test_a_long_article_with_emoji_reaches_the_reader_whole(standin, bot):
    mark = len(standin.calls)
    standin.send_document(REGATTA.encode(), "regatta.txt", user=ADMIN)
    assert standin.wait_for_reply(ADMIN["id"], after=mark).text.startswith("Stored: Kelport")
    reply = ask(standin, "what did the kelport regatta crowd do", who=ALICE)
    full = next(b["callback_data"] for b in reply.buttons if b["text"] == "Full report")
    mark = len(standin.calls)
    standin.click(reply.result, full, user=ALICE)
    standin.wait_for(
        lambda c: c.chat_id == ALICE["id"] and (not c.ok or "ended at dusk" in c.html),
        after=mark,
    )
    sent = [c for c in standin.calls[mark:] if c.method == "sendMessage"]
    assert [c.result for c in sent if not c.ok] == []
    assert len(sent) > 2
    shown = "".join(c.text for c in sent)
    assert shown.count(EMOJI) == REGATTA.count(EMOJI)


def test_a_group_takes_20_messages_a_minute_then_429_with_the_seconds_to_wait(standin):
    """Over HTTP, as the bot meets it; a message to a private chat or another group is not
    counted against the group."""
    bot_api = f"{standin.base_url}{BOT_TOKEN}/sendMessage"

    def send(chat_id: int) -> tuple[int, dict]:
        request = urllib.request.Request(
            bot_api,
            json.dumps({"chat_id": chat_id, "text": "hello"}).encode(),
            {"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as refused:
            return refused.code, json.loads(refused.read())

    assert [send(-5)[0] for _ in range(20)] == [200] * 20
    status, body = send(-5)
    assert status == 429 and body["parameters"]["retry_after"] in (59, 60)
    assert (
        body["description"] == f"Too Many Requests: retry after {body['parameters']['retry_after']}"
    )
    assert send(-6)[0] == send(ALICE["id"])[0] == 200
