"""Telling subscribed chats about new reports: the notice's HTML, and sending the outbox.

Which chats hear of a report is decided where it is stored (`store.library.subscriptions`),
and their notices are written to the store's outbox together with the article, by whichever
process stores it. `send_notices`, a JobQueue job, claims what is pending in the background, a
small batch at a time, and sends it one message per chat for the reports that arrived together
(a digest when there are several), one message at a time, paced together with every other
worker's (`bot.ratelimit.BULK`), marking each sent as soon as Telegram accepts it, before the
next: a kill doubles at most one. A claim holds the notices for this
worker alone, so workers sharing a store send each once; what fails stays claimed until its
lease ends, and a later pass tries it again. The job also runs at start-up, so a broadcast cut
short by a crash carries on where it stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from collections.abc import Mapping, Sequence

from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from bot.formatting import lead, shorten
from bot.groupwrite import GroupWrite
from bot.keyboards import notice_keyboard
from bot.ratelimit import BULK, retry_seconds
from bot.services import Services, services
from store.library.interface import LibraryStore, Notice, StoreError
from store.library.subscriptions import Announcement, announcements
from store.reports.article import Article

BATCH = 30  # messages claimed at once: about a second's worth (bot.ratelimit.BULK_LIMIT)
INTERVAL = 30.0  # seconds between passes over the outbox, for whatever a pass left behind
DIGEST_TITLES = 5  # titles a digest names; it counts the rest
RETRY_WRITES = 5.0  # seconds between tries to mark notices sent while the store takes no writes
RETRY_JOB = "notices: retry marks"

_log = logging.getLogger(__name__)


def notice_html(article: Article) -> str:
    title = html.escape(shorten(article.title, limit=300))
    return f"New report: <b>{title}</b>\n{html.escape(lead(article))}"


def digest_html(titles: Sequence[str], count: int) -> str:
    """One message for `count` reports that arrived together, naming the first `titles`."""
    lines = [f"<b>{count} new reports</b> in the library:"]
    lines += [f"• {html.escape(shorten(title, limit=200))}" for title in titles]
    if count > len(titles):
        lines.append(f"and {count - len(titles)} more.")
    return "\n".join(lines)


async def send_notices(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job: claim and send pending notices, a batch of messages at a time, until none is
    left to claim."""
    state = services(context)
    store = state.library.store
    marks: SentMarks = context.bot_data.setdefault("sent_marks", SentMarks(store))
    async with state.notice_lock:
        while await marks.retry():
            claimed = await asyncio.to_thread(store.claim_notices, BATCH)
            if not claimed:
                return
            batch = announcements(claimed)
            articles = await asyncio.to_thread(_articles_of, store, batch)
            # One at a time, each marked sent before the next goes: Telegram cannot send
            # exactly once, so a kill doubles at most the one message it caught in flight.
            for n, announcement in enumerate(batch):
                if marks.unmarked:
                    # the rest was never tried: free it now rather than when its lease ends
                    unsent = [notice for a in batch[n:] for notice in a.notices]
                    with contextlib.suppress(StoreError):  # a store that fails holds them
                        await asyncio.to_thread(store.release_notices, unsent)
                    break
                await _deliver(state, context, announcement, articles, marks)
        # the store takes no writes: try again soon rather than at the next INTERVAL
        if not context.job_queue.get_jobs_by_name(RETRY_JOB):
            context.job_queue.run_once(send_notices, RETRY_WRITES, name=RETRY_JOB)


class SentMarks:
    """Marks notices sent in the store as Telegram accepts them, many in one write (see
    GroupWrite). When a mark cannot be written (a full disk), the notices are remembered here
    so that they are not sent again, and no more are sent until `retry` gets them written."""

    def __init__(self, store: LibraryStore) -> None:
        self._store = store
        self._writes: GroupWrite[Notice] = GroupWrite(store.mark_notices_sent)
        self.unmarked: set[Notice] = set()

    async def mark(self, notices: Sequence[Notice]) -> None:
        try:
            await self._writes.add(notices)
        except StoreError as exc:
            if not self.unmarked:
                _log.error("cannot mark notices sent, so none are sent until it can: %s", exc)
            self.unmarked.update(notices)

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
    announcement: Announcement,
    articles: Mapping[str, Article | None],
    marks: SentMarks,
) -> None:
    """Send one notice or digest and settle it in the store, or leave it claimed for later."""
    chat_id, notices = announcement.chat_id, announcement.notices
    shown = [a for n in notices[:DIGEST_TITLES] if (a := articles[n.source]) is not None]
    if not shown:  # removed since: nothing to tell
        await marks.mark(notices)
        return
    if len(notices) == 1:
        text, keyboard = notice_html(shown[0]), notice_keyboard(shown[0].title)
    else:
        text, keyboard = digest_html([a.title for a in shown], len(notices)), None
    try:
        await context.bot.send_message(chat_id, text, reply_markup=keyboard, rate_limit_args=BULK)
    except Forbidden:
        _log.info("chat %s blocked or removed the bot: dropping its subscription", chat_id)
        await asyncio.to_thread(state.library.unsubscribe, chat_id)
        return
    except ChatMigrated as exc:
        _log.info("chat %s moved to %s: moving its subscription", chat_id, exc.new_chat_id)
        await asyncio.to_thread(state.library.store.move_subscription, chat_id, exc.new_chat_id)
        return  # the moved notices are pending under the new id, for the next batch
    except RetryAfter as exc:  # the rate limiter's own retries ran out
        await asyncio.sleep(retry_seconds(exc))
        return
    except BadRequest as exc:
        _log.warning("notice to chat %s refused (%s): giving it up", chat_id, exc.message)
        if "chat not found" in exc.message.lower():
            await asyncio.to_thread(state.library.unsubscribe, chat_id)
        else:
            await marks.mark(notices)
        return
    except TelegramError as exc:  # network trouble: leave it for a later pass
        _log.warning("notice to chat %s not sent yet: %s", chat_id, exc)
        return
    await marks.mark(notices)


def _articles_of(store: LibraryStore, batch: list[Announcement]) -> dict[str, Article | None]:
    """The articles each message names, each read once (None if removed since)."""
    sources = {n.source for a in batch for n in a.notices[:DIGEST_TITLES]}
    return {source: store.get(source) for source in sources}
