"""Admin-only: add reports (/add TEXT, a document, a forwarded channel post), /remove, /stats,
/admin add|remove|list. Admins are ADMIN_IDS plus those stored; a filter guards every handler,
and strangers get "admins only" with nothing changed. Every admin action is logged with who."""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Callable
from pathlib import PurePosixPath

from telegram import Message, MessageOriginChannel, Update
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.download import download_at_most
from bot.formatting import counted, shorten
from bot.notices import send_notices
from bot.services import services
from store.library.interface import AddOutcome, LibraryStore, StoreError
from store.reports.article import Article
from store.reports.parser import (
    MAX_REPORT_BYTES,
    REPORT_SUFFIXES,
    RejectedReport,
    over_the_limit,
    parse_message,
    parse_report,
)

ADMIN_COMMANDS = ("add", "remove", "stats", "admin")
ADMINS_ONLY = "Sorry, that is for admins only."

_log = logging.getLogger(__name__)


def confirmation(article: Article, outcome: AddOutcome) -> str:
    title = html.escape(shorten(article.title, limit=200))
    title = f"<b>{title}</b> ({html.escape(shorten(article.source, limit=200))})"
    if outcome is AddOutcome.DUPLICATE:
        return f"Already in the library, nothing changed: {title}"
    speakers = sorted({q.speaker for q in article.quotes if q.speaker})
    lines = [
        f"{'Stored' if outcome is AddOutcome.STORED else 'Updated'}: {title}",
        f"{counted(len(article.paragraphs), 'paragraph')}, {counted(len(article.quotes), 'quote')}",
    ]
    if speakers:
        lines.append("Speakers: " + html.escape(shorten(", ".join(speakers), limit=1000)))
    return "\n".join(lines)


def actor(update: Update) -> str:
    who = update.effective_user
    return f"{who.id} (@{who.username})" if who and who.username else str(who.id if who else "?")


async def store_report(
    message: Message, context: ContextTypes.DEFAULT_TYPE, article: Article
) -> None:
    """Store `article` (the library queues its notices with it), confirm, and start sending."""
    try:
        outcome = await asyncio.to_thread(services(context).library.add, article)
    except StoreError as exc:
        _log.error("admin %s could not add %s: %s", message.from_user.id, article.source, exc)
        await message.reply_text(f"The report was not stored: {html.escape(str(exc))}")
        return
    _log.info("admin %s added %s: %s", message.from_user.id, article.source, outcome)
    await message.reply_text(confirmation(article, outcome), do_quote=True)
    if outcome is not AddOutcome.DUPLICATE:
        context.job_queue.run_once(send_notices, 0)


async def add_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    parts = (message.text or "").split(maxsplit=1)
    text = parts[1] if len(parts) == 2 else ""
    if not text:
        await message.reply_text("Usage: /add TEXT (the first line is the title), or send a file.")
        return
    source = f"telegram/{message.chat.id}-{message.message_id}.txt"
    await add_parsed(message, context, lambda: parse_message(text, source=source))


async def add_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    document = message.document
    name = PurePosixPath(document.file_name or "report.txt").name
    if not name.lower().endswith(REPORT_SUFFIXES):
        *most, last = REPORT_SUFFIXES
        await message.reply_text(f"I take {', '.join(most)} or {last} files.")
        return
    if (document.file_size or 0) > MAX_REPORT_BYTES:
        await message.reply_text(f"Not stored: {over_the_limit('file')}.")
        return
    data = await download_at_most(await document.get_file(), MAX_REPORT_BYTES)
    if data is None:  # the message did not say how large it was, or said less
        await message.reply_text(f"Not stored: {over_the_limit('file')}.")
        return
    title = (message.caption or "").strip() or None
    # its own source, as two admins' notes.txt are two reports; the same file twice is still
    # one, found by its text
    source = f"uploads/{message.chat.id}-{message.message_id}/{name}"
    await add_parsed(message, context, lambda: parse_report(data, source=source, title=title))


