"""A local Telegram Bot API stand-in on 127.0.0.1, for `reportbot chat` and the tests."""

from bot.standin.calls import Call
from bot.standin.people import BOT_USER, group_chat, private_chat, user
from bot.standin.rules import ApiError, telegram_text, utf16_length
from bot.standin.server import BotApiStandIn

__all__ = [
    "BOT_USER",
    "ApiError",
    "BotApiStandIn",
    "Call",
    "group_chat",
    "private_chat",
    "telegram_text",
    "user",
    "utf16_length",
]
