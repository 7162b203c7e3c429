"""Load: the real bot (`reportbot run`, i.e. `build_application`) against the Bot API stand-in.

    python -m bench.load [--users 500] [--questions 20000] [--rate 110] [--chats 1000] [--typos]

The stand-in runs in this process on 127.0.0.1 and the bot in a child process, polling it. The
store holds the whole BBC corpus (ingested into a temporary store first, or copied from
`--db`). Simulated users send questions from ../shared/dev/questions.jsonl at a steady `--rate`,
round robin, for `--questions` in all (with `--typos`, each one with two seeded typos as in
bench/quality.py, so that almost every question is new to the bot's cache of recent results and
the engine does its whole work every time); halfway an admin adds a report that `--chats` subscribed
chats must be told about. Prints one table: questions/s sustained, reply latency (the update
handed to the bot -> the reply arriving at the stand-in), replies missing and duplicated,
notices delivered and their peak rate, the bot's peak RSS and CPU. Stops by itself: waits at
most `--grace` seconds for stragglers once every question is sent.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench.quality import misspell
from bot.standin import BotApiStandIn, Call, user
from bot.standin.methods import Answer
from store.library.ingest import ingest_paths
from store.library.service import Library

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TOKEN = "424242424:BENCH-token-for-the-stand-in-only-000"
CLI = "import sys; from bot.cli import main; sys.exit(main(sys.argv[1:]))"
ADMIN = user(1, "Admin")
FIRST_USER = 100_000
FIRST_CHAT = 5_000_000
NOTICE_PREFIX = "New report:"
REPORT = (
    "Harbour town switches on tidal power plant\n\n"
    "The harbour town of Kelmouth switched on its tidal power plant on Tuesday, the first of "
    "its kind on the coast.\n\n"
    '"This is a proud day for the town," mayor Ann Tregarth said at the opening.'
)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class TimedStandIn(BotApiStandIn):
    """The stand-in, noting when each message update was first handed to the bot."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.served: dict[tuple[int, int], float] = {}

    def handle(self, method: str, params: dict[str, Any]) -> Answer:
        status, answer = super().handle(method, params)
        if method == "getUpdates" and answer is not None and answer.get("ok"):
            now = time.monotonic()
            for update in answer["result"]:
                message = update.get("message")
                if message:
                    self.served.setdefault((message["chat"]["id"], message["message_id"]), now)
        return status, answer


