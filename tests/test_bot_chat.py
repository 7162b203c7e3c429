"""`reportbot chat`: the real bot in a terminal, through the stand-in, with no token."""

from __future__ import annotations

from pathlib import Path

from bot.chat import run_chat


def test_chat_answers_from_the_samples_when_there_is_no_store(tmp_path: Path):
    shown: list[str] = []
    lines = ["/start", "when will the barrier open", "[More]", "[Nonsense]", "/add"]
    assert run_chat(tmp_path / "missing.json", lines, shown.append) == 0
    banner, hello, answer, more, pressed_nothing, add_usage = shown[1:]
    assert banner.startswith("Ask me about the reports")
    assert "answering from the bundled sample reports" in shown[0]
    assert hello.startswith("bot> Hello!")
    assert "March 2027" in answer and "<b>" not in answer
    assert answer.endswith("[More] [Full report]")
    assert more.startswith("bot (edited)> ")
    assert pressed_nothing == "(no reply)"
    assert add_usage.startswith("bot> Usage: /add TEXT")  # the terminal user is an admin
    assert not (tmp_path / "missing.json").exists()
