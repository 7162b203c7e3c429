"""What a user meets from the learned engine: the flagship question answered from the seed
report alone, questions the library can't answer refused, excerpts that read whole and short,
and the lines kept aside (the byline, the closing promo) answerable and labelled.

The out-of-library questions here are in no training, dev or held-out file, so the model has
never seen them."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.reports.parser import parse_report, parse_text
from store.reports.samples import sample_paths
from store.search.matcher import Matcher

NOT_IN_ANY_LIBRARY = [
    "what is the boiling point of mercury",
    "how do i reset my router password",
    "what is the capital of peru",
    "best recipe for banana bread",
    "how tall is the eiffel tower",
    "who invented the telephone",
    "how many moons does jupiter have",
]


@pytest.fixture(scope="module")
def seed_alone(seed_path: Path) -> Matcher:
    return Matcher([parse_report(seed_path.read_bytes(), source="idlib-offensive.txt")])


@pytest.fixture(scope="module")
def samples() -> Matcher:
    return Matcher(parse_report(path.read_bytes(), source=path.name) for path in sample_paths())


def test_the_seed_alone_says_how_many_people_live_in_idlib(seed_alone: Matcher) -> None:
    results = seed_alone.search("how many people live in idlib")
    assert results, "the one report that answers was refused"
    assert "2.9 million" in results[0].text


def test_a_sentence_from_inside_a_quotation_names_who_says_it(seed_alone: Matcher) -> None:
    # The 2.9 million sentence is de Mistura's words (the paragraph before introduces him), but
    # does not name him: the reader must be told who says it.
    first = seed_alone.search("how many people live in idlib")[0]
    assert first.kind == "quote"
    assert first.speaker is not None and "Mistura" in first.speaker
    assert not first.text.startswith(("\u201c", '"'))  # the reply adds its own marks


@pytest.mark.parametrize("question", NOT_IN_ANY_LIBRARY)
def test_questions_the_library_cant_answer_get_nothing(
    seed_alone: Matcher, samples: Matcher, question: str
) -> None:
    assert seed_alone.search(question) == []
    assert samples.search(question) == []


def test_a_rare_real_word_the_library_lacks_is_not_repaired_into_another(
    samples: Matcher,
) -> None:
    # "eiffel" is one edit from nothing useful and two from "differ"-like words; it is an
    # English word, so it stays as typed and the question is refused rather than bent.
    results = samples.search("eiffel tower opening hours")
    assert all("differ" not in {h.lower() for h in r.highlights} for r in results)
    assert results == []


@pytest.mark.parametrize(
    ("question", "start", "holds"),
    [
        ("who is reporting from moscow", "Byline: ", "Lucy Taylor"),
        # The seed ends with a promo for an interview: Kamal Alam is named nowhere else.
        (
            "who is kamal alam",
            "Also on the page: Kamal Alam talks about",
            "visiting fellow with the Royal United Services Institute",
        ),
        # The seed's caption ("FILE, In this Sept. 19, 2013, file photo, ...", with a dash for
        # the comma) runs past the excerpt's length: cut after "Sept." it said nothing, and
        # split there it lost its date.
        (
            "what happened in kafr nabuda",
            "Caption: FILE \u2013 In this Sept. 19, 2013, file photo",
            "Kafr Nabuda",
        ),
    ],
    ids=["byline", "promo", "caption"],
)
def test_a_line_kept_aside_answers_and_says_what_it_is(
    seed_alone: Matcher, question: str, start: str, holds: str
) -> None:
    results = seed_alone.search(question)
    assert results
    assert results[0].text.startswith(start)
    assert holds in results[0].text


@pytest.mark.parametrize(
    "question",
    [
        "how many people live in idlib",
        "what did the syrian foreign minister say about idlib",
        "who warned of a perfect storm for idlib",
        "what does russia accuse the west of",
        "how much will the brightcell battery cost",
        "who scored for ashford rovers",
    ],
)
def test_excerpts_are_short_and_never_a_bare_fragment(
    seed_alone: Matcher, samples: Matcher, question: str
) -> None:
    for matcher in (seed_alone, samples):
        for result in matcher.search(question):
            # About 300 characters: a sentence, and a neighbour only when both fit.
            assert len(result.text) <= 330, result.text
            if result.kind == "quote":
                assert len(result.text.split()) >= 6, result.text


def test_a_short_quoted_phrase_is_shown_in_its_sentence_with_its_speaker(
    seed_alone: Matcher,
) -> None:
    # The foreign minister's "go all the way" is four words: it shows in the sentence that
    # holds it, and the result still names who said it.
    for result in seed_alone.search("what did the syrian foreign minister say", k=10):
        if "go all the way" in result.text and len(result.text.split()) < 12:
            pytest.fail(f"a bare fragment was shown: {result.text!r}")


def test_russia_accusing_the_west_is_answered_with_the_accusation(seed_alone: Matcher) -> None:
    results = seed_alone.search("what does russia accuse the west of")
    assert results
    assert "chemical attack" in results[0].text


FERRY = """Harbour council backs new ferry terminal

