"""`open_store(location)`: a postgresql:// URL opens the PostgreSQL store, anything else is the
path of a TinyDB file. A URL is never taken for a path (`Path` would fold its `//`)."""

from __future__ import annotations

import os
from pathlib import Path

from store.library.interface import LibraryStore

URL_SCHEMES = ("postgresql://", "postgres://")

Location = str | Path


def is_url(location: str | os.PathLike[str]) -> bool:
    return isinstance(location, str) and location.startswith(URL_SCHEMES)


def parse_location(text: str | os.PathLike[str]) -> Location:
    """What `--db` or `REPORTBOT_DB` names: a URL kept as text, else a file path."""
    return text if is_url(text) else Path(text)


def open_store(location: str | os.PathLike[str], *, listen: bool = False) -> LibraryStore:
    """The store at `location`. With `listen`, a PostgreSQL store follows other processes'
    changes as they commit (a file is followed by calling `refresh()`)."""
    if is_url(location):
        from store.library.postgres import PostgresStore  # psycopg loads only when used

        return PostgresStore(str(location), listen=listen)
    from store.library.store import ReportStore

    return ReportStore(location)
