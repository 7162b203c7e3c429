"""Find the article in a plain-text report: title, paragraphs, and the noise around them.

Web-copied reports carry furniture around the story: a section label under the title, a photo
caption, a byline, "Follow … on Twitter" lines and a promo for another piece at the end. The
caption, the byline and the promo say something about the report or beside it ("Kamal Alam
talks about …" names who he is), so they are kept aside; the rest (social lines, a press
release's "ENDS", rules) goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BLANK_LINES = re.compile(r"\n[ \t\f\v\u00a0]*\n\s*")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_LIST_ITEM = re.compile(r"(?:[*\u2022\u25e6\u25aa\u2023-]|\d{1,2}[.)])\s")

_CAPTION = re.compile(
    r"^(?:FILE\s*[-\u2013\u2014:]|PHOTO\s*[-\u2013\u2014:])|\((?:[^()]*\b(?:Photo|Pictures?|Images?|Reuters|AFP|AP)"
    r"\b[^()]*)\)\s*$"
)
_BYLINE = re.compile(
    r"^(?:By\s+[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3}\s*$"
    r"|(?:[A-Z][\w'\u2019.-]*\s+){1,5}reports?\s+(?:from|on)\s+[^.]{1,60}\.?$"
    r"|(?:Reporting|Written)\s+by\s)"
)
_SOCIAL = re.compile(r"^Follow\s+.{1,80}\s+on\s+(?:Twitter|X|Facebook|Instagram)\b.*@\w+", re.I)
# A press release's end mark ("ENDS", "-30-", "###") or a rule ("* * *", "----"): no text.
_MARK = re.compile(r"^(?:[-#*=_~\s]+|[-#*\s]*ends?[-#*\s]*|-30-)$", re.I)
_TAIL_LINES = 3
_MIN_PROMO_WORDS = 5
_MIN_BLURB_WORDS = 12


@dataclass(frozen=True, slots=True)
class Layout:
    title: str
    paragraphs: list[str]
    caption: str | None = None
    byline: str | None = None
    promo: str | None = None


def split_blocks(text: str) -> list[str]:
    """Blank-line separated blocks, each on one line with its spaces collapsed; each item of a
    list ("* ...", "- ...", "1. ...") is a block of its own, as a paragraph would be."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = (
        " ".join(item)
        for block in _BLANK_LINES.split(text)
        for item in _items([_SPACES.sub(" ", line).strip() for line in block.split("\n")])
    )
    return [block.strip() for block in blocks if block.strip()]


def _items(lines: list[str]) -> list[list[str]]:
    """A block's lines, split before each line that opens a list item."""
    items: list[list[str]] = [[]]
    for line in lines:
        if _LIST_ITEM.match(line) and any(items[-1]):
            items.append([])
        items[-1].append(line)
    return items


def _is_headline(block: str) -> bool:
    return len(block.split()) <= 15 and block[-1] not in '.!?"\u201d\u2019:;,)'


def _is_section_label(block: str) -> bool:
    words = block.split()
    return len(words) <= 3 and all(word[:1].isupper() for word in words) and _is_headline(block)


def _promo_start(blocks: list[str]) -> int:
    """Where a promo for another piece starts at the end (len(blocks) for none): a sentence-like
    headline among the last few blocks, followed by a blurb that names what the headline names
    ("Kamal Alam talks about …"). An item of a list is no headline: the report goes on after
    its list."""
    for index in range(max(2, len(blocks) - _TAIL_LINES), len(blocks) - 1):
        headline = blocks[index]
        words = headline.split()
        if (
            len(words) < _MIN_PROMO_WORDS
            or not _is_headline(headline)
            or _LIST_ITEM.match(headline)
        ):
            continue
        names = {w for w in words[1:] if w[:1].isupper()}
        blurb = " ".join(blocks[index + 1 :])
        long_blurb = len(blurb.split()) >= _MIN_BLURB_WORDS and blurb[-1] in ".!?"
        if long_blurb and any(w.islower() for w in words) and names & set(blurb.split()):
            return index
    return len(blocks)


def split_layout(text: str, *, title: str | None = None) -> Layout:
    """Title, body and the caption/byline kept aside; a given `title` leaves all text as body."""
    blocks = split_blocks(text)
    if title is None and len(blocks) > 1 and _is_headline(blocks[0]):
        title, blocks = blocks[0], blocks[1:]
    if blocks and _is_section_label(blocks[0]) and len(blocks) > 1:
        blocks = blocks[1:]
    caption: str | None = None
    byline: str | None = None
    body: list[str] = []
    for block in blocks:
        if caption is None and _CAPTION.search(block):
            caption = block
        elif byline is None and _BYLINE.match(block):
            byline = block
        elif not (_SOCIAL.match(block) or _MARK.match(block)):
            body.append(block)
    start = _promo_start(body)
    body, promo = body[:start], " \u2014 ".join(body[start:]) or None
    if title is None:
        title = body[0] if body else ""
    return Layout(title=title, paragraphs=body, caption=caption, byline=byline, promo=promo)
