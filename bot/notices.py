"""Telling subscribed chats about a new report.

Who hears of it is a pure function (`matching_chats`). The notices are written to the store's
outbox together with the article, and `send_notices`, a JobQueue job, claims what is pending in
the background, sends it and marks each one sent as soon as Telegram accepts it; it also runs at
start-up, so a broadcast cut short by a crash carries on where it stopped. A claim holds a notice
for its sender alone, so several workers sharing a store send each notice once; one that fails
stays claimed until its lease ends and is tried again by a later pass.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from bot.formatting import lead, shorten
from bot.keyboards import notice_keyboard
from bot.services import Services, services
from store.library.interface import LibraryStore, Notice, Subscription
from store.reports.article import Article

MATCH_CUTOFF = 85
BATCH = 30  # Telegram allows about 30 messages a second in bulk: one batch, then a pause
PAUSE = 1.0  # seconds from the end of one batch to the start of the next
INTERVAL = 30.0  # seconds between passes over the outbox, for whatever a pass left behind

_log = logging.getLogger(__name__)


def article_words(article: Article) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", " ".join([article.title, *article.paragraphs]).lower()))


def keyword_matches(keyword: str, words: frozenset[str]) -> bool:
    """Every word of `keyword` is in `words`, exactly if short, else give or take a typo."""
    for word in re.findall(r"\w+", keyword.lower()):
        if word in words:
            continue
        if len(word) <= 3:
            return False
        if process.extractOne(word, words, scorer=fuzz.ratio, score_cutoff=MATCH_CUTOFF) is None:
            return False
    return True


def matching_chats(article: Article, subscriptions: Iterable[Subscription]) -> list[int]:
    """Chats that follow everything, or one of whose keywords the article's title or text has."""
    words = article_words(article)
    return [
        s.chat_id
        for s in subscriptions
        if not s.keywords or any(keyword_matches(k, words) for k in s.keywords)
    ]


def notice_html(article: Article) -> str:
    title = html.escape(shorten(article.title, limit=300))
    return f"New report: <b>{title}</b>\n{html.escape(lead(article))}"


async def send_notices(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job: claim and send pending notices, a batch at a time, until none is left to claim."""
    state = services(context)
    async with state.notice_lock:
        marks = SentMarks(state.store)
        while batch := await asyncio.to_thread(state.store.claim_notices, BATCH):
            articles = await asyncio.to_thread(_articles_of, state.store, batch)
            await asyncio.gather(
                *(_deliver(state, context, n, articles[n.source], marks) for n in batch)
            )
            await asyncio.sleep(PAUSE)


class SentMarks:
    """Marks notices sent in the store as Telegram accepts them, many in one write: the notices
    accepted while one write is under way go together in the next. `mark` returns once its
    notice is marked on disk."""

    def __init__(self, store: LibraryStore) -> None:
        self._store = store
        self._waiting: list[Notice] = []
        self._writing = asyncio.Lock()

    async def mark(self, notice: Notice) -> None:
        self._waiting.append(notice)
        async with self._writing:
            if notice not in self._waiting:  # the write before took it
                return
            batch, self._waiting = self._waiting, []
            await asyncio.to_thread(self._store.mark_notices_sent, batch)


async def _deliver(
    state: Services,
    context: ContextTypes.DEFAULT_TYPE,
    notice: Notice,
    article: Article | None,
    marks: SentMarks,
) -> None:
    """Send one notice and settle it in the store, or leave it claimed for a later pass."""
    if article is None:  # removed since: nothing to tell
        await marks.mark(notice)
        return
    try:
        await context.bot.send_message(
            notice.chat_id, notice_html(article), reply_markup=notice_keyboard(article.title)
        )
    except Forbidden:
        _log.info("chat %s blocked or removed the bot: dropping its subscription", notice.chat_id)
        await asyncio.to_thread(_forget_chat, state, notice.chat_id)
        return
    except ChatMigrated as exc:
        _log.info("chat %s moved to %s: moving its subscription", notice.chat_id, exc.new_chat_id)
        await asyncio.to_thread(state.store.move_subscription, notice.chat_id, exc.new_chat_id)
        return  # the moved notice is pending under the new id, for the next batch
    except RetryAfter as exc:  # the rate limiter's own retries ran out
        wait = exc.retry_after
        await asyncio.sleep(wait.total_seconds() if isinstance(wait, dt.timedelta) else wait)
        return
    except BadRequest as exc:
        _log.warning("notice to chat %s refused (%s): giving it up", notice.chat_id, exc.message)
        if "chat not found" in exc.message.lower():
            await asyncio.to_thread(_forget_chat, state, notice.chat_id)
        else:
            await marks.mark(notice)
        return
    except TelegramError as exc:  # network trouble: leave it for a later pass
        _log.warning("notice to chat %s not sent yet: %s", notice.chat_id, exc)
        return
    await marks.mark(notice)


def _articles_of(store: LibraryStore, notices: list[Notice]) -> dict[str, Article | None]:
    """The article of each notice's source, each read once (None if removed since)."""
    return {source: store.get(source) for source in {n.source for n in notices}}


def _forget_chat(state: Services, chat_id: int) -> None:
    state.store.unsubscribe(chat_id)
    state.store.drop_notices(chat_id)
