"""The bundled sample library answers the questions a newcomer would type in `reportbot chat`,
every result standing on its own, and still says nothing about what it does not hold."""

from __future__ import annotations

import pytest

from store.reports.parser import parse_report
from store.reports.samples import sample_paths
from store.search.matcher import Matcher


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(parse_report(path.read_bytes(), source=path.name) for path in sample_paths())


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("who won the cup", "Ashford Rovers"),
        ("who scored for ashford rovers", "Jamal Ennis"),
        ("how big was the crowd at the rovers game", "4,212"),
        ("how mnay homes wre floded in kelmouth", "310 homes"),
        ("who is the chief engineer of the barrier", "Tom Reddaway"),
        ("when will the libraries open on sundays", "1 April"),
        ("how much will the brightcell battery cost", "£2,950"),
        ("how many units will brightcell build a year", "40,000"),
        ("how many people live in idlib", "2.9 million"),
    ],
)
def test_the_first_result_holds_the_answer(matcher: Matcher, question: str, answer: str) -> None:
    results = matcher.search(question)
    assert results, question
    assert answer in results[0].text


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("what did the fisherman say", "Alan Pryce"),
        ("what did the syrian foreign minister say", "Walid al-Moualem"),
    ],
)
def test_what_did_x_say_quotes_x(matcher: Matcher, question: str, speaker: str) -> None:
    best = matcher.search(question)[0]
    assert (best.kind, best.speaker) == ("quote", speaker)


def test_every_result_comes_from_a_report_about_the_question(matcher: Matcher) -> None:
    assert {r.source for r in matcher.search("how many people live in idlib")} == {
        "idlib-offensive.txt"
    }


@pytest.mark.parametrize(
    "question",
    [
        "capital of france",
        "what is the capital of france",
        "blorft wizzle the snargle",
        "???",
        # Every word is one the tiny vocabulary lacks and repairs to a near one.
        "how many legs does a spider have",
    ],
)
def test_questions_outside_the_samples_get_no_answer(matcher: Matcher, question: str) -> None:
    assert matcher.search(question) == []


def test_a_speakers_full_quotation_comes_before_a_phrase_and_other_speakers(
    matcher: Matcher,
) -> None:
    results = matcher.search("what did the syrian foreign minister say", k=10)
    assert results[0].text.startswith("The decision of Syrian authorities")
    speakers = [r.speaker for r in results if r.kind == "quote"]
    assert speakers[0] == "Walid al-Moualem"


@pytest.mark.parametrize(
    ("question", "wrong"),
    [
        ("how many people live in idlib", "five"),
        ("when will the new site open", "sit"),
    ],
)
def test_a_short_real_word_the_samples_lack_is_not_repaired_into_another(
    matcher: Matcher, question: str, wrong: str
) -> None:
    # The samples may well not answer it ("site" is in none of them); what they must not do
    # is bend the word into another and answer that.
    results = matcher.search(question)
    assert all(wrong not in {h.lower() for h in r.highlights} for r in results)
    assert all(r.source != "rovers-cup-upset.txt" for r in results)
