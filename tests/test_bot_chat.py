"""`reportbot chat`: the real bot in a terminal, through the stand-in, with no token."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.chat import from_lines, messages, run_chat
from bot.flood import FLOOD_LIMIT


def chat(db: Path, *lines: str) -> list[str]:
    shown: list[str] = []
    assert run_chat(db, from_lines(lines), shown.append) == 0
    return shown


def test_chat_answers_from_the_samples_when_there_is_no_store(tmp_path: Path):
    # A topic question: its results fill more than a page, so that "More" is offered.
    lines = ["/start", "kellmouth flood barrier", "[More]", "[Nonsense]", "/add", "."]
    notice, welcome, hello, answer, more, pressed_nothing, add_usage = chat(
        tmp_path / "missing.json", *lines
    )
    assert "answering from the bundled sample reports" in notice
    assert "You are an admin here" in welcome
    assert f"at most {FLOOD_LIMIT} questions a minute" in welcome
    assert "Inline mode" in welcome and "can't be tried here" in welcome
    assert hello.startswith("bot> Hello!")
    assert "£48m tidal barrier" in answer and "<b>" not in answer
    assert answer.endswith("[More] [Full report]")
    assert more.startswith("bot (edited)> ")
    assert pressed_nothing == "(there is no button [Nonsense] to press)"
    assert add_usage.startswith("bot> Usage: /add TEXT")  # the terminal user is an admin
    assert not (tmp_path / "missing.json").exists()


def test_chat_says_which_store_it_answers_from(library_db: Path):
    notice, _, reply = chat(library_db, "/library")
    assert notice == f"(answering from {library_db}: 5 reports)"
    assert reply.startswith("bot> The library holds 5 reports.")


def test_a_second_chat_on_the_same_store_is_answered_too(library_db: Path):
    # The bot keeps the ids of the updates it handled in the store, to skip one Telegram sends
    # again: a new chat's updates must not pass for those of the one before.
    first = chat(library_db, "/library")[-1]
    second = chat(library_db, "/library")[-1]
    assert second == first
    assert second.startswith("bot> The library holds 5 reports.")


def test_chat_goes_on_after_the_flood_guard_drops_a_question(tmp_path: Path):
    """Past the limit the bot warns once, then says nothing: the chat must not wait for a reply
    that never comes, and answers again once the bot does."""
    questions = ["who won the cup?"] * (FLOOD_LIMIT + 2)
    shown = chat(tmp_path / "missing.json", *questions, "/help")
    replies = shown[2:]
    assert len(replies) == FLOOD_LIMIT + 3
    assert all("Ashford Rovers" in reply for reply in replies[:FLOOD_LIMIT])
    assert replies[FLOOD_LIMIT].startswith("bot> You're asking faster than I can read")
    assert replies[FLOOD_LIMIT + 1] == "(no reply)"
    assert "/quotes" in replies[-1]  # /help is no question: the guard lets it through


def test_a_multi_line_report_is_added_with_its_first_line_as_title(tmp_path: Path):
    report = [
        "/add",
        "Flood warning for Ashford",
        "The river burst its banks on Tuesday night.",
        '"We have never seen water this high," said Ann Lee, who runs the bakery.',
        ".",
    ]
    shown = chat(tmp_path / "missing.json", *report, "who saw water this high", "[Full report]")
    stored, answer, full = shown[2:]
    assert stored.startswith("bot> Stored: Flood warning for Ashford (telegram/")
    assert "1 paragraph, 1 quote\nSpeakers: Ann Lee" in stored
    assert "We have never seen water this high" in answer
    # The sentence holding Ann Lee's words is attributed to her, in the report's title.
    assert "— Ann Lee, in Flood warning for Ashford (telegram/" in answer
    assert full.startswith("bot> Flood warning for Ashford\n")
    assert "The river burst its banks on Tuesday night." in full


def test_typed_lines_become_messages():
    typed = [
        "  hello  ",
        "",
        "/add",
        "",
        "Title",
        "Body line one.",
        "  .  ",
        "first half \\",
        "second half",
        "/add Title on the same line \\",
        "and the body",
        "/add",
    ]
    assert list(messages(from_lines(typed))) == [
        "hello",
        "/add Title\nBody line one.",
        "first half \nsecond half",
        "/add Title on the same line \nand the body",
        "/add",
    ]


def test_chat_reads_a_pipe(tmp_path: Path):
    """As `reportbot chat < questions.txt` runs it: no prompt, a reply for each line, exit 0."""
    questions = "when will the barrier open\n/library\n"
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--db", str(tmp_path / "missing.json")],
        input=questions,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "you> " not in done.stdout
    replies = done.stdout.split("\nbot> ")[1:]
    assert len(replies) == 2, done.stdout
    assert "March 2027" in replies[0]
    assert replies[1].startswith("The library holds 5 reports.")
    assert done.stderr == ""


def test_a_line_that_is_not_utf8_is_read_not_a_traceback(tmp_path: Path):
    # under a strict UTF-8 locale (en_US.UTF-8; PYTHONIOENCODING stands in for it here), a
    # Latin-1 byte in the pipe was a UnicodeDecodeError traceback
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--db", str(tmp_path / "missing.json")],
        input="caf\xe9 opening hours\n/library\n".encode("latin-1"),
        capture_output=True,
        timeout=120,
        cwd=tmp_path,
        env=os.environ | {"PYTHONIOENCODING": "utf-8:strict"},
    )
    assert (done.returncode, done.stderr) == (0, b""), done.stderr.decode()[-2000:]
    replies = done.stdout.decode().split("\nbot> ")[1:]
    assert len(replies) == 2 and replies[1].startswith("The library holds 5 reports.")
