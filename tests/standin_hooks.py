"""The stand-in with what only the tests need: faults on cue (per method and/or per chat, 403
Forbidden, 429 with retry_after, 400 migrate_to_chat_id, 500, 502, a dropped connection or a
stall; once, n times, for ever, or at random with a given rate) and the count of updates the
bot has not confirmed."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

from bot.standin import BotApiStandIn
from bot.standin.calls import chat_id_of
from bot.standin.methods import DROP, Answer
from bot.standin.rules import ApiError

FAULT_KINDS = (
    *("forbidden", "retry_after", "migrate"),
    *("server_error", "bad_gateway", "drop", "stall"),
)


@dataclass
class Fault:
    kind: str
    method: str | None = None
    chat_id: int | None = None
    times: int | None = 1  # None: for ever
    rate: float = 1.0
    retry_after: int = 1
    migrate_to: int | None = None
    stall: float = 30.0

    def applies(self, method: str, chat_id: int | None, rng: random.Random) -> bool:
        return (
            (self.times is None or self.times > 0)
            and self.method in (None, method)
            and self.chat_id in (None, chat_id)
            and rng.random() < self.rate
        )

    def error(self, chat_id: int | None) -> ApiError:
        if self.kind == "forbidden":
            return ApiError(403, "Forbidden: bot was kicked from the group chat")
        if self.kind == "retry_after":
            return ApiError(
                429,
                f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        if self.kind == "migrate":
            new_id = self.migrate_to or -(10**12) - abs(chat_id or 1)
            return ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": new_id},
            )
        if self.kind == "bad_gateway":
            return ApiError(502, "Bad Gateway")
        return ApiError(500, "Internal Server Error")


class HookedStandIn(BotApiStandIn):
    def __init__(self, *, token: str | None = None, seed: int = 0) -> None:
        super().__init__(token=token)
        self._faults: list[Fault] = []
        self._rng = random.Random(seed)

    def fail(self, kind: str, **where: Any) -> Fault:
        """Answer the next matching request(s) with a fault; see `Fault` for `where`."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULT_KINDS)}")
        fault = Fault(kind, **where)
        with self.changed:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self.changed:
            self._faults.clear()

    @property
    def pending_updates(self) -> int:
        """Updates the bot has not confirmed yet."""
        with self.changed:
            return len(self._updates)

    def handle(self, method: str, params: dict[str, Any]) -> Answer:
        chat_id = chat_id_of(params)
        fault = self._take(method, chat_id)
        if fault is None:
            return super().handle(method, params)
        if fault.kind == "stall":
            time.sleep(fault.stall)
        if fault.kind in ("drop", "stall"):
            return DROP
        error = fault.error(chat_id)
        self.record(method, params, False, error.description)
        return error.code, error.body()

    def _take(self, method: str, chat_id: int | None) -> Fault | None:
        with self.changed:
            for fault in self._faults:
                if fault.applies(method, chat_id, self._rng):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None
