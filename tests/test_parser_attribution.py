"""Who said it, family by family: appositives, titles before names, people named earlier, and
organisations, on short reports written for these tests."""

from __future__ import annotations

import pytest

from store.reports.article import Article
from store.reports.parser import parse_text


def parse(*paragraphs: str) -> Article:
    return parse_text("Title line\n\n" + "\n\n".join(paragraphs), source="t.txt")


def attribution(article: Article, fragment: str) -> tuple[str | None, str | None]:
    quote = next(q for q in article.quotes if fragment in q.text)
    return quote.speaker, quote.role


@pytest.mark.parametrize(
    "paragraph",
    [
        'Howard Archer, economist at Global Insight said: "Growth is slowing down fast."',
        'Howard Archer, economist at Global Insight, said: "Growth is slowing down fast."',
        '"Growth is slowing down fast," said Howard Archer, economist at Global Insight.',
        '"Growth is slowing down fast," Howard Archer, economist at Global Insight, said.',
    ],
)
def test_appositive_role_with_or_without_its_closing_comma(paragraph: str) -> None:
    article = parse(paragraph)
    assert attribution(article, "Growth is slowing") == (
        "Howard Archer",
        "economist at Global Insight",
    )


@pytest.mark.parametrize(
    ("subject", "speaker", "role"),
    [
        ("Chancellor of the Exchequer Gordon Brown", "Gordon Brown", "Chancellor of the Exchequer"),
        ("Secretary of State Colin Powell", "Colin Powell", "Secretary of State"),
        (
            "Northern Ireland Secretary of State for Wales Peter Hain",
            "Peter Hain",
            "Northern Ireland Secretary of State for Wales",
        ),
        ("Prime Minister Tony Blair", "Tony Blair", "Prime Minister"),
        ("Foreign Secretary Jack Straw", "Jack Straw", "Foreign Secretary"),
        ("Jefferson Parish Sheriff Harry Lee", "Harry Lee", "Jefferson Parish Sheriff"),
    ],
)
def test_title_before_the_name_is_the_role(subject: str, speaker: str, role: str) -> None:
    for paragraph in (
        f'{subject} said: "We will not change course."',
        f'"We will not change course," said {subject}.',
    ):
        assert attribution(parse(paragraph), "We will not") == (speaker, role)


@pytest.mark.parametrize(
    "paragraph",
    [
        '"It has gone global," says Rita Patel, editor of film journal Trade Guide.',
        'Rita Patel, editor of film journal Trade Guide, said: "It has gone global."',
    ],
)
def test_an_organisation_inside_the_role_is_not_the_speaker(paragraph: str) -> None:
    assert attribution(parse(paragraph), "It has gone") == (
        "Rita Patel",
        "editor of film journal Trade Guide",
    )


@pytest.mark.parametrize(
    "introduction",
    [
        "Growth will stay strong, according to Bank of England deputy governor Rachel Lomax.",
        "The warning came from Bank of England deputy governor Rachel Lomax on Monday.",
        "Rachel Lomax, 58, the Bank of England deputy governor, spoke in Cardiff.",
    ],
)
def test_role_given_when_the_person_is_first_named_stays_with_them(introduction: str) -> None:
    article = parse(introduction, '"Surveys add value," Ms Lomax said in a speech.')
    assert attribution(article, "Surveys add value") == (
        "Rachel Lomax",
        "Bank of England deputy governor",
    )


def test_lower_case_job_word_before_a_later_speaker() -> None:
    article = parse(
        "The club said that defender Sol Campbell is close to a new deal.",
        'Campbell said: "It means a lot to me to stay here."',
    )
    assert attribution(article, "It means a lot") == ("Sol Campbell", "defender")


def test_said_after_the_rest_of_the_sentence_names_the_speaker() -> None:
    article = parse(
        'Given the cost, "slowing supply growth" is a certainty, said Dan Ayers at Merrill'
        " Lynch on Thursday."
    )
    assert attribution(article, "slowing supply growth") == ("Dan Ayers", "at Merrill Lynch")


def test_observes_and_points_out_attribute_speech() -> None:
    article = parse(
        "Radwan Hadi runs an oil consultancy in Baghdad.",
        'Observes Mr Hadi: "The economy at present marks a big divide."',
        'Its engineers work with the ministry, Mr Hadi points out. "These guys are trying.',
    )
    assert attribution(article, "The economy at present")[0] == "Radwan Hadi"
    assert attribution(article, "These guys are trying")[0] == "Radwan Hadi"


def test_reported_speech_between_two_quotations_does_not_join_them() -> None:
    article = parse(
        'Alain Levy, chairman of EMI Music, described the results as "disappointing", but added'
        ' that he remained optimistic. "The market is showing signs of recovery," he said.'
    )
    texts = [q.text for q in article.quotes]
    assert texts == ["disappointing", "The market is showing signs of recovery"]
    assert attribution(article, "The market is showing") == ("Alain Levy", "chairman of EMI Music")
