"""Telling subscribed chats about a new report.

Who hears of it is a pure function (`matching_chats`). The notices are written to the store's
outbox together with the article, and `send_notices`, a JobQueue job, sends what is pending in
the background, one at a time, and marks each one sent as soon as Telegram accepts it, before
the next: a kill doubles at most one. It also runs at start-up, so a broadcast cut short by a
crash carries on where it stopped.
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
from bot.groupwrite import GroupWrite
from bot.keyboards import notice_keyboard
from bot.services import Services, services
from store.library.store import Notice, ReportStore, StoreError, Subscription
from store.reports.article import Article

MATCH_CUTOFF = 85
BATCH = 30  # Telegram allows about 30 messages a second in bulk: one batch, then a pause
PAUSE = 1.0  # seconds from the end of one batch to the start of the next
INTERVAL = 30.0  # seconds between passes over the outbox, for whatever a pass left behind
RETRY_WRITES = 5.0  # seconds between tries to mark notices sent while the store takes no writes
RETRY_JOB = "notices: retry marks"

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
    """The job: send every pending notice, a batch at a time, until none is left to try."""
    state = services(context)
    marks: SentMarks = context.bot_data.setdefault("sent_marks", SentMarks(state.store))
    async with state.notice_lock:
        tried_and_failed: set[Notice] = set()
        while await marks.retry():
            pending = await asyncio.to_thread(state.store.pending_notices)
            batch = [n for n in pending if n not in tried_and_failed][:BATCH]
            if not batch:
                return
            articles = await asyncio.to_thread(_articles_of, state.store, batch)
            # One at a time, each marked sent before the next goes: Telegram cannot send
            # exactly once, so a kill doubles at most the one notice it caught in flight.
            for notice in batch:
                if marks.unmarked:
                    break
                if not await _deliver(state, context, notice, articles[notice.source], marks):
                    tried_and_failed.add(notice)
            await asyncio.sleep(PAUSE)
        # the store takes no writes: try again soon rather than at the next INTERVAL
        if not context.job_queue.get_jobs_by_name(RETRY_JOB):
            context.job_queue.run_once(send_notices, RETRY_WRITES, name=RETRY_JOB)


class SentMarks:
    """Marks notices sent in the store as Telegram accepts them, many in one write (see
    GroupWrite). When a mark cannot be written (a full disk), the notice is remembered here
    so that it is not sent again, and no more are sent until `retry` gets them written."""

    def __init__(self, store: ReportStore) -> None:
        self._store = store
        self._writes = GroupWrite(store.mark_notices_sent)
        self.unmarked: set[Notice] = set()

    async def mark(self, notice: Notice) -> None:
        try:
            await self._writes.add(notice)
        except StoreError as exc:
            if not self.unmarked:
                _log.error("cannot mark notices sent, so none are sent until it can: %s", exc)
            self.unmarked.add(notice)

    async def retry(self) -> bool:
        """Write the marks that failed; True once none is left."""
        if not self.unmarked:
            return True
        try:
            await asyncio.to_thread(self._store.mark_notices_sent, list(self.unmarked))
        except StoreError:
            return False
        _log.info("the store takes writes again: %d notices marked sent", len(self.unmarked))
        self.unmarked.clear()
        return True


async def _deliver(
    state: Services,
    context: ContextTypes.DEFAULT_TYPE,
    notice: Notice,
    article: Article | None,
    marks: SentMarks,
) -> bool:
    """Send one notice and settle it in the store; False when it stays pending for later."""
    if article is None:  # removed since: nothing to tell
        await marks.mark(notice)
        return True
    try:
        await context.bot.send_message(
            notice.chat_id, notice_html(article), reply_markup=notice_keyboard(article.title)
        )
    except Forbidden:
        _log.info("chat %s blocked or removed the bot: dropping its subscription", notice.chat_id)
        await asyncio.to_thread(_forget_chat, state, notice.chat_id)
        return True
    except ChatMigrated as exc:
        _log.info("chat %s moved to %s: moving its subscription", notice.chat_id, exc.new_chat_id)
        await asyncio.to_thread(state.store.move_subscription, notice.chat_id, exc.new_chat_id)
        return True  # the moved notice is pending under the new id, for the next batch
    except RetryAfter as exc:  # the rate limiter's own retries ran out
        wait = exc.retry_after
        await asyncio.sleep(wait.total_seconds() if isinstance(wait, dt.timedelta) else wait)
        return False
    except BadRequest as exc:
        _log.warning("notice to chat %s refused (%s): giving it up", notice.chat_id, exc.message)
        if "chat not found" in exc.message.lower():
            await asyncio.to_thread(_forget_chat, state, notice.chat_id)
        else:
            await marks.mark(notice)
        return True
    except TelegramError as exc:  # network trouble: leave it pending for the next pass
        _log.warning("notice to chat %s not sent yet: %s", notice.chat_id, exc)
        return False
    await marks.mark(notice)
    return True


def _articles_of(store: ReportStore, notices: list[Notice]) -> dict[str, Article | None]:
    """The article of each notice's source, each read once (None if removed since)."""
    return {source: store.get(source) for source in {n.source for n in notices}}


def _forget_chat(state: Services, chat_id: int) -> None:
    state.store.unsubscribe(chat_id)
    state.store.drop_notices(chat_id)
