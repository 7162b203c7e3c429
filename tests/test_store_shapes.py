"""A store file of a shape reportbot does not know is refused with one line, and left byte for
byte as it was; a file that is migrated is first copied beside itself."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from botprocess import CLI, BotProcess
from conftest import BOT_TOKEN

from bot.cli import main
from bot.standin import BotApiStandIn
from store.library.interface import StoreError
from store.library.store import ReportStore
from store.reports.article import Article

ARTICLE = {
    "source": "a.txt",
    "title": "Harbour wall repaired",
    "category": "",
    "published": None,
    "caption": None,
    "byline": None,
    "paragraphs": ["The wall was repaired on Monday."],
    "sentences": [],
    "quotes": [],
    "digest": "0" * 40,
}
META = {"schema": {"version": 1}}

ODD_STORES = {
    "a JSON array": [ARTICLE],
    "a JSON string": "reportbot",
    "a store without its meta table": {"articles": {"a.txt": ARTICLE}},
    "an article missing fields": {"meta": META, "articles": {"a.txt": {"source": "a.txt"}}},
    "an article that is a list": {"meta": META, "articles": {"a.txt": ["a.txt"]}},
    "a table that is an array": {"meta": META, "articles": [ARTICLE]},
    "a schema version that is text": {"meta": {"schema": {"version": "1"}}, "articles": {}},
    "a schema record that is a number": {"meta": {"schema": 1}, "articles": {}},
    # version 0 had no meta table: migrating this would read no articles and empty the library
    "a schema record of version 0": {
        "meta": {"schema": {"version": 0}},
        "articles": {"a.txt": ARTICLE},
    },
    "an article under another's source": {"meta": META, "articles": {"b.txt": ARTICLE}},
    "a paragraph that is a number": {
        "meta": META,
        "articles": {"a.txt": ARTICLE | {"paragraphs": [1]}},
    },
    "a sentence past the paragraphs": {
        "meta": META,
        "articles": {"a.txt": ARTICLE | {"sentences": [[3, 0, 4]]}},
    },
    "a quote that is text": {"meta": META, "articles": {"a.txt": ARTICLE | {"quotes": ["x"]}}},
    "a quote without its speaker": {
        "meta": META,
        "articles": {"a.txt": ARTICLE | {"quotes": [{"text": "x", "paragraph": 0}]}},
    },
    "a subscription without keywords": {"meta": META, "articles": {}, "subscriptions": {"1": 5}},
    "an admin that is no user id": {"meta": META, "articles": {}, "admins": {"x": {}}},
    # before: an AttributeError traceback
    "a schema record that is text": {"meta": {"schema": "1"}, "articles": {}},
}


def run_list(capsys: pytest.CaptureFixture[str], db: Path) -> tuple[int, str, str]:
    status = main(["list", "--db", str(db)])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("shape", ODD_STORES)
def test_an_odd_store_is_refused_in_one_line_and_left_as_it_was(
    shape: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "reports.json"
    db.write_text(json.dumps(ODD_STORES[shape]))
    before = db.read_bytes()
    status, out, err = run_list(capsys, db)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "is not a store reportbot can use" in err, err
    assert db.read_bytes() == before
    assert {p.name for p in tmp_path.iterdir()} <= {"reports.json", "reports.json.lock"}


@pytest.mark.parametrize(
    "damage",
    [
        b'{"meta": {"sch',
        b"\xff\xfe garbage",
        # JSON of another shape: an AttributeError or a TypeError from each read
        b"[1, 2]",
        b'{"articles": 5}',
        b'{"meta": {"schema": {"version": 1}}, "articles": {"a.txt": 1}}',
        # emptied or removed: read as an empty library, over which the next write committed one
        b"",
        b"null",
        b"{}",
        None,
    ],
)
def test_a_store_damaged_while_open_is_one_store_error_and_left_as_it_was(
    damage: bytes | None, library_db: Path
) -> None:
    with ReportStore(library_db) as store:
        count = store.count()
        if damage is None:
            library_db.unlink()
        else:
            library_db.write_bytes(damage)
        reads = [store.count, store.subscriptions, store.pending_notices, store.refresh]
        for call in [*reads, lambda: store.get("harbour-flood-barrier.txt")]:
            with pytest.raises(StoreError, match=r"^cannot read the store .*library\.json: .+$"):
                call()
        for write in (
            lambda: store.remove("harbour-flood-barrier.txt"),
            lambda: store.add(Article.from_record(ARTICLE)),
            lambda: store.subscribe(5, ["harbour"]),
        ):
            with pytest.raises(StoreError):
                write()
    assert (library_db.read_bytes() if library_db.exists() else None) == damage
    assert count == 5


@pytest.mark.parametrize("outbox", [[], "x", {"outbox": []}, {"outbox": {"k": {"chat_id": 1}}}])
def test_an_odd_outbox_is_refused_in_one_line_and_left_as_it_was(
    outbox: object, library_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sidecar = library_db.with_name(library_db.name + ".outbox.json")
    sidecar.write_text(json.dumps(outbox))
    before = library_db.read_bytes(), sidecar.read_bytes()
    status, _, err = run_list(capsys, library_db)
    assert status == 2
    assert err.count("\n") == 1 and "not a store reportbot can use" in err, err
    assert (library_db.read_bytes(), sidecar.read_bytes()) == before


def test_the_bot_refuses_an_odd_store_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "reports.json"
    db.write_text(json.dumps(ODD_STORES["a store without its meta table"]))
    before = db.read_bytes()
    with BotApiStandIn(token=BOT_TOKEN) as standin:
        env = BotProcess(standin, db, token=BOT_TOKEN).env
        done = subprocess.run(
            [sys.executable, "-c", CLI, "run", "--db", str(db)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if "ERROR" in line or "error" in line]
    assert errors == [done.stderr.splitlines()[-1]], done.stderr
    assert "Traceback" not in done.stderr
    assert db.read_bytes() == before


def test_a_migration_keeps_a_copy_of_the_file_it_changes(tmp_path: Path, library_db: Path):
    db = tmp_path / "old.json"
    old = {"_default": {"1": {k: ARTICLE[k] for k in ("source", "title", "paragraphs")}}}
    db.write_text(json.dumps(old))
    before = db.read_bytes()
    with ReportStore(db) as store:
        assert [a.title for a in store] == ["Harbour wall repaired"]
    assert db.with_name("old.json.v0.bak").read_bytes() == before
    assert json.loads(db.read_text())["meta"] == META
    # a current file is not copied when it is opened or written
    shutil.copyfile(library_db, tmp_path / "current.json")
    with ReportStore(tmp_path / "current.json") as store:
        store.subscribe(5, [])
    assert not list(tmp_path.glob("current.json.*.bak"))
