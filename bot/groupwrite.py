"""Many small blocking store calls as few: items handed in while one call runs go together in the
next, and each caller returns once its own items are done (or raises what that call raised).
With PostgreSQL, a batch is one transaction and one thread hop instead of one each."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class GroupWrite(Generic[T]):
    def __init__(self, write: Callable[[list[T]], Any]) -> None:
        self._write = write  # blocking; run in a thread
        # each caller's items, and its future: what the write returned, and where its items began
        self._waiting: list[tuple[list[T], asyncio.Future[tuple[Any, int]]]] = []
        self._writing = asyncio.Lock()

    async def add(self, items: Sequence[T]) -> None:
        """Return once `items` are written."""
        await self._run(list(items))

    async def ask(self, item: T) -> Any:
        """For a `write` that returns a result for each item, in order: `item`'s."""
        results, start = await self._run([item])
        return results[start]

    async def _run(self, items: list[T]) -> tuple[Any, int]:
        done: asyncio.Future[tuple[Any, int]] = asyncio.get_running_loop().create_future()
        self._waiting.append((items, done))
        async with self._writing:
            if not done.done():  # else the write before took it
                batch, self._waiting = self._waiting, []
                try:
                    results = await asyncio.to_thread(
                        self._write, [item for items, _ in batch for item in items]
                    )
                except Exception as exc:
                    for _, future in batch:
                        future.set_exception(exc)
                else:
                    start = 0
                    for items, future in batch:
                        future.set_result((results, start))
                        start += len(items)
        return await done
