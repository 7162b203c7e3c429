"""Questions typed with the slips people make get the answer their right spelling gets, over
the sample library; and a real word the library lacks is not "repaired" into one it has."""

from __future__ import annotations

import pytest

from store.reports.parser import parse_report
from store.reports.samples import sample_paths
from store.search.matcher import Matcher


@pytest.fixture(scope="module")
def samples() -> Matcher:
    return Matcher(parse_report(path.read_bytes(), source=path.name) for path in sample_paths())


@pytest.mark.parametrize(
    ("typed", "meant", "report", "answer"),
    [
        # a dropped letter
        (
            "who scored both goals for ashford rovrs",
            "who scored both goals for ashford rovers",
            "rovers-cup-upset.txt",
            "Jamal Ennis",
        ),
        # two neighbouring letters swapped, twice
        (
            "what did margaret oduay say about the barreir",
            "what did margaret oduya say about the barrier",
            "harbour-flood-barrier.txt",
            "kitchens",
        ),
        # "i before e"
        (
            "who is the cheif engineer",
            "who is the chief engineer",
            "harbour-flood-barrier.txt",
            "Tom Reddaway",
        ),
        # a doubled letter and a dropped one
        (
            "when will the sodiumm batery go on sale",
            "when will the sodium battery go on sale",
            "solar-battery-startup.txt",
            "October",
        ),
        # spelt as it sounds
        (
            "how many signitures did the petiton have",
            "how many signatures did the petition have",
            "library-opening-hours.txt",
            "1,300",
        ),
        (
            "what did the kounsil say about the cost",
            "what did the council say about the cost",
            "harbour-flood-barrier.txt",
            "£12m",
        ),
        # the word a question opens with, which says what it asks for
        (
            "hwo many signatures did the petition have",
            "how many signatures did the petition have",
            "library-opening-hours.txt",
            "1,300",
        ),
        (
            "waht did margaret oduya say about the barrier",
            "what did margaret oduya say about the barrier",
            "harbour-flood-barrier.txt",
            "kitchens",
        ),
        (
            "wen will the sodium battery go on sale",
            "when will the sodium battery go on sale",
            "solar-battery-startup.txt",
            "October",
        ),
        # a real English word that the library lacks, one slip from the word meant
        (
            "how big was the crowed",
            "how big was the crowd",
            "rovers-cup-upset.txt",
            "4,212",
        ),
    ],
)
def test_a_misspelt_question_is_answered_as_if_spelt_right(
    samples: Matcher, typed: str, meant: str, report: str, answer: str
) -> None:
    typed_results = samples.search(typed, k=1)
    assert typed_results, f"{typed!r} was not answered"
    assert typed_results[0].source == report
    assert answer in typed_results[0].text
    assert typed_results[0].text == samples.search(meant, k=1)[0].text


@pytest.mark.parametrize(
    "question",
    [
        "who stood on the podium",  # not "sodium"
        "what is a carrier",  # not "barrier"
        "when was the lighthouse built",  # not "households"
    ],
)
def test_a_real_word_the_library_lacks_is_not_found_rather_than_repaired(
    samples: Matcher, question: str
) -> None:
    assert samples.search(question) == []
