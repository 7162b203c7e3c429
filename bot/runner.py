"""Run an Application's polling loop in a background thread (the tests and `reportbot chat`)."""

from __future__ import annotations

import asyncio
import threading
import time

from telegram import Update
from telegram.ext import Application


class BackgroundBot:
    """`start()` runs `app.run_polling` on its own event loop in a thread; `stop()` ends it."""

    def __init__(self, app: Application, *, poll_timeout: int = 1) -> None:
        self.app = app
        self.poll_timeout = poll_timeout
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="reportbot", daemon=True)
        self._error: BaseException | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self.app.run_polling(
                allowed_updates=Update.ALL_TYPES,
                stop_signals=None,
                timeout=self.poll_timeout,
                poll_interval=0,
            )
        except BaseException as exc:  # reported by start() or stop() in the caller's thread
            self._error = exc

    def start(self, *, timeout: float = 20.0) -> BackgroundBot:
        """Start, and return once the bot is polling (post_init done)."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not (self.app.running and self.app.updater and self.app.updater.running):
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the bot did not start") from self._error
            time.sleep(0.02)
        return self

    def stop(self, *, timeout: float = 20.0) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self.app.stop_running)
            self._thread.join(timeout)
        if not self._loop.is_closed() and not self._loop.is_running():
            self._loop.close()

    def __enter__(self) -> BackgroundBot:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
