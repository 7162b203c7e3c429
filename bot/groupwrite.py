"""Many small durable writes as few: items handed in while one write runs go together in the
next, and each `add` returns once its own item is on disk (or raises what that write raised)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class GroupWrite(Generic[T]):
    def __init__(self, write: Callable[[list[T]], object]) -> None:
        self._write = write  # blocking; run in a thread
        self._waiting: list[tuple[T, asyncio.Future[None]]] = []
        self._writing = asyncio.Lock()

    async def add(self, item: T) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, done))
        async with self._writing:
            if not done.done():  # else the write before took it
                batch, self._waiting = self._waiting, []
                try:
                    await asyncio.to_thread(self._write, [item for item, _ in batch])
                except Exception as exc:
                    for _, future in batch:
                        future.set_exception(exc)
                else:
                    for _, future in batch:
                        future.set_result(None)
        await done
