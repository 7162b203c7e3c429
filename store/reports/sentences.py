"""Split paragraphs into sentences without breaking on "Mr.", "U.S.", "No. 10" or "$30.2m"."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

# At most this many characters (twice the BBC corpus's longest sentence): a longer run, which
# only a list without full stops or junk makes, is cut at a space, as every sentence is read
# for its quotes' speakers and a longer one made parsing slow beyond its length.
MAX_SENTENCE = 2000

# A full stop, "!" or "?" (with any closing quotes or brackets) followed by space and
# something that can open a sentence. Decimals ("30.2") never match: no space follows.
_BOUNDARY = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9£$€])")
_LAST_WORD = re.compile(r"[\w.&'\u2019-]+$")

# Titles that never end a sentence, and abbreviations that don't when a number follows.
_TITLES = {
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "St",
    "Prof",
    "Sen",
    "Gen",
    "Rev",
    "Gov",
    "Lt",
    "Col",
    "Capt",
    "Sgt",
    "Jr",
    "Sr",
    "Mt",
    "Ft",
    "Rep",
    "Hon",
    "Messrs",
    "Mme",
    "vs",
}
_BEFORE_NUMBERS = {
    "No",
    "Nos",
    "Vol",
    "Art",
    "Fig",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
}


def _ends_sentence(text: str, dot: int) -> bool:
    """Whether the lone full stop at `dot` ends a sentence, judged by the words around it."""
    match = _LAST_WORD.search(text, max(0, dot - 40), dot)
    if not match:
        return True
    word = match.group().lstrip("'\u2019")
    if word in _TITLES:
        return False
    if word in _BEFORE_NUMBERS:
        following = text[dot + 1 : dot + 3].lstrip()
        return not following[:1].isdigit()
    # Initials and dotted acronyms ("J.", "U.S.") end in a single capital letter.
    last = word.rsplit(".", 1)[-1]
    return not (len(last) == 1 and last.isupper())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one paragraph, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group() == "." and not _ends_sentence(text, match.start()):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    trimmed = []
    for begin, end in itertools.chain.from_iterable(_cut(text, *span) for span in spans):
        chunk = text[begin:end]
        left = len(chunk) - len(chunk.lstrip())
        right = len(chunk.rstrip())
        if right > left:
            trimmed.append((begin + left, begin + right))
    return trimmed


def _cut(text: str, begin: int, end: int) -> Iterator[tuple[int, int]]:
    """The span, cut at a space into pieces of at most MAX_SENTENCE characters."""
    while end - begin > MAX_SENTENCE:
        space = text.rfind(" ", begin + MAX_SENTENCE // 2, begin + MAX_SENTENCE)
        cut = space if space > 0 else begin + MAX_SENTENCE
        yield begin, cut
        begin = cut
    yield begin, end
