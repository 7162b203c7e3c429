"""Per-user flood protection: at most `limit` questions in any `window` seconds.

`judge` is the rule (`judge_each` for several at once). The TinyDB store keeps each user's
`Asked` in memory (one process); the PostgreSQL store keeps it in a table, so that every worker
counts together, and applies the rule there in one statement (`postgres._ADMIT`), a round trip
a question. The store's tests hold both to the same verdicts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Verdict(Enum):
    ANSWER = "answer"
    WARN = "warn"  # the first refusal in a window: say "slow down" once
    IGNORE = "ignore"


@dataclass(frozen=True, slots=True)
class Asked:
    """One user's questions still inside the window, and when they were last warned."""

    times: tuple[float, ...] = ()
    warned: float | None = None


def judge(asked: Asked, now: float, *, limit: int, window: float) -> tuple[Verdict, Asked]:
    """What to do with a question asked at `now`, and the user's state after it."""
    times = tuple(t for t in asked.times if t > now - window)
    if len(times) < limit:
        return Verdict.ANSWER, Asked((*times, now), asked.warned)
    if asked.warned is not None and asked.warned > now - window:
        return Verdict.IGNORE, Asked(times, asked.warned)
    return Verdict.WARN, Asked(times, now)


def judge_each(
    asked: dict[int, Asked], user_ids: Iterable[int], now: float, *, limit: int, window: float
) -> list[Verdict]:
    """Judge questions asked together at `now`, in order (a user may ask more than one),
    updating each user's state in `asked`."""
    verdicts = []
    for user_id in user_ids:
        verdict, asked[user_id] = judge(
            asked.get(user_id, Asked()), now, limit=limit, window=window
        )
        verdicts.append(verdict)
    return verdicts
