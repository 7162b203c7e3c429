"""`reportbot chat`: the bot's conversation in a terminal, with no token.

The real Application (same handlers, same formatting) runs against the Bot API stand-in on
127.0.0.1; each typed line becomes a message from a private chat, and the bot's replies are
printed as text with their buttons listed. Type a button's label in brackets, e.g. `[More]`,
to press it. The terminal user is an admin, so /add works. Without a store, the bundled sample
reports are loaded into a temporary one.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bot.app import build_application
from bot.config import Config
from bot.runner import BackgroundBot
from bot.standin import BotApiStandIn, Call, user
from store.library.ingest import ingest_paths
from store.library.service import Library
from store.reports.samples import sample_paths

ME = user(1000001, "You", "you")
CHAT_TOKEN = "1000000:terminal-chat-not-a-real-telegram-token"
REPLY_TIMEOUT = 30.0
SHOWN = {"sendMessage": "bot", "editMessageText": "bot (edited)", "sendDocument": "bot (file)"}


def sample_store(path: Path) -> Path:
    with Library.open(path, index=False) as library:
        ingest_paths(library, sample_paths())
    return path


def render(call: Call) -> str:
    """A reply as the terminal shows it: who, the text, then the buttons in brackets."""
    lines = [f"{SHOWN[call.method]}> {call.text}"]
    if call.buttons:
        lines.append("   " + " ".join(f"[{b['text']}]" for b in call.buttons))
    return "\n".join(lines)


class TerminalChat:
    """One person chatting with the bot through the stand-in."""

    def __init__(self, standin: BotApiStandIn) -> None:
        self.standin = standin
        self.with_buttons: list[dict[str, Any]] = []  # the bot's messages that have buttons

    def say(self, line: str) -> list[Call]:
        """Send `line` (or press `[Label]`), and return the bot's replies to it."""
        mark = len(self.standin.calls)
        label = line[1:-1].strip().lower() if line.startswith("[") and line.endswith("]") else None
        if label is None:
            self.standin.send_text(line, user=ME)
        elif not self._press(label):
            return []
        self.standin.wait_for(lambda call: True, after=mark, timeout=REPLY_TIMEOUT)
        self.standin.wait_until_idle(timeout=REPLY_TIMEOUT)
        replies = [
            call
            for call in self.standin.calls[mark:]
            if call.ok and call.method in SHOWN and call.chat_id == ME["id"]
        ]
        self.with_buttons += [c.result for c in replies if c.buttons and isinstance(c.result, dict)]
        return replies

    def _press(self, label: str) -> bool:
        for message in reversed(self.with_buttons):
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"].lower() == label and "callback_data" in button:
                        self.standin.click(message, button["callback_data"], user=ME)
                        return True
        return False


def run_chat(db: Path, lines: Iterable[str], show: Callable[[str], None] = print) -> int:
    with tempfile.TemporaryDirectory() as folder, BotApiStandIn() as standin:
        if not db.exists():
            show(f"({db} does not exist: answering from the bundled sample reports)")
            db = sample_store(Path(folder) / "samples.json")
        config = Config(
            token=CHAT_TOKEN,
            admin_ids=frozenset({ME["id"]}),
            db_path=db,
            api_base_url=standin.base_url,
            log_level="WARNING",
        )
        with BackgroundBot(build_application(config)):
            chat = TerminalChat(standin)
            show("Ask me about the reports (Ctrl-D to leave). Try /start or /help.")
            for line in lines:
                if line.strip():
                    replies = chat.say(line.strip())
                    show("\n".join(map(render, replies)) or "(no reply)")
    return 0
