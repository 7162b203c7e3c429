"""Sending HTML (the application's default parse mode) that may be longer than one message.

Each message goes through PTB's `Bot.do_api_request` with no return type: Telegram's answer is
handed back as it came instead of becoming a `Message` (an object for each of the reply's
entities, about half a millisecond of CPU for an answer), which nothing here reads. The
arguments are those `Message.reply_text(..., do_quote=True)` sends; `DEFAULT_NONE` in place of
those `Defaults` sets lets PTB fill them in, as it does for `send_message`.
"""

from __future__ import annotations

import warnings

from telegram import InlineKeyboardMarkup, Message
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram.warnings import PTBUserWarning

from bot.formatting import split_html

# do_api_request points to sendMessage, which builds the Message skipped here
warnings.filterwarnings("ignore", r"Please use 'Bot\.sendMessage'", PTBUserWarning)


async def reply_html(
    message: Message, text: str, *, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Reply to `message` with `text` split into messages; the keyboard goes on the last one."""
    chunks = split_html(text)
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        await message.get_bot().do_api_request(
            "sendMessage",
            {
                **message.build_reply_arguments(),  # chat_id, and reply_parameters quoting it
                "text": chunk,
                "parse_mode": DEFAULT_NONE,
                "link_preview_options": DEFAULT_NONE,
                "reply_markup": keyboard if last else None,
                # as reply_text: in a forum topic, the topic
                "message_thread_id": message.message_thread_id
                if message.is_topic_message
                else None,
                "business_connection_id": message.business_connection_id,
            },
        )
