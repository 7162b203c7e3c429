"""`open_store(location)`: a postgresql:// URL opens the PostgreSQL store, anything else is the
path of a TinyDB file. A URL is never taken for a path (`Path` would fold its `//`)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from store.library.interface import LibraryStore, StoreError

URL_SCHEMES = ("postgresql://", "postgres://")
_ANY_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")

Location = str | Path


def is_url(location: str | os.PathLike[str]) -> bool:
    return isinstance(location, str) and location.startswith(URL_SCHEMES)


def parse_location(text: str | os.PathLike[str]) -> Location:
    """What `--db` or `REPORTBOT_DB` names: a URL kept as text, else a file path. A URL of
    another scheme (`mysql://`, a misspelt `postgresq://`) is a StoreError: taken for a path,
    it would become nested folders (`mysql:/host/db`) holding a new, empty store."""
    if is_url(text):
        return text
    if isinstance(text, str) and (url := _ANY_URL.match(text)):
        raise StoreError(
            f"the store {url.group(1)}://... is neither a file nor a postgresql:// URL"
        )
    return Path(text)


def open_store(location: str | os.PathLike[str], *, listen: bool = False) -> LibraryStore:
    """The store at `location`. With `listen`, a PostgreSQL store follows other processes'
    changes as they commit (a file is followed by calling `refresh()`)."""
    if is_url(location):
        from store.library.postgres import PostgresStore  # psycopg loads only when used

        return PostgresStore(str(location), listen=listen)
    from store.library.store import ReportStore

    return ReportStore(location)
