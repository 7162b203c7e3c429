"""The `reportbot` command line: a thin layer over the store, the matcher and the bot.

Each command module adds its subcommands with `register(subparsers)`; a subcommand sets
`func(args) -> int`, the process exit status.
"""

from __future__ import annotations

import argparse
import sys

from bot.cli import ask, library, telegram


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reportbot",
        description="Answer questions about a library of news reports, on Telegram or here.",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for module in (library, ask, telegram):
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
