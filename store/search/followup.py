"""Whether a question leans on the one before it, and how to read it with that one's help.

A question follows up the last one when it opens with a connective ("and when do they play
next?", "what about the police?"), when it points back with a third-person pronoun ("what else
did he say?") or "else", or when no topic word is left once question and stop words are gone
("why?", "how many?"). The rules read the wording only, never particular questions. In the
last question's reports, a follow-up's answer is the sentence that shows what it asks for
(`answer_first`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from store.search.background import rarity
from store.search.excerpts import QUANTITY, shows
from store.search.question import WH_WORDS, Shape, expand_shorthand, parse_question, quantity
from store.search.ranking import Borrowed
from store.search.terms import STOP_WORDS, words

if TYPE_CHECKING:
    from store.search.matcher import Result

# Words that open a question continuing the last one.
CONNECTIVES = re.compile(r"^(?:and|also|plus|so|then|but|what\s+about|how\s+about)\b")
# Words that ask the last question again, of another subject ("what about google?").
ANOTHER_SUBJECT = re.compile(r"^(?:(?:and|but|so)\s+)?(?:what|how)\s+about\b")
# Words that make a question of their own after a connective ("and did they win?"): after one,
# a subject alone ("and google?", "and in france?") asks the last question again of it.
_ASKS_ITSELF = frozenset(
    "is are was were be do does did has have had will would can could should may might must".split()  # noqa: SIM905
)
# Pronouns that point back at someone or something already named.
PRONOUNS = frozenset("he she him his her hers they them their theirs it its".split())  # noqa: SIM905
# Words that point back in a short question ("why that school?", "who said this?") but in a
# longer one are as often a conjunction or a determiner ("who said that the euro ...").
DEMONSTRATIVES = frozenset(["this", "that", "these", "those", "there"])
# "there" beside a form of "be" says that something exists ("how many are there", "is there
# anything on ..."), and points at no place.
EXISTS = frozenset("is are was were isnt arent wasnt werent be been".split())  # noqa: SIM905
SHORT = 7  # words at most, in a question whose demonstrative points back
QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")
# Words asking for more of what was shown.
MORE = frozenset(["else", "other", "others", "another"])
# Words that ask how, not about what: a question of only these has no topic of its own.
_ASKING = "many much long old often far soon exactly happen happened happens again now will"
QUESTION_WORDS = STOP_WORDS | MORE | frozenset(f"{_ASKING} anything something really ok".split())
# A question whose topic words weigh (background rarity, 0..1 each) less than LITTLE_TOPIC
# ("which album", "how early") has too little topic of its own to be asked alone; one naming
# more than OWN_TOPIC words of its own is about them, whatever pronoun it uses ("what did
# britney win her first grammy for"). Both chosen on bench.followups' train side; LITTLE_TOPIC
# as the highest that answers no more out-of-library questions in conversation than before.
# Words of its own that the last question's reports lack and that weigh LITTLE_TOPIC or more
# are a topic of its own: another report answering it, the question is a new one.
LITTLE_TOPIC = 0.5
OWN_TOPIC = 3
# The weight of the words a follow-up borrows from the last question, as a share of their own:
# enough to find the last question's report, too little to pull the answer back to the sentence
# that answered it (chosen on bench.followups' train side).
BORROWED = 0.1
# The shapes that ask for a kind of thing a sentence can be seen to hold.
TYPED = frozenset([Shape.NUMBER, Shape.DATE, Shape.NAME, Shape.WHY])
# A question about what comes next, and a sentence that tells it.
AHEAD_ASKED = re.compile(r"\b(?:next|will|won't|upcoming|soon|going to|due)\b|'ll\b")
AHEAD_TOLD = re.compile(
    r"\b(?:will|won't|next|upcoming|due to|set to|going to|plans? to|expected to|shall|"
    r"later this)\b|'ll\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Previous:
    """What a follow-up may lean on: the last question as the engine read it (with what it
    borrowed, so that a chain of follow-ups keeps the conversation's topic), and the person its
    answer was about."""

    read: str
    speaker: str | None

    @property
    def topic(self) -> list[str]:
        return topic_words(self.read)


@dataclass(frozen=True, slots=True)
class Reading:
    """A question as the engine reads it: its own words, and those it borrows."""

    text: str
    borrowed: Borrowed | None = None

    @property
    def whole(self) -> str:
        return f"{self.text} {self.borrowed.text}" if self.borrowed else self.text


def may_follow_up(question: str) -> bool:
    """Whether `question`, asked in a conversation and answered by the whole library from
    another report, still leans on the last question: by its wording, or by having too little
    topic of its own, unless it names enough of its own without opening with a connective."""
    own = topic_words(question)
    if CONNECTIVES.match(_plain(question)):
        return True
    # (a word that asks makes a question of a message: "thanks" and "lol" are none; and
    # words it quotes, however common, are a topic of its own)
    asking = any(word in WH_WORDS for word in words(_plain(question)))
    quoting = QUOTED.search(question) is not None
    little = asking and not quoting and sum(rarity(word) for word in own) < LITTLE_TOPIC
    return len(own) <= OWN_TOPIC and (is_follow_up(question) or little)


def is_follow_up(question: str) -> bool:
    """Whether `question` leans on the one before. Words it quotes are its topic but never
    point back ("who said “they wanted it more”" is asked alone)."""
    plain = _plain(question)
    own = words(_plain(QUOTED.sub(" ", question)))
    return (
        CONNECTIVES.match(plain) is not None
        or any(word in PRONOUNS or word in MORE for word in own)
        or (len(own) <= SHORT and _points(own))
        or not any(word not in QUESTION_WORDS for word in words(plain))
    )


def _points(own: list[str]) -> bool:
    """Whether a demonstrative among a question's words points back."""
    beside = zip(["", *own[:-1]], own, [*own[1:], ""], strict=True)
    return any(
        word in DEMONSTRATIVES and not (word == "there" and {before, after} & EXISTS)
        for before, word, after in beside
    )


def asks_of_another(question: str) -> bool:
    """Whether `question` asks the last one again of another subject ("and what about
    amazon?", "and in france?"): when the last question's reports lack all its words, it is
    not about them."""
    plain = _plain(question)
    about = ANOTHER_SUBJECT.match(plain)
    opened = about or CONNECTIVES.match(plain)
    if opened is None:
        return False
    subject = words(plain[opened.end() :])
    if all(word in QUESTION_WORDS for word in subject):  # "and now?", "what about it?"
        return False
    return about is not None or not any(
        w in WH_WORDS or w in PRONOUNS or w in MORE or w in _ASKS_ITSELF for w in subject
    )


def wants_more(question: str) -> bool:
    """Whether the question asks for something besides what was shown ("what else ...")."""
    return any(word in MORE for word in words(question))


def topic_words(question: str) -> list[str]:
    """The words of a question that say what it is about."""
    return [word for word in words(_plain(question)) if word not in QUESTION_WORDS]


def readings(question: str, previous: Previous) -> list[Reading]:
    """The ways to read a follow-up against the last question's reports, the closest to its
    own words first:
    - as asked, with "he" in "what did he say" naming the person last spoken of, borrowing the
      last question's topic at a low weight (its shape is still read from its own words);
    - as asked, without borrowing, when it has a topic of its own;
    - with the last question's topic added at full weight, for when the report does not use the
      follow-up's own words (a report saying "a home tie on 8 February" for "when do they play
      next");
    - when it points back with a pronoun, its shape with the last question's topic instead of
      its own words: the pronoun says that it is about the same thing."""
    asked = " ".join(w for w in question.split() if w.lower() not in MORE)
    read = _named(asked, previous)
    own = topic_words(read)
    lent = " ".join(w for w in previous.topic if w not in set(words(read)))
    found = [Reading(read, Borrowed(lent, BORROWED) if lent else None)]
    found += [Reading(read)] if own else []
    found.append(Reading(_with_topic(read, previous)))
    # Unless the pronoun named the person last spoken of: their name is then the topic.
    if read == asked and any(word in PRONOUNS for word in words(_plain(question))):
        shape = " ".join(w for w in _plain(read).split() if not set(words(w)) & set(own))
        found.append(Reading(_with_topic(shape, previous)))
    return list(dict.fromkeys(found))


def _plain(question: str) -> str:
    return expand_shorthand(question.replace("\u2019", "'"))


def _named(question: str, previous: Previous) -> str:
    """ "what did he say" with the pronoun replaced by the person last spoken of."""
    parsed = parse_question(question)
    if (
        parsed.shape is Shape.SAY
        and previous.speaker
        and all(word in PRONOUNS for word in words(parsed.speaker))
    ):
        return re.sub(rf"\b{re.escape(parsed.speaker)}\b", previous.speaker, parsed.text, count=1)
    return question


def _with_topic(question: str, previous: Previous) -> str:
    own = set(words(question))
    return " ".join([question, *(w for w in previous.topic if w not in own)])


def supplies(question: str, read: str) -> Callable[[Result], bool]:
    """Whether a result gives what a follow-up asks for: the number, date, name or reason its
    shape wants, and for "what comes next" something that will be. A follow-up asking for a
    kind of thing that none of the context's excerpts holds ("and when do they play next?"
    after a question about a war) is not answered there on the strength of its wording alone.
    A question asking for no kind of thing ("what else did he say") is supplied by any."""
    if parse_question(read).shape not in TYPED:
        return lambda result: True
    first = answer_first(question, read)
    return lambda result: not any(first(result))


def answer_first(question: str, read: str) -> Callable[[Result], tuple[bool, bool]]:
    """A sort key for a follow-up's results in its context, the first first: those that show
    what `read` asks for (a number for "how many", a date for "when", a name for "who", a
    reason for "why"), and of them, when the question asks what comes next ("when do they play
    next?"), those that tell what will be. Within the last question's reports the model ranks
    by the conversation's topic, which every sentence there shares; what the follow-up asks
    tells them apart. A question naming a kind of number asks for one of that kind ("how old":
    an age, not any number; "how much did it cost": a sum of money)."""
    parsed = parse_question(read)
    kind = quantity(parsed)
    ahead = AHEAD_ASKED.search(_plain(question)) is not None
    return lambda result: (
        not shows(parsed.shape, result.text, read)
        or (kind is not None and QUANTITY[kind].search(result.text) is None),
        ahead and AHEAD_TOLD.search(result.text) is None,
    )
