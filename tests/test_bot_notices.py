"""The notices the bot posts: a report's, and the digest of many that arrived together."""

from __future__ import annotations

from bot.notices import digest_html, notice_html
from bot.standin import telegram_text
from store.reports.parser import parse_text


def test_the_notice_is_escaped_html_with_title_and_lead():
    article = parse_text("Q&A: <why> rates rose\n\nRates rose & fell.\n", source="x.txt")
    text = telegram_text(notice_html(article))
    assert text == "New report: Q&A: <why> rates rose\nRates rose & fell."


def test_a_digest_names_the_first_titles_escaped_and_counts_the_rest():
    text = telegram_text(digest_html(["Q&A: <why> rates rose", "Oil falls"], 40))
    assert text.splitlines() == [
        "40 new reports in the library:",
        "• Q&A: <why> rates rose",
        "• Oil falls",
        "and 38 more.",
    ]
    assert telegram_text(digest_html(["A", "B"], 2)).splitlines()[-1] == "• B"
