"""/quotes NAME, /latest, /library, and the "More" and "Full report" buttons."""

from __future__ import annotations

import asyncio
import html

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.answers import answer_page, asker, question_in
from bot.flood import SLOW_DOWN, Verdict
from bot.formatting import article_html, counted, excerpt, lead, shorten, split_html
from bot.keyboards import parse_callback
from bot.replies import reply_html
from bot.services import services
from store.library.shelf import Shelf

MAX_FULL_PARTS = 5  # messages "Full report" sends at most: a 10,000-paragraph report is 101
# Names are short; matching a long text against every speaker holds all replies up (~1 s at 500
# characters on the BBC library).
MAX_NAME = 100


def library_html(shelf: Shelf) -> str:
    lines = [f"The library holds <b>{counted(shelf.count, 'report')}</b>."]
    lines += [f"• {html.escape(name)}: {n}" for name, n in shelf.categories.items()]
    return "\n".join(lines)


async def show_quotes(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    name = " ".join(context.args or ())
    if not name:
        await message.reply_text("Usage: /quotes NAME (for example /quotes Blair)")
        return
    if len(name) > MAX_NAME:
        await message.reply_text(f"That name is too long: at most {MAX_NAME} characters, please.")
        return
    if not await services(context).flood.lets(message):
        return
    results = services(context).library.matcher.quotes_by(name)
    if not results:
        who = html.escape(shorten(name, limit=100))
        await message.reply_text(f"I found no quotes by {who} in the library.")
        return
    await reply_html(message, "\n\n".join(excerpt(result) for result in results))


async def show_latest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if not await services(context).flood.lets(message):
        return
    shelf = await asyncio.to_thread(services(context).library.shelf)
    if not shelf.newest:
        await message.reply_text("The library is empty.")
        return
    blocks = [
        f"<b>{html.escape(a.title)}</b> ({html.escape(a.source)})\n{html.escape(lead(a))}"
        for a in shelf.newest
    ]
    await reply_html(message, "\n\n".join(blocks))


async def show_library(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if not await services(context).flood.lets(message):
        return
    shelf = await asyncio.to_thread(services(context).library.shelf)
    await message.reply_text(library_html(shelf))


async def press_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """ "More" edits the answer to the next results; "Full report" sends the article."""
    query = update.callback_query
    parsed = parse_callback(query.data)
    message = query.message
    if (
        parsed is None
        or message is None
        or not message.is_accessible
        # a private chat's buttons are its user's alone: a forged query naming another's message
        or (message.chat.type == "private" and message.chat.id != query.from_user.id)
    ):
        await query.answer("This button no longer works. Ask again?")
        return
    verb, argument = parsed
    # a press costs what a question does, or more: the same flood limit
    verdict = await services(context).flood.admit(query.from_user.id)
    if verdict is not Verdict.ANSWER:
        await query.answer(SLOW_DOWN if verdict is Verdict.WARN else None)
        return
    if verb == "full":
        article = services(context).article(argument)
        if article is None:
            await query.answer("That report is no longer in the library.")
            return
        await query.answer()
        chunks = article_html(article)
        for chunk in chunks[:MAX_FULL_PARTS]:
            await message.chat.send_message(chunk)
        if len(chunks) > MAX_FULL_PARTS:
            await message.chat.send_message(
                f"(The report goes on for {len(chunks) - MAX_FULL_PARTS} more messages, "
                "too many to send here.)"
            )
        return
    original = message.reply_to_message
    question = (
        question_in(original.text or "", bot_username=context.bot.username) if original else ""
    )
    if not question:
        await query.answer("I no longer know the question. Ask again?")
        return
    await query.answer()
    text, keyboard = answer_page(
        services(context).conversation, asker(original), question, offset=int(argument)
    )
    try:
        await message.edit_text(split_html(text)[0], reply_markup=keyboard)
    except BadRequest as exc:  # pressed twice: Telegram refuses an edit that changes nothing
        if "not modified" not in str(exc):
            raise


def register(app: Application) -> None:
    app.add_handler(CommandHandler("quotes", show_quotes))
    app.add_handler(CommandHandler("latest", show_latest))
    app.add_handler(CommandHandler("library", show_library))
    app.add_handler(CallbackQueryHandler(press_button))
