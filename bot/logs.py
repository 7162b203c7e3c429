"""Logging set-up that keeps secrets out of every log line, tracebacks included, and says that
Telegram is out of reach in one line."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram.error import BadRequest, NetworkError

REDACTED = "[redacted]"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then blanks out each secret (PTB logs its API URLs at DEBUG)."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self.secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


def one_line_network_errors(record: logging.LogRecord) -> bool:
    """PTB logs each failed poll with chained tracebacks (aiohttp's, then telegram's): a
    network error says all there is to say in its message. A BadRequest is a bug of ours: whole."""
    error = record.exc_info[1] if record.exc_info else None
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        record.msg, record.args = f"{record.getMessage()} ({error})", ()
        record.exc_info = record.exc_text = None
    return True


def configure_logging(level: str, *, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(one_line_network_errors)
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # httpx (downloads) logs every request URL at INFO, and a URL may carry the token
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # the job queue's scheduler logs each run of each repeating job (~24 lines a minute) at INFO
    quiet = logging.getLevelName(level) != logging.DEBUG
    logging.getLogger("apscheduler").setLevel(logging.WARNING if quiet else logging.NOTSET)
