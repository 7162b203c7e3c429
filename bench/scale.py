"""Scale: the library at 1x, 4x, 16x and 45x distinct copies of the BBC corpus (1x: 2,124 reports).

    python -m bench.scale [--sizes 1,4,16,45] [--backend postgres|tinydb] [--url URL] [--asks 200]

For each size, a fresh store (PostgreSQL: a new database on `--url`, else on a throwaway server
started as the tests start theirs; TinyDB: a new file) gets the copies (copy i: each report
under `copyi/` with ` (i)` after its title, so no copy is a duplicate; parsed beforehand, so
ingest times storing them and keeping the index current, as `reportbot ingest` does). Then one
`reportbot run` worker polls the Bot API stand-in, and the table gets, per size: ingest
seconds (and the ingesting process's CPU seconds, which other work on the machine stretches
less); start-up (spawn -> the reply to a question sent at once; the index is read, not
rebuilt); the worker's RSS; ask p50/p95 (`--asks` new misspelt questions, one at a time, from
distinct users) and the worker's CPU ms per ask over them (which a busy machine stretches
less than it does the wall-clock p95); `/add` (the admin's message -> the "Stored" reply);
the answers' p99 while an `/add` is committed (20 questions a second for 1.5 s sent from the
moment of the `/add`); and the machine's load average as the row ends (timings are comparable
only at like loads).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from bench.load import ADMIN, REPORT, SHARED, TOKEN, start_bot
from bench.pg import fresh_database, postgres_server
from bench.quality import misspell
from bot.config import INDEX_VARIABLE
from bot.standin import BotApiStandIn, user
from store.library.ingest import find_reports
from store.library.interface import LibraryStore
from store.library.opening import Location, open_store
from store.library.service import Library
from store.reports.article import Article, fingerprint
from store.reports.parser import parse_report

FIRST_USER = 200_000
DURING_ADD = 30  # questions sent while an /add is committed
DURING_ADD_GAP = 0.05  # seconds between them


def corpus() -> list[Article]:
    """The corpus's reports, each once (the corpus repeats some under another name)."""
    candidates, _ = find_reports([SHARED / "corpus" / "bbc"])
    by_digest = {}
    for c in candidates:
        article = parse_report(c.path.read_bytes(), source=c.source, category=c.category)
        by_digest.setdefault(fingerprint(article), article)
    return list(by_digest.values())


def copies(articles: list[Article], times: int) -> Iterator[Article]:
    for i in range(times):
        for article in articles:
            if i == 0:
                yield article
            else:
                yield dataclasses.replace(
                    article, source=f"copy{i}/{article.source}", title=f"{article.title} ({i})"
                )


