"""`reportbot ask`: answer questions from the library, as the bot would or as JSON lines.

reportbot ask "how many people live in idlib"
reportbot ask --json "who warned of a perfect storm"
reportbot ask --json - < questions.txt      # one question a line in, one JSON object a line out
reportbot ask --json --conversation - < chat.txt   # each line may follow up the one before
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any

from bot.answers import MAX_QUESTION, TOO_LONG
from bot.cli.options import add_db_option, existing_store, fail, index_path
from bot.formatting import answer_text
from store.library.service import Library
from store.search.conversation import Conversation
from store.search.matcher import Result

CHAT = "stdin"  # the one conversation of --conversation


def register(subparsers: argparse._SubParsersAction) -> None:
    ask = subparsers.add_parser(
        "ask",
        help="answer a question from the stored reports",
        description="Answer QUESTION from the library. With --json and QUESTION '-', answer one "
        "question per line of standard input, one JSON object per line.",
    )
    ask.add_argument(
        "question",
        metavar="QUESTION",
        help="the question; with --json, '-': one a line of standard input",
    )
    ask.add_argument("-k", type=_positive, default=5, help="at most this many results (default 5)")
    ask.add_argument("--json", action="store_true", help="print JSON instead of the reply")
    ask.add_argument(
        "--conversation",
        action="store_true",
        help="with --json -, read the lines as one conversation: a follow-up ('and when?', "
        "'what else did he say?') is answered from the reports of the question before it, as "
        "the bot does in a chat; without it, each line is answered on its own",
    )
    add_db_option(ask)
    ask.set_defaults(func=ask_command, parser=ask)


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


def _positive(text: str) -> int:
    number = int(text) if text.lstrip("-").isdigit() else 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return number


def ask_command(args: argparse.Namespace) -> int:
    # (argparse's own errors come before the store is opened; these do too)
    if args.conversation and not (args.json and args.question == "-"):
        args.parser.error("--conversation needs --json and QUESTION '-'")
    if args.question == "-" and not args.json:
        args.parser.error("QUESTION '-' (a question a line from standard input) needs --json")
    with existing_store(args) as store:
        matcher = Library(store, index_dir=index_path(args)).matcher
    if not args.json:
        if len(args.question) > MAX_QUESTION:
            return fail(TOO_LONG)
        results = matcher.search(args.question, k=args.k)
        closest = [] if results else matcher.closest_titles(args.question)
        print(answer_text(results, closest))
        return 0
    sys.stdin.reconfigure(errors="replace")  # a byte that is not UTF-8 is no reason to stop
    questions: Iterable[str] = (
        (line.strip() for line in sys.stdin if line.strip())
        if args.question == "-"
        else [args.question]
    )
    conversation = Conversation(matcher) if args.conversation else None
    for question in questions:
        record: dict[str, Any] = {"question": question, "results": []}
        if len(question) > MAX_QUESTION:
            record["error"] = TOO_LONG
        else:
            results = (
                conversation.ask(CHAT, question, k=args.k)
                if conversation
                else matcher.search(question, k=args.k)
            )
            record["results"] = [result_record(r) for r in results]
        print(json.dumps(record, ensure_ascii=False), flush=True)
    return 0
