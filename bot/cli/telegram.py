"""`reportbot run` (the bot on Telegram) and `reportbot chat` (the same bot in this terminal)."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import itertools
import logging
import secrets
import sys
from urllib.parse import urlsplit

from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError

from bot.app import build_application
from bot.chat import from_lines, from_terminal, run_chat
from bot.cli.options import add_db_option, db_path
from bot.config import Config, ConfigError, load_config
from bot.handlers.errors import STOPPED_BY
from bot.logs import configure_logging

RETRY_WAITS = (1, 2, 5, 10, 30, 60)  # seconds between tries to reach Telegram; the last repeats
WEBHOOK_ONLY = ("WEBHOOK_LISTEN", "WEBHOOK_PORT", "WEBHOOK_SECRET")  # read with WEBHOOK_URL only

_log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser(
        "run",
        help="run the bot on Telegram (long polling; a webhook when WEBHOOK_URL is set)",
        description="Run the bot. Settings come from the environment and .env "
        "(TELEGRAM_BOT_TOKEN, ADMIN_IDS, ...; see .env.example).",
    )
    add_db_option(run)
    run.set_defaults(func=run_bot)
    chat = subparsers.add_parser(
        "chat",
        help="chat with the bot in this terminal (no token needed)",
        description="Chat with the real bot through a local stand-in for Telegram, as an "
        "admin. Type [Label] to press a button; /add on a line of its own, then a report, "
        "then a lone '.' adds it. Uses the bundled samples when there is no store.",
    )
    add_db_option(chat)
    chat.set_defaults(func=chat_in_terminal)


def run_bot(args: argparse.Namespace) -> int:
    config = load_config(args.settings)
    if args.db is not None:
        config = dataclasses.replace(config, db_path=args.db)
    # PTB logs setWebhook's parameters at DEBUG: its secret_token is as secret as the token
    webhook_secret = config.webhook_secret or secrets.token_urlsafe(32)
    configure_logging(config.log_level, secrets=[config.token, webhook_secret])
    stray = [k for k in WEBHOOK_ONLY if k in args.settings]
    if stray and not config.webhook_url:
        _log.warning("%s set without WEBHOOK_URL: ignored, the bot polls", ", ".join(stray))
    app = build_application(config)
    try:
        asyncio.run(reach_telegram(app.bot, config))
    except KeyboardInterrupt:
        return 0
    if config.webhook_url:
        try:
            app.run_webhook(
                listen=config.webhook_listen,
                port=config.webhook_port,
                url_path=urlsplit(config.webhook_url).path.lstrip("/"),
                webhook_url=config.webhook_url,
                secret_token=webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
        except OSError as exc:  # the port is taken, or WEBHOOK_LISTEN is no address here
            where = f"{config.webhook_listen}:{config.webhook_port}"
            raise ConfigError(
                f"cannot listen for the webhook on {where} (WEBHOOK_LISTEN:WEBHOOK_PORT): "
                f"{exc.strerror or exc}"
            ) from None
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    if STOPPED_BY in app.bot_data:
        print(f"reportbot: error: {app.bot_data[STOPPED_BY]}", file=sys.stderr)
        return 1
    return 0


async def reach_telegram(bot: Bot, config: Config) -> None:
    """Ask Telegram who the bot is until it answers: a line for each failed try, the waits
    growing to a minute. A refused token is a ConfigError; the bot is left shut down."""
    where = urlsplit(config.api_base_url or "https://api.telegram.org").netloc
    for attempt in itertools.count():
        try:
            async with bot:
                return
        except InvalidToken as exc:  # its message holds the token: never shown
            raise ConfigError(token_refused(config, exc)) from None
        except NetworkError as exc:
            wait = RETRY_WAITS[min(attempt, len(RETRY_WAITS) - 1)]
            _log.warning("cannot reach Telegram at %s (%s); trying again in %s s", where, exc, wait)
            await asyncio.sleep(wait)


def token_refused(config: Config, exc: InvalidToken) -> str:
    # python-telegram-bot raises InvalidToken on 401 and 404; the cause holds Telegram's words
    answer = str(exc.__cause__ or "refused").replace(config.token, "[redacted]")
    where = config.api_base_url or "https://api.telegram.org/bot"
    return (
        f"Telegram refused TELEGRAM_BOT_TOKEN ({answer} from {where}): check it with "
        "@BotFather, or that TELEGRAM_API_BASE_URL is a Bot API server"
    )


def chat_in_terminal(args: argparse.Namespace) -> int:
    configure_logging("WARNING")
    sys.stdin.reconfigure(errors="replace")  # a byte that is not UTF-8 is no reason to stop
    read = from_terminal() if sys.stdin.isatty() else from_lines(sys.stdin)
    try:
        return run_chat(db_path(args), read)
    except KeyboardInterrupt:
        print()
        return 0
