"""Reports in, Articles out: decode, pick the format, find the story, its sentences and quotes.

`parse_report` takes a file's bytes; `parse_text` takes text already decoded; `parse_message`
takes a report written or forwarded in a chat (the bot's /add), whose first line is its title.
All are pure: no I/O, and `RejectedReport` carries a one-line reason a user can read.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import PurePosixPath

from store.reports.article import Article, Sentence
from store.reports.decoding import RejectedReport, decode_report
from store.reports.layout import split_layout
from store.reports.markup import html_to_text, markdown_to_text
from store.reports.quotes import find_quotes
from store.reports.sentences import sentence_spans

__all__ = [
    "MAX_REPORT_BYTES",
    "REPORT_SUFFIXES",
    "RejectedReport",
    "over_the_limit",
    "parse_message",
    "parse_report",
    "parse_text",
]

MAX_REPORT_BYTES = 2 * 1024 * 1024


# A character reference ("&#233;", "&amp;"), as text copied from a web page's source keeps
# them; only with its ";", since without one "R&D" or "&pound" may be meant as written.
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _references_decoded(text: str) -> str:
    """ "communiqu&#233;" -> "communiqué": what a reader of the page saw."""
    return _REFERENCE.sub(lambda reference: html.unescape(reference.group()), text)


def _plain(text: str) -> tuple[str, str | None]:
    return _references_decoded(text), None


def _markdown(text: str) -> tuple[str, str | None]:
    return markdown_to_text(text), None


# A report file's suffix -> its text in the plain layout, and the publication date if it says.
_FORMATS: dict[str, Callable[[str], tuple[str, str | None]]] = {
    ".txt": _plain,
    ".md": _markdown,
    ".html": html_to_text,
    ".htm": html_to_text,
}
REPORT_SUFFIXES = tuple(_FORMATS)


def over_the_limit(what: str) -> str:
    """Why a report `what` ("file", "text") over `MAX_REPORT_BYTES` is refused."""
    return f"the {what} is larger than the {MAX_REPORT_BYTES // (1024 * 1024)} MiB limit"


def parse_report(
    data: bytes, *, source: str, category: str = "", title: str | None = None
) -> Article:
    """Parse a report file's bytes; the format follows `source`'s extension."""
    if len(data) > MAX_REPORT_BYTES:
        raise RejectedReport(over_the_limit("file"))
    if not data.strip():
        raise RejectedReport("the file is empty")
    return parse_text(decode_report(data), source=source, category=category, title=title)


def parse_message(text: str, *, source: str) -> Article:
    """A report sent as a chat message: its first line is the title, whether or not a blank line
    follows. In a file a first line may be the start of a wrapped paragraph; in a message, where
    lines are typed, it is not. A message of one line is its own title."""
    first, _, rest = text.strip().partition("\n")
    if not rest.strip():
        return parse_text(text, source=source)
    return parse_text(rest, source=source, title=" ".join(first.split()))


def parse_text(text: str, *, source: str, category: str = "", title: str | None = None) -> Article:
    """Parse a report's text, converted first by the format `source`'s suffix names (plain
    text for any other)."""
    if len(text) > MAX_REPORT_BYTES:
        raise RejectedReport(over_the_limit("text"))
    # (as in a file, where it shows binary data; PostgreSQL's jsonb takes none)
    if "\x00" in text or "\x00" in (title or ""):
        raise RejectedReport("the text has a NUL character in it, which no written report has")
    if not text.strip():
        raise RejectedReport("the report is empty")
    convert = _FORMATS.get(PurePosixPath(source).suffix.lower(), _plain)
    text, published = convert(text)
    if title is not None:  # typed, as a message's first line or a file's caption is
        title = _references_decoded(title)
    layout = split_layout(text, title=title)
    if not layout.paragraphs:
        raise RejectedReport("no article text was left after removing the page furniture")
    # zero-width and other invisible characters are text to Python, not to a reader
    paragraphs = [_unseen_dropped(p) for p in layout.paragraphs if _visible(p)]
    if not paragraphs:
        raise RejectedReport("the report has no visible text")
    if not _visible(layout.title):
        raise RejectedReport("the report's title has no visible text")
    title = _unseen_dropped(layout.title)
    spans = [sentence_spans(paragraph) for paragraph in paragraphs]
    sentences = [
        Sentence(paragraph[start:end], index, start, end)
        for index, (paragraph, paragraph_spans) in enumerate(zip(paragraphs, spans, strict=True))
        for start, end in paragraph_spans
    ]
    return Article(
        source=source,
        title=title,
        paragraphs=paragraphs,
        sentences=sentences,
        quotes=find_quotes(paragraphs, spans),
        category=category,
        published=published,
        caption=layout.caption,
        byline=layout.byline,
        promo=layout.promo,
    )


def _visible(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


# Characters a reader never sees (zero-width space, word joiner, byte order mark, soft hyphen)
# that would otherwise be a speaker ('said \u200b.') or split a name ('John\u200bSmith').
_UNSEEN = re.compile("[\u200b\u2060\ufeff\u00ad]")


def _unseen_dropped(text: str) -> str:
    if not _UNSEEN.search(text):
        return text
    return " ".join(_UNSEEN.sub("", text).split())
