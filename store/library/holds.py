"""Telegram's "429 Too Many Requests: retry after N", held by every worker: whichever worker is
told, none sends to that chat for N seconds. A 429 for a request to no chat (an inline answer,
a button's answer) holds every request (`EVERY`).

`hold` records one, `held` says how long a request must still wait. The TinyDB store keeps the
holds in memory (one process); the PostgreSQL store keeps them in a table, and every worker
follows that table in memory (through NOTIFY), so that reading them costs no round trip.
"""

from __future__ import annotations

EVERY = 0  # the key of a hold on every request; no chat has the id 0

Holds = dict[int, float]  # chat id, or EVERY: until when


def hold(holds: Holds, chat_id: int | None, until: float, now: float) -> None:
    """Hold requests to `chat_id` (None: every request) until `until`, or later if they are
    already held longer; forget the holds that ended before `now`."""
    key = EVERY if chat_id is None else chat_id
    holds[key] = max(until, holds.get(key, until))
    for ended in [k for k, then in holds.items() if then <= now]:
        holds.pop(ended, None)


def held(holds: Holds, chat_id: int | None, now: float) -> float:
    """The seconds a request to `chat_id` (None: to no chat) must still wait; 0.0 if none."""
    if not holds:
        return 0.0
    until = holds.get(EVERY, now)
    if chat_id is not None:
        until = max(until, holds.get(chat_id, now))
    return max(until - now, 0.0)
