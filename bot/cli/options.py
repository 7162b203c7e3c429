"""Options shared by several commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.config import DB_VARIABLE, DEFAULT_DB, read_settings, store_path


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"the store file (default: ${DB_VARIABLE}, else ./{DEFAULT_DB})",
    )


def db_path(args: argparse.Namespace) -> Path:
    """--db, else the store `reportbot run` would use, from the environment or `.env`."""
    return args.db if args.db is not None else store_path(read_settings())
