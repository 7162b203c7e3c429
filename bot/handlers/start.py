"""/start (a welcome with three example questions from the library) and /help."""

from __future__ import annotations

import html
import random
from collections.abc import Iterable

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.commands import help_text
from bot.services import services
from store.article import Article


def example_questions(articles: Iterable[Article]) -> list[str]:
    """One question per article: what its first named speaker said, else about its title."""
    questions = []
    for article in articles:
        speaker = next((q.speaker for q in article.quotes if q.speaker), None)
        if speaker:
            questions.append(f"What did {speaker} say?")
        else:
            questions.append(f"What happened: {article.title.rstrip('.?!')}?")
    return questions


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = services(context)
    keys = random.sample(sorted(state.sources), k=min(3, len(state.sources)))
    articles = [a for a in map(state.article, keys) if a is not None]
    lines = [
        "Hello! I answer questions about the news reports in my library, with the excerpt "
        "and where it comes from.",
    ]
    if articles:
        lines += ["", "Try asking:", *(f"• {html.escape(q)}" for q in example_questions(articles))]
    else:
        lines += ["", "The library is empty for now: an admin can add reports with /add."]
    lines += ["", "/help lists everything I can do."]
    await update.effective_message.reply_text("\n".join(lines))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(html.escape(help_text()))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("start", start_command))
    app.add_handler(CommandHandler("help", help_command))
