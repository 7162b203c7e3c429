"""The example questions /start suggests: of different kinds, asked about people by their
names, and each answered from the report it was drawn from (a welcome whose examples fail
would be the worst first impression)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ask

from store.library.store import ReportStore
from store.reports.article import Article
from store.reports.parser import parse_report
from store.reports.samples import sample_paths
from store.search.matcher import Matcher
from store.search.suggestions import example_questions, person_named

BBC = ["politics/189.txt", "sport/111.txt", "tech/356.txt", "business/221.txt", "sport/299.txt"]


def samples() -> list[Article]:
    return [parse_report(path.read_bytes(), source=path.name) for path in sample_paths()]


def test_examples_take_turns_at_the_kinds_of_question() -> None:
    library = samples()
    questions = example_questions(library[:3], Matcher(library))
    assert [q.split()[:2] for q in questions] == [
        ["What", "did"],
        ["Who", "said"],
        ["What", "happened:"],
    ]


def test_an_article_without_quotes_is_asked_about_by_its_title() -> None:
    article = parse_report(b"Ferry sails again\n\nThe ferry sailed on Monday.", source="f.txt")
    assert example_questions([article], Matcher([article, *samples()])) == [
        "What happened: Ferry sails again?"
    ]


def test_a_title_longer_than_a_headline_is_not_offered_as_a_question() -> None:
    title = "The ferry that links the island to the mainland " * 30  # a pasted paragraph
    article = parse_report(f"{title}\n\nThe ferry sailed on Monday.".encode(), source="f.txt")
    assert example_questions([article], Matcher([article, *samples()])) == []


def test_a_speaker_is_asked_about_by_a_name_never_a_phrase() -> None:
    assert person_named("In a joint statement the firms") is None
    assert person_named("While Alitalia") is None
    assert person_named("Chennai-based Tata") is None
    assert person_named("the council") is None
    assert person_named("Chancellor Gordon Brown") == "Gordon Brown"
    assert person_named("Walid al-Moualem") == "Walid al-Moualem"
    assert person_named("Staffan di Mistura") == "Staffan di Mistura"


def test_no_article_is_left_without_an_example_on_the_samples() -> None:
    library = samples()
    assert len(example_questions(library, Matcher(library), most=len(library))) == len(library)


@pytest.mark.parametrize("rotation", range(3))
def test_every_example_is_answered_from_its_own_report(bbc_dir: Path, rotation: int) -> None:
    library = samples() + [parse_report((bbc_dir / n).read_bytes(), source=n) for n in BBC]
    matcher = Matcher(library)
    ordered = library[rotation:] + library[:rotation]  # each article meets each kind in turn
    by_question = {}
    for article in ordered:
        for question in example_questions([article], matcher):
            by_question[question] = article.source
    assert len(by_question) == len(library)
    for question, source in by_question.items():
        results = matcher.search(question)
        assert results and results[0].source == source, question


def test_every_start_suggestion_is_answered_from_its_own_report(standin, bot, library_db):
    """Through the bot: each suggestion asked as a user would, its reply checked against the
    report the question names (the speaker, the quotation, or the title)."""
    by_title = {a.title: a for a in ReportStore(library_db)}
    for _ in range(4):
        hello = ask(standin, "/start").text
        suggestions = [line[2:] for line in hello.splitlines() if line.startswith("• ")]
        assert len(suggestions) == 3, hello
        for question in suggestions:
            first = ask(standin, question).text.split("\n\n")[0]
            if said := re.fullmatch(r"What did (.+) say\?", question):
                assert f"— {said[1]}" in first, (question, first)
            elif quoted := re.fullmatch(r"Who said “(.+)…”\?", question):
                assert quoted[1] in first, (question, first)
            else:
                title = re.fullmatch(r"What happened: (.+)\?", question)[1]
                assert any(t.startswith(title) and t in first for t in by_title), (question, first)
