"""`reportbot ingest|export|list|remove|backup`: exact output, exit codes, bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main
from store.library.store import ReportStore
from store.reports.parser import MAX_REPORT_BYTES, RejectedReport, parse_report
from store.reports.samples import sample_paths

INTERRUPTIBLE = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from bot.cli import main; sys.exit(main(sys.argv[1:]))"
)
REPORT = 'Bank holds rates at 4%\n\nThe bank held rates on {day}.\n\n"We wait," said Ann Lee.\n'


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def reason(path: Path) -> str:
    with pytest.raises(RejectedReport) as caught:
        parse_report(path.read_bytes(), source=path.name)
    return str(caught.value)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "library.json"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    for source, day in (("sport/125.txt", "Monday"), ("business/7.txt", "Tuesday")):
        (root / source).parent.mkdir(parents=True, exist_ok=True)
        (root / source).write_text(REPORT.format(day=day))
    return root


def test_ingest_a_tree_names_sources_and_categories(capsys, db: Path, tree: Path) -> None:
    assert run(capsys, "ingest", tree, "--db", db) == (
        0,
        "stored 2, updated 0, duplicates 0, rejected 0\n",
        "",
    )
    store = ReportStore(db)
    assert [(a.source, a.category) for a in store] == [
        ("business/7.txt", "business"),
        ("sport/125.txt", "sport"),
    ]
    assert store.get("sport/125.txt").title == "Bank holds rates at 4%"


def test_a_folders_readme_and_hidden_files_are_not_reports(capsys, db: Path, tree: Path) -> None:
    (tree / "README.TXT").write_text("Consists of 2 documents from a news website.\n")
    (tree / ".drafts").mkdir()
    (tree / ".drafts" / "9.txt").write_text(REPORT.format(day="Friday"))
    assert run(capsys, "ingest", tree, "--db", db)[:2] == (
        0,
        "stored 2, updated 0, duplicates 0, rejected 0\n",
    )
    assert run(capsys, "ingest", tree / "README.TXT", "--db", db)[:2] == (
        0,
        "stored 1, updated 0, duplicates 0, rejected 0\n",
    )


def test_ingest_a_file_names_it_by_its_name(capsys, db: Path, tree: Path) -> None:
    status, out, _ = run(capsys, "ingest", tree / "sport" / "125.txt", "--db", db)
    assert (status, out) == (0, "stored 1, updated 0, duplicates 0, rejected 0\n")
    assert [(a.source, a.category) for a in ReportStore(db)] == [("125.txt", "")]


def test_reingest_reports_duplicates_and_updates(capsys, db: Path, tree: Path) -> None:
    run(capsys, "ingest", tree, "--db", db)
    assert run(capsys, "ingest", tree, "--db", db)[1] == (
        "stored 0, updated 0, duplicates 2, rejected 0\n"
    )
    (tree / "sport" / "125.txt").write_text(REPORT.format(day="Friday"))
    assert run(capsys, "ingest", tree, "--db", db)[1] == (
        "stored 0, updated 1, duplicates 1, rejected 0\n"
    )
    assert "Friday" in ReportStore(db).get("sport/125.txt").paragraphs[0]


def test_bad_files_are_rejected_with_reasons_and_the_rest_kept(
    capsys, db: Path, tree: Path, tmp_path: Path
) -> None:
    run(capsys, "ingest", tree, "--db", db)
    before = {a.source: a for a in ReportStore(db)}
    bad = tmp_path / "bad"
    bad.mkdir()
    files = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t\n",
        "nul.txt": b"Title\n\nText\x00with\x00nul\x00bytes",
        "late-nul.txt": b"Title\n\n" + b"word " * 20_000 + b"\x00",
        "image.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "huge.txt": b"Title\n\n" + b"word " * (MAX_REPORT_BYTES // 5 + 1),
        "empty.html": b"<html><head><script>var x = 1;</script></head><body></body></html>",
    }
    for name, data in files.items():
        (bad / name).write_bytes(data)
    (bad / "latin1.txt").write_bytes("Fares rise\n\nA ticket now costs \xa34.\n".encode("cp1252"))
    status, out, err = run(capsys, "ingest", bad, "--db", db)
    assert status == 1
    assert err == ""
    expected = [f"rejected {bad / name}: {reason(bad / name)}" for name in sorted(files)]
    assert out.splitlines() == ["stored 1, updated 0, duplicates 0, rejected 7", *expected]
    store = ReportStore(db)
    assert {s: store.get(s) for s in before} == before
    assert store.get("latin1.txt").paragraphs == ["A ticket now costs £4."]


def test_missing_path_is_rejected(capsys, db: Path, tmp_path: Path) -> None:
    assert run(capsys, "ingest", tmp_path / "nope", "--db", db) == (
        1,
        "stored 0, updated 0, duplicates 0, rejected 1\n"
        f"rejected {tmp_path / 'nope'}: no such file or folder\n",
        "",
    )


def test_db_comes_from_the_environment(capsys, db: Path, tree: Path, monkeypatch) -> None:
    monkeypatch.setenv("REPORTBOT_DB", str(db))
    assert run(capsys, "ingest", tree)[0] == 0
    assert ReportStore(db).count() == 2


def test_export_prints_one_json_object_per_article(capsys, db: Path, tree: Path) -> None:
    run(capsys, "ingest", tree / "sport" / "125.txt", "--db", db)
    status, out, err = run(capsys, "export", "--db", db)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert list(record) == ["source", "title", "category", "published", "paragraphs", "quotes"]
    assert record["source"] == "125.txt"
    assert record["paragraphs"] == ["The bank held rates on Monday.", '"We wait," said Ann Lee.']
    stored = ReportStore(db).get("125.txt").quotes
    assert record["quotes"] == [
        {"text": q.text, "speaker": q.speaker, "role": q.role, "paragraph": q.paragraph}
        for q in stored
    ]
    assert [(q["speaker"], q["paragraph"]) for q in record["quotes"]] == [("Ann Lee", 1)]


def test_list_and_remove(capsys, db: Path, tree: Path) -> None:
    run(capsys, "ingest", tree, "--db", db)
    assert run(capsys, "list", "--db", db) == (
        0,
        "business/7.txt\tBank holds rates at 4%\nsport/125.txt\tBank holds rates at 4%\n",
        "",
    )
    assert run(capsys, "remove", "sport/125.txt", "--db", db) == (0, "removed sport/125.txt\n", "")
    assert run(capsys, "remove", "sport/125.txt", "--db", db) == (
        1,
        "",
        f"reportbot: error: no report 'sport/125.txt' in {db}\n",
    )
    assert [a.source for a in ReportStore(db)] == ["business/7.txt"]


def test_list_of_an_empty_store(capsys, db: Path, tree: Path) -> None:
    run(capsys, "ingest", tree / "sport", "--db", db)
    run(capsys, "remove", "125.txt", "--db", db)
    assert run(capsys, "list", "--db", db) == (0, "", f"no reports in {db}\n")


@pytest.mark.parametrize(
    "command", [["list"], ["export"], ["remove", "sport/125.txt"], ["backup", "copy.json"]]
)
def test_without_a_store_a_command_says_so_and_creates_nothing(
    capsys, tmp_path: Path, monkeypatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REPORTBOT_DB", raising=False)
    assert run(capsys, *command) == (
        2,
        "",
        "reportbot: error: there is no store at reportbot.json: run `reportbot ingest PATH` "
        "first\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_every_command_reads_the_store_named_in_dotenv(
    capsys, tmp_path: Path, tree: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REPORTBOT_DB", raising=False)
    (tmp_path / ".env").write_text("REPORTBOT_DB=from-dotenv.json\n")
    assert run(capsys, "ingest", tree / "sport")[0] == 0
    assert run(capsys, "list")[1] == "125.txt\tBank holds rates at 4%\n"
    assert run(capsys, "ask", "when did the bank hold rates")[1].startswith("The bank held")
    assert (tmp_path / "from-dotenv.json").exists()
    assert not (tmp_path / "reportbot.json").exists()
    monkeypatch.setenv("REPORTBOT_DB", "from-environment.json")  # the environment wins
    assert run(capsys, "list")[0] == 2


def test_every_command_is_described_in_help(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    overview = capsys.readouterr().out
    for command in ("ingest", "export", "list", "remove", "backup", "ask", "run", "chat"):
        summary = next(line for line in overview.splitlines() if line.split()[:1] == [command])
        assert len(summary.split()) > 3, summary
        with pytest.raises(SystemExit):
            main([command, "--help"])
        usage, description = capsys.readouterr().out.split("\n\n")[:2]
        assert usage.startswith(f"usage: reportbot {command}")
        assert not description.startswith(("positional arguments", "options")), command


def test_backup_writes_a_whole_copy(capsys, db: Path, tree: Path, tmp_path: Path) -> None:
    run(capsys, "ingest", tree, "--db", db)
    copy = tmp_path / "copy.json"
    assert run(capsys, "backup", copy, "--db", db) == (0, f"backed up 2 reports to {copy}\n", "")
    assert list(ReportStore(copy)) == list(ReportStore(db))


def test_read_only_store_is_a_clear_error(capsys, db: Path, tree: Path) -> None:
    run(capsys, "ingest", tree / "sport", "--db", db)
    before = db.read_bytes()
    db.chmod(0o444)
    assert run(capsys, "ingest", tree / "business", "--db", db) == (
        2,
        "",
        f"reportbot: error: the store {db} is read-only\n",
    )
    assert run(capsys, "remove", "125.txt", "--db", db)[0] == 2
    assert db.read_bytes() == before
    assert run(capsys, "list", "--db", db)[1] == "125.txt\tBank holds rates at 4%\n"


def test_the_bundled_samples_ingest_cleanly(capsys, db: Path) -> None:
    status, out, _ = run(capsys, "ingest", *sample_paths(), "--db", db)
    assert (status, out) == (
        0,
        f"stored {len(sample_paths())}, updated 0, duplicates 0, rejected 0\n",
    )
    store = ReportStore(db)
    assert "idlib-offensive.txt" in {a.source for a in store}
    assert all(article.quotes for article in store)


def test_a_postgresql_url_is_a_database_never_a_file(
    capsys, postgres_url: str, tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "ingest", tree, "--db", postgres_url)[:2] == (
        0,
        "stored 2, updated 0, duplicates 0, rejected 0\n",
    )
    monkeypatch.setenv("REPORTBOT_DB", postgres_url)
    status, out, _ = run(capsys, "list")
    assert status == 0
    assert sorted(out.splitlines()) == [
        "business/7.txt\tBank holds rates at 4%",
        "sport/125.txt\tBank holds rates at 4%",
    ]
    # no file named after the URL; the index sits where REPORTBOT_INDEX says, by default here
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reportbot.index", "reports"]


def test_a_file_name_that_is_not_utf8_is_read_as_windows_1252(capsys, db: Path, tree: Path):
    try:  # an old archive's "café.txt", its name in Latin-1
        (tree / os.fsdecode(b"caf\xe9.txt")).write_bytes(REPORT.format(day="Sunday").encode())
    except OSError:
        pytest.skip("this file system takes UTF-8 file names only")
    assert run(capsys, "ingest", tree, "--db", db)[:2] == (
        0,
        "stored 3, updated 0, duplicates 0, rejected 0\n",
    )
    assert "Sunday" in ReportStore(db).get("café.txt").paragraphs[0]


@pytest.mark.parametrize("url", ["mysql://bot:pw@db.internal/reports", "postgresq://bot@h/db"])
def test_a_url_of_another_scheme_is_refused_and_makes_no_folders(
    capsys, tmp_path: Path, tree: Path, monkeypatch, url: str
) -> None:
    # before: taken for a path, `ingest` made the folders mysql:/bot:pw@db.internal/ and a
    # new store in them, and said "stored 2"
    monkeypatch.chdir(tmp_path)
    scheme = url.split("://")[0]
    message = f"the store {scheme}://... is neither a file nor a postgresql:// URL"
    with pytest.raises(SystemExit) as exited:  # a usage error, as argparse ends it
        main(["ingest", str(tree), "--db", url])
    out, err = capsys.readouterr()
    assert (exited.value.code, out) == (2, "")
    assert err.splitlines()[-1] == f"reportbot ingest: error: argument --db: {message}"
    monkeypatch.setenv("REPORTBOT_DB", url)
    assert run(capsys, "ingest", tree) == (2, "", f"reportbot: error: {message}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]


def test_ctrl_c_during_ingest_exits_quietly_and_keeps_what_was_stored(tmp_path: Path) -> None:
    # before: a KeyboardInterrupt traceback of some forty lines
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(3000):
        (folder / f"{n}.txt").write_text(REPORT.format(day=f"day {n}") + f"Item {n} of many.\n")
    db = tmp_path / "library.json"
    # as from a terminal: SIGINT is Python's KeyboardInterrupt even when this run inherited it
    # ignored (as a job that a shell starts in the background does)
    ingest = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTIBLE, "ingest", str(folder), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not db.with_suffix(".index").exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # until the store is open: past the imports, into the files
    time.sleep(0.5)
    ingest.send_signal(signal.SIGINT)
    _, err = ingest.communicate(timeout=60)
    assert (ingest.returncode, err) == (130, ""), err[-2000:]
    stored = ReportStore(db).count() if db.exists() else 0
    assert stored < 3000
    listed = subprocess.run(
        [sys.executable, "-m", "bot.cli", "list", "--db", str(db)], capture_output=True, text=True
    )
    assert listed.stdout.count("\n") == stored


def test_two_files_under_one_source_store_the_first_and_say_why_not_the_second(
    capsys, db: Path, tree: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other" / "125.txt"
    other.parent.mkdir()
    other.write_text(REPORT.format(day="Friday"))
    first = tree / "sport" / "125.txt"
    status, out, _ = run(capsys, "ingest", first, other, "--db", db)
    assert status == 1
    assert out.splitlines() == [
        "stored 1, updated 0, duplicates 0, rejected 1",
        f"rejected {other}: its source '125.txt' is that of {first}, stored in this ingest",
    ]
    assert "Monday" in ReportStore(db).get("125.txt").paragraphs[0]


def test_a_folder_without_reports_is_said_to_have_none(capsys, db: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("About this folder\n\nNotes, not news.\n")
    status, out, _ = run(capsys, "ingest", empty, "--db", db)
    assert status == 1
    assert out.splitlines() == [
        "stored 0, updated 0, duplicates 0, rejected 1",
        f"rejected {empty}: a folder with no report files (.htm, .html, .md, .txt) in it",
    ]


def test_an_index_folder_it_cannot_make_is_one_line(capsys, db: Path, tree: Path) -> None:
    blocked = db.with_suffix(".index")
    blocked.write_text("a file where the index's folder goes")
    status, out, err = run(capsys, "ingest", tree, "--db", db)
    assert (status, out) == (2, "")
    assert err.startswith(f"reportbot: error: cannot open the index {blocked}: ")
    assert err.count("\n") == 1