The harbour council has backed plans for a new ferry terminal at Eastport, after a meeting \
attended by 120 residents on Tuesday.

Councillors argued for two hours over the terminal's cost and over where the 300 cars queuing \
each day would wait. Building the terminal will cost £45m, paid for by the port company.

Work is due to start in the spring of 2026. The terminal will be able to take three ferries at \
once, the council said.
"""


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("how much will the ferry terminal cost", "£45m"),
        ("how many ferries can the new terminal take", "three ferries"),
        ("when does work on the eastport terminal start", "2026"),
        ("how many residents attended the harbour council meeting", "120 residents"),
    ],
)
def test_the_first_excerpt_holds_the_number_the_question_asks_for(
    question: str, answer: str
) -> None:
    # Each sentence holds numbers; only one holds the asked-for one beside the question's words.
    matcher = Matcher([parse_report(FERRY.encode(), source="ferry.txt")])
    results = matcher.search(question)
    assert results, "a question on the one report was refused"
    assert answer in results[0].text


def test_a_score_asked_for_is_a_score_not_any_number() -> None:
    match = parse_text(
        "Rovers edge Kestrel in thriller\n\nHarbourside Rovers beat Kestrel Park 31-27 at Quay "
        "Park on Saturday.\n\nA crowd of 11,482 watched, the largest at the ground this "
        "season.\n\nWing Tomasz Wielgosz scored the winning try in the 78th minute, his 12th "
        "try of the season.",
        source="sport/rovers.txt",
    )
    results = Matcher([match]).search("rovers kestrel score")
    assert results and "31-27" in results[0].text


GUIDE = """Keeping a sourdough starter

A starter is flour and water that wild yeasts and bacteria have made their home.

Is it ready?

It is ready when it reliably doubles in size within four to six hours of a feed. Until then, \
keep feeding it twice a day at room temperature.

Keeping it going

If you bake once a week or less, store it in the fridge and feed it once a week.
"""


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("is my starter ready", "doubles in size"),
        ("keeping a starter going", "store it in the fridge"),
    ],
)
def test_a_heading_is_shown_with_the_text_it_heads(question: str, answer: str) -> None:
    # A heading matches the question's words, but only the paragraph under it answers.
    matcher = Matcher([parse_report(GUIDE.encode(), source="guide.txt")])
    results = matcher.search(question)
    assert results, "a question on the one report was refused"
    assert answer in results[0].text


HELP = """Coinpath help

Can I unlock the app with my fingerprint? Yes. Open Settings, choose Security and switch on \
the sensor, then touch it twice. You will still need your PIN after a restart.

Which banks work with Coinpath? More than 2,400 banks and card providers in the UK.
"""


def test_a_question_the_text_asks_is_shown_with_its_answer() -> None:
    # The help page's own question matches the user's words; the sentences after it answer.
    matcher = Matcher([parse_report(HELP.encode(), source="help.txt")])
    results = matcher.search("can i unlock the app with my fingerprint")
    assert results, "a question on the one report was refused"
    assert "Open Settings, choose Security" in results[0].text


INTERVIEW = """In conversation: the keeper of Gull Point light

Mara Quill has kept the Gull Point lighthouse for 22 years. Tom Hale met her in May.

TOM HALE: Visitors often say the job must be a lonely one. Is it?

MARA QUILL: Not at all. The supply boat comes twice a week, and I talk to other keepers on \
the radio every night.
"""


def test_an_interviewers_question_is_shown_with_the_answer_to_it() -> None:
    # The user's words are the interviewer's; the turn after the question answers it.
    matcher = Matcher([parse_report(INTERVIEW.encode(), source="keeper.txt")])
    results = matcher.search("is the keeper's job lonely")
    assert results, "a question on the one report was refused"
    assert "Not at all" in results[0].text


FACTORIES = """Norland Foods to open two factories

Norland Foods shares rose 4% on Tuesday after the firm said it would open two new factories \
near Leeds in 2027.

The company said it would hire 650 workers at the new plants, most of them from the local area.

Chief executive Anna Price said the Leeds sites would make ready meals for supermarkets.
"""


def test_a_question_in_other_words_than_the_report_finds_its_sentence() -> None:
    # "boss" is in no sentence; the one naming the chief executive answers, not the first,
    # which holds more of the question's words.
    matcher = Matcher([parse_report(FACTORIES.encode(), source="factories.txt")])
    results = matcher.search("who is the boss of norland foods")
    assert results, "a question on the one report was refused"
    assert "Anna Price" in results[0].text
