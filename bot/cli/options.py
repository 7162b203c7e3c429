"""Options shared by several commands."""

from __future__ import annotations

import argparse

from bot.config import DB_VARIABLE, DEFAULT_DB, read_settings, store_path
from store.library.opening import Location, parse_location


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=parse_location,
        default=None,
        help=f"the store: a file, or a postgresql:// URL (default: ${DB_VARIABLE}, "
        f"else ./{DEFAULT_DB})",
    )


def db_path(args: argparse.Namespace) -> Location:
    """--db, else the store `reportbot run` would use, from the environment or `.env`."""
    return args.db if args.db is not None else store_path(read_settings())
