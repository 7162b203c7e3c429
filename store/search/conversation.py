"""Conversations: each chat's last question and the reports that answered it, kept for a few
minutes, so that a follow-up ("and when do they play next?") is answered from them first.

A question is asked of the whole library too. It is read against the last question's reports
when it reads as a follow-up (`may_follow_up`), or when the library has nothing for it; any
other question has the library's answer, even from one of those reports (read in them alone,
with the last question's words lent, "how much will sunday opening cost" after "when will
libraries open on sundays" put a sentence on Sunday shifts before the one on the cost). When
those reports lack words of the question's own weighing LITTLE_TOPIC, it is a new question:
always if nothing in it points back, and if it does ("what did he say about the budget"), when
another report answers it. A question that does not point back is a new one too when those
reports lack all its words and another report answers it ("who is the chancellor" after a
question on oil prices). "What about X" (or "and X?") asks the last question again of X: when
those reports lack all its words, it is asked of the whole library with the last question's
words lent, and those reports, found by the lent words alone, don't answer it. A question the
library can't answer ends the conversation: the next one has nothing to follow up."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from store.reports.lexicon import SPEECH_VERBS
from store.search.followup import (
    LITTLE_TOPIC,
    Previous,
    Reading,
    answer_first,
    asks_of_another,
    is_follow_up,
    may_follow_up,
    readings,
    supplies,
    wants_more,
)
from store.search.lru import LRU
from store.search.matcher import Considered, Matcher, Result
from store.search.names import name_parts
from store.search.question import Question, Shape, parse_question
from store.search.terms import words

KEEP = 300.0  # seconds a chat's last question stays its context
CHATS = 10_000  # chats remembered at once; the one quiet longest is forgotten first
CONTEXT = 3  # of the last question's first results, whose reports a follow-up searches
TURNS = 8  # a chat's last questions kept, whose "More" reads them as they were read
# Of the context's excerpts in the model's order, the first this many are put in the order of
# what the follow-up asks (`answer_first`); a fixed number, so that "More" pages the same list.
REORDERED = 20


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
    """The excerpts the asker has seen in its answer, and in those of the "what else"
    questions before it: the next "what else" leaves them out."""
    at: float


@dataclass(frozen=True, slots=True)
class _Answer:
    read: Reading
    within: tuple[str, ...] | None
    left_out: frozenset[str]
    results: list[Result]


class Conversation:
    """Answers questions chat by chat; `chat` is any key (a chat id, or a chat and a user)."""

    def __init__(
        self, matcher: Matcher, *, keep: float = KEEP, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.matcher = matcher
        self._keep = keep
        self._clock = clock
        self._turns: LRU[tuple[Turn, ...]] = LRU(CHATS)  # each chat's, the last first
        self._lock = threading.Lock()

    def ask(
        self,
        chat: Hashable,
        question: str,
        *,
        k: int = 5,
        remember: bool = True,
        shown: int | None = None,
    ) -> list[Result]:
        """The best `k` results for `question` in `chat`: a follow-up of the chat's last
        question is answered from that question's reports, or from the whole library when they
        hold nothing for it. With `remember`, the question becomes the chat's context, and the
        first `shown` of its results (None: all) what the asker has seen; without, one of the
        chat's recent questions asked again ("More") is read as it was then."""
        before = None if remember else self._turn(chat, question)
        if before is not None:
            return self._results(question, before.read, before.within, before.left_out, k)
        last = self.last(chat)
        alone = self.matcher.search(question, k=k)
        answer = self._follow_up(question, last, alone, k) if last and last.sources else None
        answer = answer or _Answer(Reading(question), None, frozenset(), alone)
        if remember:
            self._remember(chat, question, answer, answer.results[:shown], last)
        return answer.results

    def last(self, chat: Hashable) -> Turn | None:
        """The chat's last question, while it is recent enough to be its context."""
        with self._lock:
            turns = self._turns.get(chat) or ()
        if not turns or self._clock() - turns[0].at > self._keep:
            return None
        return turns[0]

    def _turn(self, chat: Hashable, question: str) -> Turn | None:
        """The chat's latest recent turn that asked `question`."""
        with self._lock:
            turns = self._turns.get(chat) or ()
        now = self._clock()
        return next((t for t in turns if t.question == question and now - t.at <= self._keep), None)

    def had_shown_all(self, chat: Hashable, question: str) -> bool:
        """Whether `question`, asked last in `chat`, asked for more than the answers shown
        before it ("what else did he say") and they were all there was: the library holds
        nothing more, which is not that it holds nothing."""
        turn = self._turn(chat, question)
        return turn is not None and wants_more(question) and bool(turn.left_out)

    def closest_titles(self, chat: Hashable, question: str, *, k: int = 3) -> list[tuple[str, str]]:
        """The reports closest to `question` as `chat` read it when it was asked last, for a
        "not found" reply ("what else did she say" leads to the report she spoke in)."""
        turn = self._turn(chat, question)
        if turn is not None:
            question = turn.read.whole
        return self.matcher.closest_titles(question, k=k)

    def _remember(
        self,
        chat: Hashable,
        question: str,
        answer: _Answer,
        shown: list[Result],
        last: Turn | None,
    ) -> None:
        """A question answered with nothing is remembered with no reports: the next one has
        nothing to follow up. But a "what else" that found nothing beyond what was shown keeps
        the last one's reports and speaker: "what else did he say" asked again means the same
        person, and still finds nothing more."""
        results = answer.results
        sources = tuple(dict.fromkeys(r.source for r in results[:CONTEXT]))
        speaker = next((r.speaker for r in results if r.speaker), None)
        if not results and answer.left_out and last is not None:
            sources, speaker = last.sources, last.speaker
        turn = Turn(
            question,
            answer.read,
            answer.within,
            answer.left_out,
            sources,
            speaker,
            answer.left_out | {r.text for r in shown},
            self._clock(),
        )
        with self._lock:
            self._turns.put(chat, (turn, *(self._turns.get(chat) or ())[: TURNS - 1]))

    def _follow_up(self, question: str, last: Turn, alone: list[Result], k: int) -> _Answer | None:
        """`question` read against `last`'s reports, or None when it is a new question (the
        library's answer `alone` stands).

        The readings are tried in `last`'s reports; the fuller ones say what the conversation
        is about, and when the model takes any of them to be answered there, the results are
        ranked by the first, the closest to the question's own words (the fuller ones pull the
        answer back to the sentence that answered the last question). A question that leans on
        the last by its wording is answered there even when the model doubts it, if those
        reports hold some of its own words or it has none."""
        leans = may_follow_up(question)
        if alone and not leans:
            return None
        elsewhere = bool(alone) and alone[0].source not in last.sources
        attempts = readings(question, Previous(last.read.whole, last.speaker))
        if not leans and not alone:  # only its own words may find it here
            attempts = [a for a in attempts if a.borrowed or a.text == question]
        left_out = last.shown if wants_more(question) else frozenset[str]()
        first: tuple[Reading, Considered] | None = None
        vouched = False
        points_back = is_follow_up(question)
        another = asks_of_another(question)
        for attempt in attempts:
            considered = self.matcher.consider(
                attempt.text, within=last.sources, borrowed=attempt.borrowed
            )
            # The first reading is the question's own words: when they are not about these
            # reports, the fuller readings would find them by the last question's words alone.
            if attempt is attempts[0]:
                if another and (considered is None or considered.gaps["share"] == 1.0):
                    return self._of_another(question, attempt, last, left_out, k)
                if not points_back and _lacks_its_topic(considered, elsewhere):
                    break
            if considered is None:
                continue
            first = first or (attempt, considered)
            if considered.answered:
                vouched = True
                break
        if first is not None:
            read, considered = first
            if elsewhere and considered.gaps["article"] >= LITTLE_TOPIC:
                return None
            if vouched or (leans and points_back and considered.gaps["share"] < 1.0):
                results = self._ranked(question, read, considered, left_out, k)
                if results and supplies(question, read.text)(results[0]):
                    return _Answer(read, last.sources, left_out, results)
        elif elsewhere:
            return None
        if leans and (not alone or points_back):
            read = attempts[0]
            return _Answer(read, None, left_out, self._results(question, read, None, left_out, k))
        return None

    def _of_another(
        self, question: str, read: Reading, last: Turn, left_out: frozenset[str], k: int
    ) -> _Answer | None:
        """`question`, asking the last one again of a subject its reports lack ("what about
        google" after "why did shares in ebay fall"), read in the whole library with the last
        one's words lent, or None for the library's answer to its own words: one from those
        reports was found by the lent words alone."""
        results = self._results(question, read, None, left_out, k)
        if results and results[0].source in last.sources:
            return None
        return _Answer(read, None, left_out, results)

    def _results(
        self,
        question: str,
        read: Reading,
        within: tuple[str, ...] | None,
        left_out: frozenset[str],
        k: int,
    ) -> list[Result]:
        """The results of `read` from the sources `within` (None: the whole library), without
        those `left_out`."""
        if within is not None:
            considered = self.matcher.consider(read.text, within=within, borrowed=read.borrowed)
            return (
                [] if considered is None else self._ranked(question, read, considered, left_out, k)
            )
        if not left_out:
            return self.matcher.search(read.text, k=k, borrowed=read.borrowed)
        found = self.matcher.search(read.text, k=2 * k + len(left_out), borrowed=read.borrowed)
        return self._unseen(found, left_out, parse_question(read.text))[:k]

    def _ranked(
        self, question: str, read: Reading, considered: Considered, left_out: frozenset[str], k: int
    ) -> list[Result]:
        """The first `k` of the context's results for `read`: the model's first REORDERED put
        in the order of what `question` asks, then the rest as the model ranks them."""
        reordered = sorted(
            itertools.islice(considered.results, REORDERED), key=answer_first(question, read.text)
        )
        found = itertools.chain(reordered, considered.results)
        if left_out:
            found = iter(self._unseen(list(found), left_out, parse_question(read.text)))
        return list(itertools.islice(found, k))

    def _unseen(
        self, results: list[Result], left_out: frozenset[str], question: Question
    ) -> list[Result]:
        """Of `results`, those not `left_out` and, for "what else did X say", those by X: once
        X's words are shown, the engine's next best quote is someone else's, and "nothing else"
        is the truer answer. A result is by X when its speaker is one of those X may mean, or,
        shown without one, when it names X in full and says what they said ("Graham Poll said
        ... Thierry Henry's free-kick" is not by Graham Henry, nor "... when Graham Henry was
        the head coach"). X that means none of the library's speakers ("the minister") is any
        result naming its last word."""
        fresh = [r for r in results if r.text not in left_out]
        name = name_parts(question.speaker) if question.shape is Shape.SAY else ()
        if not name:
            return fresh
        meant = self.matcher.speakers_named(question.speaker)
        if not meant:
            return [r for r in fresh if name[-1] in name_parts(f"{r.speaker or ''} {r.text}")]
        return [
            r
            for r in fresh
            if r.speaker in meant or (not r.speaker and _reports_saying(name, r.text))
        ]


def _lacks_its_topic(considered: Considered | None, elsewhere: bool) -> bool:
    """Whether the reports lack a topic of the question's own (read as asked: None when they
    hold none of its words): words weighing LITTLE_TOPIC, or, when another report answers it,
    all its words. A question that does not point back is then not about them ("what did priya
    nandakumar say" after a question on a flood, "who is the chancellor" after one on oil
    prices). Asked where the library answers nothing, a light word the reports lack may be the
    follow-up's own ask ("by what score" after "who won the hong kong champions challenge")."""
    return considered is None or (
        considered.gaps["article"] >= LITTLE_TOPIC
        or (elsewhere and considered.gaps["share"] == 1.0)
    )


def _reports_saying(name: tuple[str, ...], text: str) -> bool:
    """Whether `text` reports what the person whose name's parts are `name` said: the name, its
    parts in a row, with a word of speaking just before or after it ("said Gordon Brown", "Mr
    Brown told MPs")."""
    tokens = words(text)
    return any(
        tuple(tokens[i : i + len(name)]) == name
        and not SPEECH_VERBS.isdisjoint(
            tokens[max(0, i - 2) : i] + tokens[i + len(name) : i + len(name) + 3]
        )
        for i in range(len(tokens) - len(name) + 1)
    )
