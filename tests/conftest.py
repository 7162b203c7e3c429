"""Fixtures shared by the whole suite: where the read-only material in ../shared lives, the
bot over real HTTP with its users, and the one way to wait for something."""

from __future__ import annotations

import bisect
import contextlib
import itertools
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.standin import BotApiStandIn, Call, group_chat, user

T = TypeVar("T")
_databases = itertools.count()
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not found: the shared corpus must sit beside the project root")
    return path


@pytest.fixture(scope="session")
def bbc_dir() -> Path:
    return _require(SHARED / "corpus" / "bbc")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return _require(SHARED / "corpus" / "seed" / "idlib-offensive.txt")


@pytest.fixture(scope="session")
def dev_dir() -> Path:
    return _require(SHARED / "dev")


# ---- the Telegram bot over real HTTP: a Bot API stand-in and the real Application ----------

BOT_TOKEN = "123456789:TEST-token-for-the-stand-in-000000000"
ADMIN = user(1, "Ada", "ada")  # an admin of the bot the `bot` fixture runs
ALICE = user(101, "Alice")
BOB = user(102, "Bob")
MALLORY = user(202, "Mallory")  # a stranger, up to no good


@pytest.fixture(scope="session")
def sample_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample reports, ingested once; tests copy the file and change the copy."""
    from store.library.ingest import ingest_paths
    from store.library.service import Library
    from store.reports.samples import sample_paths

    path = tmp_path_factory.mktemp("library") / "samples.json"
    with Library.open(path, index=False) as library:
        ingest_paths(library, sample_paths())
    return path


@pytest.fixture
def library_db(sample_library: Path, tmp_path: Path) -> Path:
    import shutil

    path = tmp_path / "library.json"
    shutil.copyfile(sample_library, path)
    return path


@pytest.fixture
def standin():
    from standin_hooks import HookedStandIn

    with HookedStandIn(token=BOT_TOKEN) as server:
        yield server


@pytest.fixture
def start_bot(standin, library_db: Path):
    """start_bot(admin_ids=..., db=...) runs the real bot, polling the stand-in; stopped after."""
    from bot.app import build_application
    from bot.config import Config
    from bot.runner import BackgroundBot

    running = []

    def start(
        *, admin_ids: tuple[int, ...] = (ADMIN["id"],), db: Path = library_db
    ) -> BackgroundBot:
        config = Config(
            token=BOT_TOKEN,
            admin_ids=frozenset(admin_ids),
            db_path=db,
            api_base_url=standin.base_url,
        )
        bot = BackgroundBot(build_application(config)).start()
        running.append(bot)
        return bot

    yield start
    for bot in running:
        bot.stop()


@pytest.fixture
def bot(start_bot):
    """The real bot, polling the stand-in, with ADMIN as its admin and the sample library."""
    return start_bot()


def ask(
    standin: BotApiStandIn,
    text: str,
    who: dict[str, Any] = ALICE,
    chat: dict[str, Any] | None = None,
) -> Call:
    """`who` writes `text` (in `chat`, or to the bot directly); the bot's reply there."""
    mark = len(standin.calls)
    standin.send_text(text, user=who, chat=chat)
    return standin.wait_for_reply((chat or who)["id"], after=mark)


def subscribe_group(standin: BotApiStandIn, chat_id: int, keywords: str = "") -> None:
    """ALICE, an admin of group `chat_id`, subscribes it to reports (about `keywords`)."""
    standin.set_member_status(chat_id, ALICE["id"], "administrator")
    group = group_chat(chat_id, f"Group {chat_id}")
    assert ask(standin, f"/subscribe {keywords}".strip(), chat=group).text.startswith("Subscribed")


# ---- waiting -----------------------------------------------------------------------------------


def eventually(
    condition: Callable[[], T],
    *,
    what: str,
    timeout: float = 10.0,
    alive: Callable[[], bool] = lambda: True,
    log: Callable[[], str] = str,
    every: float = 0.02,
) -> T:
    """Poll `condition` until it is truthy, and return its value. Fails after `timeout` s, or
    as soon as what it waits on is no longer `alive`, saying `what` and the `log`. Looks
    `every` so many seconds."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert alive(), f"died while waiting for {what}:\n{log()}"
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s\n{log()}"
        time.sleep(every)
    return value


def most_in_any(window: float, times: list[float]) -> int:
    """The most of `times` inside any `window` seconds."""
    times = sorted(times)
    ends = (bisect.bisect_left(times, at + window) - n for n, at in enumerate(times))
    return max(ends, default=0)


# ---- a real PostgreSQL, started once per session; each test gets its own database ----------


@pytest.fixture(scope="session")
def postgres_server():
    from pgserver import PostgresServer, server_bin

    bin_dir = server_bin()
    if bin_dir is None:
        reason = "no PostgreSQL server (apt-get install postgresql) to test the PostgreSQL store"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    server = PostgresServer(bin_dir).start()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """The URL of a new, empty database."""
    import psycopg

    name = f"test_{next(_databases)}"
    with psycopg.connect(postgres_server.url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return postgres_server.url_of(name)


@pytest.fixture
def postgres_library(postgres_url: str) -> str:
    """A new PostgreSQL database holding the bundled sample reports."""
    from store.library.ingest import ingest_paths
    from store.library.opening import open_store
    from store.reports.samples import sample_paths

    with open_store(postgres_url) as store:
        ingest_paths(store, sample_paths())
    return postgres_url


@pytest.fixture(params=["tinydb", "postgres"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Each store backend in turn: a new TinyDB file, then a new PostgreSQL database."""
    if request.param == "postgres":
        return request.getfixturevalue("postgres_url")
    return tmp_path / "library.json"


@pytest.fixture
def closing() -> Iterator[contextlib.ExitStack]:
    """closing.enter_context(store) closes it after the test (a PostgreSQL store holds a pool
    and may run a listening thread)."""
    with contextlib.ExitStack() as stack:
        yield stack
