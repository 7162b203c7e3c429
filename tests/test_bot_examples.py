"""The example questions /start suggests: of different kinds, and each answered from the
report it was drawn from (a welcome whose examples fail would be the worst first impression)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.handlers.start import example_questions
from store.reports.article import Article
from store.reports.parser import parse_report
from store.reports.samples import sample_paths
from store.search.matcher import Matcher

BBC = ["politics/189.txt", "sport/111.txt", "tech/356.txt", "business/221.txt", "sport/299.txt"]


def samples() -> list[Article]:
    return [parse_report(path.read_bytes(), source=path.name) for path in sample_paths()]


def test_examples_take_turns_at_the_kinds_of_question() -> None:
    questions = example_questions(samples()[:3])
    assert [q.split()[:2] for q in questions] == [
        ["What", "did"],
        ["Who", "said"],
        ["What", "happened:"],
    ]


def test_an_article_without_quotes_is_asked_about_by_its_title() -> None:
    article = parse_report(b"Ferry sails again\n\nThe ferry sailed on Monday.", source="f.txt")
    assert example_questions([article]) == ["What happened: Ferry sails again?"]


@pytest.mark.parametrize("rotation", range(3))
def test_every_example_is_answered_from_its_own_report(bbc_dir: Path, rotation: int) -> None:
    library = samples() + [parse_report((bbc_dir / n).read_bytes(), source=n) for n in BBC]
    matcher = Matcher(library)
    ordered = library[rotation:] + library[:rotation]  # each article meets each kind in turn
    for article, question in zip(ordered, example_questions(ordered), strict=True):
        results = matcher.search(question)
        assert results, question
        assert results[0].source == article.source, question
