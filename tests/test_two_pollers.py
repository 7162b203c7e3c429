"""Two processes polling with one token: Telegram answers the older poll 409 Conflict, and that
bot stops with one clear error instead of sending from the shared outbox beside the other."""

from __future__ import annotations

import shutil
from pathlib import Path

from botprocess import BotProcess
from conftest import BOT_TOKEN, eventually

from bot.standin import BotApiStandIn, user

ALICE = user(101, "Alice")


def test_a_second_poller_stops_the_first_with_a_clear_error(
    standin: BotApiStandIn, library_db: Path
) -> None:
    first = BotProcess(standin, library_db, token=BOT_TOKEN).start()
    other_db = library_db.with_name("other.json")
    shutil.copyfile(library_db, other_db)
    second = BotProcess(standin, other_db, token=BOT_TOKEN)
    try:
        second.start()
        eventually(lambda: not first.alive(), what="the first bot to stop", log=first.log_text)
        assert first.proc is not None and first.proc.returncode == 1
        last = first.log_text().strip().splitlines()[-1]
        assert last.startswith("reportbot: error: another process is taking this bot's updates")
        assert "Traceback" not in first.log_text()
        mark = len(standin.calls)
        standin.send_text("how many homes were flooded in kellmouth", user=ALICE)
        assert "310 homes" in standin.wait_for_reply(ALICE["id"], after=mark).text
        assert second.alive()
    finally:
        first.kill()
        assert second.stop() == 0, second.log_text()
