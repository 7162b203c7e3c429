"""The one error handler: log with the traceback, and tell the user something went wrong."""

from __future__ import annotations

import contextlib
import html
import logging

from telegram import Update
from telegram.error import BadRequest, Conflict, NetworkError
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.formatting import shorten

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
    # Telegram still flaking after the rate limiter's retries; a BadRequest (a NetworkError in
    # PTB) is no flake but a reply of ours Telegram refused, a bug to log in full
    if isinstance(context.error, NetworkError) and not isinstance(context.error, BadRequest):
        _log.warning("network trouble: %s", context.error)
        return
    _log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        with contextlib.suppress(NetworkError):
            await update.effective_message.reply_text("Sorry, something went wrong on my side.")


async def answer_unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown command: in groups only when it is addressed to this bot."""
    message = update.effective_message
    command = (message.text or "").split(maxsplit=1)[0]
    name, _, addressee = command.partition("@")
    if message.chat.type != "private" and addressee.lower() != context.bot.username.lower():
        return
    name = html.escape(shorten(name, limit=64))
    await message.reply_text(f"I don't know {name}. /help lists what I can do.")


def register(app: Application) -> None:
    app.add_handler(MessageHandler(filters.COMMAND, answer_unknown))
    app.add_error_handler(log_error)
