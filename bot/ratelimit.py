"""The rate limiter every Bot API call but getUpdates goes through: Telegram's flood limits,
and patience with Telegram's own hiccups.

PTB's `AIORateLimiter` keeps to the per-group limit and waits out a 429's retry_after. This one
also retries a request that failed in transit (500, 502, a dropped connection, a timeout), so
that a reply is not lost to one bad moment. `BadRequest` is a `NetworkError` in PTB but means
the request itself is wrong: it is never retried. A retried request whose answer was lost after
Telegram acted on it (a read timeout) can arrive twice; losing the reply would be worse.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter

NETWORK_RETRIES = 3
FIRST_PAUSE = 0.5  # seconds before the first retry; doubled before each further one

_log = logging.getLogger(__name__)


class RetryingRateLimiter(AIORateLimiter):
    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        for attempt in range(NETWORK_RETRIES):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except BadRequest:
                raise
            except NetworkError as exc:
                # not news unless every try fails; then the caller says so
                _log.debug("%s failed in transit (%s): retrying", endpoint, exc)
                await asyncio.sleep(FIRST_PAUSE * 2**attempt)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
