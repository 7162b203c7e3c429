"""Which subscribed chats hear of a new report: fuzzy keywords against its title and text;
and how their notices group into messages."""

from __future__ import annotations

from store.library.interface import Notice, Subscription
from store.library.subscriptions import Announcement, announcements, matching_chats
from store.reports.parser import parse_text

ARTICLE = parse_text(
    "Oil prices climb as OPEC cuts output\n\n"
    "Crude oil rose 4% on Monday after producers agreed deeper cuts, traders in London said.\n",
    source="business/1.txt",
)


def chats(*keyword_lists: tuple[str, ...]) -> list[int]:
    subs = [Subscription(n, keywords) for n, keywords in enumerate(keyword_lists)]
    return matching_chats(ARTICLE, subs)


def test_no_keywords_means_every_report():
    assert chats(()) == [0]


def test_a_keyword_in_the_title_or_text_matches_in_any_case():
    assert chats(("opec",), ("LONDON",), ("football",)) == [0, 1]


def test_keywords_match_despite_a_typo_but_short_words_must_be_exact():
    assert chats(("tradrs",), ("oik",)) == [0]


def test_a_keyword_matches_another_form_of_its_word():
    assert chats(("prices climbing",), ("trader",), ("producer cut",)) == [0, 1, 2]


def test_a_real_word_is_no_typo_of_another():
    # each of these, a typo away from a word of the report, is a word of its own
    report = parse_text(
        "Old pier reopens after spin of the story\n\n"
        "The old pier at Kelmouth reopened, after a year in which the council tried to sell it.\n",
        source="local/1.txt",
    )
    subs = [Subscription(n, (k,)) for n, k in enumerate(("gold", "spain", "tory", "kelmoth"))]
    assert matching_chats(report, subs) == [3]  # the slip in a name general English lacks


def test_a_hyphenated_word_matches_typed_as_one():
    report = parse_text(
        "Wal-Mart warns on junk e-mail\n\nWal-Mart said e-mail scams used its name.\n",
        source="business/2.txt",
    )
    subs = [Subscription(n, (k,)) for n, k in enumerate(("walmart", "email", "emu"))]
    assert matching_chats(report, subs) == [0, 1]


def test_a_phrase_needs_all_its_words():
    assert chats(("crude oil",), ("crude gold",)) == [0]


def test_any_of_a_chats_keywords_will_do():
    assert chats(("cricket", "oil prices")) == [0]


def test_an_announcement_groups_a_chats_notices_of_one_arrival_in_order() -> None:
    pending = [
        Notice(1, "a.txt", "x"),
        Notice(2, "a.txt", "x"),
        Notice(1, "b.txt"),
        Notice(1, "c.txt", "x"),
        Notice(1, "d.txt"),
    ]
    assert announcements(pending) == [
        Announcement(1, (Notice(1, "a.txt"), Notice(1, "c.txt"))),
        Announcement(2, (Notice(2, "a.txt"),)),
        Announcement(1, (Notice(1, "b.txt"),)),
        Announcement(1, (Notice(1, "d.txt"),)),
    ]
