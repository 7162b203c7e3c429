"""Who hears of new reports, and in how many messages: pure functions, no I/O.

A chat that follows everything, or one of whose keywords a report's title or text has, is told
of it. Reports that arrived together make one digest per chat; a report alone, one notice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from store.library.interface import Notice, Subscription
from store.reports.article import Article
from store.search.terms import words

MATCH_CUTOFF = 85


@dataclass(frozen=True, slots=True)
class Announcement:
    """One message to one chat: the notice of a report, or the digest of several (`notices`
    in the order they were queued)."""

    chat_id: int
    notices: tuple[Notice, ...]

    @property
    def key(self) -> tuple[int, str, str]:
        return _message_of(self.notices[0])


def article_words(article: Article) -> frozenset[str]:
    return frozenset(words(" ".join([article.title, *article.paragraphs])))


def keyword_matches(keyword: str, known: frozenset[str]) -> bool:
    """Every word of `keyword` is in `known`, exactly if short, else give or take a typo."""
    for word in words(keyword):
        if word in known:
            continue
        if len(word) <= 3:
            return False
        if process.extractOne(word, known, scorer=fuzz.ratio, score_cutoff=MATCH_CUTOFF) is None:
            return False
    return True


def matching_chats(article: Article, subscriptions: Iterable[Subscription]) -> list[int]:
    """Chats that follow everything, or one of whose keywords the article's title or text has."""
    subscriptions = list(subscriptions)
    # The article's words only when a keyword needs them: a bulk ingest pays for no others.
    known = article_words(article) if any(s.keywords for s in subscriptions) else frozenset()
    return [
        s.chat_id
        for s in subscriptions
        if not s.keywords or any(keyword_matches(k, known) for k in s.keywords)
    ]


def notices_for(articles: Iterable[Article], subscriptions: Iterable[Subscription]) -> list[Notice]:
    """A notice for each article and each chat that should hear of it."""
    subscriptions = list(subscriptions)
    return [
        Notice(chat_id, article.source)
        for article in articles
        for chat_id in matching_chats(article, subscriptions)
    ]


def announcements(pending: Iterable[Notice]) -> list[Announcement]:
    """The messages to send for `pending`: one per chat and arrival, in the order queued."""
    groups: dict[tuple[int, str, str], list[Notice]] = {}
    for notice in pending:
        groups.setdefault(_message_of(notice), []).append(notice)
    return [Announcement(chat_id, tuple(notices)) for (chat_id, *_), notices in groups.items()]


def _message_of(notice: Notice) -> tuple[int, str, str]:
    """The message a notice goes in: its chat's digest of its arrival, or one of its own."""
    return (notice.chat_id, notice.arrival, "" if notice.arrival else notice.source)
