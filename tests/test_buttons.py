"""Buttons cost what questions cost: presses share the flood limit, and "Full report" of a huge
report sends a few messages, not a hundred."""

from __future__ import annotations

from pathlib import Path

from bot.flood import FLOOD_LIMIT, SLOW_DOWN
from bot.handlers.browse import MAX_FULL_PARTS
from bot.keyboards import source_key
from bot.standin import BotApiStandIn, user
from store.library.store import ReportStore
from store.reports.article import Article

ALICE = user(101, "Alice")
QUESTION = "how many homes were flooded in kellmouth"


def ask(standin: BotApiStandIn, text: str) -> dict:
    mark = len(standin.calls)
    standin.send_text(text, user=ALICE)
    return standin.wait_for_reply(ALICE["id"], after=mark).result


def articles_sent(standin: BotApiStandIn, title: str, after: int) -> int:
    return sum(
        1
        for call in standin.calls[after:]
        if call.ok and call.method == "sendMessage" and call.text.startswith(title)
    )


def test_button_presses_share_the_flood_limit(start_bot, standin: BotApiStandIn) -> None:
    start_bot()
    reply = ask(standin, QUESTION)  # one of the limit's questions
    full = f"full:{source_key('harbour-flood-barrier.txt')}"
    mark = len(standin.calls)
    for _ in range(30):
        standin.click(reply, full, user=ALICE)
    # The presses answered and the reports the limit allows sent, then quiet (for any sent
    # beyond it): on a busy machine a send may come long after the call before it, so quiet
    # alone is no sign that the bot has finished.
    answers = standin.wait_for_count(
        lambda c: c.method == "answerCallbackQuery", 30, after=mark, timeout=60
    )
    standin.wait_for_count(
        lambda c: c.ok and c.text.startswith("Harbour town approves"),
        FLOOD_LIMIT - 1,
        after=mark,
        timeout=60,
    )
    standin.wait_until_idle(quiet=0.5)
    sent = articles_sent(standin, "Harbour town approves", mark)
    assert sent == FLOOD_LIMIT - 1
    assert len(answers) == 30 and all(c.ok for c in answers)
    assert [c.params.get("text") for c in answers].count(SLOW_DOWN) == 1


def test_full_report_of_a_huge_report_sends_a_few_messages(
    start_bot, standin: BotApiStandIn, library_db: Path
) -> None:
    paragraphs = [f"Paragraph {n} of the council minutes, read aloud." for n in range(10_000)]
    with ReportStore(library_db) as store:
        store.add(Article(source="minutes.txt", title="Council minutes", paragraphs=paragraphs))
    start_bot()
    reply = ask(standin, QUESTION)
    mark = len(standin.calls)
    standin.click(reply, f"full:{source_key('minutes.txt')}", user=ALICE)
    standin.wait_for(lambda c: c.ok and "goes on for" in c.text, after=mark, timeout=30)
    standin.wait_until_idle(quiet=0.5)
    sent = [c for c in standin.calls[mark:] if c.ok and c.method == "sendMessage"]
    assert len(sent) == MAX_FULL_PARTS + 1
    assert sent[0].text.startswith("Council minutes")
    assert "goes on for" in sent[-1].text
