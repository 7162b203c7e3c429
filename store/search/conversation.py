"""Conversations: each chat's last question and the reports that answered it, kept for a few
minutes, so that a follow-up ("and when do they play next?") is answered from them first.

A question is asked of the whole library too: when that answer comes from the last question's
reports, or the question reads as a follow-up (`may_follow_up`), the context is searched
first; else the question is a new one, and the library's answer (or its "not found") stands."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from store.search.followup import (
    Previous,
    Reading,
    is_follow_up,
    may_follow_up,
    readings,
    wants_more,
)
from store.search.lru import LRU
from store.search.matcher import Matcher, Result
from store.search.names import name_parts
from store.search.question import Question, Shape, parse_question

KEEP = 300.0  # seconds a chat's last question stays its context
CHATS = 10_000  # chats remembered at once; the one quiet longest is forgotten first
CONTEXT = 3  # of the last question's first results, whose reports a follow-up searches


@dataclass(frozen=True, slots=True)
class Turn:
    question: str
    """As typed: asked again (the "More" button asks it again), it is read the same way."""
    read: Reading
    """As the engine read it, pronouns and borrowed topic words in."""
    within: tuple[str, ...] | None
    """The sources it was answered from, None for the whole library."""
    left_out: frozenset[str]
    """Excerpts shown before that it was not to repeat ("what else ...")."""
    sources: tuple[str, ...]
    """The reports of its first results: the next follow-up's context."""
    speaker: str | None
    shown: frozenset[str]
    at: float


class Conversation:
    """Answers questions chat by chat; `chat` is any key (a chat id, or a chat and a user)."""

    def __init__(
        self, matcher: Matcher, *, keep: float = KEEP, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.matcher = matcher
        self._keep = keep
        self._clock = clock
        self._turns: LRU[Turn] = LRU(CHATS)
        self._lock = threading.Lock()

    def ask(
        self, chat: Hashable, question: str, *, k: int = 5, remember: bool = True
    ) -> list[Result]:
        """The best `k` results for `question` in `chat`: a follow-up of the chat's last
        question is answered from that question's reports, or from the whole library when they
        hold nothing for it. With `remember`, the question becomes the chat's context."""
        last = self.last(chat)
        if last is not None and last.question == question:
            return self._search(last.read, last.within, last.left_out, k)
        read, within, left_out = Reading(question), None, frozenset[str]()
        results = self._search(read, None, left_out, k)
        if last is not None and (
            (results and results[0].source in last.sources) or may_follow_up(question)
        ):
            attempts = readings(question, Previous(last.read.whole, last.speaker))
            left_out = last.shown if wants_more(question) else left_out
            for attempt in attempts:
                found = self._search(attempt, last.sources, left_out, k)
                if found:
                    results, read, within = found, attempt, last.sources
                    break
            else:
                if not results or is_follow_up(question):
                    read = attempts[0]
                    results = self._search(read, None, left_out, k)
        if remember and results:
            turn = Turn(
                question,
                read,
                within,
                left_out,
                tuple(dict.fromkeys(r.source for r in results[:CONTEXT])),
                next((r.speaker for r in results if r.speaker), None),
                frozenset(r.text for r in results),
                self._clock(),
            )
            with self._lock:
                self._turns.put(chat, turn)
        return results

    def last(self, chat: Hashable) -> Turn | None:
        """The chat's last question, while it is recent enough to be its context."""
        with self._lock:
            turn = self._turns.get(chat)
        if turn is None or self._clock() - turn.at > self._keep:
            return None
        return turn

    def closest_titles(self, chat: Hashable, question: str, *, k: int = 3) -> list[tuple[str, str]]:
        """The reports closest to `question` as `chat` would read it, for a "not found" reply
        ("what else did she say" leads to the report she spoke in)."""
        last = self.last(chat)
        if last is not None and last.question != question and is_follow_up(question):
            question = readings(question, Previous(last.read.whole, last.speaker))[0].whole
        return self.matcher.closest_titles(question, k=k)

    def _search(
        self, read: Reading, within: tuple[str, ...] | None, left_out: frozenset[str], k: int
    ) -> list[Result]:
        if not left_out:
            return self.matcher.search(read.text, k=k, within=within, borrowed=read.borrowed)
        # "what else ...": from more results, those not shown yet, and of "what else did X
        # say" only those that name X: once X's words are shown, the engine's next best quote
        # is someone else's, and "nothing else" is the truer answer.
        results = self.matcher.search(
            read.text, k=2 * k + len(left_out), within=within, borrowed=read.borrowed
        )
        fresh = [r for r in results if r.text not in left_out]
        return _naming(fresh, parse_question(read.text))[:k]


def _naming(results: list[Result], question: Question) -> list[Result]:
    """Of `results`, those that name the speaker a "what did X say" asks about."""
    name = name_parts(question.speaker) if question.shape is Shape.SAY else ()
    if not name:
        return results
    return [r for r in results if name[-1] in name_parts(f"{r.speaker or ''} {r.text}")]
