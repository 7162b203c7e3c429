"""Sending HTML (the application's default parse mode) that may be longer than one message."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message

from bot.formatting import split_html


async def reply_html(
    message: Message, text: str, *, keyboard: InlineKeyboardMarkup | None = None
) -> Message:
    """Reply to `message` with `text` split into messages; the keyboard goes on the last one."""
    chunks = split_html(text)
    sent = message
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        sent = await message.reply_text(
            chunk, reply_markup=keyboard if last else None, do_quote=True
        )
    return sent