async def add_forwarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    origin = message.forward_origin
    if not isinstance(origin, MessageOriginChannel):
        await message.reply_text("I add forwarded channel posts; send other reports as a file.")
        return
    channel = origin.chat.username or str(origin.chat.id)
    text = message.text or message.caption or ""
    source = f"channel/{channel}/{origin.message_id}.txt"
    await add_parsed(message, context, lambda: parse_message(text, source=source))


async def add_parsed(
    message: Message, context: ContextTypes.DEFAULT_TYPE, parse: Callable[[], Article]
) -> None:
    try:
        article = await asyncio.to_thread(parse)
    except RejectedReport as exc:
        _log.info("admin %s sent a report that was rejected: %s", message.from_user.id, exc)
        await message.reply_text(f"Not stored: {html.escape(str(exc))}")
        return
    await store_report(message, context, article)


async def remove_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    source = " ".join(context.args or ())
    if not source:
        await message.reply_text("Usage: /remove SOURCE (as shown under each excerpt)")
        return
    removed = await asyncio.to_thread(services(context).library.remove, source)
    _log.info("admin %s removed %s: %s", actor(update), source, removed)
    answer = "Removed" if removed else "There is no report with the source"
    await message.reply_text(f"{answer} {html.escape(shorten(source, limit=200))}.")


async def show_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = services(context)
    _log.info("admin %s asked for stats", actor(update))
    library = await asyncio.to_thread(_library_stats, state.library.store)
    await update.effective_message.reply_text(
        f"{library}\nQuestions answered today: {state.answered_today()}"
    )


def _library_stats(store: LibraryStore) -> str:
    """Reads every article: ~0.1 s for the BBC corpus, kept off the event loop."""
    articles = list(store)
    return (
        f"Articles: {len(articles)}\n"
        f"Quotes: {sum(len(a.quotes) for a in articles)}\n"
        f"Subscribed chats: {len(store.subscriptions())}"
    )


async def manage_admins(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/admin add ID, /admin remove ID, /admin list; ADMIN_IDS themselves cannot be removed."""
    message, state = update.effective_message, services(context)
    admins: filters.User = context.bot_data["admins"]
    verb, *rest = [*(context.args or ()), ""]
    if verb == "list":
        ids = sorted(state.config.admin_ids | state.library.store.admins())
        await message.reply_text("Admins: " + (", ".join(map(str, ids)) or "none"))
        return
    if verb not in ("add", "remove") or not re.fullmatch(r"-?[0-9]+", rest[0]):
        await message.reply_text("Usage: /admin add ID, /admin remove ID or /admin list")
        return
    user_id = int(rest[0])
    if user_id in state.config.admin_ids:  # stored too, it would outlive its removal there
        await message.reply_text(f"{user_id} is set in ADMIN_IDS; change it there.")
        return
    if verb == "add":
        await asyncio.to_thread(state.library.store.add_admin, user_id)
        admins.add_user_ids(user_id)
    else:
        await asyncio.to_thread(state.library.store.remove_admin, user_id)
        admins.remove_user_ids(user_id)
    _log.info("admin %s: /admin %s %s", actor(update), verb, user_id)
    await message.reply_text(f"{'Added' if verb == 'add' else 'Removed'} admin {user_id}.")


async def refuse_stranger(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    _log.info("refused an admin action from %s", actor(update))
    await update.effective_message.reply_text(ADMINS_ONLY)


def register(app: Application) -> None:
    admins: filters.User = app.bot_data["admins"]
    document = filters.Document.ALL & filters.ChatType.PRIVATE
    # with no text too (a photo, a poll): the admin hears why nothing was stored
    forwarded = filters.FORWARDED & filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("add", add_text, filters=admins))
    app.add_handler(CommandHandler("remove", remove_report, filters=admins))
    app.add_handler(CommandHandler("stats", show_stats, filters=admins))
    app.add_handler(CommandHandler("admin", manage_admins, filters=admins))
    app.add_handler(MessageHandler(document & admins, add_document))
    app.add_handler(MessageHandler(forwarded & admins, add_forwarded))
    # everyone else who tries any of the above
    app.add_handler(CommandHandler(ADMIN_COMMANDS, refuse_stranger))
    app.add_handler(MessageHandler(document | forwarded, refuse_stranger))
