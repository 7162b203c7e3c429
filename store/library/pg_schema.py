"""The PostgreSQL store's tables, as numbered migrations applied once each, in order.

`schema_migrations` records every version applied. `migrate` runs under an advisory lock, so
workers starting together apply each migration once; a database whose newest version is past
`MIGRATIONS` was written by a newer reportbot and is refused.
"""

from __future__ import annotations

import psycopg

# Never edit a migration that has shipped: add the next one.
MIGRATIONS: dict[int, str] = {
    1: """
        CREATE SEQUENCE IF NOT EXISTS positions;  -- the order of stored articles, subscriptions
        CREATE TABLE IF NOT EXISTS articles (
            source text PRIMARY KEY,
            digest text NOT NULL,  -- schema.fingerprint: equal text under another source
            record jsonb NOT NULL,  -- Article.to_record()
            position bigint NOT NULL DEFAULT nextval('positions')
        );
        CREATE INDEX IF NOT EXISTS articles_digest ON articles (digest);
        CREATE INDEX IF NOT EXISTS articles_position ON articles (position);
        -- Each article write appends its source here, read by the other processes' refresh().
        CREATE TABLE IF NOT EXISTS library_changes (
            id bigserial PRIMARY KEY,
            source text NOT NULL,
            at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX IF NOT EXISTS library_changes_at ON library_changes (at);
        CREATE TABLE IF NOT EXISTS subscriptions (
            chat_id bigint PRIMARY KEY,
            keywords text[] NOT NULL,
            position bigint NOT NULL DEFAULT nextval('positions')
        );
        CREATE TABLE IF NOT EXISTS admins (user_id bigint PRIMARY KEY);
        CREATE TABLE IF NOT EXISTS notices (
            chat_id bigint NOT NULL,
            source text NOT NULL REFERENCES articles ON DELETE CASCADE,
            position bigserial,
            arrival text NOT NULL DEFAULT '',  -- the add_many call that queued it, if any
            claimed_until timestamptz,  -- a sender holds it until then
            PRIMARY KEY (chat_id, source)
        );
        CREATE INDEX IF NOT EXISTS notices_position ON notices (position);
        -- Arrivals still being committed: their notices wait until open_until, which each of
        -- the writer's commits pushes on, so a writer that dies holds them back a while only.
        CREATE TABLE IF NOT EXISTS arrivals (
            name text PRIMARY KEY,
            open_until timestamptz NOT NULL
        );
        CREATE TABLE IF NOT EXISTS flood (
            user_id bigint PRIMARY KEY,
            times float8[] NOT NULL DEFAULT '{}',  -- questions inside the window (epoch seconds)
            warned float8
        );
    """,
    2: """
        -- The update journal: Telegram updates taken and not yet handled (body set), and the
        -- ids of the latest handled ones (finished; body gone), so none is handled twice.
        CREATE TABLE IF NOT EXISTS updates (
            update_id bigint PRIMARY KEY,
            body jsonb,
            finished boolean NOT NULL DEFAULT false
        );
        CREATE INDEX IF NOT EXISTS updates_unfinished ON updates (update_id) WHERE NOT finished;
    """,
    3: """
        -- Slots of messages sent in bulk (store/library/pace.py), shared by every worker: when
        -- each was taken and given back, in epoch seconds of the server's clock.
        CREATE TABLE IF NOT EXISTS send_slots (
            id bigserial PRIMARY KEY,
            taken float8 NOT NULL,
            given_back float8
        );
    """,
    4: """
        -- Each slot is in a lane (store/library/pace.py): 0 for a message sent in bulk, else the
        -- group chat's id; a message in both takes a slot in each.
        ALTER TABLE send_slots ADD COLUMN IF NOT EXISTS lane bigint NOT NULL DEFAULT 0;
        CREATE INDEX IF NOT EXISTS send_slots_lane ON send_slots (lane);
        -- Telegram's retry_after (store/library/holds.py): no request to chat_id (0: to any
        -- chat) until `until`, in epoch seconds of the server's clock.
        CREATE TABLE IF NOT EXISTS send_holds (
            chat_id bigint PRIMARY KEY,
            until float8 NOT NULL
        );
    """,
}
LATEST = max(MIGRATIONS)
_LOCK = 0x7265706F  # the advisory lock key of schema changes ("repo")


class NewerSchema(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(f"was written by a newer reportbot (schema {version}): upgrade it")


def migrate(conn: psycopg.Connection) -> int:
    """Bring the database up to `LATEST`; the version it was at before."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
        current = row[0] if row else 0
        if current > LATEST:
            raise NewerSchema(current)
        for version in range(current + 1, LATEST + 1):
            conn.execute(MIGRATIONS[version])
            conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (version,))
    return current
