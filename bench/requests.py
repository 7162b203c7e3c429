"""The CPU one Bot API call costs the bot: python-telegram-bot's HTTPXRequest against our
AiohttpRequest (bot/http.py), each under a PTB `Bot` sending the same sendMessage calls (as a
reply is sent: the parameters encoded, the answer parsed into a Message) to the Bot API
stand-in, which runs in a child process so that its own CPU is not counted.

    python -m bench.requests [--calls 3000] [--concurrency 8]

Prints one table: this process's CPU per call (what a worker spends on each reply it sends) and
the calls a second, for each request class, and the load average (the machine is shared).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

from telegram import Bot
from telegram.constants import ParseMode
from telegram.request import BaseRequest, HTTPXRequest

from bot.http import AiohttpRequest

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "424242424:BENCH-token-for-the-stand-in-only-000"
STANDIN = (
    "import sys, time\n"
    "from bot.standin import BotApiStandIn\n"
    "standin = BotApiStandIn().start()\n"
    "print(standin.base_url, flush=True)\n"
    "sys.stdin.read()\n"
)
TEXT = "An answer of a usual length, with a <b>cited</b> excerpt from a report. " * 8


async def measure(
    request: BaseRequest, url: str, calls: int, concurrency: int
) -> tuple[float, float]:
    """CPU ms per call and calls a second, after a warm-up."""
    bot = Bot(TOKEN, base_url=url, request=request)
    await bot.initialize()
    sent = iter(range(calls))

    async def sender() -> None:
        for n in sent:
            await bot.send_message(5_000_000 + n % 500, TEXT, parse_mode=ParseMode.HTML)

    try:
        await asyncio.gather(*(sender() for _ in range(concurrency)))  # warm-up: all of `calls`
        sent = iter(range(calls))
        cpu, wall = time.process_time(), time.monotonic()
        await asyncio.gather(*(sender() for _ in range(concurrency)))
        cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    finally:
        await bot.shutdown()
    return cpu / calls * 1000, calls / wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8, help="calls in flight at once")
    args = parser.parse_args(argv)
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-c", STANDIN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().decode().strip()
        rows = []
        for name, request in (
            ("httpx (PTB's HTTPXRequest)", HTTPXRequest(connection_pool_size=args.concurrency)),
            ("aiohttp (AiohttpRequest)", AiohttpRequest(connection_pool_size=args.concurrency)),
        ):
            cpu_ms, rate = asyncio.run(measure(request, url, args.calls, args.concurrency))
            rows.append((name, f"{cpu_ms:.2f}", f"{rate:.0f}"))
    finally:
        server.kill()
        server.wait()
    print(f"{'request class':<28} {'CPU ms/call':>12} {'calls/s':>9}")
    print("-" * 51)
    for name, cpu_ms, rate in rows:
        print(f"{name:<28} {cpu_ms:>12} {rate:>9}")
    print(f"{args.calls} sendMessage calls, {args.concurrency} at once, against the stand-in")
    print(f"load average (1 min) {os.getloadavg()[0]:.2f} (2 cores, shared)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
