"""Telegram flaking: the bot answers every question exactly once through random failures, a
restart, and each kind of fault the stand-in can play, and it never dies of a network error.

What is guaranteed about updates: PTB confirms updates by asking for the next ones, so an
update fetched is neither lost nor handled twice while the bot runs; at a clean stop the bot
confirms, retrying, all it handled. A bot killed outright (SIGKILL, power loss) gets the
updates of its last unconfirmed fetch again, and loses those fetched, confirmed by the next
fetch and not yet handled: Telegram offers nothing finer than "everything before this id".
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from bot.standin import BotApiStandIn, Call, user

USERS = [user(300 + n, f"User{n}") for n in range(5)]
QUESTIONS = [
    "how many homes were flooded in kellmouth",
    "when will the barrier open",
    "who won the cup",
    "what time does the library open on sundays",
    "what did the startup make",
    "where did the offensive take place",
]


def replies(standin: BotApiStandIn) -> dict[tuple[int, int], list[Call]]:
    """The bot's replies, by the question (chat, message id) they answer."""
    found: dict[tuple[int, int], list[Call]] = defaultdict(list)
    for call in standin.delivered(method="sendMessage"):
        if call.replies_to is not None:
            found[(call.chat_id, call.replies_to)].append(call)
    return found


def ask_all(standin: BotApiStandIn, rounds: int) -> list[tuple[int, int]]:
    asked = []
    for n in range(rounds * len(USERS)):
        message = standin.send_text(QUESTIONS[n % len(QUESTIONS)], user=USERS[n % len(USERS)])
        asked.append((message["chat"]["id"], message["message_id"]))
    return asked


def wait_for_answers(standin: BotApiStandIn, asked: list[tuple[int, int]]) -> None:
    standin.wait_for(lambda call: set(asked) <= replies(standin).keys(), timeout=60)


def assert_answered_once(standin: BotApiStandIn, asked: list[tuple[int, int]]) -> None:
    found = replies(standin)
    for question in asked:
        texts = [call.html for call in found.get(question, [])]
        assert texts, f"{question} was not answered"
        assert len(texts) == len(set(texts)), f"{question} was answered twice: {texts}"


def one_more_round(standin: BotApiStandIn, asked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every user asks once more, and all is answered: were an answer to come twice, it would
    have come by then."""
    asked = asked + ask_all(standin, rounds=1)
    wait_for_answers(standin, asked)
    return asked


def flaky(standin: BotApiStandIn) -> None:
    """One request in ten to getUpdates and to sendMessage fails."""
    standin.fail("server_error", method="getUpdates", times=None, rate=0.1)
    for kind in ("server_error", "bad_gateway", "drop"):
        standin.fail(kind, method="sendMessage", times=None, rate=0.035)


def test_random_faults_and_a_restart_lose_and_double_no_answer(standin, start_bot) -> None:
    flaky(standin)
    bot = start_bot()
    asked = ask_all(standin, rounds=4)
    wait_for_answers(standin, asked)
    bot.stop()

    start_bot()
    asked += ask_all(standin, rounds=4)
    wait_for_answers(standin, asked)
    assert_answered_once(standin, one_more_round(standin, asked))
    assert any(not call.ok for call in standin.calls), "no fault was played"


def test_each_passing_fault_only_delays_the_answer(standin, bot) -> None:
    asked, faults = [], []
    for method in ("getUpdates", "sendMessage"):
        for kind in ("server_error", "bad_gateway", "drop", "retry_after"):
            faults.append(standin.fail(kind, method=method, times=1))
            asked += ask_all(standin, rounds=1)
            wait_for_answers(standin, asked)
    assert_answered_once(standin, one_more_round(standin, asked))
    assert [fault.times for fault in faults] == [0] * len(faults)  # each one was played


def test_a_stalled_reply_times_out_and_is_sent_again(standin, bot) -> None:
    standin.fail("stall", method="sendMessage", stall=8)
    asked = ask_all(standin, rounds=1)
    wait_for_answers(standin, asked)
    assert_answered_once(standin, asked)


@pytest.mark.parametrize("kind", ["forbidden", "server_error", "drop"])
def test_a_chat_that_always_fails_does_not_stop_the_bot(standin, bot, kind) -> None:
    victim = USERS[0]
    standin.fail(kind, method="sendMessage", chat_id=victim["id"], times=None)
    standin.send_text(QUESTIONS[0], user=victim)
    asked = ask_all(standin, rounds=1)[1:]  # everyone else
    wait_for_answers(standin, asked)
    standin.clear_faults()
    again = standin.send_text(QUESTIONS[1], user=victim)
    wait_for_answers(standin, [(victim["id"], again["message_id"])])
    assert bot.app.running
