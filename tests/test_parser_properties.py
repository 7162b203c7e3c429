"""Properties over arbitrary text: the parser never crashes, and never invents text.

Quote.text is its parts joined with PART_JOINER; the property checked is that the first part is
a substring of the paragraph the quote opens in, and every part of some paragraph from there on.
"""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.reports.article import Article
from store.reports.parser import RejectedReport, parse_report, parse_text
from store.reports.quotes import PART_JOINER

WORDS = [
    "Mr", "Mr.", "Smith", "said", "told", "he", "she", "the", "OECD", "U.S.", "No.", "10",
    "$30.2m", "according", "to", "Lord", "Browne,", "chief", "economist,", "di", "Mistura",
    "warns", "It", "was", "good.", "Yes!", "Why?", '"', "\u201c", "\u201d", "'", "\u2018",
    "\u2019", ",", ".", ":", "\n", "\n\n", "FILE", "\u2013", "(AP Photo/File)", "Follow",
    "on", "Twitter", "@x", "reports", "from", "Moscow.", "\u2026", " \u2026 ",
]  # fmt: skip

report_text = st.one_of(
    st.text(),
    st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join),
    st.lists(st.sampled_from(WORDS), max_size=80).map("".join),
)


def check_located(article: Article) -> None:
    paragraphs = article.paragraphs
    for sentence in article.sentences:
        assert sentence.text
        assert paragraphs[sentence.paragraph][sentence.start : sentence.end] == sentence.text
    for quote in article.quotes:
        parts = quote.text.split(PART_JOINER)
        assert parts[0] in paragraphs[quote.paragraph]
        for part in parts:
            assert any(part in p for p in paragraphs[quote.paragraph :])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=report_text, source=st.sampled_from(["a.txt", "a.md", "a", "a.rtf"]))
def test_parse_text_never_raises_and_never_invents(text: str, source: str) -> None:
    try:
        article = parse_text(text, source=source)
    except RejectedReport as rejected:
        assert rejected.reason and "\n" not in rejected.reason
        return
    assert article.paragraphs and all(p.strip() for p in article.paragraphs)
    check_located(article)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=400))
def test_parse_report_never_raises_on_bytes(data: bytes) -> None:
    with contextlib.suppress(RejectedReport):
        check_located(parse_report(data, source="a.txt"))


@settings(max_examples=50, deadline=None)
@given(text=report_text)
def test_html_never_raises(text: str) -> None:
    with contextlib.suppress(RejectedReport):
        check_located(parse_text(f"<html><body><p>{text}</p></body></html>", source="a.html"))
