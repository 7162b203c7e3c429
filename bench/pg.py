"""PostgreSQL for the benchmarks: the server at `--url`, or a throwaway one started as the
tests start theirs (tests/pgserver.py), and a fresh database on it per run."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def postgres_server(url: str | None) -> Iterator[str]:
    """`url`, or a throwaway server's URL, stopped afterwards."""
    if url:
        yield url
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from pgserver import PostgresServer, server_bin

    bin_dir = server_bin()
    if bin_dir is None:
        raise SystemExit("no PostgreSQL server: apt-get install postgresql, or pass --url")
    server = PostgresServer(bin_dir).start()
    try:
        yield server.url
    finally:
        server.stop()


def fresh_database(server_url: str, name: str) -> str:
    """The URL of database `name` on the server, dropped and created anew."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + f"/{name}"
