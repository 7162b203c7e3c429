"""The bot's flood limit: questions and button presses count together, at most FLOOD_LIMIT a
user in any FLOOD_WINDOW seconds. The store keeps the counts (`store.library.flood` is the
rule), so that workers sharing one database count together."""

from __future__ import annotations

import asyncio

from telegram.ext import ContextTypes

from bot.services import services
from store.library.flood import Verdict

FLOOD_LIMIT = 20
FLOOD_WINDOW = 60.0
SLOW_DOWN = "You're asking faster than I can read. Please slow down and try again in a minute."


async def admit(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> Verdict:
    """Count one question or press from `user_id` and say what to do with it."""
    store = services(context).library.store
    # off the event loop: with PostgreSQL, the count is a round trip to the database
    return await asyncio.to_thread(
        store.admit_question, user_id, limit=FLOOD_LIMIT, window=FLOOD_WINDOW
    )
