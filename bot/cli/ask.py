"""`reportbot ask`: answer questions from the library, as the bot would or as JSON lines.

reportbot ask "how many people live in idlib"
reportbot ask --json "who warned of a perfect storm"
reportbot ask --json - < questions.txt      # one question a line in, one JSON object a line out
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any

from bot.cli.options import add_db_option, db_path
from bot.formatting import answer_text
from store.library.interface import StoreError
from store.library.opening import is_url, open_store
from store.search.matcher import Matcher, Result


def register(subparsers: argparse._SubParsersAction) -> None:
    ask = subparsers.add_parser(
        "ask",
        help="answer a question from the stored reports",
        description="Answer QUESTION from the library. With --json and QUESTION '-', answer one "
        "question per line of standard input, one JSON object per line.",
    )
    ask.add_argument("question", metavar="QUESTION")
    ask.add_argument("-k", type=int, default=5, help="at most this many results (default 5)")
    ask.add_argument("--json", action="store_true", help="print JSON instead of the reply")
    add_db_option(ask)
    ask.set_defaults(func=ask_command)


def result_record(result: Result) -> dict[str, Any]:
    return {
        "source": result.source,
        "title": result.title,
        "kind": result.kind,
        "text": result.text,
        "speaker": result.speaker,
        "role": result.role,
        "score": result.score,
    }


def ask_command(args: argparse.Namespace) -> int:
    path = db_path(args)
    if not is_url(path) and not path.exists():
        print(f"reportbot: no library at {path}: run `reportbot ingest` first", file=sys.stderr)
        return 2
    try:
        with open_store(path) as store:
            matcher = Matcher(store)
    except StoreError as exc:
        print(f"reportbot: {exc}", file=sys.stderr)
        return 2
    if not args.json:
        results = matcher.search(args.question, k=args.k)
        closest = [] if results else matcher.closest_titles(args.question)
        print(answer_text(results, closest))
        return 0
    questions: Iterable[str] = (
        (line.strip() for line in sys.stdin if line.strip())
        if args.question == "-"
        else [args.question]
    )
    for question in questions:
        results = matcher.search(question, k=args.k)
        record = {"question": question, "results": [result_record(r) for r in results]}
        print(json.dumps(record, ensure_ascii=False), flush=True)
    return 0
