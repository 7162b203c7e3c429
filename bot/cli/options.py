"""What several commands share: the store option, opening the store, and a one-line error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.config import DB_VARIABLE, DEFAULT_DB, INDEX_VARIABLE, index_location, store_path
from store.library.interface import LibraryStore, StoreError
from store.library.opening import Location, is_url, open_store, parse_location


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=_location,
        default=None,
        help=f"the store: a file, or a postgresql:// URL (default: ${DB_VARIABLE}, "
        f"else ./{DEFAULT_DB})",
    )


def _location(text: str) -> Location:
    try:
        return parse_location(text)
    except StoreError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def db_path(args: argparse.Namespace) -> Location:
    """--db, else the store `reportbot run` would use, from the settings (environment over .env)
    that the command line read once."""
    return args.db if args.db is not None else store_path(args.settings)


def index_path(args: argparse.Namespace) -> Path:
    """Where the index of the command's store lives (see `index_location`)."""
    return index_location(db_path(args), args.settings.get(INDEX_VARIABLE))


def existing_store(args: argparse.Namespace) -> LibraryStore:
    """The store the command names, which must exist: reading or removing creates nothing."""
    path = db_path(args)
    if not is_url(path) and not Path(path).exists():
        raise StoreError(f"there is no store at {path}: run `reportbot ingest PATH` first")
    return open_store(path)


def fail(message: str, status: int = 2) -> int:
    """Say what went wrong in one line on standard error; return the exit status."""
    print(f"reportbot: error: {message}", file=sys.stderr)
    return status
