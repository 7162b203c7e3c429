"""The rate limiter every Bot API call but getUpdates goes through: Telegram's flood limits,
held across every worker sharing the store, and patience with Telegram's own hiccups.

PTB's `AIORateLimiter` waits out a 429's retry_after, holding this process's every request
meanwhile, and retries. Its per-group limit is one process's, and a leaky bucket that lets 39
messages into a group in a minute, so it is off: each try of a request to a group chat (a
negative id, as PTB tells groups) takes a slot in that group's lane from the store, at most
GROUP_LIMIT in any GROUP_WINDOW seconds, and a call made with `rate_limit_args=BULK` (the
subscription notices) one in the bulk lane, at most BULK_LIMIT a second (`store.library.pace`);
AIORateLimiter's overall limit would hold back replies too. A 429 is told to the store, so that
every worker holds off that chat (a request to no chat: every request) for its retry_after
(`store.library.holds`). Only a request to a group, or sent in bulk, costs a store round trip;
the holds are read from memory.

This one also retries a request that failed in transit (500, 502, a dropped connection, a
timeout), so that a reply is not lost to one bad moment. `BadRequest` is a `NetworkError` in
PTB but means the request itself is wrong: it is never retried. A retried request whose answer
was lost after Telegram acted on it (a read timeout) can arrive twice; losing the reply would be
worse.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter

from store.library.interface import LibraryStore, StoreError
from store.library.pace import BULK_LANE, Lane

BULK = "bulk"  # the rate_limit_args of a message sent in bulk
BULK_LIMIT = 30  # Telegram: about 30 messages a second to different chats
BULK_WINDOW = 1.0
GROUP_LIMIT = 20  # Telegram: at most 20 messages a minute to one group
GROUP_WINDOW = 60.0
NETWORK_RETRIES = 3
FIRST_PAUSE = 0.5  # seconds before the first retry; doubled before each further one

_log = logging.getLogger(__name__)

Callback = Callable[..., Coroutine[Any, Any, Any]]


class RetryingRateLimiter(AIORateLimiter):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(group_max_rate=0, **kwargs)  # the store's lanes hold the groups' limit
        self.store: LibraryStore | None = None  # where sends take slots and holds, once open

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | str | None,
    ) -> Any:
        if self.store is not None:
            callback = self._shared(self.store, callback, data, bulk=rate_limit_args == BULK)
        if rate_limit_args == BULK:
            rate_limit_args = None
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

    @staticmethod
    def _shared(
        store: LibraryStore, callback: Callback, data: dict[str, Any], *, bulk: bool
    ) -> Callback:
        """`callback`, each call waiting out the chat's holds and holding a slot in each of its
        lanes, and telling the store of a 429."""
        chat_id = _chat_id(data)
        lanes = lanes_of(chat_id, bulk=bulk)

        async def shared(*args: Any, **kwargs: Any) -> Any:
            slots = await _take_slots(store, chat_id, lanes)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                try:
                    await asyncio.to_thread(store.hold_sends, chat_id, retry_seconds(exc))
                except StoreError as error:  # this worker still waits it out
                    _log.warning("cannot tell the other workers of a 429: %s", error)
                raise
            finally:
                if slots:
                    try:
                        await asyncio.to_thread(store.give_back_send_slots, slots)
                    except StoreError as exc:  # they count until pace.STALE instead
                        _log.warning("cannot give back send slots: %s", exc)

        return shared


def lanes_of(chat_id: int | None, *, bulk: bool) -> list[Lane]:
    """The lanes a request to `chat_id` takes a slot in: its group's, and the bulk lane."""
    lanes = []
    if chat_id is not None and chat_id < 0:
        lanes.append(Lane(chat_id, GROUP_LIMIT, GROUP_WINDOW))
    if bulk:
        lanes.append(Lane(BULK_LANE, BULK_LIMIT, BULK_WINDOW))
    return lanes


async def _take_slots(store: LibraryStore, chat_id: int | None, lanes: list[Lane]) -> list[int]:
    """Once no hold is on `chat_id`, a slot in each of `lanes` (none: no round trip)."""
    while True:
        delay = store.send_hold(chat_id)
        if not delay:
            if not lanes:
                return []
            slots, delay = await asyncio.to_thread(store.take_send_slots, chat_id, lanes)
            if not delay:
                return slots
        await asyncio.sleep(delay)


def retry_seconds(exc: RetryAfter) -> float:
    """A 429's retry_after, an int or (PTB_TIMEDELTA set, as some day always) a timedelta."""
    wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)


def _chat_id(data: dict[str, Any]) -> int | None:
    """The request's chat, if it has one; a @username is not told apart from no chat."""
    with contextlib.suppress(TypeError, ValueError):
        return int(data["chat_id"]) if "chat_id" in data else None
    return None
