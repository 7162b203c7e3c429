"""Per-user flood protection: at most `limit` questions in any `window` seconds."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from enum import Enum

SLOW_DOWN = "You're asking faster than I can read. Please slow down and try again in a minute."


class Verdict(Enum):
    ANSWER = "answer"
    WARN = "warn"  # the first refusal in a window: say "slow down" once
    IGNORE = "ignore"


@dataclass
class FloodGuard:
    limit: int = 20
    window: float = 60.0
    _asked: dict[int, deque[float]] = field(default_factory=dict)
    _warned: dict[int, float] = field(default_factory=dict)

    def check(self, user_id: int, now: float | None = None) -> Verdict:
        """Count one question from `user_id` and say what to do with it."""
        now = time.monotonic() if now is None else now
        asked = self._asked.setdefault(user_id, deque())
        while asked and asked[0] <= now - self.window:
            asked.popleft()
        if len(asked) < self.limit:
            asked.append(now)
            return Verdict.ANSWER
        if self._warned.get(user_id, -self.window) > now - self.window:
            return Verdict.IGNORE
        self._warned[user_id] = now
        return Verdict.WARN
