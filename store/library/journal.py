"""The update journal: Telegram updates the bot has taken but not yet finished handling.

A sidecar file (`<db>.updates.json`) beside the library, so that journaling a poll's updates
does not rewrite the library: `{"unfinished": {"<update id>": <update as JSON>},
"finished": [<update id>, ...]}`. Updates go in before Telegram is told they arrived, and are
marked finished once handled; after a crash the unfinished ones are handled again. Finished ids
are kept (the latest `KEEP_FINISHED`) so that an update Telegram delivers again is not handled
twice.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from store.library.interface import KEEP_FINISHED, Update
from store.library.storage import AtomicJSONStorage


class JournalShapeError(ValueError):
    """The journal file holds something other than a journal."""


class UpdateJournal:
    """Thread-safe; every method that changes the journal returns once it is on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._storage = AtomicJSONStorage(path)
        self._lock = threading.Lock()
        # The finished ids as last read or written: the bot asks about every update it takes,
        # on its event loop, which must not wait for a write (two fsyncs) to end.
        self._finished: frozenset[int] | None = None

    def add(self, updates: Iterable[Update]) -> list[int]:
        """Journal the updates not seen before, in one write; their ids."""
        with self._lock:
            unfinished, finished = self._read()
            known = finished | {int(k) for k in unfinished}
            fresh = {u["update_id"]: u for u in updates if u["update_id"] not in known}
            if fresh:
                unfinished = unfinished | {str(i): u for i, u in fresh.items()}
                self._write(unfinished, finished)
            return list(fresh)

    def finish(self, update_ids: Iterable[int]) -> None:
        """Mark the updates handled, in one write."""
        with self._lock:
            unfinished, finished = self._read()
            ids = set(update_ids) - finished
            if ids:
                unfinished = {k: u for k, u in unfinished.items() if int(k) not in ids}
                self._write(unfinished, finished | ids)

    def unfinished(self) -> list[Update]:
        """Journaled and not finished, oldest first."""
        with self._lock:
            unfinished, _ = self._read()
        return [unfinished[k] for k in sorted(unfinished, key=int)]

    def is_finished(self, update_id: int) -> bool:
        if self._finished is None:
            with self._lock:
                self._read()
        assert self._finished is not None
        return update_id in self._finished

    def close(self) -> None:
        with self._lock:
            self._storage.close()

    def _read(self) -> tuple[dict[str, Update], set[int]]:
        data = self._storage.read() or {}
        unfinished = data.get("unfinished", {}) if isinstance(data, dict) else None
        finished = data.get("finished", []) if isinstance(data, dict) else None
        if not isinstance(unfinished, dict) or not isinstance(finished, list):
            raise JournalShapeError(f"{self.path} is not an update journal")
        self._finished = frozenset(finished)
        return unfinished, set(finished)

    def _write(self, unfinished: dict[str, Update], finished: set[int]) -> None:
        kept = sorted(finished)[-KEEP_FINISHED:]
        self._storage.write({"unfinished": unfinished, "finished": kept})
        self._finished = frozenset(kept)
