"""What `/library` and `/latest` show: the reports per category and the newest few, read off
every stored report at once (a tenth of a second for the BBC corpus's 2,225, and more as the
library grows), so `Library.shelf` keeps it until the library changes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from store.reports.article import Article

NEWEST = 5
UNCATEGORISED = "uncategorised"


@dataclass(frozen=True, slots=True)
class Shelf:
    categories: dict[str, int]
    """Reports per category, by name."""
    newest: list[Article]
    """The newest few: by publication date where known, else the most recently stored."""

    @property
    def count(self) -> int:
        return sum(self.categories.values())

    @classmethod
    def of(cls, articles: Iterable[Article], *, newest: int = NEWEST) -> Shelf:
        """`articles` in the order they were stored."""
        stored = list(articles)
        ranked = sorted(enumerate(stored), key=lambda p: (p[1].published or "", p[0]), reverse=True)
        counts = Counter(article.category or UNCATEGORISED for article in stored)
        return cls(dict(sorted(counts.items())), [article for _, article in ranked[:newest]])
