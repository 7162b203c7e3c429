"""What Telegram refuses, written from the Bot API documentation, never from the bot's code: the
stand-in is the tests' oracle, so the bot's own length counting or escaping must not judge itself.

https://core.telegram.org/bots/api#sendmessage, #formatting-options, #inlinekeyboardbutton;
the flood limits from https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
"""

from __future__ import annotations

import math
import re
from typing import Any

MAX_TEXT = 4096  # sendMessage / editMessageText: "1-4096 characters after entities parsing"
MAX_CAPTION = 1024  # sendDocument: "0-1024 characters after entities parsing"
MAX_CALLBACK_DATA = 64  # InlineKeyboardButton.callback_data: "1-64 bytes"
MAX_INLINE_RESULTS = 50  # answerInlineQuery: "No more than 50 results per query are allowed"
# "your bot will not be able to send more than 20 messages per minute to the same group"
GROUP_LIMIT = 20
GROUP_WINDOW = 60.0
_TAG_LIST = "b strong i em u ins s strike del a code pre span tg-spoiler blockquote tg-emoji"
TAGS = frozenset(_TAG_LIST.split())
# "The API currently supports only the following named HTML entities: &lt;, &gt;, &amp; and
# &quot;" and "All numerical HTML entities are supported."
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# a tag (to its '>', or to the end if unclosed), an entity, or a bare & or >
_TOKEN = re.compile(r"<[^>]*>?|&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);|[&>]")
_TAG_NAME = re.compile(r"[a-zA-Z0-9-]*")


class ApiError(Exception):
    """An error answer: HTTP status, Telegram's description, optional `parameters`."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def utf16_length(text: str) -> int:
    """Telegram counts characters in UTF-16 code units: one beyond the BMP (most emoji) is two."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def telegram_text(html: str) -> str:
    """What the user sees of `html` sent with parse_mode HTML; ApiError(400) where Telegram
    refuses it. The documentation asks that every <, > and & that is not part of a tag or an
    entity be escaped, so a bare one is refused here too."""
    shown: list[str] = []
    open_tags: list[str] = []
    at = 0
    for token in _TOKEN.finditer(html):
        shown.append(html[at : token.start()])
        at, text = token.start(), token.group(0)
        if text.startswith("<"):
            if not text.endswith(">"):
                raise _cant_parse(
                    html, at, f"Unclosed {'end' if text[1:2] == '/' else 'start'} tag"
                )
            _tag(html, at, text[1:-1], open_tags)
        elif (decoded := _decode_entity(token.group(1))) is not None:
            shown.append(decoded)
        elif text == ">":
            raise _cant_parse(html, at, "Unescaped '>'")
        else:
            raise _cant_parse(html, at, "Unsupported or unescaped '&'")
        at = token.end()
    shown.append(html[at:])
    if open_tags:
        raise ApiError(
            400,
            "Bad Request: can't parse entities: "
            f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"',
        )
    return "".join(shown)


def checked_text(params: dict[str, Any], key: str, limit: int = MAX_TEXT) -> str:
    """`params[key]` if Telegram takes it as a message text (or caption, with its `limit`)."""
    raw = str(params.get(key) or "")
    mode = str(params.get("parse_mode") or "")
    if mode and mode.lower() != "html":
        raise ApiError(400, "Bad Request: unsupported parse_mode")
    shown = telegram_text(raw) if mode else raw
    if key != "caption" and not shown.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_length(shown) > limit:
        what = "message caption" if key == "caption" else "message"
        raise ApiError(400, f"Bad Request: {what} is too long")
    return raw


def check_markup(params: dict[str, Any]) -> None:
    """The inline keyboard's callback data, each 1-64 bytes."""
    for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            if "callback_data" in button:
                size = len(str(button["callback_data"]).encode("utf-8", "surrogatepass"))
                if not 1 <= size <= MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def check_group_flood(sent: list[float], now: float, *, limit: int, window: float) -> None:
    """ApiError(429) with the seconds to wait if a group that was sent messages at the times
    `sent` (oldest first, the last `window` seconds' only) may not be sent one at `now`."""
    if len(sent) >= limit:
        wait = math.ceil(sent[-limit] + window - now)
        raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})


def _tag(html: str, at: int, inside: str, open_tags: list[str]) -> None:
    if inside.startswith("/"):
        name = inside[1:].strip().lower()
        if not open_tags:
            raise _cant_parse(html, at, "Unexpected end tag")
        if name and name != open_tags[-1]:
            found = f', expected "</{open_tags[-1]}>", found "</{name}>"'
            raise _cant_parse(html, at, "Unmatched end tag", found)
        open_tags.pop()
        return
    name = _TAG_NAME.match(inside).group(0).lower()  # type: ignore[union-attr]
    if name not in TAGS:
        raise _cant_parse(html, at, f'Unsupported start tag "{name}"')
    if name == "span" and not re.search(r"""class\s*=\s*["']?tg-spoiler\b""", inside):
        raise _cant_parse(html, at, 'Tag "span" must have class "tg-spoiler"')
    open_tags.append(name)


def _decode_entity(body: str | None) -> str | None:
    if body is None:
        return None
    if not body.startswith("#"):
        return NAMED_ENTITIES.get(body)
    code = int(body[2:], 16) if body[1] in "xX" else int(body[1:])
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return None
    return chr(code)


def _cant_parse(html: str, at: int, why: str, details: str = "") -> ApiError:
    offset = len(html[:at].encode("utf-8", "surrogatepass"))
    return ApiError(
        400, f"Bad Request: can't parse entities: {why} at byte offset {offset}{details}"
    )
