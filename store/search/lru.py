"""A bounded mapping that forgets the least recently used key first."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class LRU(Generic[V]):
    """Not locked: the matcher (and its speller) read and fill one under the matcher's lock,
    together with the index it mirrors, so that a result computed before a change is never
    stored after it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: Hashable, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class SharedLRU(Generic[V]):
    """An LRU with a lock of its own, for what threads fill apart from any other state: a value
    is made outside the lock (two threads may both make it, the same), and a None made is not
    kept."""

    def __init__(self, size: int) -> None:
        self._items: LRU[V] = LRU(size)
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], V | None]) -> V | None:
        with self._lock:
            found = self._items.get(key)
        if found is None:
            found = make()
            if found is not None:
                with self._lock:
                    self._items.put(key, found)
        return found
