"""Build the bot: `build_application(config)` wires the handlers, jobs and shared objects.

Usage (what `reportbot run` does):

    app = build_application(load_config())
    app.run_polling(allowed_updates=Update.ALL_TYPES)
"""

from __future__ import annotations

import asyncio
import gc
import logging

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    filters,
)

from bot.commands import COMMANDS
from bot.config import Config
from bot.formatting import counted
from bot.handlers import admin, browse, errors, inline, questions, start, subscriptions
from bot.http import AiohttpRequest
from bot.journal import Journal, JournaledApplication, JournalingRequest, JournalQueue
from bot.notices import INTERVAL, send_notices
from bot.ratelimit import RetryingRateLimiter
from bot.services import Services, services
from store.library.store import StoreError

_log = logging.getLogger(__name__)

REFRESH_INTERVAL = 5.0  # seconds between looks for changes other processes made to the store
# how often a request answered 429 is retried after its retry_after: a late reply beats none
RATE_LIMIT_RETRIES = 10
CONCURRENCY = 32  # updates handled at once
# HTTP connections to the Bot API: 8 carry over a hundred replies a second at a 50 ms round trip
# to Telegram. A request waits up to POOL_TIMEOUT for one to be free.
CONNECTIONS = 8
POOL_TIMEOUT = 10.0

_log = logging.getLogger(__name__)

# Order matters: the first matching handler in a group wins, so the admins' guarded handlers
# come before the strangers' refusal, and the catch-alls (group text, unknown commands) last.
HANDLER_MODULES = (
    start,  # /start, /help
    admin,  # /add, documents, forwarded posts, /remove, /stats, /admin; then refusals
    subscriptions,  # /subscribe, /unsubscribe, /subscriptions, my_chat_member
    browse,  # /quotes, /latest, /library, the More and Full report buttons
    inline,  # @bot question
    questions,  # /ask, private text, group mentions and replies
    errors,  # unknown commands, and the error handler
)


def build_application(config: Config) -> JournaledApplication:
    journal = Journal(ahead=CONCURRENCY)  # polling fetches no more than can be handled at once
    builder = (
        ApplicationBuilder()
        .application_class(JournaledApplication)
        .update_queue(JournalQueue(journal))
        .token(config.token)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        # No overall cap: Telegram's ~30 messages/s is for bulk sending, which the notices keep
        # to with every worker's (bot.ratelimit.BULK); replies may go faster, a 429 waited out.
        .rate_limiter(RetryingRateLimiter(overall_max_rate=0, max_retries=RATE_LIMIT_RETRIES))
        # Updates are handled concurrently, a bounded number at once; store writes stay
        # serialised inside the store.
        .concurrent_updates(CONCURRENCY)
        # aiohttp: a third of httpx's CPU for each call (bench/requests.py)
        .request(AiohttpRequest(connection_pool_size=CONNECTIONS, pool_timeout=POOL_TIMEOUT))
        .get_updates_request(JournalingRequest(journal, connection_pool_size=1))
        .post_init(open_library)
        .post_shutdown(close_library)
    )
    if config.api_base_url:
        builder = builder.base_url(config.api_base_url).base_file_url(config.api_file_url)
    app = builder.build()
    app.bot_data["config"] = config
    app.bot_data["journal"] = journal
    app.bot_data["admins"] = filters.User(user_id=config.admin_ids, allow_empty=True)
    for module in HANDLER_MODULES:
        module.register(app)
    return app


async def open_library(app: JournaledApplication) -> None:
    """post_init: open the store, index it, and start the jobs that keep things moving."""
    config: Config = app.bot_data["config"]
    state = await asyncio.to_thread(Services.open, config)
    app.bot_data["services"] = state
    if isinstance(limiter := app.bot.rate_limiter, RetryingRateLimiter):
        limiter.store = state.library.store  # notices take their slots from it from now on
    unfinished = await asyncio.to_thread(app.bot_data["journal"].open, state.library.store)
    # The library and its index are a large heap that lives as long as the bot: out of the
    # collector's sight, a full collection takes well under a millisecond instead of ~100 ms.
    await asyncio.to_thread(state.library.matcher.prepare)
    gc.freeze()
    # An answer makes thousands of containers that die with it (PTB's objects, the engine's
    # lists): collecting the young ones every 700, as by default, walked the live ones over and
    # over, ~2% of a worker's CPU under load; every 50,000, a quarter of that.
    gc.set_threshold(50_000, 10, 10)
    await asyncio.to_thread(forget_stored_config_admins, state)
    app.bot_data["admins"].add_user_ids(state.library.store.admins())
    await app.bot.set_my_commands(COMMANDS)
    _log.info(
        "started as @%s, answering from %s (%s)",
        app.bot.username,
        state.library.store.location,
        counted(state.library.store.count(), "report"),
    )
    # the job queue starts after post_init: a job due before then must still run, once
    late = {"misfire_grace_time": None, "coalesce": True}
    app.job_queue.run_repeating(
        refresh_store, interval=REFRESH_INTERVAL, first=REFRESH_INTERVAL, job_kwargs=late
    )
    app.job_queue.run_repeating(send_notices, interval=INTERVAL, first=INTERVAL, job_kwargs=late)
    # at start-up, resume any broadcast a crash cut short, and the updates it left unfinished
    app.job_queue.run_once(send_notices, when=0, job_kwargs=late)
    await app.replay(unfinished)


def forget_stored_config_admins(state: Services) -> None:
    """An ADMIN_IDS id stored by `/admin add` (as it could be once) would stay an admin after
    it is taken out of ADMIN_IDS: the stored copy goes while it is still there."""
    for user_id in state.library.store.admins() & state.config.admin_ids:
        try:
            state.library.store.remove_admin(user_id)
        except StoreError as exc:  # read-only: it keeps, as before; the bot still runs
            _log.warning("cannot forget stored admin %s: %s", user_id, exc)
            return


async def close_library(app: Application) -> None:
    state: Services | None = app.bot_data.get("services")
    if state is not None:
        await asyncio.to_thread(state.library.close)


async def refresh_store(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take in reports another process (e.g. `reportbot ingest`) stored, and send the notices
    it queued with them."""
    if await asyncio.to_thread(services(context).library.refresh):
        context.job_queue.run_once(send_notices, 0)