@dataclass
class Usage:
    """The bot process's peak RSS and CPU, sampled once a second."""

    pid: int
    peak_rss_mb: float = 0.0
    peak_cpu: float = 0.0
    cpu_seconds: float = 0.0
    wall: float = 0.0

    def sample_until(self, stop: threading.Event) -> None:
        started = last_at = time.monotonic()
        first_cpu = last_cpu = self._cpu()
        while not stop.wait(1.0):
            try:
                cpu, now = self._cpu(), time.monotonic()
                self.peak_rss_mb = max(self.peak_rss_mb, self._peak_rss_mb())
            except (OSError, IndexError):  # the bot is gone
                return
            self.peak_cpu = max(self.peak_cpu, (cpu - last_cpu) / (now - last_at) * 100)
            self.cpu_seconds, self.wall = cpu - first_cpu, now - started
            last_cpu, last_at = cpu, now

    def _cpu(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def _peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0


def prepare_store(path: Path, source: Path | None, chats: int) -> None:
    """The BBC corpus (or a copy of `source`) plus `chats` subscribed chats, half by keyword."""
    if source is not None:
        shutil.copyfile(source, path)
    with Library.open(path, index=False) as library:
        if source is None:
            ingest_paths(library, [SHARED / "corpus" / "bbc"])
        with library.store.batch():
            for n in range(chats):
                library.subscribe(FIRST_CHAT + n, ["tidal power"] if n % 2 else [])


def start_bot(standin: BotApiStandIn, db: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "ADMIN_IDS": str(ADMIN["id"]),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("WEBHOOK_URL", None)
    return subprocess.Popen(
        [sys.executable, "-c", CLI, "run", "--db", str(db)],
        cwd=db.parent,  # away from any .env of the developer's
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )


def wait_until(condition: Any, *, timeout: float, bot: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if bot.poll() is not None:
            raise SystemExit(f"the bot exited with status {bot.returncode}")
        time.sleep(0.5)
    return False


def feed(standin: BotApiStandIn, questions: list[str], args: argparse.Namespace) -> float:
    """Send the questions at `args.rate`, round robin over the users; the admin's report
    halfway. Returns when the report was sent."""
    users = [user(FIRST_USER + n) for n in range(args.users)]
    rng = random.Random(args.seed)
    start = time.monotonic()
    report_at = 0.0
    for n in range(args.questions):
        delay = start + n / args.rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if n == args.questions // 2:
            standin.send_text(f"/add {REPORT}", user=ADMIN)
            report_at = time.monotonic()
        question = questions[n % len(questions)]
        if args.typos:
            question = misspell(question, rng)
        standin.send_text(question, user=users[n % len(users)])
    return report_at


def finished(standin: BotApiStandIn, args: argparse.Namespace) -> bool:
    """Every question has a reply and every subscribed chat a message."""
    replied, told = set(), set()
    for call in standin.delivered(method="sendMessage"):
        chat = call.chat_id or 0
        if chat >= FIRST_CHAT:
            told.add(chat)
        elif chat >= FIRST_USER:
            replied.add((chat, call.replies_to))
    return len(replied) >= args.questions and len(told) >= args.chats


def peak_per_second(times: list[float]) -> int:
    times = sorted(times)
    peak, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= 1.0:
            first += 1
        peak = max(peak, last - first + 1)
    return peak


def table(standin: TimedStandIn, args: argparse.Namespace, usage: Usage, report_at: float) -> str:
    replies: dict[tuple[int, int], list[Call]] = defaultdict(list)
    notices: dict[int, list[Call]] = defaultdict(list)
    for call in standin.delivered(method="sendMessage"):
        chat = call.chat_id or 0
        if chat >= FIRST_CHAT and call.text.startswith(NOTICE_PREFIX):
            notices[chat].append(call)
        elif FIRST_USER <= chat < FIRST_CHAT and call.replies_to is not None:
            replies[(chat, call.replies_to)].append(call)
    asked = {key: at for key, at in standin.served.items() if key[0] >= FIRST_USER}
    latencies = [
        (min(c.at for c in replies[key]) - at) * 1000 for key, at in asked.items() if key in replies
    ]
    duplicated = sum(
        1 for calls in replies.values() if max(Counter(c.html for c in calls).values()) > 1
    )
    firsts = [min(c.at for c in calls) for calls in replies.values()]
    span = (max(firsts) - min(asked.values())) if firsts else float("nan")
    p50, p95, p99 = np.percentile(latencies, [50, 95, 99]) if latencies else [float("nan")] * 3
    notice_times = [calls[0].at for calls in notices.values()]
    told_in = (max(notice_times) - report_at) if notice_times else float("nan")
    cpu_mean = usage.cpu_seconds / usage.wall * 100 if usage.wall else float("nan")
    rows = [
        ("questions sent", f"{args.questions}", f"{args.users} users, {args.rate:g}/s offered"),
        ("questions with typos", "all" if args.typos else "none", "new to the cache if all"),
        ("questions/s sustained", f"{len(firsts) / span:.1f}", ">= 100"),
        ("reply latency p50 ms", f"{p50:.0f}", ""),
        ("reply latency p95 ms", f"{p95:.0f}", "<= 250"),
        ("reply latency p99 ms", f"{p99:.0f}", ""),
        ("replies missing", f"{args.questions - len(replies)}", "0"),
        ("replies duplicated", f"{duplicated}", "0"),
        ("notices delivered/expected", f"{len(notices)}/{args.chats}", "all"),
        ("notices sent twice", f"{sum(len(c) > 1 for c in notices.values())}", "0"),
        ("notice peak rate /s", f"{peak_per_second(notice_times)}", "<= 30"),
        ("all notices out after s", f"{told_in:.1f}", ""),
        ("bot peak RSS MB", f"{usage.peak_rss_mb:.0f}", "<= 500"),
        ("bot CPU % mean / peak", f"{cpu_mean:.0f} / {usage.peak_cpu:.0f}", "100 = one core"),
    ]
    lines = [f"{'metric':<28} {'value':>12}  target", "-" * 62]
    lines += [f"{name:<28} {value:>12}  {target}" for name, value, target in rows]
    return "\n".join(lines)


def run(args: argparse.Namespace, workdir: Path) -> str:
    questions = [
        json.loads(line)["question"]
        for line in (SHARED / "dev" / "questions.jsonl").read_text().splitlines()
        if line.strip()
    ]
    db = workdir / "library.json"
    print("preparing the store ...", file=sys.stderr)
    prepare_store(db, args.db, args.chats)
    with TimedStandIn(token=TOKEN) as standin:
        bot = start_bot(standin, db, args.log or workdir / "bot.log")
        usage = Usage(bot.pid)
        stop = threading.Event()
        sampler = threading.Thread(target=usage.sample_until, args=(stop,), daemon=True)
        try:
            if not wait_until(lambda: standin.commands, timeout=120, bot=bot):
                raise SystemExit("the bot did not start within 120 s")
            sampler.start()
            print(f"sending {args.questions} questions ...", file=sys.stderr)
            report_at = feed(standin, questions, args)
            print("waiting for the last replies and notices ...", file=sys.stderr)
            wait_until(lambda: finished(standin, args), timeout=args.grace, bot=bot)
        finally:
            stop.set()
            sampler.join()
            bot.send_signal(signal.SIGTERM)
            try:
                bot.wait(30)
            except subprocess.TimeoutExpired:
                bot.kill()
                bot.wait()
        return table(standin, args, usage, report_at)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--questions", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=110.0, help="questions offered per second")
    parser.add_argument("--chats", type=int, default=1000, help="subscribed chats to tell")
    parser.add_argument("--grace", type=float, default=120.0, help="seconds to wait at the end")
    parser.add_argument("--typos", action="store_true", help="two seeded typos per question")
    parser.add_argument("--seed", type=int, default=4, help="for the typos")
    parser.add_argument("--db", type=Path, help="a store with the corpus already ingested")
    parser.add_argument("--log", type=Path, help="keep the bot's log (WARNING and up) here")
    args = parser.parse_args(argv)
    if not (SHARED / "corpus" / "bbc").is_dir() or not (SHARED / "dev").is_dir():
        print(f"skipped: ../shared/corpus not found: {SHARED} is missing", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="reportbot-load-") as workdir:
        print(run(args, Path(workdir)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
