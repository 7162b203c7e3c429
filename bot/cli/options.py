"""Options shared by several commands."""

from __future__ import annotations

import argparse
import os

from bot.config import DEFAULT_DB
from store.library.opening import Location, parse_location


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=parse_location,
        default=None,
        help="the store: a file, or a postgresql:// URL "
        f"(default: $REPORTBOT_DB, else ./{DEFAULT_DB})",
    )


def db_path(args: argparse.Namespace) -> Location:
    """--db, else $REPORTBOT_DB, else the default file in the current folder."""
    if args.db is not None:
        return args.db
    return parse_location(os.environ.get("REPORTBOT_DB") or DEFAULT_DB)
