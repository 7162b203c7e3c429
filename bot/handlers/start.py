"""/start (a welcome with three example questions from the library) and /help."""

from __future__ import annotations

import html
import random

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.commands import help_text
from bot.services import services
from store.search.suggestions import example_questions

SAMPLED = 12  # articles drawn at random, of which the first three with a good example serve


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = services(context)
    keys = random.sample(sorted(state.sources), k=min(SAMPLED, len(state.sources)))
    articles = [a for a in map(state.article, keys) if a is not None]
    examples = example_questions(articles, state.library.matcher)
    lines = [
        "Hello! I answer questions about the news reports in my library, with the excerpt "
        "and where it comes from.",
    ]
    if examples:
        lines += ["", "Try asking:", *(f"• {html.escape(q)}" for q in examples)]
    elif not articles:
        lines += ["", "The library is empty for now: an admin can add reports with /add."]
    lines += ["", "/help lists everything I can do."]
    await update.effective_message.reply_text("\n".join(lines))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(html.escape(help_text()))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("start", start_command))
    app.add_handler(CommandHandler("help", help_command))
