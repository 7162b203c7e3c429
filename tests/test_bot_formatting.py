"""Replies as Telegram HTML and as plain text: escaping, highlights, citations, splitting."""

from __future__ import annotations

import pytest

from bot.formatting import (
    MAX_MESSAGE,
    NOT_FOUND,
    answer_html,
    answer_text,
    article_html,
    highlight,
    not_found_html,
    split_html,
    to_plain,
)
from bot.keyboards import answer_keyboard, parse_callback
from bot.standin import telegram_text, utf16_length
from bot.standin.rules import MAX_TEXT
from store.reports.article import Article
from store.search.matcher import Result


def result(text: str, *, kind: str = "passage", score: float = 1.0, **fields) -> Result:
    defaults = {"source": "tech/001.txt", "title": "Chips & <dips>", "speaker": None, "role": None}
    return Result(text=text, kind=kind, score=score, paragraph=0, **(defaults | fields))  # type: ignore[arg-type]


def test_the_answer_words_are_bold_and_everything_else_escaped():
    html_text = answer_html([result("Sales rose 41% at <Acme> & co.", highlights=("41",))])
    assert html_text.startswith("Sales rose <b>41</b>% at &lt;Acme&gt; &amp; co.")
    assert telegram_text(html_text).startswith("Sales rose 41% at <Acme> & co.")


def test_a_report_containing_a_bold_tag_shows_it_as_text():
    html_text = answer_html([result("The <b>bold</b> claim", highlights=("claim",))])
    assert "&lt;b&gt;bold&lt;/b&gt; <b>claim</b>" in html_text
    assert telegram_text(html_text).startswith("The <b>bold</b> claim")


def test_highlights_match_whole_words_in_any_case():
    assert highlight("Oil, oilfield and OIL", ["oil"]) == "<b>Oil</b>, oilfield and <b>OIL</b>"


def test_a_passage_is_cited_by_title_and_source():
    text = to_plain(answer_html([result("Sales rose.")]))
    assert text == "Sales rose.\n— Chips & <dips> (tech/001.txt)"


def test_a_quote_is_cited_with_speaker_and_role():
    quote = result("We will win", kind="quote", speaker="Jo Smith", role="coach")
    text = to_plain(answer_html([quote]))
    assert text == "“We will win”\n— Jo Smith, coach, in Chips & <dips> (tech/001.txt)"


def test_further_excerpts_are_shown_only_when_they_add_something():
    # Scores are the ranker's logits, below zero for a follow-up's sentences in its context:
    # which results are worth showing the engine has decided, whatever their scores.
    best = result("The plant will close in May with the loss of 300 jobs.", score=-2.0)
    same = result("The plant will close in May, with the loss of 300 jobs, unions said.")
    other = result("Unions called a strike for next week.", score=-3.5)
    further = result("Shares fell on the news of a plant closure.", score=-6.0)
    text = to_plain(answer_html([best, same, other, further]))
    assert "unions said" not in text
    assert "Also:\nUnions called a strike" in text
    assert "Shares fell" in text


def test_nothing_found_is_honest_and_lists_the_closest_titles():
    assert not_found_html([]) == NOT_FOUND
    text = to_plain(not_found_html([("a.txt", "Rates & <rises>")]))
    assert text == f"{NOT_FOUND}\n\nThe closest reports:\n• Rates & <rises> (a.txt)"


def test_the_plain_renderer_gives_the_same_reply_without_markup():
    results = [result("Sales rose 41% at <Acme>.", highlights=("41",))]
    assert answer_text(results) == to_plain(answer_html(results))
    assert answer_text([], [("a.txt", "A & B")]).startswith(NOT_FOUND)


@pytest.mark.parametrize("limit", [50, 200, MAX_MESSAGE])
def test_long_html_splits_within_the_limit_never_inside_a_tag(limit):
    html_text = "\n\n".join(
        f"<b>Heading {n} &amp; more</b>\n<i>{'word &lt;x&gt; ' * (n * 7)}</i>" for n in range(60)
    )
    chunks = split_html(html_text, limit)
    assert len(chunks) > 1
    for chunk in chunks:
        assert utf16_length(chunk) <= limit
        telegram_text(chunk)  # balanced tags and whole entities, or it raises
    joined = " ".join(to_plain(chunk) for chunk in chunks)
    assert joined.split() == to_plain(html_text).split()


def test_splitting_prefers_paragraph_breaks():
    paragraphs = [f"Paragraph {n} " + "text " * 150 for n in range(6)]
    chunks = split_html("\n\n".join(paragraphs))
    assert all(chunk.rstrip().endswith("text") for chunk in chunks)
    assert sum(chunk.count("Paragraph") for chunk in chunks) == 6


def test_a_single_huge_word_and_emoji_are_split_by_utf16_length():
    chunks = split_html("😀" * 5000)
    assert all(utf16_length(c) <= MAX_TEXT for c in chunks)
    assert "".join(chunks) == "😀" * 5000


def test_short_html_is_one_message():
    assert split_html("<b>hi</b> there") == ["<b>hi</b> there"]


def test_a_whole_article_becomes_messages_within_the_limit():
    article = Article(source="x.txt", title="A <long> one", paragraphs=["Words & more. " * 400] * 5)
    chunks = article_html(article)
    assert chunks[0].startswith("<b>A &lt;long&gt; one</b>")
    assert all(utf16_length(c) <= MAX_TEXT for c in chunks)
    for chunk in chunks:
        telegram_text(chunk)


def test_callback_data_stays_within_64_bytes_and_round_trips():
    keyboard = answer_keyboard("uploads/" + "a-very-long-file-name-" * 10 + ".txt", 3)
    data = [button.callback_data for row in keyboard.inline_keyboard for button in row]
    assert all(len(d.encode()) <= 64 for d in data)
    assert [parse_callback(d)[0] for d in data] == ["more", "full"]


@pytest.mark.parametrize("forged", [None, "", "more:x", "more:100000", "full:../etc", "drop:1"])
def test_forged_callback_data_is_recognised_as_nothing(forged):
    assert parse_callback(forged) is None
