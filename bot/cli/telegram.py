"""`reportbot run` (the bot on Telegram) and `reportbot chat` (the same bot in this terminal)."""

from __future__ import annotations

import argparse
import dataclasses
import secrets
import sys
from urllib.parse import urlsplit

from telegram import Update

from bot.app import build_application
from bot.chat import run_chat
from bot.cli.options import add_db_option, db_path
from bot.config import ConfigError, load_config
from bot.logs import configure_logging
from store.library.interface import StoreError


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
    app = build_application(config)
    try:
        if config.webhook_url:
            app.run_webhook(
                listen=config.webhook_listen,
                port=config.webhook_port,
                url_path=urlsplit(config.webhook_url).path.lstrip("/"),
                webhook_url=config.webhook_url,
                secret_token=config.webhook_secret or secrets.token_urlsafe(32),
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
    except StoreError as exc:
        print(f"reportbot: error: {exc}", file=sys.stderr)
        return 1
    return 0


def chat_in_terminal(args: argparse.Namespace) -> int:
    configure_logging("WARNING")
    try:
        return run_chat(db_path(args), sys.stdin)
    except KeyboardInterrupt:
        return 0
