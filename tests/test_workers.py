"""Two `reportbot run` workers in webhook mode on one PostgreSQL library, as behind a proxy:
a report added through one is answered by the other, each pending notice is sent once, both
together keep to Telegram's limits on notices and on messages to a group, a 429 one meets holds
that chat on both, and a user's flood limit counts the questions sent to both."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from botprocess import CLI, BotProcess, free_port, listening
from conftest import BOT_TOKEN, eventually, most_in_any
from test_webhook import post

from bot.flood import FLOOD_LIMIT
from bot.ratelimit import BULK_LIMIT, GROUP_LIMIT
from bot.standin import BotApiStandIn, group_chat, private_chat, user
from store.library.interface import Notice
from store.library.opening import open_store
from store.reports.parser import parse_text

ADMIN = user(1, "Ada")
ALICE = user(101, "Alice")
SECRET = "shared-by-every-worker_0123456789"
REPORT = (
    "/add Lighthouse keeper retires after forty years\n\n"
    "Morwenna Trelawny, the last keeper of the Godrevy lighthouse, retired on Friday after "
    "forty years, the trust said."
)


LIGHTHOUSE = parse_text(REPORT.removeprefix("/add "), source="lighthouse.txt")
SHORT_MINUTE = 3.0  # seconds: Telegram's minute for a group's messages, in the tests below
SHORT_MINUTE_CLI = f"""
import sys
import bot.ratelimit
bot.ratelimit.GROUP_WINDOW = {SHORT_MINUTE}
{CLI}
"""


@pytest.fixture
def start_workers(standin: BotApiStandIn, postgres_library: str, tmp_path: Path):
    workers: list[BotProcess] = []

    def start(count: int, *, code: str = CLI) -> list[str]:
        urls = []
        for n in range(count):
            port = free_port()
            bot = BotProcess(
                standin,
                postgres_library,
                token=BOT_TOKEN,
                folder=tmp_path,
                name=f"worker{n}",
                code=code,
            )
            bot.env |= {
                "WEBHOOK_URL": "http://127.0.0.1/telegram",  # the proxy's, shared
                "WEBHOOK_PORT": str(port),
                "WEBHOOK_SECRET": SECRET,
            }
            workers.append(bot.start())
            eventually(lambda p=port: listening(p), what=f"worker {n} listening on port {port}")
            urls.append(f"http://127.0.0.1:{port}/telegram")
        return urls

    yield start
    for bot in workers:
        assert bot.stop() == 0, bot.log_text()


def send(
    standin: BotApiStandIn,
    url: str,
    text: str,
    sender: dict,
    update_id: int,
    chat: dict | None = None,
) -> None:
    message = standin.text_message(text, user=sender, chat=chat)
    assert post(url, {"update_id": update_id, "message": message}, SECRET) == 200


def test_a_report_added_through_one_worker_is_answered_by_the_other(
    standin: BotApiStandIn, start_workers
) -> None:
    first, second = start_workers(2)
    send(standin, first, REPORT, ADMIN, 1)
    assert "stored" in standin.wait_for_reply(ADMIN["id"]).text.lower()
    send(standin, second, "when did the godrevy lighthouse keeper retire", ALICE, 2)
    reply = standin.wait_for_reply(ALICE["id"], timeout=2.0)
    assert "Lighthouse keeper retires after forty years" in reply.text


def test_each_pending_notice_is_sent_by_one_worker(
    standin: BotApiStandIn, postgres_library: str, start_workers
) -> None:
    chats = range(-1000, -1040, -1)
    with open_store(postgres_library) as store, store.batch():
        for chat in chats:
            store.subscribe(chat, [])
        # queued with the report, as /add queues them
        store.add(LIGHTHOUSE, notices=[Notice(chat, LIGHTHOUSE.source) for chat in chats])
    start_workers(2)  # each sends what is pending as it starts
    standin.wait_for(
        lambda c: len([x for x in standin.calls if x.text and "New report" in x.text]) >= 40,
        timeout=30,
    )
    standin.wait_until_idle()
    sent = [c.chat_id for c in standin.calls if c.text and "New report" in c.text]
    assert sorted(sent) == sorted(chats)
    with open_store(postgres_library) as store:
        assert store.pending_notices() == []


def test_two_workers_together_keep_to_telegrams_bulk_limit(
    standin: BotApiStandIn, postgres_library: str, start_workers
) -> None:
    """Telegram takes about 30 messages a second to different chats from one bot, whichever of
    its workers sends them: five seconds' worth of notices, queued once both workers run, reach
    it at no more than that in any second, each chat's once."""
    start_workers(2)
    chats = range(-3000, -3000 - 5 * BULK_LIMIT, -1)
    with open_store(postgres_library) as store, store.batch():
        for chat in chats:
            store.subscribe(chat, [])
        store.add(LIGHTHOUSE, notices=[Notice(chat, LIGHTHOUSE.source) for chat in chats])

    def notices() -> list:
        return [c for c in standin.delivered(method="sendMessage") if "New report" in c.text]

    eventually(
        lambda: len(notices()) >= len(chats), what="every notice sent", timeout=60, every=0.2
    )
    standin.wait_until_idle()
    assert sorted(c.chat_id for c in notices()) == sorted(chats)
    busiest = most_in_any(1.0, [c.at for c in notices()])
    assert busiest <= BULK_LIMIT, f"{busiest} notices reached Telegram in one second"


