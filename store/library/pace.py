"""Telegram's limit on messages sent in bulk: at most `limit` in any `window` seconds (about 30
a second to different chats), however many workers send them.

Each message takes a slot before its request leaves and gives it back once Telegram has
answered. A slot counts against the limit from when it is taken until `window` seconds after it
is given back; one never given back (its sender died) counts for `STALE` seconds. So Telegram,
whenever it received each message, never sees more than `limit` in a window: of the messages it
received in one window, the last to take its slot took it when the others had taken theirs and
had not been given back more than `window` seconds before (each was received inside the window,
and a slot is given back after its message is received), so all of them counted then, and that
slot was only taken because fewer than `limit` did. Clocks must agree: the PostgreSQL store
reads the server's.

`wait` is the rule. The TinyDB store keeps the slots in memory (one process); the PostgreSQL
store keeps them in a table, so that every worker takes from the same ones.
"""

from __future__ import annotations

STALE = 30.0  # seconds: longer than any one Bot API request may take (PTB's timeouts)
POLL = 0.05  # seconds to wait when every counted slot is still out


def wait(
    slots: dict[int, tuple[float, float | None]], now: float, *, limit: int, window: float
) -> float:
    """Forget the slots in `slots` (id: when taken, when given back) that no longer count at
    `now`; 0.0 if a slot may be taken now, else the seconds until one may."""
    for slot, (taken, back) in list(slots.items()):
        if (back is not None and back <= now - window) or (back is None and taken <= now - STALE):
            del slots[slot]
    if len(slots) < limit:
        return 0.0
    backs = sorted(back for _, back in slots.values() if back is not None)
    counted_after = len(slots) - limit  # this many more must stop counting first
    if counted_after < len(backs):
        return max(backs[counted_after] + window - now, 0.0) or POLL
    return POLL
