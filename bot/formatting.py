"""Turn matcher results and articles into Telegram HTML, and the same replies into plain text.

Pure functions: no Telegram, no I/O. Every piece of report text goes through `html.escape`, and
`split_html` cuts long HTML into messages within Telegram's limit without ever cutting a tag or
an entity, closing the open tags at the cut and reopening them in the next message.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from typing import TYPE_CHECKING

from store.search.terms import words

if TYPE_CHECKING:
    from store.reports.article import Article
    from store.search.matcher import Result

MAX_MESSAGE = 4096
MAX_CALLBACK_DATA = 64
MAX_FURTHER = 2
OVERLAP = 0.6  # a further excerpt sharing more of its words with one shown adds nothing
NOT_FOUND = "I couldn't find that in the library."

_TAG = re.compile(r"<[^>]*>")
# tags, entities, whitespace runs, words (capped so one word never overflows a message), strays
_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|\s+|[^<&\s]{1,200}|[<&]")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9-]+)")
_WORD_MAY_START = re.compile(r"(?<!\w)")  # where a whole word may begin


def highlight(text: str, words: Iterable[str]) -> str:
    """`text` escaped, with each of `words` (whole words, any case) in bold."""
    alternatives = sorted({w for w in words if w.strip()}, key=len, reverse=True)
    if not alternatives:
        return html.escape(text)
    parts: list[str] = []
    position = 0
    for start, end in _whole_words(text, alternatives):
        parts.append(html.escape(text[position:start]))
        parts.append(f"<b>{html.escape(text[start:end])}</b>")
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def _whole_words(text: str, alternatives: list[str]) -> Iterator[tuple[int, int]]:
    """Where `alternatives` (longest first) stand in `text` as whole words, any case, left to
    right. ASCII text is scanned: compiling a case-blind pattern of a reply's words took 0.2 ms,
    more than the rest of formatting the reply."""
    if not (text.isascii() and all(map(str.isascii, alternatives))):
        pattern = re.compile(
            r"(?<!\w)(" + "|".join(re.escape(w) for w in alternatives) + r")(?!\w)",
            re.IGNORECASE,
        )
        yield from (match.span() for match in pattern.finditer(text))
        return
    folded = text.lower()
    by_first: dict[str, list[str]] = {}
    for word in alternatives:
        by_first.setdefault(word[0].lower(), []).append(word.lower())
    end = 0
    for start in (m.start() for m in _WORD_MAY_START.finditer(folded)):
        if start < end or folded[start : start + 1] not in by_first:
            continue
        for word in by_first[folded[start]]:
            after = start + len(word)
            if folded.startswith(word, start) and not _is_word(folded[after : after + 1]):
                yield start, after
                end = after
                break


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def citation(result: Result) -> str:
    """ "— Speaker, role, in Title (source)" for a quote, or for the sentences a quotation
    stands in; "— Title (source)" for any other passage."""
    title = f"<i>{html.escape(result.title)}</i> ({html.escape(result.source)})"
    if result.speaker or result.role:
        who = ", ".join(html.escape(part) for part in (result.speaker, result.role) if part)
        return f"— {who}, in {title}"
    return f"— {title}"


def excerpt(result: Result) -> str:
    body = highlight(result.text, result.highlights)
    if result.kind == "quote":
        body = f"“{body}”"
    return f"{body}\n{citation(result)}"


def adds_something(candidate: Result, shown: Sequence[Result]) -> bool:
    """A further result is worth showing when most of its words are not in one already shown."""
    own = set(words(candidate.text))
    return all(len(own & set(words(other.text))) <= OVERLAP * len(own) for other in shown)


def pick_further(results: Sequence[Result], *, most: int = MAX_FURTHER) -> list[Result]:
    """The best result, then up to `most` others that add something. Which are worth showing
    at all the engine has said: a result's score is its ranker's logit, often below zero, and
    no share of the best one's means anything."""
    if not results:
        return []
    chosen = [results[0]]
    for result in results[1:]:
        if len(chosen) > most:
            break
        if adds_something(result, chosen):
            chosen.append(result)
    return chosen


def answer_html(results: Sequence[Result]) -> str:
    """The best excerpt with its citation, then the further excerpts that add something."""
    chosen = pick_further(results)
    blocks = [excerpt(result) for result in chosen]
    if len(blocks) > 1:
        blocks[1] = "<b>Also:</b>\n" + blocks[1]
    return "\n\n".join(blocks)


def not_found_html(closest: Sequence[tuple[str, str]]) -> str:
    """The honest miss, with the closest titles (source, title) when there are any."""
    if not closest:
        return NOT_FOUND
    lines = [NOT_FOUND, "", "The closest reports:"]
    lines.extend(
        f"• <i>{html.escape(title)}</i> ({html.escape(source)})" for source, title in closest
    )
    return "\n".join(lines)


def article_html(article: Article) -> list[str]:
    """The whole article as messages: bold title, source, then its paragraphs."""
    head = f"<b>{html.escape(article.title)}</b>\n<i>{html.escape(article.source)}</i>"
    return split_html("\n\n".join([head, *(html.escape(p) for p in article.paragraphs)]))