def test_two_workers_together_send_a_group_at_most_20_messages_a_minute(
    standin: BotApiStandIn, start_workers
) -> None:
    """Telegram takes at most 20 messages a minute into one group, whichever worker sends them
    (here the minute is SHORT_MINUTE, for the stand-in and the workers alike): questions asked
    in a group at once, over both workers, are all answered, none refused, and at most 20 of
    the answers reach the group in any minute."""
    standin.group_window = SHORT_MINUTE
    urls = start_workers(2, code=SHORT_MINUTE_CLI)
    group = group_chat(-4000, "Busy group")
    askers = [user(3000 + n, f"Asker{n}") for n in range(GROUP_LIMIT + 5)]
    with ThreadPoolExecutor(max_workers=8) as posters:
        for n, who in enumerate(askers):
            text = "/ask when will the barrier open"
            posters.submit(send, standin, urls[n % 2], text, who, 700 + n, group)

    def to_group() -> list:
        return [c for c in standin.calls if c.chat_id == group["id"]]

    eventually(
        lambda: sum(c.ok for c in to_group()) >= len(askers),
        what="every question answered",
        timeout=30,
        every=0.2,
    )
    assert [c.result for c in to_group() if not c.ok] == []  # Telegram refused none
    busiest = most_in_any(SHORT_MINUTE, [c.at for c in to_group()])
    assert busiest <= GROUP_LIMIT, f"{busiest} messages reached the group in one minute"


def test_a_429_one_worker_meets_holds_that_chat_on_the_other(
    standin: BotApiStandIn, start_workers
) -> None:
    """The first worker is told "retry after 2" for a group, then for a private chat; the
    second, asked there while that lasts, holds its answer until the 2 s are up, and answers
    another chat at once. Told so for an inline answer, which has no chat, the second holds
    every chat. (The first holds every request meanwhile, as PTB does.)"""
    first, second = start_workers(2)
    group = group_chat(-4100, "Held group")
    bob, carol, dave = user(102, "Bob"), user(103, "Carol"), user(104, "Dave")
    retry = 2
    update_ids = iter(range(800, 900))

    def ask(url: str, who: dict, chat: dict | None) -> None:
        text = "/ask when will the barrier open" if chat else "when will the barrier open"
        send(standin, url, text, who, next(update_ids), chat)

    # (the chat, None for the asker's own; who asks the first worker there, then the second)
    for chat, asker, then in ((group, bob, carol), (None, ALICE, ALICE)):
        held = (chat or private_chat(asker))["id"]
        standin.fail("retry_after", method="sendMessage", chat_id=held, retry_after=retry)
        ask(first, asker, chat)
        refused = standin.wait_for(lambda c, held=held: not c.ok and c.chat_id == held)
        time.sleep(0.3)  # moments for the hold to reach the other worker
        mark = len(standin.calls)
        ask(second, then, chat)
        ask(second, dave, None)
        assert standin.wait_for_reply(dave["id"], after=mark).at < refused.at + retry
        eventually(
            lambda held=held: len(standin.delivered(held)) == 2,
            what=f"both answers in chat {held}",
            timeout=15,
        )
        sends = [c for c in standin.calls if c.chat_id == held and c.at > refused.at]
        assert all(c.at >= refused.at + retry - 0.05 for c in sends), f"{held} sent while held"

    # a 429 for a request to no chat (an inline answer) holds every chat
    standin.fail("retry_after", method="answerInlineQuery", retry_after=retry)
    inline = {"id": "q1", "from": carol, "query": "when will the barrier open", "offset": ""}
    assert post(first, {"update_id": next(update_ids), "inline_query": inline}, SECRET) == 200
    refused = standin.wait_for(lambda c: not c.ok and c.method == "answerInlineQuery")
    time.sleep(0.3)
    mark = len(standin.calls)
    ask(second, dave, None)
    assert standin.wait_for_reply(dave["id"], after=mark).at >= refused.at + retry - 0.05


def test_the_flood_limit_counts_questions_sent_to_every_worker(
    standin: BotApiStandIn, start_workers
) -> None:
    urls = start_workers(2)
    for n in range(FLOOD_LIMIT + 3):
        send(standin, urls[n % 2], "when will the barrier open", ALICE, 100 + n)
    standin.wait_for(lambda c: len(standin.delivered(ALICE["id"])) > FLOOD_LIMIT, timeout=30)
    standin.wait_until_idle()
    replies = [c.text for c in standin.delivered(ALICE["id"])]
    assert sum("slow down" in text for text in replies) == 1
    assert len(replies) == FLOOD_LIMIT + 1


def test_a_burst_posted_at_once_to_both_workers_is_answered_once_each(
    standin: BotApiStandIn, start_workers
) -> None:
    """Many posts in flight at once, as Telegram makes them: journaled and counted together in
    each worker, every question answered once, and one user's flood limit still holds."""
    urls = start_workers(2)
    askers = [user(2000 + n, f"Asker{n}") for n in range(40)]
    burst = [(who, f"when will the barrier open {n}") for n, who in enumerate(askers)]
    burst += [(ALICE, f"when will the barrier open again {n}") for n in range(FLOOD_LIMIT + 3)]
    updates = [
        (urls[n % 2], standin.text_message(text, user=who), 500 + n)
        for n, (who, text) in enumerate(burst)
    ]
    with ThreadPoolExecutor(max_workers=16) as posters:
        statuses = list(
            posters.map(lambda u: post(u[0], {"update_id": u[2], "message": u[1]}, SECRET), updates)
        )
    assert statuses == [200] * len(updates)
    standin.wait_for(lambda c: len(standin.delivered(ALICE["id"])) > FLOOD_LIMIT, timeout=60)
    for who in askers:
        standin.wait_for_reply(who["id"], timeout=60)
    standin.wait_until_idle()
    assert all(len(standin.delivered(who["id"])) == 1 for who in askers)
    replies = [c.text for c in standin.delivered(ALICE["id"])]
    assert sum("slow down" in text for text in replies) == 1
    assert len(replies) == FLOOD_LIMIT + 1
