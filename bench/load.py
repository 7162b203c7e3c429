"""Load: the real bot (`reportbot run`, i.e. `build_application`) against the Bot API stand-in.

    python -m bench.load [--users 500] [--questions 20000] [--rate 110] [--chats 1000] [--typos]
                         [--workers N [--url postgresql://...]]

The stand-in runs in this process on 127.0.0.1 and the bot in a child process, polling it. The
store holds the whole BBC corpus (ingested into a temporary store first, or copied from
`--db`). With `--workers N` (N > 1), N bot processes share a PostgreSQL library (a new database
on `--url`, else on a throwaway server started as the tests start theirs) in webhook mode, and
each update is posted to the next worker in turn, as a reverse proxy would. Simulated users
send questions from ../shared/dev/questions.jsonl at a steady `--rate`,
round robin, for `--questions` in all (with `--typos`, each one with two seeded typos as in
bench/quality.py, so that almost every question is new to the bot's cache of recent results and
the engine does its whole work every time); halfway an admin adds a report that `--chats` subscribed
chats must be told about. Prints one table: questions/s sustained, reply latency (the question
sent -> the reply arriving at the stand-in), replies missing and duplicated,
notices delivered and their peak rate, the bot's peak RSS and CPU, the workers' CPU time per
answered question (which other load on the machine affects less than the rate), how long
their event loops waited for a core that other processes held, this process's own CPU (the
stand-in and the load), the CPU other processes took meanwhile (PostgreSQL's among them), how
long a webhook took to take an update, and the load average. Stops by itself: waits at most
`--grace` seconds for stragglers once every question is sent.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench.pg import fresh_database, postgres_server
from bench.quality import misspell
from bot.standin import BotApiStandIn, Call, user
from store.library.ingest import ingest_paths
from store.library.opening import Location
from store.library.service import Library

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "tests"))

from botprocess import CLI, free_port, listening  # noqa: E402

TOKEN = "424242424:BENCH-token-for-the-stand-in-only-000"
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
WEBHOOK_SECRET = "bench-secret-shared-by-the-workers"
TELEGRAM_CONNECTIONS = 40  # setWebhook's max_connections default: posts in flight at once
WEBHOOK_HEADERS = {
    "Content-Type": "application/json",
    "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET,
}


class TimedStandIn(BotApiStandIn):
    """The stand-in, noting when each message was sent (in polling mode, queued for getUpdates:
    a bot busy answering may fetch it later, and the user waits meanwhile)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sent: dict[tuple[int, int], float] = {}

    def send_text(self, text: str, **where: Any) -> dict[str, Any]:
        message = super().send_text(text, **where)
        self.sent[(message["chat"]["id"], message["message_id"])] = time.monotonic()
        return message


