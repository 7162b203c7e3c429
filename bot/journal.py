"""Nothing lost on a hard kill: every update is journaled in the store before Telegram is told it
arrived, and marked finished once handled; after a restart the unfinished ones go first.

python-telegram-bot confirms a poll's updates with its next getUpdates, a few milliseconds after
receiving them and before any handler ran, and in webhook mode answers Telegram's POST once the
update is in its queue. So the journal sits where both wait:
- `JournalingRequest`, the getUpdates request, journals a whole poll in one write before it
  hands the updates over (the next getUpdates, which confirms them, comes after). It asks for
  more only while fewer than `ahead` journaled updates are unfinished: Telegram keeps the rest,
  so that when questions come faster than they are answered, the journal (which the TinyDB
  store rewrites whole at each write) and the bot's queue stay small;
- `JournalQueue`, the update queue, journals what was not journaled yet (a webhook's update)
  before `put` returns, which is when the webhook answers the POST;
- `JournaledApplication.process_update` claims each update once and marks it finished after its
  handlers ran. Updates Telegram delivers again after a crash, or that the journal replays, are
  handled by whichever copy comes first; finished ones are skipped.

A crash between a reply leaving and its update being marked finished (one group write, a few
ms) replies twice after the restart: Telegram gives no way to send exactly once.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Update
from telegram.error import Conflict
from telegram.ext import Application

from bot.groupwrite import GroupWrite
from bot.wire import CleanTextRequest, valid_text
from store.library.interface import LibraryStore, StoreError

_log = logging.getLogger(__name__)


class Journal:
    """The bot's side of the store's journal; `open` it once the store is open."""

    def __init__(self, *, ahead: int) -> None:
        self.store: LibraryStore | None = None
        self.ahead = ahead  # unfinished updates past which polling waits
        self._journaled: set[int] = set()  # on disk and not finished
        self._claimed: set[int] = set()  # being handled in this process
        self._finishing: GroupWrite[int] | None = None
        self._failing = False  # the last write failed (said once)
        self._finished = asyncio.Event()  # set when an update is finished, for `room`

    def open(self, store: LibraryStore) -> list[dict[str, Any]]:
        """Start journaling into `store`; the updates a crash left unfinished, oldest first."""
        self.store = store
        self._finishing = GroupWrite(store.finish_updates)
        unfinished = store.unfinished_updates()
        self._journaled.update(u["update_id"] for u in unfinished)
        return unfinished

    def has(self, update_id: int) -> bool:
        return update_id in self._journaled

    async def room(self) -> None:
        """Return once fewer than `ahead` journaled updates are unfinished."""
        while len(self._journaled) >= self.ahead:
            self._finished.clear()
            await self._finished.wait()

    async def record(self, updates: list[dict[str, Any]]) -> None:
        """Return once `updates` are on disk (those not journaled already). When the journal
        cannot be written (a full disk) they are handled all the same, as before there was one:
        answering beats refusing every question until there is room."""
        fresh = [u for u in updates if u["update_id"] not in self._journaled]
        if not fresh or self.store is None:
            return
        try:
            # each in its own write, at once: a webhook's post waits for it, and Telegram keeps
            # only so many posts open (grouped writes measured slower to take an update in)
            await asyncio.to_thread(self.store.journal_updates, fresh)
        except StoreError as exc:
            if not self._failing:
                _log.error("updates are handled unjournaled until this is mended: %s", exc)
            self._failing = True
            return
        if self._failing:
            _log.info("updates are journaled again")
        self._failing = False
        self._journaled.update(u["update_id"] for u in fresh)

    def claim(self, update_id: int) -> bool:
        """True for the first copy of an update not handled before; False for any other."""
        if self.store is None:
            return True
        if update_id in self._claimed or self.store.update_finished(update_id):
            return False
        self._claimed.add(update_id)
        return True

    async def finish(self, update_id: int) -> None:
        assert self._finishing is not None
        if update_id not in self._journaled:  # taken while the journal could not be written
            self._claimed.discard(update_id)
            return
        try:
            await self._finishing.add([update_id])
        except StoreError as exc:
            # still unfinished on disk: after a restart it is handled, and answered, again
            _log.error("update %s handled but not marked so: %s", update_id, exc)
        finally:
            self._claimed.discard(update_id)
            self._journaled.discard(update_id)
            self._finished.set()


class JournalingRequest(CleanTextRequest):
    """The getUpdates request: a poll's updates are journaled before they are returned.

    After a 409 Conflict (another process polls with our token) it asks Telegram nothing more:
    the bot is stopping, and its last getUpdates would end the other process's poll in turn.
    """

    def __init__(self, journal: Journal, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.journal = journal
        self._conflict = False

    async def post(self, url: str, *args: Any, **kwargs: Any) -> Any:
        if self._conflict:
            return []
        polling = url.endswith("/getUpdates")
        if polling:
            await self.journal.room()
        try:
            result = await super().post(url, *args, **kwargs)
        except Conflict:
            self._conflict = True
            raise
        if polling and isinstance(result, list) and result:
            await self.journal.record(result)
        return result


class JournalQueue(asyncio.Queue):
    """The update queue: `put` returns once the update is journaled."""

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal

    async def put(self, item: object) -> None:
        if isinstance(item, Update) and not self.journal.has(item.update_id):
            data = item.to_dict()
            valid = valid_text(data)
            if valid is not data:  # posted to the webhook with a lone surrogate
                item = Update.de_json(valid, item.get_bot())
            await self.journal.record([valid])
        await super().put(item)


class JournaledApplication(Application):
    """Handles each journaled update once, and marks it finished when its handlers are done."""

    @property
    def journal(self) -> Journal:
        return self.bot_data["journal"]

    async def process_update(self, update: object) -> None:
        if not isinstance(update, Update):
            await super().process_update(update)
            return
        if not self.journal.claim(update.update_id):
            _log.info("update %s was handled already: skipped", update.update_id)
            return
        try:
            await super().process_update(update)
        finally:
            await self.journal.finish(update.update_id)

    async def replay(self, updates: list[dict[str, Any]]) -> None:
        """Queue the updates a crash left unfinished, ahead of any new one."""
        if updates:
            _log.info("handling %d update(s) left unfinished by a crash", len(updates))
        for data in updates:
            update = Update.de_json(data, self.bot)
            if update is not None:
                await self.update_queue.put(update)
