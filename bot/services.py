"""The objects every handler shares, built once at start-up and kept in `bot_data`."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field

from telegram.ext import ContextTypes

from bot.config import Config
from bot.flood import FloodGuard
from bot.keyboards import source_key
from store.library.interface import StoreChange
from store.library.service import Library
from store.reports.article import Article
from store.search.conversation import Conversation


@dataclass
class Services:
    """The library (store and engine), the flood guard, and what only the bot keeps: the keys
    its buttons carry, the broadcast lock, today's count of answers. Flood counts live in the
    store, so that workers sharing one count together."""

    config: Config
    library: Library
    conversation: Conversation = field(init=False)
    flood: FloodGuard = field(init=False)
    sources: dict[str, str] = field(default_factory=dict)  # callback key: source
    notice_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    started: dt.datetime = field(default_factory=dt.datetime.now)
    _answered: tuple[dt.date, int] = (dt.date.min, 0)

    def __post_init__(self) -> None:
        self.conversation = Conversation(self.library.matcher)
        self.flood = FloodGuard(self.library.store)

    @classmethod
    def open(cls, config: Config) -> Services:
        """Open the library and index it; the buttons' keys follow every later change."""
        library = Library.open(config.db_path, index_dir=config.index_path)
        services = cls(config, library)
        # from the index just built: reading every report from the store again cost ~0.3 s
        services.sources.update((source_key(s), s) for s in library.matcher.sources())
        library.watch(services.follow)
        return services

    def follow(self, change: StoreChange) -> None:
        """A library watcher: keep a key for each stored report's "Full report" button."""
        for source in change.added | change.updated:
            self.sources[source_key(source)] = source
        for source in change.removed:
            self.sources.pop(source_key(source), None)

    def article(self, key: str) -> Article | None:
        """The article behind a "Full report" key; a key this worker has not heard of yet may
        be a report another worker just stored, so the library is asked for changes first."""
        if key not in self.sources:
            self.library.refresh()
        source = self.sources.get(key)
        return None if source is None else self.library.store.get(source)

    def count_answer(self) -> None:
        day, count = self._answered
        today = dt.date.today()
        self._answered = (today, count + 1 if day == today else 1)

    def answered_today(self) -> str:
        """How many questions were answered today, kept in memory: since a restart if today's."""
        day, count = self._answered
        today = dt.date.today()
        since = (
            f" (since a restart at {self.started:%H:%M})" if self.started.date() == today else ""
        )
        return f"{count if day == today else 0}{since}"


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.bot_data["services"]
