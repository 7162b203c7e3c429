"""`reportbot run` (the bot on Telegram) and `reportbot chat` (the same bot in this terminal)."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import secrets
import sys
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import InvalidToken

from bot.app import build_application
from bot.chat import run_chat
from bot.cli.options import add_db_option, db_path
from bot.config import Config, ConfigError, load_config
from bot.handlers.errors import STOPPED_BY
from bot.logs import configure_logging
from store.library.store import StoreError


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
        description="Chat with the real bot through a local stand-in for Telegram. "
        "Type [Label] to press a button. Uses the bundled samples when there is no store.",
    )
    add_db_option(chat)
    chat.set_defaults(func=chat_in_terminal)


def run_bot(args: argparse.Namespace) -> int:
    try:
        config = load_config()
    except ConfigError as exc:
        print(f"reportbot: error: {exc}", file=sys.stderr)
        return 2
    if args.db is not None:
        config = dataclasses.replace(config, db_path=args.db)
    configure_logging(config.log_level, secrets=[config.token])
    logging.getLogger("telegram.ext").addFilter(_without_refused_token)
    app = build_application(config)
    try:
        if config.webhook_url:
            app.run_webhook(
                listen=config.webhook_listen,
                port=config.webhook_port,
                url_path=urlsplit(config.webhook_url).path.lstrip("/"),
                webhook_url=config.webhook_url,
                secret_token=secrets.token_urlsafe(32),
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
        if STOPPED_BY in app.bot_data:
            print(f"reportbot: error: {app.bot_data[STOPPED_BY]}", file=sys.stderr)
            return 1
    except StoreError as exc:
        print(f"reportbot: error: {exc}", file=sys.stderr)
        return 1
    except InvalidToken as exc:  # its message holds the token: never shown
        print(f"reportbot: error: {token_refused(config, exc)}", file=sys.stderr)
        return 2
    return 0


def _without_refused_token(record: logging.LogRecord) -> bool:
    """python-telegram-bot logs InvalidToken with a traceback before raising it: said once,
    in one line, by run_bot."""
    return not (record.exc_info and isinstance(record.exc_info[1], InvalidToken))


def token_refused(config: Config, exc: InvalidToken) -> str:
    # python-telegram-bot raises InvalidToken on 401 and 404; the cause holds Telegram's words
    answer = str(exc.__cause__ or "refused").replace(config.token, "[redacted]")
    where = config.api_base_url or "https://api.telegram.org/bot"
    return (
        f"the Bot API at {where} refused TELEGRAM_BOT_TOKEN ({answer}): the token was revoked "
        "or mistyped, or TELEGRAM_API_BASE_URL is not a Bot API server"
    )


def chat_in_terminal(args: argparse.Namespace) -> int:
    configure_logging("WARNING")
    try:
        return run_chat(db_path(args), sys.stdin)
    except KeyboardInterrupt:
        return 0
