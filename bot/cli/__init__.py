"""The `reportbot` command line: a thin layer over the store, the matcher and the bot.

Each command module adds its subcommands with `register(subparsers)`; a subcommand sets
`func(args) -> int`, the process exit status. The settings (environment over `.env`) are read
once, here, for every command; a `StoreError` or `ConfigError` ends any command the same way.
"""

from __future__ import annotations

import argparse
import os
import sys

from bot.cli import ask, library, telegram
from bot.cli.options import fail
from bot.config import ConfigError, read_settings
from store.library.interface import StoreError


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
    try:
        args.settings = read_settings()
        return args.func(args)
    except (StoreError, ConfigError) as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        # Ctrl-C: what was committed stays (each commit is whole); no traceback, the shell's 130.
        return 130
    except BrokenPipeError:
        # The reader went away (`reportbot export | head`): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
