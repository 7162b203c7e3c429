"""A local Telegram Bot API stand-in on 127.0.0.1, for the tests and `reportbot chat`."""
