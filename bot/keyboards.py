"""Inline keyboards and their callback data (at most 64 bytes: a verb and a short key)."""

from __future__ import annotations

import hashlib

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

PAGE = 3


def source_key(source: str) -> str:
    """A short stable key for a source, so callback data never outgrows 64 bytes."""
    return hashlib.blake2b(source.encode(), digest_size=8).hexdigest()


def answer_keyboard(source: str, next_offset: int | None) -> InlineKeyboardMarkup:
    """ "More" (when there are further results) and "Full report" for the best result's source."""
    row = [InlineKeyboardButton("Full report", callback_data=f"full:{source_key(source)}")]
    if next_offset is not None:
        row.insert(0, InlineKeyboardButton("More", callback_data=f"more:{next_offset}"))
    return InlineKeyboardMarkup([row])


def notice_keyboard(title: str) -> InlineKeyboardMarkup:
    """A button that starts an inline question about the new report in the same chat."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("Ask about it", switch_inline_query_current_chat=title[:64])]]
    )


def parse_callback(data: str | None) -> tuple[str, str] | None:
    """("more", offset) or ("full", key); None for anything else (stale or forged data)."""
    verb, _, argument = (data or "").partition(":")
    # isdigit() alone takes "²", which int() refuses
    if verb == "more" and argument.isascii() and argument.isdigit() and int(argument) < 100:
        return verb, argument
    if verb == "full" and len(argument) == 16 and all(c in "0123456789abcdef" for c in argument):
        return verb, argument
    return None
