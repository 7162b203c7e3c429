"""Sentence splitting keeps abbreviations, initials, money and numbers whole."""

from __future__ import annotations

import pytest

from store.reports.parser import parse_text
from store.reports.sentences import MAX_SENTENCE, sentence_spans


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Smith met the U.S. envoy in Washington.",
        "Profits rose to $30.2m in the year to March.",
        "Downing Street said No. 10 would not comment.",
        "Inflation was 2.5% last month, down from 3.1%.",
        "J. K. Rowling and George W. Bush met on Sept. 19 in London.",
        "Dr. Watson and Prof. Moriarty disagreed.",
    ],
)
def test_does_not_split(text: str) -> None:
    assert sentences(text) == [text]


def test_splits_at_sentence_ends_and_quotes() -> None:
    text = 'Shares fell. "We are worried," he said. "Very." Is it over? Yes! The end'
    assert sentences(text) == [
        "Shares fell.",
        '"We are worried," he said.',
        '"Very."',
        "Is it over?",
        "Yes!",
        "The end",
    ]


def test_sentences_carry_paragraph_and_offsets() -> None:
    article = parse_text("Title\n\nOne here. Two here.\n\nThree here.", source="t.txt")
    located = [(s.text, s.paragraph, s.start, s.end) for s in article.sentences]
    assert located == [("One here.", 0, 0, 9), ("Two here.", 0, 10, 19), ("Three here.", 1, 0, 11)]


def test_a_run_without_full_stops_is_cut_at_spaces_into_bounded_sentences() -> None:
    # a list pasted without full stops: each of its sentences is read for a speaker, and one
    # of 40,000 characters took minutes to parse
    text = '"Yes" said one and ' * 2000
    spans = sentence_spans(text)
    assert len(spans) > 1
    assert all(end - start <= MAX_SENTENCE for start, end in spans)
    assert " ".join(text[start:end] for start, end in spans) == text.strip()
