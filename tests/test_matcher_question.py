from __future__ import annotations

import pytest

from store.search.excerpts import answers
from store.search.question import Shape, parse_question
from store.search.terms import Analyzer


@pytest.mark.parametrize(
    ("question", "shape", "speaker"),
    [
        (
            "what did the syrian foreign minister say about idlib",
            Shape.SAY,
            "the syrian foreign minister",
        ),
        ("what has houllier said about benitez", Shape.SAY, "houllier"),
        ("wat did mike read say when he saw the tsunami", Shape.SAY, "mike read"),
        ("who warned of a 'perfect storm' for idlib", Shape.WHO_SAID, ""),
        ("whos the mp that said hed take it to the pm", Shape.WHO_SAID, ""),
        ("how many people live in idlib?", Shape.NUMBER, ""),
        ("when did delta suspend the hostess who wrote the blog", Shape.DATE, ""),
        ("until when was the film postponed", Shape.DATE, ""),
        ("which game won the originality award", Shape.NAME, ""),
        ("wats the name of the new robot", Shape.NAME, ""),
        ("idlib offensive", Shape.KEYWORDS, ""),
        # A reason is asked for, not an amount, though "profits" reads like one.
        ("why did mercedes profits fall", Shape.WHY, ""),
        ("how come the show was cancelled", Shape.WHY, ""),
        # What someone is accused of is the answer, not what the accuser said.
        ("what does russia accuse the west of", Shape.KEYWORDS, ""),
        ("what did the minister blame the delay on", Shape.KEYWORDS, ""),
        ("why did blair say he was sorry", Shape.SAY, "blair"),
    ],
)
def test_question_shapes(question: str, shape: Shape, speaker: str) -> None:
    parsed = parse_question(question)
    assert (parsed.shape, parsed.speaker) == (shape, speaker)


def test_words_that_look_like_contractions_are_kept() -> None:
    terms = Analyzer().terms("we'll see: 'we didn't play well', and the firm will shed 500 jobs")
    assert "well" in terms
    assert "shed" in terms
    assert "we" not in terms
    assert "didnt" not in terms


@pytest.mark.parametrize(
    ("sentence", "dates"),
    [
        ("Ministers may vote again, officials said.", []),
        ("The vote is set for 12 May.", ["12 may"]),
        ("Protesters plan a march on Friday.", ["friday"]),
        ("The shop opened in May 2004.", ["in may", "2004"]),
    ],
)
def test_a_when_question_sees_dates_not_the_verb_may(sentence: str, dates: list[str]) -> None:
    assert answers(Shape.DATE, sentence, "when is it") == dates
