"""Inline mode: `@bot question` in any chat offers cited excerpts to send."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.ext import Application, ContextTypes, InlineQueryHandler

from bot.formatting import excerpt, split_html
from bot.keyboards import source_key
from bot.services import services

RESULTS = 5


async def offer_excerpts(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    question = " ".join(query.query.split())
    # Read in the conversation of the asker's private chat with the bot (its id is theirs),
    # but never remembered: an inline query is sent at every keystroke, not once a question.
    conversation = services(context).conversation
    results = (
        conversation.ask(query.from_user.id, question, k=RESULTS, remember=False)
        if question
        else []
    )
    await query.answer(
        [
            InlineQueryResultArticle(
                id=f"{index}-{source_key(result.source)}",
                title=result.title[:256] or result.source,
                description=result.text[:200],
                input_message_content=InputTextMessageContent(split_html(excerpt(result))[0]),
            )
            for index, result in enumerate(results)
        ],
        cache_time=30,
        is_personal=True,
    )


def register(app: Application) -> None:
    app.add_handler(InlineQueryHandler(offer_excerpts))
