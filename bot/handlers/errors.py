"""The one error handler: log with the traceback, and tell the user something went wrong (or,
when the store refused a change, what: to the bot's admins only, as it names the store). And
what no other handler takes: unknown commands, and what is not text in a private chat."""

from __future__ import annotations

import contextlib
import html
import logging

from telegram import Update
from telegram.error import BadRequest, Conflict, NetworkError, RetryAfter
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.formatting import shorten
from store.library.store import StoreError

_log = logging.getLogger(__name__)
STOPPED_BY = "stopped by"  # bot_data key: why the bot stopped itself, for `reportbot run`
CONFLICT = (
    "another process is taking this bot's updates (Telegram answered 409 Conflict): "
    "stopped, as only one may run with a token"
)


async def log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    if isinstance(context.error, Conflict):  # polling: another process took our updates
        context.bot_data[STOPPED_BY] = CONFLICT
        _log.error(CONFLICT)
        context.application.stop_running()
        return
    # Telegram still flaking, or still answering 429, after the rate limiter's retries (a
    # "sorry" would meet the same); a BadRequest (a NetworkError in PTB) is no flake but a reply
    # of ours Telegram refused, a bug to log in full
    error = context.error
    if isinstance(error, RetryAfter | NetworkError) and not isinstance(error, BadRequest):
        _log.warning("network trouble: %s", error)
        return
    reply = "Sorry, something went wrong on my side."
    if isinstance(error, StoreError):  # e.g. a read-only store: say what is wrong
        _log.error("%s", error)
        # its words name the store (a path, a database's host and user): for admins only
        who = update.effective_user if isinstance(update, Update) else None
        if who is not None and who.id in context.bot_data["admins"].user_ids:
            reply = f"Sorry, nothing was changed: {html.escape(str(error))}"
    else:
        _log.error("error while handling an update", exc_info=error)
    if isinstance(update, Update) and update.effective_message:
        with contextlib.suppress(NetworkError):
            await update.effective_message.reply_text(reply)


async def answer_unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown command, unless it is addressed to another bot: in groups, only one
    addressed to this bot."""
    message = update.effective_message
    command = (message.text or "").split(maxsplit=1)[0]
    name, _, addressee = command.partition("@")
    ours = addressee.lower() == context.bot.username.lower()
    if not ours and (addressee or message.chat.type != "private"):
        return
    name = html.escape(shorten(name, limit=64))
    await message.reply_text(f"I don't know {name}. /help lists what I can do.")


async def answer_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo, sticker, voice message or the like in a private chat, which no handler took."""
    await update.effective_message.reply_text(
        "I read text only: please type your question as a message."
    )


def register(app: Application) -> None:
    app.add_handler(MessageHandler(filters.COMMAND, answer_unknown))
    # last: documents and forwarded posts have their handlers, service messages need no reply
    untyped = filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL
    app.add_handler(MessageHandler(untyped, answer_media))
    app.add_error_handler(log_error)