def lead(article: Article, *, limit: int = 200) -> str:
    """The article's first sentence (or paragraph), cut to `limit` characters, unescaped."""
    first = article.sentences[0].text if article.sentences else next(iter(article.paragraphs), "")
    return shorten(" ".join(first.split()), limit=limit)


def counted(number: int, noun: str) -> str:
    """ "1 paragraph", "3 paragraphs": `noun` takes an s unless there is exactly one."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def shorten(text: str, *, limit: int) -> str:
    """`text` cut to `limit` characters, "…" marking the cut (for echoing what a user sent)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def to_plain(html_text: str) -> str:
    """The text a reader sees: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", html_text))


def answer_text(results: Sequence[Result], closest: Sequence[tuple[str, str]] = ()) -> str:
    """The same reply as the bot's, as plain text (for `reportbot ask` and `reportbot chat`)."""
    return to_plain(answer_html(results) if results else not_found_html(closest))


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def split_html(html_text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Cut HTML into messages of at most `limit` (UTF-16) characters, tags kept balanced.

    Cuts prefer a blank line, then a line break, then a space, in the second half of a message.
    """
    tags = _TAG.findall(html_text)  # the tokens that are tags, as `_TOKEN` cuts them
    # Most replies fit in one message even with every tag closed at its worst moment (a closer
    # is at most one longer than its tag): one message, without cutting the text into tokens.
    if telegram_length(html_text) + sum(len(tag) + 1 for tag in tags) <= limit:
        stack: list[str] = []
        for tag in tags:
            _track(stack, tag)
        whole = html_text + _closers(stack)
        return [whole.strip()] if to_plain(whole).strip() else []
    tokens = _TOKEN.findall(html_text)
    chunks: list[str] = []
    reopen: list[str] = []
    start = 0
    while start < len(tokens):
        end, stack = _fill(tokens, start, reopen, limit)
        chunk = "".join(reopen) + "".join(tokens[start:end]) + _closers(stack)
        if to_plain(chunk).strip():
            chunks.append(chunk.strip())
        reopen = stack
        start = end + 1 if end < len(tokens) and tokens[end].isspace() else end
    return chunks


def _fill(tokens: list[str], start: int, reopen: list[str], limit: int) -> tuple[int, list[str]]:
    """Where the message from `start` ends, and the tags open there."""
    rest = _rest_fits(tokens, start, reopen, limit)
    if rest is not None:  # most replies: one message, no break to look for
        return len(tokens), rest
    stack = list(reopen)
    size = telegram_length("".join(reopen))
    # the open tags, and the length of their closers: they change at tags only
    opened, closing = tuple(stack), telegram_length(_closers(stack))
    best: tuple[int, int, tuple[str, ...]] | None = None  # (priority, index, tags open there)
    for index in range(start, len(tokens)):
        token = tokens[index]
        tag = token.startswith("<")
        if index > start and not tag:
            priority = _break_priority(token) if size >= limit // 2 else 0
            if best is None or priority >= best[0]:
                best = (priority, index, opened)
        size += telegram_length(token)
        if tag:
            _track(stack, token)
            opened, closing = tuple(stack), telegram_length(_closers(stack))
        if size + closing > limit and best is not None:
            return best[1], list(best[2])
    return len(tokens), stack


def _rest_fits(tokens: list[str], start: int, reopen: list[str], limit: int) -> list[str] | None:
    """The tags open at the end if every prefix of `tokens[start:]`, closed, fits in `limit`
    after `reopen` (so `_fill` would take them all), else None. The closers change at tags
    only, and between two tags the size only grows: a prefix just before each tag, and the
    whole, are the ones to check."""
    rest = tokens[start:]
    measure = len if "".join(rest).isascii() else telegram_length
    sizes = list(accumulate(map(measure, rest), initial=telegram_length("".join(reopen))))
    if sizes[-1] > limit:  # a long text's first messages: no need to look at its tags
        return None
    stack = list(reopen)
    closing = telegram_length(_closers(stack))
    tags = [index for index, token in enumerate(rest) if token.startswith("<")]
    for tag in [*tags, len(rest)]:
        if sizes[tag] + closing > limit:  # sizes[tag]: the tokens before this one
            return None
        if tag < len(rest):
            _track(stack, rest[tag])
            closing = telegram_length(_closers(stack))
    return stack


def _break_priority(token: str) -> int:
    if "\n\n" in token:
        return 3
    if "\n" in token:
        return 2
    return 1 if token.isspace() else 0


def _track(stack: list[str], tag: str) -> None:
    match = _TAG_NAME.match(tag)
    if match is None or tag.endswith("/>"):
        return
    if tag.startswith("</"):
        name = match.group(1).lower()
        for position in range(len(stack) - 1, -1, -1):
            if _TAG_NAME.match(stack[position]).group(1).lower() == name:  # type: ignore[union-attr]
                del stack[position:]
                break
    else:
        stack.append(tag)


def _closers(stack: list[str]) -> str:
    return "".join(f"</{_TAG_NAME.match(tag).group(1)}>" for tag in reversed(stack))  # type: ignore[union-attr]
