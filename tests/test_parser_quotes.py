"""Quotations and who said them, one attribution pattern per case, plus known BBC reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.reports.article import Article, Quote
from store.reports.parser import parse_report, parse_text
from store.reports.quotes import PART_JOINER


def parse(*paragraphs: str) -> Article:
    return parse_text("Title line\n\n" + "\n\n".join(paragraphs), source="t.txt")


def only_quote(article: Article) -> Quote:
    assert len(article.quotes) == 1, article.quotes
    return article.quotes[0]


@pytest.mark.parametrize(
    ("paragraph", "speaker", "role"),
    [
        ('"Rates will rise this year," Jane Smith said.', "Jane Smith", None),
        ('Jane Smith said: "Rates will rise this year."', "Jane Smith", None),
        ('"Rates will rise this year," said Jane Smith.', "Jane Smith", None),
        ("\u201cRates will rise this year,\u201d Jane Smith said.", "Jane Smith", None),
        (
            'Jane Smith told the Evening Standard: "Rates will rise this year."',
            "Jane Smith",
            None,
        ),
        (
            '"Rates will rise this year," said Philip Shaw, Investec chief economist.',
            "Philip Shaw",
            "Investec chief economist",
        ),
        (
            'Philip Shaw, Investec chief economist, said: "Rates will rise this year."',
            "Philip Shaw",
            "Investec chief economist",
        ),
        (
            '"Rates will rise this year," US Attorney Roslynn Mauskopf said.',
            "Roslynn Mauskopf",
            "US Attorney",
        ),
        ('"Rates will rise this year," the OECD said.', "the OECD", None),
        ('"The ruling stands and cannot change," the judges said.', "the judges", None),
        ('A spokesman said: "We have nothing to add today."', "a spokesman", None),
        (
            'Their lawyer, Majeed Memon, said: "We had argued that the case was weak."',
            "Majeed Memon",
            "lawyer",
        ),
    ],
)
def test_attribution_patterns(paragraph: str, speaker: str, role: str | None) -> None:
    quote = only_quote(parse(paragraph))
    assert (quote.speaker, quote.role) == (speaker, role)


@pytest.mark.parametrize(
    ("paragraph", "role"),
    [
        ('"We wait," said Joan Petrie, who has a petition with 1,300 signatures.', None),
        ('"We wait," said Ann Lee, the club\'s treasurer, who joined in 2001.', "club's treasurer"),
        ('Kevin Spacey, 45, said: "We wait."', None),
        ('"We wait," said Tony Cowell, 54, in reference to his brother.', None),
        ('On Tuesday Foreign Secretary Jack Straw said: "We wait."', "Foreign Secretary"),
        ('"We wait," said Jason Daw at Merrill Lynch.', "at Merrill Lynch"),
        ('"We wait," said Kevin Spacey at the premiere.', None),
    ],
)
def test_what_is_not_a_role(paragraph: str, role: str | None) -> None:
    """Ages, numbers, relative clauses and when or where it was said are not the speaker's role;
    where the speaker works is."""
    assert only_quote(parse(paragraph)).role == role


def test_according_to() -> None:
    quote = only_quote(parse('Prices will "keep rising all year", according to the OECD.'))
    assert quote.speaker == "the OECD"


def test_pronoun_resolves_to_last_person_named() -> None:
    article = parse(
        "Gerry Spindler took over the mine company in March.",
        '"We have a long journey ahead," he said.',
    )
    assert only_quote(article).speaker == "Gerry Spindler"


WHITLOCK_PAIR = (
    '"I have dreamed about a day like this since I was seven years old," Ennis told BBC Sport.',
    "Rovers manager Sue Whitlock, who took charge in January, said the club would use the prize"
    ' money of \u00a325,000 to repair the main stand. "This is not just a result, it is a new'
    ' roof," she said.',
)


def test_pronoun_goes_back_to_the_last_speaker_once_he_is_the_subject_again() -> None:
    article = parse(
        'Tom Tait said the ground was "a hard place".',
        "Andy Robinson now has a decision to make. Tait himself appeared unaffected.",
        '"I want more of that," he said.',
    )
    assert [q.speaker for q in article.quotes] == ["Tom Tait", "Tom Tait"]


def test_pronoun_resolves_to_the_person_named_since_the_last_speaker() -> None:
    article = parse("Striker Jamal Ennis scored both goals.", *WHITLOCK_PAIR)
    assert [(q.speaker, q.role) for q in article.quotes] == [
        ("Jamal Ennis", "striker"),
        ("Sue Whitlock", "Rovers manager"),
    ]


@pytest.mark.parametrize(
    ("subject", "speaker", "role"),
    [
        ("Striker Jamal Ennis", "Jamal Ennis", "striker"),
        ("Spaniard Guillermo Garcia-Lopez", "Guillermo Garcia-Lopez", "Spaniard"),
        ("Lawyer Louise Christian", "Louise Christian", "lawyer"),
        ("New Yorker Dick Morris", "Dick Morris", "New Yorker"),
        ("Rovers manager Sue Whitlock", "Sue Whitlock", "Rovers manager"),
        ("Syrian Foreign Minister Walid al-Moualem", "Walid al-Moualem", "Syrian Foreign Minister"),
        ("Lord Browne", "Lord Browne", None),
        ("Mr Spindler", "Mr Spindler", None),
        ("Dr Helen Marsh", "Dr Helen Marsh", None),
        ("Sir Alex Ferguson", "Sir Alex Ferguson", None),
        ("Bryan Singer", "Bryan Singer", None),
    ],
)
def test_leading_job_word_is_a_role(subject: str, speaker: str, role: str | None) -> None:
    """A job word is lower-cased (its capital came from opening the sentence); a title before a
    name ("Foreign Minister") and a national ("Spaniard") keep theirs."""
    quote = only_quote(parse(f'{subject} said: "We will be back next season."'))
    assert (quote.speaker, quote.role) == (speaker, role)


def test_role_named_before_a_quote_stays_with_the_person() -> None:
    article = parse(
        "Striker Jamal Ennis scored both goals.",
        '"The crowd carried us over the line," Ennis told BBC Sport.',
    )
    assert (only_quote(article).speaker, only_quote(article).role) == ("Jamal Ennis", "striker")


@pytest.mark.parametrize(
    "paragraphs",
    [
        pytest.param(
            (
                '"He is still a quality player," Kevin Keegan said.',
                "City came back from two down and Kevin Keegan sympathised with Norwich boss"
                ' Nigel Worthington. "I feel a bit for him," he said.',
            ),
            id="other-person-named-only-as-an-object",
        ),
        pytest.param(
            (
                '"We deserved the win today," Kevin Keegan said.',
                'Mrs Whitlock scored both goals. "She never stopped running," he said.',
            ),
            id="other-person-of-the-other-sex",
        ),
    ],
)
def test_pronoun_keeps_the_last_speaker(paragraphs: tuple[str, str]) -> None:
    article = parse(*paragraphs)
    assert [q.speaker for q in article.quotes] == ["Kevin Keegan", "Kevin Keegan"]


def test_surname_later_links_to_full_name() -> None:
    article = parse(
        "Robert Pires scored twice on Saturday.",
        'Pires told reporters: "It was a great night for the whole team."',
        '"The manager trusted us," said Mr Pires.',
    )
    assert [q.speaker for q in article.quotes] == ["Robert Pires", "Robert Pires"]


def test_description_resolves_to_the_person() -> None:
    article = parse(
        "James McIlroy won the 800m in Erfurt.",
        "\"I'm qualified now and that's what matters most,\" said the 28-year-old.",
    )
    assert only_quote(article).speaker == "James McIlroy"


def test_description_skips_a_person_named_only_as_an_object() -> None:
    article = parse(
        "Andre Agassi was serving at 5-6 down to fellow American Andy Roddick when he retired.",
        '"My hip was cramping and I just could not continue," said the 34-year-old.',
    )
    assert only_quote(article).speaker == "Andre Agassi"


def test_split_quote_is_one_quote() -> None:
    quote = only_quote(parse('"The plan is aggressive," he said. "And it could be damaging."'))
    assert quote.text == "The plan is aggressive" + PART_JOINER + "And it could be damaging."


def test_quote_runs_on_across_paragraphs() -> None:
    article = parse(
        'Lord Falconer said: "His legacy is substantial.',
        '"A great judge and a great man."',
    )
    quote = only_quote(article)
    assert quote.speaker == "Lord Falconer"
    assert (
        quote.text == "His legacy is substantial." + PART_JOINER + "A great judge and a great man."
    )
    assert quote.paragraph == 0


def test_bbc_style_reopened_quote_is_one_quote() -> None:
    quote = only_quote(
        parse('He said: "I have not done this before. "But this time is different."')
    )
    assert quote.text.split(PART_JOINER) == [
        "I have not done this before.",
        "But this time is different.",
    ]


def test_unattributed_quote_continues_the_last_speaker() -> None:
    article = parse(
        'Orange said in a statement: "Our brand is extremely important to us."',
        '"We have been left with no choice but to act."',
    )
    assert [q.speaker for q in article.quotes] == ["Orange", "Orange"]


def test_scare_quotes_nobody_said_are_not_quotes() -> None:
    article = parse("The region is a 'hotbed of terrorists' on the border, and a \"no-go\" area.")
    assert article.quotes == []


def test_short_quote_with_a_speech_verb_is_kept() -> None:
    quote = only_quote(parse("Envoy Staffan di Mistura warns that a 'perfect storm' is building."))
    assert (quote.text, quote.speaker) == ("perfect storm", "Staffan di Mistura")


def test_apostrophes_are_not_quotes() -> None:
    article = parse("The players' union said it's Bob's turn and the 90's are over.")
    assert article.quotes == []


KNOWN_BBC_QUOTES = [
    ("business/221.txt", "The profits are up more than the price of oil", "Lord Browne"),
    ("business/468.txt", "The Italian authorities have presented", "Jacques Barrot"),
    ("business/042.txt", "We have a long journey ahead", "Gerry Spindler"),
    ("politics/119.txt", "A great judge, a great lawyer", "Lord Falconer"),
    ("politics/119.txt", "He was a lawyer and a judge", "Lord Woolf"),
    ("politics/150.txt", "But this woman has been a prominent opponent", "George Galloway"),
    ("sport/307.txt", "It's up to the citing commissioner", "Mike Ruddock"),
    ("tech/356.txt", "I want to be able to walk about", "Pal"),
    ("business/205.txt", "Our brand, and the rights associated with it", "Orange"),
    ("politics/156.txt", "You have to look at their whole career", "a spokesperson"),
]


@pytest.mark.parametrize(("source", "start", "speaker"), KNOWN_BBC_QUOTES)
def test_known_bbc_quotes(bbc_dir: Path, source: str, start: str, speaker: str) -> None:
    article = parse_report((bbc_dir / source).read_bytes(), source=source)
    quote = next(q for q in article.quotes if start in q.text)
    assert quote.speaker == speaker


SAMPLES = Path(__file__).resolve().parents[1] / "store" / "reports" / "samples"


@pytest.mark.parametrize(
    ("source", "start", "speaker", "role"),
    [
        # "Its regional officer, Carol Binns, said": the possessive points back into the report
        ("library-opening-hours.txt", "Every Sunday shift", "Carol Binns", "regional officer"),
        # "Striker Jamal Ennis": capitalised only because it opened the sentence
        ("rovers-cup-upset.txt", "I have dreamed about a day", "Jamal Ennis", "striker"),
    ],
)
def test_roles_read_as_a_reader_would_write_them(
    source: str, start: str, speaker: str, role: str
) -> None:
    article = parse_report((SAMPLES / source).read_bytes(), source=source)
    quote = next(q for q in article.quotes if start in q.text)
    assert (quote.speaker, quote.role) == (speaker, role)


@pytest.mark.parametrize(
    ("source", "start", "speaker", "role"),
    [
        # the circumstance before the subject is no part of it
        ("tech/304.txt", "appropriately licensed video", "the firms", None),
        ("tech/202.txt", "grave concerns", "the RSPCA", None),
        # ... nor is a phrase that merely starts with a preposition ("in favour of the
        # householder, said Mr Clarke"), whose next quotation is still his
        ("politics/034.txt", "The problem is there has", "Charles Clarke", "Home Secretary"),
        # a name after "at" or "from" is the employer, not the speaker
        (
            "tech/304.txt",
            "In many ways the different DRM",
            "Ian Fogg",
            "personal technology and broadband analyst at Jupiter Research",
        ),
        ("tech/122.txt", "Windows cash machines", "Dominic Hirsch", "from Retail Banking Research"),
        # an appositive opened by "On Wednesday," still names the person
        ("business/015.txt", "The boom in air travel", "Jacques Barrot", None),
    ],
)
def test_speakers_in_bbc_reports(
    bbc_dir: Path, source: str, start: str, speaker: str, role: str | None
) -> None:
    article = parse_report((bbc_dir / source).read_bytes(), source=source)
    quote = next(q for q in article.quotes if start in q.text)
    assert quote.speaker == speaker
    assert role is None or quote.role == role


TRANSCRIPT = (
    "The following is a transcript of an interview with Health Minister Dana Okafor.",
    "PRESENTER: Minister, how many extra beds will hospitals get this winter?",
    "OKAFOR: We are funding 2,500 extra beds from December.",
    "PRESENTER: Critics say that is too little, too late.",
    "OKAFOR: I understand the frustration.",
)


def test_a_transcripts_turns_are_quotations_of_the_speaker_the_report_names() -> None:
    quotes = parse(*TRANSCRIPT).quotes
    assert [(q.text, q.speaker, q.role) for q in quotes] == [
        ("We are funding 2,500 extra beds from December.", "Dana Okafor", "Health Minister"),
        ("I understand the frustration.", "Dana Okafor", "Health Minister"),
    ]


def test_a_turn_in_ordinary_case_is_a_quotation_only_of_someone_named() -> None:
    quotes = parse(
        "Chelsea's Frank Lampard scored twice.",
        "Frank Lampard: We were never going to give up.",
        "Subs Not Used: Cudicini, Johnson.",
        "Booked: Terry.",
    ).quotes
    assert [(q.text, q.speaker) for q in quotes] == [
        ("We were never going to give up.", "Frank Lampard")
    ]


def test_one_labelled_line_is_no_transcript() -> None:
    assert parse("UPDATE: The match was postponed after the storm.").quotes == []


@pytest.mark.parametrize(
    "paragraph",
    [
        'If you see smoke, leave the building. Call "999" and wait outside.',
        "Call 'the police' or the fire service.",
    ],
)
def test_a_sentence_opening_with_call_and_a_quotation_parses(paragraph: str) -> None:
    # "Call" is a speech verb only with an object ("call it a disgrace"); here it is not one
    article = parse(paragraph)
    assert article.paragraphs == [paragraph]
    assert all(quote.speaker is None for quote in article.quotes)


@pytest.mark.parametrize(
    ("paragraph", "speaker"),
    [
        ('"We will win the cup," said \u200b.', None),
        ('"We will win the cup," said \U0001f600.', None),
        ('"We will win the cup," said \ufffd.', None),
        ('"We will win the cup," said \u200bJohn Smith.', "John Smith"),
        ('"We will win the cup," said Bria\u00adn McBride.', "Brian McBride"),
    ],
)
def test_a_speaker_is_a_name_a_reader_can_see(paragraph: str, speaker: str | None) -> None:
    assert only_quote(parse(paragraph)).speaker == speaker
