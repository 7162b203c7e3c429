"""The record of the bot's requests: each `Call`, kept in order, and waiting for one to come."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.standin.rules import telegram_text

SENDS = frozenset({"sendMessage", "editMessageText", "sendDocument"})


@dataclass(frozen=True)
class Call:
    """One request the bot made, and what it got back."""

    method: str
    params: dict[str, Any]
    ok: bool
    result: Any
    at: float

    @property
    def chat_id(self) -> int | None:
        return chat_id_of(self.params)

    @property
    def html(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def text(self) -> str:
        """The text as the user sees it (HTML parsed)."""
        return telegram_text(self.html) if self.params.get("parse_mode") == "HTML" else self.html

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]

    @property
    def replies_to(self) -> int | None:
        """The message id this message answers, if any."""
        return (self.params.get("reply_parameters") or {}).get("message_id")


def chat_id_of(params: dict[str, Any]) -> int | None:
    chat_id = str(params.get("chat_id", ""))
    return int(chat_id) if chat_id.lstrip("-").isdigit() else None


class CallLog:
    """Every call but getUpdates, in order; `changed` is notified on each, and guards the
    state of whoever extends this."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self._calls: list[Call] = []

    def record(self, method: str, params: dict[str, Any], ok: bool, result: Any) -> Call:
        call = Call(method, params, ok, result, time.monotonic())
        with self.changed:
            self._calls.append(call)
            self.changed.notify_all()
        return call

    @property
    def calls(self) -> list[Call]:
        with self.changed:
            return list(self._calls)

    def delivered(
        self, chat_id: int | None = None, method: str | None = None, *, after: int = 0
    ) -> list[Call]:
        """Successful sendMessage/editMessageText/sendDocument calls from index `after` on,
        optionally for one chat."""
        methods = {method} if method else SENDS
        return [
            call
            for call in self.calls[after:]
            if call.ok and call.method in methods and chat_id in (None, call.chat_id)
        ]

    def wait_for(
        self, predicate: Callable[[Call], bool], *, timeout: float = 10.0, after: int = 0
    ) -> Call:
        """The first call (from index `after`) matching `predicate`; AssertionError on timeout."""
        return self.wait_for_count(predicate, 1, timeout=timeout, after=after)[0]

    def wait_for_count(
        self,
        predicate: Callable[[Call], bool],
        count: int,
        *,
        timeout: float = 10.0,
        after: int = 0,
    ) -> list[Call]:
        """The calls (from index `after`) matching `predicate`, once there are `count` of
        them; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                found = [c for c in self._calls[after:] if predicate(c)]
                remaining = deadline - time.monotonic()
                if len(found) >= count:
                    return found
                if remaining <= 0:
                    raise AssertionError(
                        f"{len(found)} of {count} matching calls within {timeout} s;"
                        f" calls: {self._calls[after:]}"
                    )
                self.changed.wait(remaining)

    def wait_for_reply(self, chat_id: int, *, timeout: float = 10.0, after: int = 0) -> Call:
        return self.wait_for(
            lambda c: c.ok and c.chat_id == chat_id and c.method in SENDS - {"editMessageText"},
            timeout=timeout,
            after=after,
        )
