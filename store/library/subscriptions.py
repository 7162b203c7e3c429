"""Who hears of new reports, and in how many messages: pure functions, no I/O.

A chat that follows everything, or one of whose keywords a report's title or text has, is told
of it. Reports that arrived together make one digest per chat; a report alone, one notice.

A keyword's word is in a report as typed or in another form ("elections" for "election"). Only
a word general English lacks, a slip or a rare name ("Khodorkovksy"), may also be a typo away:
"gold" is not "old", nor "spain" "spin", nor "tory" "story" (each of them, a typo away, took a
fifth of the BBC corpus's reports to a chat that follows "gold" or "tory").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from store.library.interface import Notice, Subscription
from store.reports.article import Article
from store.search.background import REAL_WORD, zipf
from store.search.terms import Analyzer, indexed_words, words

MATCH_CUTOFF = 85
_ANALYZER = Analyzer()


@dataclass(frozen=True, slots=True)
class Announcement:
    """One message to one chat: the notice of a report, or the digest of several (`notices`
    in the order they were queued)."""

    chat_id: int
    notices: tuple[Notice, ...]

    @property
    def key(self) -> tuple[int, str, str]:
        return _message_of(self.notices[0])


@dataclass(frozen=True, slots=True)
class Known:
    """The words of an article's title and text, and their stems."""

    words: frozenset[str]
    stems: frozenset[str]

    @classmethod
    def of(cls, article: Article) -> Known:
        found = frozenset(indexed_words(" ".join([article.title, *article.paragraphs])))
        return cls(found, frozenset(_ANALYZER.stems(list(found))))


_NOTHING = Known(frozenset(), frozenset())


def keyword_matches(keyword: str, known: Known) -> bool:
    """Every word of `keyword` is in `known` as typed or in another form, or, if general
    English lacks it and it is not short, a typo away from one."""
    for word in words(keyword):
        stem = _ANALYZER.stem(word)  # "" for a stop word, which must be as typed
        if word in known.words or (stem and stem in known.stems):
            continue
        if len(word) <= 3 or zipf(word) >= REAL_WORD:
            return False
        found = process.extractOne(word, known.words, scorer=fuzz.ratio, score_cutoff=MATCH_CUTOFF)
        if found is None:
            return False
    return True


def matching_chats(article: Article, subscriptions: Iterable[Subscription]) -> list[int]:
    """Chats that follow everything, or one of whose keywords the article's title or text has."""
    subscriptions = list(subscriptions)
    # The article's words only when a keyword needs them: a bulk ingest pays for no others.
    known = Known.of(article) if any(s.keywords for s in subscriptions) else _NOTHING
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
