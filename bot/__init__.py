"""The Telegram side: the python-telegram-bot application, handlers, replies, command line."""
