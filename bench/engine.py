"""The engine's CPU per answer on the questions `bench.load --typos` sends, without the bot.

    python -m bench.engine [--questions 800] [--warm 1000] [--seed 4] [--index DIR]
                           [--profile FILE] [--dump FILE]
    valgrind --tool=callgrind --instr-atstart=no python -m bench.engine --index DIR --callgrind

The whole BBC library in memory; the dev questions, round robin, each with two seeded typos
(`bench.load.questions_sent`, the questions `bench.load` sends), each answered as the bot answers it
(`bot.answers.answer_page`: the first page of results, or the closest reports when there are
none), in one chat per user as the load's private chats are, so that each is new to the caches
and follow-ups are read as the bot reads them. A first pass of `--warm` questions with other
typos fills the caches of articles and sentences, as a long-running worker's are. Timed by
process CPU, not wall time, so that other work on the host moves the numbers little. `--profile`
writes cProfile's statistics of the timed pass; `--dump` writes each question's reply, one JSON
line each, to compare the answers of two versions of the engine. Timings on a host shared with
other work still swing by a fifth: `--callgrind`, under valgrind as above, counts the
instructions of the timed pass alone (callgrind's "Collected" total), which stay within a few in
a thousand; `--index` keeps the index on disk, so that such a run reads it, not builds it.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import subprocess
import time
from pathlib import Path

import numpy as np

from bench.load import questions_sent
from bench.quality import load_articles
from bot.answers import answer_page
from store.search.conversation import Conversation
from store.search.matcher import Matcher

USERS = 1000  # as `bench.load --users 1000`: each user's questions are a chat's


def _callgrind(counting: bool, state: str) -> None:
    if counting:
        subprocess.run(["callgrind_control", f"--instr={state}", str(os.getpid())], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=800)
    parser.add_argument("--warm", type=int, default=1000, help="questions asked untimed first")
    parser.add_argument("--seed", type=int, default=4, help="for the typos, as bench.load's")
    parser.add_argument("--profile", type=Path, help="write cProfile's statistics here")
    parser.add_argument("--dump", type=Path, help="write each question's reply here")
    parser.add_argument("--index", type=Path, help="the index's directory, built when missing")
    parser.add_argument("--callgrind", action="store_true", help="count the timed pass only")
    args = parser.parse_args(argv)

    start = time.process_time()
    if args.index and args.index.is_dir():
        matcher = Matcher(directory=args.index)
    else:
        matcher = Matcher(load_articles(), directory=args.index)
    conversation = Conversation(matcher)
    conversation.matcher.prepare()
    build = time.process_time() - start
    for n, question in enumerate(questions_sent(args.warm, args.seed + 1, typos=True)):
        answer_page(conversation, ("warm", n % USERS), question)

    asked = questions_sent(args.questions, args.seed, typos=True)
    profile = cProfile.Profile() if args.profile else None
    cpu, answers = [], []
    _callgrind(args.callgrind, "on")
    for n, question in enumerate(asked):
        if profile:
            profile.enable()
        start = time.process_time()
        html, _ = answer_page(conversation, n % USERS, question)
        cpu.append((time.process_time() - start) * 1000)
        if profile:
            profile.disable()
        answers.append([question, html])
    _callgrind(args.callgrind, "off")
    if profile and args.profile:
        profile.dump_stats(args.profile)
    if args.dump:
        args.dump.write_text("".join(json.dumps(a) + "\n" for a in answers))

    p50, p95 = np.percentile(cpu, [50, 95])
    print(f"{'questions':>9} {'start_cpu_s':>11} {'p50_cpu_ms':>10} {'mean_cpu_ms':>11}", end="")
    print(f" {'p95_cpu_ms':>10}")
    print(f"{len(asked):>9} {build:>11.1f} {p50:>10.2f} {np.mean(cpu):>11.2f} {p95:>10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
