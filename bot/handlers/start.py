"""/start (a welcome with three example questions from the library) and /help."""

from __future__ import annotations

import html
import random
from collections.abc import Callable, Iterable

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.commands import help_text
from bot.services import services
from store.reports.article import Article

QUOTED_WORDS = 6  # of a quotation, in a "who said" example


def example_questions(articles: Iterable[Article]) -> list[str]:
    """One question per article, taking turns at the kinds people ask (what someone said, who
    said something, what a report is about) where the article has what the kind needs."""
    questions = []
    for turn, article in enumerate(articles):
        at = turn % len(_KINDS)
        kinds = _KINDS[at:] + _KINDS[:at]
        questions.append(next(q for q in (kind(article) for kind in kinds) if q))
    return questions


def _what_did_they_say(article: Article) -> str | None:
    speaker = next((q.speaker for q in article.quotes if _is_person(q.speaker)), None)
    return f"What did {speaker} say?" if speaker else None


def _who_said(article: Article) -> str | None:
    for quote in article.quotes:
        words = quote.text.split()
        if quote.speaker and len(words) >= QUOTED_WORDS:
            return f"Who said “{' '.join(words[:QUOTED_WORDS]).rstrip(',.;:')}…”?"
    return None


def _about(article: Article) -> str:
    return f"What happened: {article.title.rstrip('.?!')}?"


_KINDS: tuple[Callable[[Article], str | None], ...] = (_what_did_they_say, _who_said, _about)


def _is_person(speaker: str | None) -> bool:
    """A named person ("Joan Petrie"), not a group ("the council") or a description."""
    return bool(speaker) and speaker[0].isupper() and " " in speaker


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
