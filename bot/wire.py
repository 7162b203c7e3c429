"""Reading updates off the wire: JSON whose strings are all valid text.

A JSON string may hold an escaped lone surrogate ("\\ud800"), which Python decodes into a `str`
that cannot be encoded as UTF-8: echoing it in a reply, or storing it, would fail far from
here. Each one becomes U+FFFD, the replacement character: as `getUpdates`' answer is parsed,
and for a webhook, whose posts python-telegram-bot parses itself, as the update is journaled
(`valid_text`).
"""

from __future__ import annotations

import json
from typing import Any

from telegram.error import TelegramError

from bot.http import AiohttpRequest


class CleanTextRequest(AiohttpRequest):
    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        try:
            return json.loads(payload.decode("utf-8", "replace"), object_hook=_clean)
        except ValueError as exc:
            raise TelegramError("Invalid server response") from exc


def valid_text(data: dict[str, Any]) -> dict[str, Any]:
    """`data`, an update as a dict, with its lone surrogates replaced: itself when it has
    none, as nearly every update."""
    text = json.dumps(data, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.loads(text, object_hook=_clean)
    return data


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    for key, value in obj.items():
        if isinstance(value, str) and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                obj[key] = value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return obj
