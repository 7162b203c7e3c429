"""Crash safety: a writer killed at any instant leaves the store whole, with all it committed."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import eventually

from store.library.interface import BATCH_SIZE
from store.library.store import ReportStore

FILES = 12 * BATCH_SIZE
CLI = "import sys; from bot.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Many small reports in the BBC layout, in topic folders."""
    root = tmp_path_factory.mktemp("corpus")
    for n in range(FILES):
        folder = root / ("business", "sport", "tech")[n % 3]
        folder.mkdir(exist_ok=True)
        (folder / f"{n:04d}.txt").write_text(
            f"Report number {n} on the markets\n\n"
            f"Shares rose {n % 97}% on Monday after the firm reported {n} new customers.\n\n"
            f'"We are delighted with report {n}," chief executive Jane Doe said.\n'
        )
    return root


def start_ingest(corpus: Path, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CLI, "ingest", str(corpus), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def committed_sources(db: Path) -> set[str]:
    return {article.source for article in ReportStore(db)} if db.exists() else set()


def wait_for_commits(db: Path, proc: subprocess.Popen[str], at_least: int) -> set[str]:
    def enough() -> set[str]:
        sources = committed_sources(db)
        return sources if len(sources) >= at_least else set()

    return eventually(
        enough,
        what=f"{at_least} reports committed",
        timeout=60,
        alive=lambda: proc.poll() is None,
        log=lambda: str(proc.communicate()),
    )


def test_sigkill_mid_ingest_keeps_every_committed_article(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "library.json"
    proc = start_ingest(corpus, db)
    committed = wait_for_commits(db, proc, BATCH_SIZE)
    assert proc.poll() is None, "the ingest ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    store = ReportStore(db)
    stored = {article.source for article in store}
    assert committed <= stored
    assert len(stored) < FILES
    assert all(article.paragraphs and article.quotes for article in store)
    assert list(tmp_path.glob("*.tmp")) == []

    resumed = subprocess.run(
        [sys.executable, "-c", CLI, "ingest", str(corpus), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout == (
        f"stored {FILES - len(stored)}, updated 0, duplicates {len(stored)}, rejected 0\n"
    )
    assert ReportStore(db).count() == FILES


def test_backup_taken_during_an_ingest_is_whole(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "library.json"
    proc = start_ingest(corpus, db)
    wait_for_commits(db, proc, 1)
    reader = ReportStore(db)
    backups = []
    while proc.poll() is None:
        backups.append(tmp_path / f"backup-{len(backups)}.json")
        reader.backup(backups[-1])
        time.sleep(0.05)
    assert proc.wait() == 0
    assert len(backups) >= 2
    for backup in backups:
        copy = ReportStore(backup)
        count = sum(1 for article in copy if article.paragraphs)
        # Each commit is a whole batch, so a consistent copy holds whole batches only.
        assert count == copy.count()
        assert count % BATCH_SIZE == 0 or count == FILES


WRITER = """
import sys
from store.library.storage import AtomicJSONStorage
storage = AtomicJSONStorage(sys.argv[1])
n = 0
while True:
    storage.write({"t": {str(i): {"n": n, "pad": "x" * 200} for i in range(5000)}})
    n += 1
"""


@pytest.mark.parametrize("run", range(5))
def test_storage_killed_mid_write_leaves_a_whole_file(tmp_path: Path, run: int) -> None:
    path = tmp_path / "data.json"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)])
    eventually(path.exists, what="a first write", alive=lambda: proc.poll() is None)
    time.sleep(random.Random(run).uniform(0.05, 0.4))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    table = json.loads(path.read_text())["t"]
    assert len(table) == 5000
    assert len({doc["n"] for doc in table.values()}) == 1


def test_a_commit_removes_its_own_leftovers_not_a_sidecar_being_written(tmp_path: Path) -> None:
    db = tmp_path / "library.json"
    store = ReportStore(db)
    leftover = tmp_path / ".library.json.k1ll3dx9.tmp"  # a writer killed mid-write
    in_flight = tmp_path / ".library.json.updates.json.w7it1ngx.tmp"  # the journal, writing
    leftover.write_text("{")
    in_flight.write_text("{")
    store.subscribe(5, [])
    assert not leftover.exists()
    assert in_flight.exists()
