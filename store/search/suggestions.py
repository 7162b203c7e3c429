"""Example questions about a library: of different kinds, and each one asked of the engine
before it is offered, so that every example is answered from the report it was drawn from."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from store.reports.article import Article
from store.reports.cast import Cast
from store.reports.speakers import is_name_token, split_name
from store.search.matcher import Matcher
from store.search.terms import STOP_WORDS

QUOTED_WORDS = 6  # of a quotation, in a "who said" example
TRIES = 3  # questions of one kind tried on an article before the next kind
TITLE_CHARS = 100  # a title longer than a headline (a pasted report's first paragraph) is no
# question anyone would type, and three of them could pass Telegram's 4,096 characters


def example_questions(articles: Iterable[Article], matcher: Matcher, *, most: int = 3) -> list[str]:
    """Up to `most` questions, one per article (in order) that the engine answers from it,
    taking turns at the kinds people ask: what someone said, who said something, what a
    report is about."""
    questions: list[str] = []
    for article in articles:
        at = len(questions) % len(_KINDS)
        kinds = _KINDS[at:] + _KINDS[:at]
        question = next(
            (
                q
                for kind in kinds
                for q in islice(kind(article), TRIES)
                if _answers(matcher, q, article)
            ),
            None,
        )
        if question is not None:
            questions.append(question)
            if len(questions) == most:
                break
    return questions


def _answers(matcher: Matcher, question: str, article: Article) -> bool:
    found = matcher.search(question, k=1)
    return bool(found) and found[0].source == article.source


def _what_did_they_say(article: Article) -> Iterator[str]:
    names = (person_named(quote.speaker or "") for quote in article.quotes)
    for name in dict.fromkeys(name for name in names if name):
        yield f"What did {name} say?"


def _who_said(article: Article) -> Iterator[str]:
    for quote in article.quotes:
        words = quote.text.split()
        if quote.speaker and len(words) >= QUOTED_WORDS:
            yield f"Who said “{' '.join(words[:QUOTED_WORDS]).rstrip(',.;:')}…”?"


def _about(article: Article) -> Iterator[str]:
    if len(article.title) <= TITLE_CHARS:
        yield f"What happened: {article.title.rstrip('.?!')}?"


_KINDS: tuple[Callable[[Article], Iterator[str]], ...] = (_what_did_they_say, _who_said, _about)


def person_named(speaker: str) -> str | None:
    """The full name of a person that a quote's speaker gives ("Gordon Brown" of "Chancellor
    Gordon Brown"), None for a group or a phrase ("the council", "In a joint statement the
    firms"), and a name the parser took with a word of the sentence ("While Alitalia",
    "Chennai-based Tata"): every word must be one that names."""
    name, _ = split_name(speaker, Cast())
    if not name or " " not in name:
        return None
    return name if all(_names(word) for word in name.split()) else None


def _names(word: str) -> bool:
    """Whether a word of a name can name: not a common word capitalised at a sentence's start,
    and capitalised after each hyphen ("Garcia-Lopez", "al-Moualem", not "Chennai-based")."""
    _, *rest = word.split("-")
    return (
        word.lower() not in STOP_WORDS
        and is_name_token(word)
        and all(part[:1].isupper() for part in rest)
    )
