"""The bot's flood limit: questions, button presses and the commands that read the library
(/quotes, /latest, /library) count together, at most FLOOD_LIMIT a user in any FLOOD_WINDOW
seconds. The store keeps the counts (`store.library.flood` is the rule), so that workers
sharing one database count together."""

from __future__ import annotations

import functools

from telegram import Message

from bot.groupwrite import GroupWrite
from store.library.flood import Verdict
from store.library.interface import LibraryStore

FLOOD_LIMIT = 20
FLOOD_WINDOW = 60.0
SLOW_DOWN = "You're asking faster than I can read. Please slow down and try again in a minute."


class FloodGuard:
    """Counts each question or press in the store, off the event loop; those that come while
    a count runs are counted together next (with PostgreSQL, one transaction for them all)."""

    def __init__(self, store: LibraryStore) -> None:
        count = functools.partial(store.admit_questions, limit=FLOOD_LIMIT, window=FLOOD_WINDOW)
        self._counting: GroupWrite[int] = GroupWrite(count)

    async def admit(self, user_id: int) -> Verdict:
        """Count one question, press or read from `user_id` and say what to do with it."""
        return await self._counting.ask(user_id)

    async def lets(self, message: Message) -> bool:
        """Count `message` (a question or a command that reads the library): whether to answer
        it. The first one over the limit is told to slow down; the rest get no reply."""
        user_id = message.from_user.id if message.from_user else message.chat.id
        verdict = await self.admit(user_id)
        if verdict is Verdict.WARN:
            await message.reply_text(SLOW_DOWN)
        return verdict is Verdict.ANSWER
