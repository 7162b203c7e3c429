"""The rate limiter every Bot API call but getUpdates goes through: Telegram's flood limits,
and patience with Telegram's own hiccups.

PTB's `AIORateLimiter` keeps to the per-group limit and waits out a 429's retry_after. A call
made with `rate_limit_args=BULK` (the subscription notices) also takes one of the store's shared
slots for each try (`store.library.pace`), so that all the workers sharing a store together
send at most BULK_LIMIT such messages a second: AIORateLimiter's own overall limit is one
process's, and would hold back replies too. This one also retries a request that failed in
transit (500, 502, a dropped connection, a timeout), so that a reply is not lost to one bad
moment. `BadRequest` is a `NetworkError` in PTB but means the request itself is wrong: it is
never retried. A retried request whose answer was lost after Telegram acted on it (a read
timeout) can arrive twice; losing the reply would be worse.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter

from store.library.interface import LibraryStore, StoreError

BULK = "bulk"  # the rate_limit_args of a message sent in bulk
BULK_LIMIT = 30  # Telegram: about 30 messages a second to different chats
BULK_WINDOW = 1.0
NETWORK_RETRIES = 3
FIRST_PAUSE = 0.5  # seconds before the first retry; doubled before each further one

_log = logging.getLogger(__name__)


class RetryingRateLimiter(AIORateLimiter):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.store: LibraryStore | None = None  # where bulk sends take their slots, once open

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | str | None,
    ) -> Any:
        if rate_limit_args == BULK:
            callback, rate_limit_args = self._bulk(callback), None
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

    def _bulk(
        self, callback: Callable[..., Coroutine[Any, Any, Any]]
    ) -> Callable[..., Coroutine[Any, Any, Any]]:
        """`callback`, each call holding one of the store's bulk-send slots."""
        store = self.store
        if store is None:
            return callback

        async def paced(*args: Any, **kwargs: Any) -> Any:
            while True:
                slot, delay = await asyncio.to_thread(
                    store.take_send_slot, limit=BULK_LIMIT, window=BULK_WINDOW
                )
                if slot is not None:
                    break
                await asyncio.sleep(delay)
            try:
                return await callback(*args, **kwargs)
            finally:
                try:
                    await asyncio.to_thread(store.give_back_send_slot, slot)
                except StoreError as exc:  # it counts until pace.STALE instead
                    _log.warning("cannot give back a bulk-send slot: %s", exc)

        return paced
