"""Options shared by several commands."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

DEFAULT_DB = Path("reportbot.json")


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"the store file (default: $REPORTBOT_DB, else ./{DEFAULT_DB})",
    )


def db_path(args: argparse.Namespace) -> Path:
    """--db, else $REPORTBOT_DB, else the default file in the current folder."""
    if args.db is not None:
        return args.db
    return Path(os.environ.get("REPORTBOT_DB") or DEFAULT_DB)
