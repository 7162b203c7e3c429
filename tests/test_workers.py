"""Two `reportbot run` workers in webhook mode on one PostgreSQL library, as behind a proxy:
a report added through one is answered by the other, each pending notice is sent once, both
together keep to Telegram's limit on notices, and a user's flood limit counts the questions sent
to both."""

from __future__ import annotations

import bisect
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from botprocess import BotProcess, free_port, listening
from conftest import BOT_TOKEN, eventually
from test_webhook import post

from bot.flood import FLOOD_LIMIT
from bot.ratelimit import BULK_LIMIT
from bot.standin import BotApiStandIn, user
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


@pytest.fixture
def start_workers(standin: BotApiStandIn, postgres_library: str, tmp_path: Path):
    workers: list[BotProcess] = []

    def start(count: int) -> list[str]:
        urls = []
        for n in range(count):
            port = free_port()
            bot = BotProcess(
                standin, postgres_library, token=BOT_TOKEN, folder=tmp_path, name=f"worker{n}"
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


def send(standin: BotApiStandIn, url: str, text: str, sender: dict, update_id: int) -> None:
    message = standin.text_message(text, user=sender)
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
    times = sorted(c.at for c in notices())
    busiest = max(bisect.bisect_left(times, at + 1.0) - n for n, at in enumerate(times))
    assert busiest <= BULK_LIMIT, f"{busiest} notices reached Telegram in one second"


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
