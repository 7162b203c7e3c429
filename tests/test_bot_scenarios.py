"""The bot end to end over real HTTP: the real Application polls the Bot API stand-in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ADMIN, ALICE, BOB, MALLORY, ask, eventually, most_in_any, subscribe_group

from bot import ratelimit
from bot.handlers.admin import ADMINS_ONLY
from bot.standin import (
    BOT_USER,
    BotApiStandIn,
    Call,
    group_chat,
    private_chat,
    telegram_text,
    user,
)
from store.library.store import ReportStore

LIGHTHOUSE = (
    "Lighthouse keepers return to Gull Point\n\n"
    "Keepers will live at the Gull Point lighthouse again from June, after 40 years of "
    "automatic running, the coastal trust said.\n\n"
    '"The light needs people," said trust director Owen Pike.\n'
)
CRICKET = (
    "Village cricket club wins its first county cup\n\n"
    "The Gull Point cricket club beat Dunmore by 40 runs on Saturday to win the county cup."
)


def notices_to(standin: BotApiStandIn, chat_id: int) -> list[str]:
    """The first line of each notice `chat_id` got: "New report: " and the title."""
    notices = [c.text for c in standin.delivered(chat_id) if c.text.startswith("New report")]
    return [notice.partition("\n")[0] for notice in notices]


def add_and_wait_for_notice(standin: BotApiStandIn, report: str, chat_id: int) -> Call:
    """An admin adds `report`; the notice `chat_id` gets of it."""
    mark = len(standin.calls)
    assert ask(standin, "/add " + report, who=ADMIN).text.startswith("Stored:")
    return standin.wait_for(
        lambda c: c.ok and c.chat_id == chat_id and title(report) in c.text, after=mark
    )


def all_marked_sent(db: Path) -> None:
    """Wait until the outbox holds no notice: each was sent, or its chat dropped."""

    def empty() -> bool:
        with ReportStore(db) as store:
            return store.pending_notices() == []

    eventually(empty, what="every notice marked sent")


def title(report: str) -> str:
    return report.partition("\n")[0]


# 1
def test_a_question_gets_a_cited_reply_holding_the_answer(standin, bot):
    reply = ask(standin, "how many homes were flooded in kellmouth")
    telegram_text(reply.html)  # parses as Telegram HTML, or raises
    assert "310" in reply.text
    assert "<b>310</b>" in reply.html
    assert "Harbour town approves £48m flood barrier (harbour-flood-barrier.txt)" in reply.text
    assert [b["text"] for b in reply.buttons] == ["More", "Full report"]


# 2
def test_a_question_with_typos_still_gets_the_answer(standin, bot):
    reply = ask(standin, "when wil the barier open")
    assert "March 2027" in reply.text


def test_a_message_without_words_is_asked_for_in_words(standin, bot):
    for text in ("?", "😀", "..."):
        assert ask(standin, text).text == "Please ask in words, for example: who won the cup?"


def test_a_greeting_or_thanks_gets_a_friendly_word_not_a_search(standin, bot):
    for text in ("hello", "Hi!", "good morning"):
        reply = ask(standin, text).text
        assert reply.startswith("Hello!") and "/start" in reply, (text, reply)
    for text in ("thanks", "Thank you 😊"):
        assert ask(standin, text).text.startswith("You're welcome"), text
    assert "310" in ask(standin, "hello, how many homes were flooded in kellmouth").text


# 3
def test_more_edits_the_same_message_to_the_next_results(standin, bot):
    reply = ask(standin, "who approved the flood barrier")
    more = next(b for b in reply.buttons if b["text"] == "More")
    mark = len(standin.calls)
    standin.click(reply.result, more["callback_data"], user=ALICE)
    edit = standin.wait_for(lambda c: c.method == "editMessageText" and c.ok, after=mark)
    assert edit.params["message_id"] == reply.result["message_id"]
    assert edit.text and edit.text != reply.text
    first_excerpt = reply.text.split("\n")[0]
    assert first_excerpt not in edit.text


def test_full_report_sends_the_article(standin, bot):
    reply = ask(standin, "who approved the flood barrier")
    full = next(b for b in reply.buttons if b["text"] == "Full report")
    mark = len(standin.calls)
    standin.click(reply.result, full["callback_data"], user=ALICE)
    article = standin.wait_for_reply(ALICE["id"], after=mark)
    assert article.text.startswith("Harbour town approves £48m flood barrier")
    assert "310 homes under water" in article.text


# 4
def test_an_admins_document_is_stored_confirmed_and_announced_to_matching_groups(
    standin, bot, library_db: Path
):
    subscribe_group(standin, -501, "lighthouse")
    subscribe_group(standin, -502, "cricket")
    mark = len(standin.calls)
    standin.send_document(LIGHTHOUSE.encode(), "gull-point.txt", user=ADMIN)
    confirmation = standin.wait_for_reply(ADMIN["id"], after=mark)
    assert confirmation.text.startswith("Stored: Lighthouse keepers return to Gull Point")
    source = re.search(r"\((uploads/\S+/gull-point\.txt)\)", confirmation.text).group(1)
    assert "Owen Pike" in confirmation.text
    notice = standin.wait_for(lambda c: c.ok and c.chat_id == -501, after=mark)
    assert notice.text.startswith("New report: Lighthouse keepers return to Gull Point")
    # then a report for the cricket group: the first notice it gets is that one's
    add_and_wait_for_notice(standin, CRICKET, -502)
    assert notices_to(standin, -502) == [f"New report: {title(CRICKET)}"]
    all_marked_sent(library_db)
    with ReportStore(library_db) as store:
        assert store.get(source) is not None
    assert "June" in ask(standin, "when do keepers return to gull point lighthouse").text


def test_the_same_document_twice_is_reported_as_a_duplicate(standin, bot):
    standin.send_document(LIGHTHOUSE.encode(), "gull-point.txt", user=ADMIN)
    standin.wait_for_reply(ADMIN["id"])
    mark = len(standin.calls)
    standin.send_document(LIGHTHOUSE.encode(), "gull-point-copy.txt", user=ADMIN)
    assert standin.wait_for_reply(ADMIN["id"], after=mark).text.startswith("Already in the library")


# 5
def test_a_strangers_add_is_refused_and_nothing_is_stored(standin, bot, library_db: Path):
    with ReportStore(library_db) as store:
        before = store.count()
    assert ask(standin, "/add " + LIGHTHOUSE, who=MALLORY).text == "Sorry, that is for admins only."
    mark = len(standin.calls)
    standin.send_document(LIGHTHOUSE.encode(), "gull-point.txt", user=MALLORY)
    assert standin.wait_for_reply(MALLORY["id"], after=mark).text.endswith("admins only.")
    assert ask(standin, "/admin add 202", who=MALLORY).text.endswith("admins only.")
    with ReportStore(library_db) as store:
        assert store.count() == before
        assert 202 not in store.admins()


# 6
def test_a_chat_answering_403_is_dropped_and_the_others_still_get_the_notice(
    standin, bot, library_db: Path
):
    for chat_id in (-601, -602, -603):
        subscribe_group(standin, chat_id)
    standin.fail("forbidden", method="sendMessage", chat_id=-602, times=None)
    mark = len(standin.calls)
    ask(standin, "/add " + LIGHTHOUSE, who=ADMIN)
    for chat_id in (-601, -603):
        standin.wait_for(lambda c, chat_id=chat_id: c.ok and c.chat_id == chat_id, after=mark)
    assert notices_to(standin, -602) == []  # refused, and not resent
    all_marked_sent(library_db)
    with ReportStore(library_db) as store:
        assert store.subscription(-602) is None
        assert {s.chat_id for s in store.subscriptions()} == {-601, -603}


# 7
def test_a_429_with_retry_after_is_honoured_and_the_notice_delivered(standin, bot):
    subscribe_group(standin, -701)
    standin.fail("retry_after", method="sendMessage", chat_id=-701, retry_after=1)
    mark = len(standin.calls)
    ask(standin, "/add " + LIGHTHOUSE, who=ADMIN)
    notice = standin.wait_for(lambda c: c.ok and c.chat_id == -701, after=mark)
    refused = next(c for c in standin.calls[mark:] if c.chat_id == -701 and not c.ok)
    assert notice.at - refused.at >= 1.0
    # sent once: the next report's notice is the second the group gets
    add_and_wait_for_notice(standin, CRICKET, -701)
    assert notices_to(standin, -701) == [f"New report: {title(r)}" for r in (LIGHTHOUSE, CRICKET)]


def test_a_migrated_group_keeps_its_subscription_under_the_new_id(standin, bot, library_db):
    subscribe_group(standin, -801)
    standin.fail("migrate", method="sendMessage", chat_id=-801, migrate_to=-1000000000801)
    mark = len(standin.calls)
    ask(standin, "/add " + LIGHTHOUSE, who=ADMIN)
    standin.wait_for(lambda c: c.ok and c.chat_id == -1000000000801, after=mark)
    with ReportStore(library_db) as store:
        assert store.subscription(-801) is None
        assert store.subscription(-1000000000801) is not None


# 8
def test_a_report_with_html_special_characters_renders(standin, bot):
    report = (
        "Council adopts the <b> & x < y rule\n\n"
        "The <b>bold</b> claim & the x < y rule was adopted by 7 councils in Dunmore.\n"
    )
    confirmation = ask(standin, "/add " + report, who=ADMIN)
    assert confirmation.text.startswith("Stored: Council adopts the <b> & x < y rule")
    reply = ask(standin, "how many councils in dunmore adopted the rule")
    assert "The <b>bold</b> claim & the x < y rule was adopted by 7 councils" in reply.text


# 9
def test_start_help_and_an_unknown_command_get_sensible_replies(standin, bot):
    start = ask(standin, "/start")
    assert start.text.startswith("Hello!")
    assert start.text.count("\n• ") == 3
    help_reply = ask(standin, "/help")
    assert "/quotes" in help_reply.text and "/subscribe" in help_reply.text
    assert (
        ask(standin, "/frobnicate").text == "I don't know /frobnicate. /help lists what I can do."
    )


def test_nothing_found_is_said_honestly_with_the_closest_titles(standin, bot):
    reply = ask(standin, "what is the weather like on mars")
    assert reply.text.startswith("I couldn't find that in the library.")
    assert "The closest reports:" in reply.text


def test_in_a_group_only_ask_mentions_and_replies_are_answered(standin, bot):
    group = group_chat(-901, "Readers")
    answered = ask(standin, chat=group, text="/ask when will the barrier open")
    assert "March 2027" in answered.text
    assert (
        "March 2027" in ask(standin, chat=group, text="@reportbot when will the barrier open").text
    )
    mark = len(standin.calls)
    standin.send_text(
        "when will the barrier open", user=ALICE, chat=group, reply_to=answered.result
    )
    assert "March 2027" in standin.wait_for_reply(-901, after=mark).text
    mark = len(standin.calls)
    standin.send_text("when will the barrier open", user=ALICE, chat=group)
    asked = standin.send_text("/ask how many homes were flooded in kellmouth", user=BOB, chat=group)
    standin.wait_for_reply(-901, after=mark)
    assert [c.replies_to for c in standin.delivered(-901, after=mark)] == [asked["message_id"]]


def test_a_flood_of_questions_gets_one_polite_slow_down(standin, bot):
    for _ in range(25):
        standin.send_text("when will the barrier open", user=ALICE)
    # 20 answers and one "slow down"
    standin.wait_for(lambda call: len(standin.delivered(ALICE["id"])) >= 21, timeout=30)
    assert "310" in ask(standin, "how many homes were flooded in kellmouth", who=BOB).text
    replies = [c.text for c in standin.delivered(ALICE["id"])]
    assert sum("slow down" in text for text in replies) == 1
    assert sum("March 2027" in text for text in replies) == 20


def test_a_busy_group_gets_at_most_20_messages_a_minute(standin, bot, monkeypatch):
    """One bot on its file keeps to Telegram's limit for a group on its own: questions asked
    in a group at once are all answered, none refused, at most 20 in any minute (made 2 s,
    for the stand-in and the bot alike)."""
    standin.group_window = 2.0
    monkeypatch.setattr(ratelimit, "GROUP_WINDOW", 2.0)
    group = group_chat(-901, "Busy group")
    askers = [user(9000 + n, f"Asker{n}") for n in range(ratelimit.GROUP_LIMIT + 5)]
    for who in askers:
        standin.send_text("/ask when will the barrier open", user=who, chat=group)
    eventually(
        lambda: len(standin.delivered(group["id"])) >= len(askers), what="every answer", timeout=20
    )
    to_group = [c for c in standin.calls if c.chat_id == group["id"]]
    assert [c.result for c in to_group if not c.ok] == []  # Telegram refused none
    assert most_in_any(2.0, [c.at for c in to_group]) <= ratelimit.GROUP_LIMIT


def test_quotes_by_a_person(standin, bot):
    reply = ask(standin, "/quotes Margaret Oduya")
    assert "Margaret Oduya, council leader" in reply.text
    assert ask(standin, "/quotes").text.startswith("Usage: /quotes NAME")


def test_a_short_quotation_is_shown_in_its_sentence_and_cited_to_its_speaker(standin, bot):
    # The seed report quotes its envoy's "perfect storm" in a sentence of its own: two words
    # alone say nothing, and the sentence alone says "according to the Foreign Minister".
    quotes = ask(standin, "/quotes staffan di mistura").text
    assert "a \u2018perfect storm\u2019 is building for the people of Idlib" in quotes
    assert "“perfect storm”" not in quotes
    answer = ask(standin, "what did the syrian foreign minister say about idlib?").text
    first = answer.split("\n\n")[0]
    assert "go all the way" in first
    assert "— Walid al-Moualem, Syrian Foreign Minister, in " in first


def test_latest_and_library(standin, bot):
    assert "Harbour town approves £48m flood barrier" in ask(standin, "/latest").text
    assert ask(standin, "/library").text.startswith("The library holds 5 reports.")


def test_library_and_latest_follow_each_change(standin, bot):
    assert ask(standin, "/library").text.startswith("The library holds 5 reports.")
    stored = ask(standin, "/add " + LIGHTHOUSE, who=ADMIN).text
    assert stored.startswith("Stored:")
    assert ask(standin, "/library").text.startswith("The library holds 6 reports.")
    assert "Lighthouse" in ask(standin, "/latest").text
    source = re.search(r"\(([^()]+)\)", stored).group(1)
    assert ask(standin, f"/remove {source}", who=ADMIN).text.startswith("Removed")
    assert ask(standin, "/library").text.startswith("The library holds 5 reports.")
    assert "Lighthouse" not in ask(standin, "/latest").text


def test_commands_that_read_the_library_share_the_flood_limit(standin, bot):
    # each reads the whole library or every speaker: one user must not hold the others up
    for command in ("/library", "/latest", "/quotes Mistura") * 9:
        standin.send_text(command, user=ALICE)
    standin.wait_for(lambda call: len(standin.delivered(ALICE["id"])) >= 21, timeout=30)
    assert "310" in ask(standin, "how many homes were flooded in kellmouth", who=BOB).text
    replies = [c.text for c in standin.delivered(ALICE["id"])]
    assert len(replies) == 21
    assert sum("slow down" in text for text in replies) == 1


def test_inline_query_offers_cited_excerpts(standin, bot):
    mark = len(standin.calls)
    standin.inline_query("when will the barrier open", user=ALICE)
    answer = standin.wait_for(lambda c: c.method == "answerInlineQuery", after=mark)
    assert answer.ok
    first = answer.params["results"][0]
    assert first["input_message_content"]["parse_mode"] == "HTML"
    assert "March 2027" in telegram_text(first["input_message_content"]["message_text"])


def test_only_group_admins_may_subscribe_a_group(standin, bot, library_db):
    group = group_chat(-1001, "Readers")
    reply = ask(standin, chat=group, text="/subscribe lighthouse")
    assert reply.text == "Only this group's admins can change its notices."
    standin.set_member_status(-1001, ALICE["id"], "creator")
    assert "lighthouse" in ask(standin, chat=group, text="/subscribe lighthouse").text
    assert ask(standin, chat=group, text="/subscriptions").text.endswith("about lighthouse.")


def test_removing_the_bot_from_a_group_clears_its_subscription(standin, bot, library_db):
    subscribe_group(standin, -1101)
    standin.member_update(group_chat(-1101), by=ALICE, old="member", new="kicked")

    def cleared() -> bool:
        with ReportStore(library_db) as store:
            return store.subscription(-1101) is None

    eventually(cleared, what="the subscription cleared")


def test_pending_notices_are_sent_at_start_up(standin, start_bot, library_db):
    from store.library.interface import Notice
    from store.reports.parser import parse_text

    article = parse_text(LIGHTHOUSE, source="gull-point.txt")
    with ReportStore(library_db) as store:
        store.subscribe(-1201, [])
        store.add(article, notices=[Notice(-1201, "gull-point.txt")])
    start_bot()
    notice = standin.wait_for(lambda c: c.ok and c.chat_id == -1201)
    assert notice.text.startswith("New report: Lighthouse keepers")
    all_marked_sent(library_db)


def test_admins_can_add_admins_who_can_then_add_reports(standin, bot, library_db):
    assert ask(standin, "/admin add 101", who=ADMIN).text == "Added admin 101."
    assert ask(standin, "/add " + LIGHTHOUSE).text.startswith("Stored:")
    assert "101" in ask(standin, "/admin list", who=ADMIN).text
    stats = ask(standin, "/stats", who=ADMIN).text
    assert stats.startswith("Articles: 6\nQuotes: ")
    assert "Questions answered today: 0 (since a restart at " in stats


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_add_and_a_forwarded_post_take_the_first_line_as_title(standin, bot, library_db, gap):
    body = "The river burst its banks on Tuesday.\nMore rain is due on Friday."
    added = ask(standin, f"/add Flood warning for Ashford{gap}{body}", who=ADMIN)
    assert added.text.startswith("Stored: Flood warning for Ashford (telegram/")
    assert "\n1 paragraph, 0 quotes" in added.text
    mark = len(standin.calls)
    standin.forward_channel_post(f"Harbour closes for repairs{gap}{body}", user=ADMIN)
    forwarded = standin.wait_for_reply(ADMIN["id"], after=mark)
    assert forwarded.text.startswith("Stored: Harbour closes for repairs (channel/")
    titles = {a.title: a.paragraphs for a in ReportStore(library_db)}
    assert titles["Flood warning for Ashford"] == [body.replace("\n", " ")]
    assert titles["Harbour closes for repairs"] == [body.replace("\n", " ")]


def test_a_forwarded_post_with_no_text_is_answered(standin, bot, library_db):
    # a photo or a poll forwarded from a channel: no text to store, and the admin hears so
    with ReportStore(library_db) as store:
        before = store.count()
    channel = {"id": -1001000000001, "type": "channel", "title": "News Channel"}
    origin = {"type": "channel", "chat": channel, "message_id": 7, "date": 0}
    photo = [{"file_id": "p", "file_unique_id": "up", "width": 9, "height": 9}]
    for who, expected in ((ADMIN, "Not stored: the report is empty"), (MALLORY, ADMINS_ONLY)):
        message = standin.new_message({"id": who["id"], "type": "private"}, who)
        mark = len(standin.calls)
        standin.push_update({"message": message | {"photo": photo, "forward_origin": origin}})
        assert standin.wait_for_reply(who["id"], after=mark).text == expected
    with ReportStore(library_db) as store:
        assert store.count() == before


def test_an_added_or_forwarded_report_with_a_nul_is_refused_politely(standin, bot, library_db):
    # it was stored with the NUL in it, which PostgreSQL's jsonb cannot hold
    with ReportStore(library_db) as store:
        before = store.count()
    refused = "Not stored: the text has a NUL character in it, which no written report has"
    assert ask(standin, "/add Flood warning\n\nThe river\x00 rose.", who=ADMIN).text == refused
    mark = len(standin.calls)
    standin.forward_channel_post("Flood warning\n\nThe river\x00 rose.", user=ADMIN)
    assert standin.wait_for_reply(ADMIN["id"], after=mark).text == refused
    with ReportStore(library_db) as store:
        assert store.count() == before


def test_what_is_meant_for_no_answer_gets_none(standin, bot):
    # a command for another bot, and one of this bot's inline answers that its user sent on
    mark = len(standin.calls)
    standin.send_text("/help@otherbot", user=ALICE)
    sent_on = standin.text_message("Councillors approved a £48m tidal barrier.", user=ALICE)
    standin.push_update({"message": sent_on | {"via_bot": BOT_USER}})
    standin.wait_until_idle(quiet=1.0)
    assert standin.delivered(ALICE["id"], after=mark) == []
    assert "/quotes" in ask(standin, "/help@reportbot").text


def test_a_photo_in_a_private_chat_is_told_to_send_text(standin, bot):
    photo = [{"file_id": "p", "file_unique_id": "up", "width": 9, "height": 9}]
    message = standin.new_message(private_chat(ALICE), ALICE)
    mark = len(standin.calls)
    standin.push_update({"message": message | {"photo": photo, "caption": "how many homes"}})
    reply = standin.wait_for_reply(ALICE["id"], after=mark).text
    assert reply == "I read text only: please type your question as a message."


def test_an_over_long_question_is_refused_politely(standin, bot):
    reply = ask(standin, "where is the barrier " * 40)
    assert reply.text == "That question is too long: please ask in at most 500 characters."
    reply = ask(standin, "/quotes " + "Sue Whitlock " * 10)
    assert reply.text == "That name is too long: at most 100 characters, please."
    assert "March 2027" in ask(standin, "when will the barrier open").text