@dataclass
class Usage:
    """The bot process's peak RSS and CPU, sampled once a second."""

    pid: int
    peak_rss_mb: float = 0.0
    own_cpu_seconds: float = 0.0  # this process's, over the same span
    peak_cpu: float = 0.0
    cpu_seconds: float = 0.0
    wall: float = 0.0
    # the main thread (the event loop's) runnable but waiting for a core another process had
    waiting_seconds: float = 0.0
    machine_cpu_seconds: float = 0.0  # every process's on the machine, over the same span

    def sample_until(self, stop: threading.Event) -> None:
        started = last_at = time.monotonic()
        first_cpu = last_cpu = self._cpu()
        own_first = time.process_time()
        first_wait = self._waiting()
        machine_first = machine_cpu()
        while not stop.wait(1.0):
            try:
                cpu, now = self._cpu(), time.monotonic()
                self.peak_rss_mb = max(self.peak_rss_mb, self._peak_rss_mb())
            except (OSError, IndexError):  # the bot is gone
                return
            self.peak_cpu = max(self.peak_cpu, (cpu - last_cpu) / (now - last_at) * 100)
            self.cpu_seconds, self.wall = cpu - first_cpu, now - started
            self.own_cpu_seconds = time.process_time() - own_first
            self.waiting_seconds = self._waiting() - first_wait
            self.machine_cpu_seconds = machine_cpu() - machine_first
            last_cpu, last_at = cpu, now

    def _cpu(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def _waiting(self) -> float:
        return int(Path(f"/proc/{self.pid}/schedstat").read_text().split()[1]) / 1e9

    def _peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0


def machine_cpu() -> float:
    """CPU seconds every process on the machine has used (/proc/stat: all but idle and iowait)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def prepare_store(location: Location, source: Path | None, chats: int) -> None:
    """The BBC corpus (or a copy of the file `source`) plus `chats` subscribed chats, half by
    keyword."""
    if source is not None:
        shutil.copyfile(source, location)
    with Library.open(location, index=False) as library:
        if source is None:
            ingest_paths(library, [SHARED / "corpus" / "bbc"])
        with library.store.batch():
            for n in range(chats):
                library.subscribe(FIRST_CHAT + n, ["tidal power"] if n % 2 else [])


def start_bot(
    standin: BotApiStandIn, db: Location, log: Path, *, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """`reportbot run` on `db`, in `cwd` (away from any .env of the developer's), with `env`
    over the settings of this process's environment that are not reportbot's."""
    ours = ("TELEGRAM_", "ADMIN_IDS", "REPORTBOT_", "WEBHOOK_", "LOG_LEVEL")
    settings = {k: v for k, v in os.environ.items() if not k.startswith(ours)} | {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "ADMIN_IDS": str(ADMIN["id"]),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-c", CLI, "run", "--db", str(db)],
        cwd=cwd,
        env=settings | (env or {}),
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


Send = Callable[[str, dict[str, Any]], None]


def questions_sent(count: int, seed: int, typos: bool) -> list[str]:
    """The questions the load sends, in order: the dev questions round robin, each with two
    typos seeded by `seed` (`bench.quality.misspell`) when `typos`."""
    dev = [
        json.loads(line)["question"]
        for line in (SHARED / "dev" / "questions.jsonl").read_text().splitlines()
        if line.strip()
    ]
    rng = random.Random(seed)
    asked = (dev[n % len(dev)] for n in range(count))
    return [misspell(question, rng) if typos else question for question in asked]


def feed(send: Send, questions: list[str], args: argparse.Namespace) -> float:
    """Send `questions` at `args.rate`, round robin over the users; the admin's report
    halfway. Returns when the report was sent."""
    users = [user(FIRST_USER + n) for n in range(args.users)]
    start = time.monotonic()
    report_at = 0.0
    for n, question in enumerate(questions):
        delay = start + n / args.rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if n == len(questions) // 2:
            send(f"/add {REPORT}", ADMIN)
            report_at = time.monotonic()
        send(question, users[n % len(users)])
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


def standin_cpu(usages: list[Usage]) -> float:
    longest = max(usages, key=lambda u: u.wall)
    return longest.own_cpu_seconds / longest.wall * 100 if longest.wall else float("nan")


def others_cpu(usages: list[Usage]) -> float:
    """The CPU % that neither the workers nor this process used: other work on the machine
    (and, with PostgreSQL, its server)."""
    longest = max(usages, key=lambda u: u.wall)
    ours = sum(u.cpu_seconds for u in usages) + longest.own_cpu_seconds
    return (longest.machine_cpu_seconds - ours) / longest.wall * 100 if longest.wall else 0.0


def peak_per_second(times: list[float]) -> int:
    times = sorted(times)
    peak, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= 1.0:
            first += 1
        peak = max(peak, last - first + 1)
    return peak


def table(
    standin: TimedStandIn,
    args: argparse.Namespace,
    usages: list[Usage],
    report_at: float,
    handover_ms: list[float],
) -> str:
    replies: dict[tuple[int, int], list[Call]] = defaultdict(list)
    notices: dict[int, list[Call]] = defaultdict(list)
    for call in standin.delivered(method="sendMessage"):
        chat = call.chat_id or 0
        if chat >= FIRST_CHAT and call.text.startswith(NOTICE_PREFIX):
            notices[chat].append(call)
        elif FIRST_USER <= chat < FIRST_CHAT and call.replies_to is not None:
            replies[(chat, call.replies_to)].append(call)
    asked = {key: at for key, at in standin.sent.items() if key[0] >= FIRST_USER}
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
    wall = max(u.wall for u in usages)
    cpu_mean = sum(u.cpu_seconds for u in usages) / wall * 100 if wall else float("nan")
    waiting = sum(u.waiting_seconds for u in usages) / wall * 100 if wall else float("nan")
    cpu_per_answer = sum(u.cpu_seconds for u in usages) / len(replies) * 1000 if replies else 0
    handover = np.percentile(handover_ms, 95) if handover_ms else float("nan")
    rows = [
        ("bot workers", f"{args.workers}", "webhook" if args.workers > 1 else "polling"),
        ("store", "PostgreSQL" if args.workers > 1 or args.url or args.postgres else "TinyDB", ""),
        ("questions sent", f"{args.questions}", f"{args.users} users, {args.rate:g}/s offered"),
        ("questions with typos", "all" if args.typos else "none", "new to the cache if all"),
        ("questions/s sustained", f"{len(firsts) / span:.1f}", f">= {100 * args.workers}"),
        ("reply latency p50 ms", f"{p50:.0f}", ""),
        ("reply latency p95 ms", f"{p95:.0f}", "<= 250"),
        ("reply latency p99 ms", f"{p99:.0f}", ""),
        ("replies missing", f"{args.questions - len(replies)}", "0"),
        ("replies duplicated", f"{duplicated}", "0"),
        ("notices delivered/expected", f"{len(notices)}/{args.chats}", "all"),
        ("notices sent twice", f"{sum(len(c) > 1 for c in notices.values())}", "0"),
        ("notice peak rate /s", f"{peak_per_second(notice_times)}", "<= 30"),
        ("all notices out after s", f"{told_in:.1f}", ""),
        ("peak RSS MB per worker", f"{max(u.peak_rss_mb for u in usages):.0f}", "<= 500"),
        ("CPU % mean (all workers)", f"{cpu_mean:.0f}", "100 = one core"),
        ("worker CPU ms per answer", f"{cpu_per_answer:.1f}", "all workers' CPU / answers"),
        ("worker waiting for a core %", f"{waiting:.0f}", "runnable, the cores busy elsewhere"),
        ("stand-in + load CPU %", f"{standin_cpu(usages):.0f}", "this process, same span"),
        ("webhook hand-over p95 ms", f"{handover:.0f}", "POST to its answer"),
        ("other processes' CPU %", f"{others_cpu(usages):.0f}", "same span; PostgreSQL too"),
        ("load average (1 min)", f"{os.getloadavg()[0]:.2f}", "2 cores, shared"),
    ]
    lines = [f"{'metric':<28} {'value':>12}  target", "-" * 62]
    lines += [f"{name:<28} {value:>12}  {target}" for name, value, target in rows]
    return "\n".join(lines)


class Proxy:
    """Posts each update to the next worker's webhook, as a reverse proxy would, noting when
    each message was handed over. Posts go from a pool of threads, so that a slow answer to
    one post does not hold back the offered rate: as many as Telegram keeps open to a webhook
    by default (setWebhook's max_connections), over all the workers."""

    def __init__(self, standin: TimedStandIn, ports: list[int]) -> None:
        self.standin = standin
        self.turn = itertools.cycle(ports)
        self.ids = itertools.count(1)
        self.posters = ThreadPoolExecutor(max_workers=TELEGRAM_CONNECTIONS)
        self.local = threading.local()
        self.handover_ms: list[float] = []  # each POST until the worker answered it

    def __call__(self, text: str, sender: dict[str, Any]) -> None:
        message = self.standin.text_message(text, user=sender)
        key = (message["chat"]["id"], message["message_id"])
        self.standin.sent[key] = time.monotonic()
        body = json.dumps({"update_id": next(self.ids), "message": message})
        self.posters.submit(self._post, next(self.turn), body)

    def _post(self, port: int, body: str) -> None:
        connections = self.local.__dict__.setdefault("connections", {})
        if port not in connections:
            connections[port] = http.client.HTTPConnection("127.0.0.1", port)
        start = time.monotonic()
        connections[port].request("POST", "/telegram", body, WEBHOOK_HEADERS)
        connections[port].getresponse().read()
        self.handover_ms.append((time.monotonic() - start) * 1000)


def start_workers(
    standin: BotApiStandIn, location: Location, count: int, workdir: Path, log: Path | None
) -> tuple[list[subprocess.Popen[bytes]], Send]:
    """One polling bot; or `count` webhook workers and the proxy in front of them."""
    if count == 1:
        bot = start_bot(standin, location, log or workdir / "bot.log", cwd=workdir)
        return [bot], lambda text, sender: standin.send_text(text, user=sender) and None
    ports = [free_port() for _ in range(count)]
    bots = [
        start_bot(
            standin,
            location,
            workdir / f"worker{n}.log",
            cwd=workdir,
            env={
                "WEBHOOK_URL": "http://127.0.0.1/telegram",
                "WEBHOOK_PORT": str(port),
                "WEBHOOK_SECRET": WEBHOOK_SECRET,
            },
        )
        for n, port in enumerate(ports)
    ]
    for port, bot in zip(ports, bots, strict=True):
        if not wait_until(lambda port=port: listening(port), timeout=300, bot=bot):
            raise SystemExit(f"no worker listens on port {port} after 300 s")
    return bots, Proxy(standin, ports)


def run(args: argparse.Namespace, workdir: Path) -> str:
    questions = questions_sent(args.questions, args.seed, args.typos)
    shared = args.workers > 1 or args.url or args.postgres
    with postgres_server(args.url) if shared else contextlib.nullcontext("") as server:
        location: Location = fresh_database(server, "load") if shared else workdir / "library.json"
        print("preparing the store ...", file=sys.stderr)
        prepare_store(location, args.db, args.chats)
        with TimedStandIn(token=TOKEN) as standin:
            bots, send = start_workers(standin, location, args.workers, workdir, args.log)
            usages = [Usage(bot.pid) for bot in bots]
            stop = threading.Event()
            samplers = [
                threading.Thread(target=u.sample_until, args=(stop,), daemon=True) for u in usages
            ]
            try:

                def started() -> bool:
                    return sum(c.method == "setMyCommands" for c in standin.calls) >= len(bots)

                if not wait_until(started, timeout=120, bot=bots[0]):
                    raise SystemExit("the bot did not start within 120 s")
                for sampler in samplers:
                    sampler.start()
                print(f"sending {args.questions} questions ...", file=sys.stderr)
                report_at = feed(send, questions, args)
                print("waiting for the last replies and notices ...", file=sys.stderr)
                wait_until(lambda: finished(standin, args), timeout=args.grace, bot=bots[0])
            finally:
                stop.set()
                for sampler in samplers:
                    sampler.join()
                for bot in bots:
                    bot.send_signal(signal.SIGTERM)
                for bot in bots:
                    try:
                        bot.wait(30)
                    except subprocess.TimeoutExpired:
                        bot.kill()
                        bot.wait()
            return table(
                standin,
                args,
                usages,
                report_at,
                send.handover_ms if isinstance(send, Proxy) else [],
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--questions", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=110.0, help="questions offered per second")
    parser.add_argument("--chats", type=int, default=1000, help="subscribed chats to tell")
    parser.add_argument("--grace", type=float, default=120.0, help="seconds to wait at the end")
    parser.add_argument("--typos", action="store_true", help="two seeded typos per question")
    parser.add_argument("--seed", type=int, default=4, help="for the typos")
    parser.add_argument("--db", type=Path, help="a store file with the corpus already ingested")
    parser.add_argument("--workers", type=int, default=1, help="bot processes (webhook if > 1)")
    parser.add_argument("--url", help="a PostgreSQL server for the library (a database is made)")
    parser.add_argument(
        "--postgres", action="store_true", help="PostgreSQL even for one worker (implied by > 1)"
    )
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
