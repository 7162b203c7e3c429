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
from bot.notices import INTERVAL, send_notices
from bot.ratelimit import RetryingRateLimiter
from bot.services import Services, services
from bot.wire import CleanTextRequest

REFRESH_INTERVAL = 5.0  # seconds between looks for changes other processes made to the store
RATE_LIMIT_RETRIES = 3  # how often a request answered 429 is retried after its retry_after
CONCURRENCY = 32  # updates handled at once
# HTTP connections to the Bot API. httpx checks every pooled connection on each request, which
# cost ~10% of the bot's CPU with 32 under load; 8 carry over a hundred replies a second at a
# 50 ms round trip to Telegram. A request waits up to POOL_TIMEOUT for one to be free.
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


def build_application(config: Config) -> Application:
    builder = (
        ApplicationBuilder()
        .token(config.token)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        # No overall cap: Telegram's ~30 messages/s is for bulk sending, which `send_notices`
        # paces itself; replies to many users may go faster, and a 429 is waited out.
        .rate_limiter(RetryingRateLimiter(overall_max_rate=0, max_retries=RATE_LIMIT_RETRIES))
        # Updates are handled concurrently, a bounded number at once; store writes stay
        # serialised inside the store.
        .concurrent_updates(CONCURRENCY)
        .connection_pool_size(CONNECTIONS)
        .pool_timeout(POOL_TIMEOUT)
        .get_updates_request(CleanTextRequest(connection_pool_size=1))
        .post_init(open_library)
        .post_shutdown(close_library)
    )
    if config.api_base_url:
        builder = builder.base_url(config.api_base_url).base_file_url(config.api_file_url)
    app = builder.build()
    app.bot_data["config"] = config
    app.bot_data["admins"] = filters.User(user_id=config.admin_ids, allow_empty=True)
    for module in HANDLER_MODULES:
        module.register(app)
    return app


async def open_library(app: Application) -> None:
    """post_init: open the store, index it, and start the jobs that keep things moving."""
    config: Config = app.bot_data["config"]
    state = await asyncio.to_thread(Services.open, config)
    app.bot_data["services"] = state
    # The library and its index are a large heap that lives as long as the bot: out of the
    # collector's sight, a full collection takes well under a millisecond instead of ~100 ms.
    gc.freeze()
    app.bot_data["admins"].add_user_ids(state.library.store.admins())
    await app.bot.set_my_commands(COMMANDS)
    _log.info(
        "started as @%s, answering from %s (%s)",
        app.bot.username,
        state.library.store.path,
        counted(state.library.store.count(), "report"),
    )
    # the job queue starts after post_init: a job due before then must still run, once
    late = {"misfire_grace_time": None, "coalesce": True}
    app.job_queue.run_repeating(
        refresh_store, interval=REFRESH_INTERVAL, first=REFRESH_INTERVAL, job_kwargs=late
    )
    app.job_queue.run_repeating(send_notices, interval=INTERVAL, first=INTERVAL, job_kwargs=late)
    # at start-up, resume any broadcast a crash cut short
    app.job_queue.run_once(send_notices, when=0, job_kwargs=late)


async def close_library(app: Application) -> None:
    state: Services | None = app.bot_data.get("services")
    if state is not None:
        await asyncio.to_thread(state.library.close)


async def refresh_store(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take in reports another process (e.g. `reportbot ingest`) stored, and send the notices
    it queued with them."""
    if await asyncio.to_thread(services(context).library.refresh):
        context.job_queue.run_once(send_notices, 0)
