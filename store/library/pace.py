"""Telegram's limits on how fast messages may arrive, held however many workers send them: in
each lane, at most `limit` messages in any `window` seconds. Messages sent in bulk share one
lane (`BULK_LANE`: about 30 a second to different chats); each group chat is a lane of its own,
keyed by its id (20 a minute). A message may be in both.

Each message takes a slot in each of its lanes before its request leaves and gives them back
once Telegram has answered. A slot counts against its lane's limit from when it is taken until
`window` seconds after it is given back; one never given back (its sender died) counts until
`window` seconds after `STALE` (its message reached Telegram by then, if ever). So Telegram,
whenever it received each message, never sees more than `limit` of a lane in a window: of the
messages it received in one window, the last to take its slot took it when the others had taken
theirs and had not been given back more than `window` seconds before (each was received inside
the window, and a slot is given back after its message is received), so all of them counted
then, and that slot was only taken because fewer than `limit` did. Clocks must agree: the
PostgreSQL store reads the server's.

`wait_all` is the rule. The TinyDB store keeps the slots in memory (one process); the PostgreSQL
store keeps them in a table, so that every worker takes from the same ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

STALE = 30.0  # seconds: longer than any one Bot API request may take (PTB's timeouts)
POLL = 0.05  # seconds to wait when every counted slot is still out
BULK_LANE = 0  # the lane of messages sent in bulk; no chat has the id 0

Slots = dict[int, tuple[float, float | None]]  # slot id: (when taken, when given back)


@dataclass(frozen=True, slots=True)
class Lane:
    key: int  # BULK_LANE, or a group chat's id
    limit: int
    window: float


def wait(slots: Slots, now: float, *, limit: int, window: float) -> float:
    """Forget the slots of one lane that no longer count at `now`; 0.0 if a slot may be taken
    now, else the seconds until one may."""
    for slot, (taken, back) in list(slots.items()):
        if (back if back is not None else taken + STALE) <= now - window:
            del slots[slot]
    if len(slots) < limit:
        return 0.0
    backs = sorted(back for _, back in slots.values() if back is not None)
    counted_after = len(slots) - limit  # this many more must stop counting first
    if counted_after < len(backs):
        return max(backs[counted_after] + window - now, 0.0) or POLL
    return POLL


def wait_all(lanes: Sequence[Lane], slots: dict[int, Slots], now: float) -> float:
    """Forget what no longer counts in `slots` (lane key: its slots); 0.0 if a message may take
    a slot in every one of `lanes` now, else the seconds until it may."""
    return max(
        (
            wait(slots.setdefault(lane.key, {}), now, limit=lane.limit, window=lane.window)
            for lane in lanes
        ),
        default=0.0,
    )
