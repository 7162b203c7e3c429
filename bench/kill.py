"""Kill trials: the real bot (`reportbot run`) is SIGKILLed at a chosen moment, restarted, and
what users got is counted.

    python -m bench.kill [--trials 3]

Three kinds of work, each killed at a few points (after the first reply, a quarter, half way):
a burst of questions from as many users, a series of `/add`s from the admin, and a broadcast
of one new report to subscribed chats. After the restart the bench waits until the bot is idle
and counts, per question, `/add` or chat: lost (no reply, report not stored, no notice) and
doubled (more than one). Prints one table.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from botprocess import BotProcess  # noqa: E402

from bot.standin import BotApiStandIn, user  # noqa: E402
from store.library.ingest import ingest_paths  # noqa: E402
from store.library.store import ReportStore  # noqa: E402
from store.reports.samples import sample_paths  # noqa: E402

TOKEN = "424242424:BENCH-token-for-the-stand-in-only-000"
ADMIN = user(1, "Admin")
QUESTIONS = 200
ADDS = 12
CHATS = 200
FIRST_USER = 100_000
FIRST_CHAT = -5_000_000
KILL_AT = (0.05, 0.25, 0.5)  # of the work's replies seen before the kill


@dataclass
class Trial:
    work: str
    kill_at: float
    items: int
    lost: int
    doubled: int


def wait(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def questions(standin: BotApiStandIn, db: Path) -> tuple[int, Callable[[], Counter]]:
    users = [user(FIRST_USER + n, f"U{n}") for n in range(QUESTIONS)]
    for u in users:
        standin.send_text("how many homes were flooded in kellmouth", user=u)

    def replies() -> Counter:
        ids = {u["id"] for u in users}
        got = Counter(c.chat_id for c in standin.delivered(method="sendMessage"))
        return Counter({i: got[i] for i in ids})

    return QUESTIONS, replies


def adds(standin: BotApiStandIn, db: Path) -> tuple[int, Callable[[], Counter]]:
    titles = [f"Council report number {n} on the harbour wall" for n in range(ADDS)]
    for n, title in enumerate(titles):
        standin.send_text(f"/add {title}\n\nThe council met {n} times about the wall.", user=ADMIN)

    def stored() -> Counter:
        # lost: a report never stored; doubled: an /add confirmed more than once
        replies = Counter(
            t
            for c in standin.delivered(chat_id=ADMIN["id"], method="sendMessage")
            for t in titles
            if t in c.text
        )
        with ReportStore(db) as store:
            kept = {a.title for a in store}
        return Counter({t: replies[t] if t in kept else 0 for t in titles})

    return ADDS, stored


def broadcast(standin: BotApiStandIn, db: Path) -> tuple[int, Callable[[], Counter]]:
    chats = [FIRST_CHAT - n for n in range(CHATS)]
    with ReportStore(db) as store, store.batch():
        for chat in chats:
            store.subscribe(chat, [])
    standin.send_text("/add Ferry to the islands resumes\n\nThe ferry sailed again.", user=ADMIN)

    def told() -> Counter:
        got = Counter(
            c.chat_id
            for c in standin.delivered(method="sendMessage")
            if c.text.startswith("New report:")
        )
        return Counter({chat: got[chat] for chat in chats})

    return CHATS, told


WORK = {"questions": questions, "/add": adds, "broadcast": broadcast}


def trial(library: Path, folder: Path, work: str, kill_at: float) -> Trial:
    """One kill and restart, on a fresh copy of the library (and no journal or outbox)."""
    db = Path(tempfile.mkdtemp(dir=folder)) / "library.json"
    shutil.copyfile(library, db)
    with BotApiStandIn(token=TOKEN) as standin:
        bot = BotProcess(standin, db, token=TOKEN, log_level="WARNING").start()
        items, outcome = WORK[work](standin, db)
        seen = max(1, int(items * kill_at))
        if not wait(lambda: sum(1 for n in outcome().values() if n) >= seen, 60):
            raise SystemExit(f"{work}: no progress before the kill\n{bot.log_text()}")
        bot.kill()
        bot = BotProcess(standin, db, token=TOKEN, log_level="WARNING").start()
        wait(lambda: all(outcome().values()), 60)
        standin.wait_until_idle(timeout=60, quiet=1.5)
        bot.stop()
        counts = outcome()
    return Trial(
        work,
        kill_at,
        items,
        lost=sum(1 for n in counts.values() if n == 0),
        doubled=sum(1 for n in counts.values() if n > 1),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=1, help="trials per kill point")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        library = folder / "library.json"
        with ReportStore(library) as store:
            ingest_paths(store, sample_paths())
        rows = [
            trial(library, folder, work, kill_at)
            for work in WORK
            for kill_at in KILL_AT
            for _ in range(args.trials)
        ]
    head = ("killed during", "after", "trials", "items", "lost", "doubled")
    print("{:<13} {:>6} {:>6} {:>6} {:>5} {:>7}".format(*head))
    for work in WORK:
        for kill_at in KILL_AT:
            mine = [r for r in rows if r.work == work and r.kill_at == kill_at]
            print(
                f"{work:<13} {kill_at:>6.0%} {len(mine):>6} {sum(r.items for r in mine):>6} "
                f"{sum(r.lost for r in mine):>5} {sum(r.doubled for r in mine):>7}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
