"""`reportbot chat`: the bot's conversation in a terminal, with no token.

The real Application (same handlers, same formatting) runs against the Bot API stand-in on
127.0.0.1; each message typed becomes a message from a private chat, and the bot's replies are
printed as text with their buttons listed. Type a button's label in brackets, e.g. `[More]`,
to press it. The terminal user is an admin, so /add works. Without a store, the bundled sample
reports are loaded into a temporary one.

A message is a line; a line ending in a backslash goes on on the next, and `/add` on a line of
its own takes the lines after it, up to a lone `.`, as one report. Each message waits until the
bot has handled it, whether it replied once, several times or (past the flood guard) not at all.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.app import build_application
from bot.config import Config
from bot.flood import FLOOD_LIMIT
from bot.formatting import counted
from bot.runner import BackgroundBot
from bot.standin import BOT_USER, BotApiStandIn, Call, user
from store.library.ingest import ingest_paths
from store.library.opening import Location, is_url, open_store
from store.library.service import Library
from store.reports.samples import sample_paths

ME = user(1000001, "You", "you")
CHAT_TOKEN = "1000000:terminal-chat-not-a-real-telegram-token"
HANDLING_TIMEOUT = 60.0  # seconds; the bot handles a message in well under one
SHOWN = {"sendMessage": "bot", "editMessageText": "bot (edited)", "sendDocument": "bot (file)"}
PROMPT = "you> "
MORE = "...> "
END_OF_REPORT = "."

Reader = Callable[[str], str | None]  # shows a prompt, returns the line typed or None at the end

WELCOME = f"""\
You are chatting with @{BOT_USER["username"]} through a local stand-in for Telegram.
- Ask anything about the reports, or try /start and /help. Type a button's label in \
brackets to press it, e.g. [More].
- You are an admin here: /add, /remove and /stats work.
- To add a report, type /add on a line of its own, then the report (its first line is the \
title), then a line with only "{END_OF_REPORT}". A line ending in \\ goes on on the next.
- As on Telegram, the bot answers at most {FLOOD_LIMIT} questions a minute \
from one person.
- Inline mode (@{BOT_USER["username"]} question in another chat) can't be tried here.
Ctrl-D leaves."""


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


def messages(read: Reader) -> Iterator[str]:
    """The messages typed: one a line, with continued lines and `/add` reports joined."""
    while (line := read(PROMPT)) is not None:
        if line.strip() == "/add":
            lines = _until_end_of_report(read)
            line = "/add " + "\n".join(lines) if lines else "/add"
        while line.rstrip().endswith("\\") and (more := read(MORE)) is not None:
            line = line.rstrip()[:-1] + "\n" + more
        if line.strip():
            yield line.strip()


def _until_end_of_report(read: Reader) -> list[str]:
    lines: list[str] = []
    while (line := read(MORE)) is not None and line.strip() != END_OF_REPORT:
        lines.append(line)
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines


def from_lines(lines: Iterable[str]) -> Reader:
    """A reader of given lines (a pipe, a test): no prompt shown."""
    rest = iter(lines)

    def read(prompt: str) -> str | None:
        line = next(rest, None)
        return None if line is None else line.rstrip("\n")

    return read


def from_terminal() -> Reader:
    """A reader with a prompt, line editing and history (the standard readline)."""
    import readline  # noqa: F401  (importing it gives input() editing and history)

    def read(prompt: str) -> str | None:
        try:
            return input(prompt)
        except EOFError:
            print()
            return None

    return read


class TerminalChat:
    """One person chatting with the bot through the stand-in."""

    def __init__(self, standin: BotApiStandIn, app: Application) -> None:
        self.standin = standin
        self.with_buttons: list[dict[str, Any]] = []  # the bot's messages that have buttons
        self._sent = 0
        self._handled = 0
        self._changed = threading.Condition()
        # After every other group: runs once the bot is done with an update, replies sent.
        app.add_handler(TypeHandler(Update, self._mark_handled), group=max(app.handlers) + 1)

    async def _mark_handled(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        with self._changed:
            self._handled += 1
            self._changed.notify_all()

    def say(self, text: str) -> list[Call] | None:
        """Send `text` (or press `[Label]`), and return the bot's replies to it; None when
        there is no such button to press."""
        mark = len(self.standin.calls)
        label = text[1:-1].strip().lower() if text.startswith("[") and text.endswith("]") else None
        if label is None:
            self.standin.send_text(text, user=ME)
        elif not self._press(label):
            return None
        with self._changed:
            self._sent += 1
            if not self._changed.wait_for(lambda: self._handled >= self._sent, HANDLING_TIMEOUT):
                raise TimeoutError(f"the bot did not handle a message within {HANDLING_TIMEOUT} s")
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


def run_chat(db: Location, read: Reader, show: Callable[[str], None] = print) -> int:
    # The bot journals each update's id in the store and skips those it has handled, as
    # Telegram may send one again; this stand-in is new each time, so it numbers them on from
    # the clock, in microseconds, past those of every chat before.
    standin = BotApiStandIn(first_update_id=time.time_ns() // 1000)
    with tempfile.TemporaryDirectory() as folder, standin:
        if is_url(db) or Path(db).exists():
            with open_store(db) as store:
                show(f"(answering from {db}: {counted(store.count(), 'report')})")
        else:
            show(f"({db} does not exist: answering from the bundled sample reports)")
            db = sample_store(Path(folder) / "samples.json")
        config = Config(
            token=CHAT_TOKEN,
            admin_ids=frozenset({ME["id"]}),
            db_path=db,
            api_base_url=standin.base_url,
            log_level="WARNING",
        )
        app = build_application(config)
        chat = TerminalChat(standin, app)
        with BackgroundBot(app):
            show(WELCOME)
            for text in messages(read):
                replies = chat.say(text)
                if replies is None:
                    show(f"(there is no button {text} to press)")
                else:
                    show("\n".join(map(render, replies)) or "(no reply)")
    return 0
