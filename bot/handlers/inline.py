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
    results = services(context).library.matcher.search(question, k=RESULTS) if question else []
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
        is_personal=False,
    )


def register(app: Application) -> None:
    app.add_handler(InlineQueryHandler(offer_excerpts))