def ingest(
    store: LibraryStore, articles: list[Article], times: int, index: Path
) -> tuple[int, float, float]:
    """Store the copies as `reportbot ingest` does, keeping the index in `index` current; how
    many, and the seconds it took and this process's CPU seconds (the store's server not
    counted), which a busy machine stretches less."""
    start, cpu = time.perf_counter(), time.process_time()
    library = Library(store, index=False, index_dir=index)
    stored = sum(1 for _ in library.add_many(copies(articles, times)))
    return stored, time.perf_counter() - start, time.process_time() - cpu


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """The CPU seconds process `pid` (all its threads) has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ask(standin: BotApiStandIn, text: str, sender: dict, *, timeout: float = 120.0) -> float:
    """Send `text`; the seconds until its reply."""
    mark = len(standin.calls)
    sent = time.monotonic()
    standin.send_text(text, user=sender)
    reply = standin.wait_for_reply(sender["id"], after=mark, timeout=timeout)
    return reply.at - sent


def measure_worker(
    location: Location, index: Path, questions: list[str], args: argparse.Namespace
) -> dict:
    rng = random.Random(args.seed)
    users = (user(FIRST_USER + n) for n in range(10**6))
    with BotApiStandIn(token=TOKEN) as standin, tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "bot.log"
        spawned = time.monotonic()
        bot = start_bot(standin, location, log, cwd=Path(folder), env={INDEX_VARIABLE: str(index)})
        try:
            first = next(users)
            mark = len(standin.calls)
            standin.send_text(questions[0], user=first)
            reply = standin.wait_for_reply(first["id"], after=mark, timeout=args.startup_timeout)
            startup = reply.at - spawned
            cpu = cpu_seconds(bot.pid)
            asks = [ask(standin, misspell(q, rng), next(users)) for q in questions[: args.asks]]
            ask_cpu = (cpu_seconds(bot.pid) - cpu) / len(asks)
            rss = rss_mb(bot.pid)
            mark = len(standin.calls)
            added_at = time.monotonic()
            standin.send_text(f"/add {REPORT}", user=ADMIN)
            during: list[tuple[dict, float]] = []
            for q in questions[args.asks : args.asks + DURING_ADD]:
                asker = next(users)
                during.append((asker, time.monotonic()))
                standin.send_text(misspell(q, rng), user=asker)
                time.sleep(DURING_ADD_GAP)
            stored = standin.wait_for(
                lambda c: c.chat_id == ADMIN["id"] and "Stored" in (c.text or ""),
                after=mark,
                timeout=120,
            )
            during_ms = [
                (standin.wait_for_reply(asker["id"], after=mark, timeout=120).at - at) * 1000
                for asker, at in during
            ]
        finally:
            bot.send_signal(signal.SIGTERM)
            try:
                bot.wait(60)
            except subprocess.TimeoutExpired:
                bot.kill()
    p50, p95 = np.percentile(np.array(asks) * 1000, [50, 95])
    return {
        "startup": startup,
        "rss": rss,
        "p50": p50,
        "p95": p95,
        "ask_cpu": ask_cpu * 1000,
        "add": stored.at - added_at,
        "during_p99": float(np.percentile(during_ms, 99)),
    }


def fresh_location(backend: str, server_url: str, size: int, folder: Path) -> Location:
    if backend == "tinydb":
        return folder / f"scale-{size}x.json"
    return fresh_database(server_url, f"scale_{size}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,4,16,45", help="copies of the corpus, e.g. 1,4")
    parser.add_argument("--backend", choices=["postgres", "tinydb"], default="postgres")
    parser.add_argument("--url", help="a PostgreSQL server's URL (a database is made per size)")
    parser.add_argument("--asks", type=int, default=200, help="questions timed one at a time")
    parser.add_argument("--ingest-only", action="store_true", help="skip the worker")
    parser.add_argument("--startup-timeout", type=float, default=600.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if not (SHARED / "corpus" / "bbc").is_dir() or not (SHARED / "dev").is_dir():
        print(f"skipped: the BBC corpus is not in {SHARED}", file=sys.stderr)
        return 0
    questions = [
        json.loads(line)["question"]
        for line in (SHARED / "dev" / "questions.jsonl").read_text().splitlines()
        if line.strip()
    ]
    questions = (questions * (1 + (args.asks + DURING_ADD) // len(questions)))[
        : args.asks + DURING_ADD + 1
    ]
    started = time.perf_counter()
    articles = corpus()
    parse_ms = (time.perf_counter() - started) / len(articles) * 1000
    header = (
        f"{'size':>5} {'reports':>8} {'ingest s':>9} {'CPU s':>6} {'start-up s':>11} "
        f"{'RSS MB':>8} {'ask p50 ms':>11} {'ask p95 ms':>11} {'ask CPU ms':>11} {'/add s':>7} "
        f"{'p99 during /add ms':>19} {'load':>5}"
    )
    print(f"backend: {args.backend}; parsing (not in ingest): {parse_ms:.2f} ms a report")
    print(f"{header}\n{'-' * len(header)}", flush=True)
    server = postgres_server(args.url) if args.backend == "postgres" else contextlib.nullcontext("")
    with server as server_url, tempfile.TemporaryDirectory(prefix="reportbot-scale-") as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            location = fresh_location(args.backend, server_url, size, Path(folder))
            index = Path(folder) / f"index-{size}x"
            with open_store(location) as store:
                stored, seconds, cpu = ingest(store, articles, size, index)
            row = f"{size:>4}x {stored:>8} {seconds:>9.1f} {cpu:>6.1f}"
            if not args.ingest_only:
                m = measure_worker(location, index, questions, args)
                row += (
                    f" {m['startup']:>11.1f} {m['rss']:>8.0f} {m['p50']:>11.1f}"
                    f" {m['p95']:>11.1f} {m['ask_cpu']:>11.1f} {m['add']:>7.2f}"
                    f" {m['during_p99']:>19.0f}"
                )
            print(f"{row} {os.getloadavg()[0]:>5.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
