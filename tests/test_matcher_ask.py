"""End to end: ingest real reports into a store file, then ask through the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BBC = ["politics/189.txt", "sport/228.txt", "tech/356.txt", "business/221.txt"]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, seed_path: Path, bbc_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("ask") / "library.json"
    paths = [str(seed_path), *(str(bbc_dir / name) for name in BBC)]
    reportbot("ingest", "--db", str(db), *paths)
    return db


def reportbot(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", *args],
        input=stdin,
        capture_output=True,
        text=True,
    )


def test_json_lines_answer_each_question_in_order(library: Path) -> None:
    questions = [
        "how many people live in idlib",
        "what did the syrian foreign minister say",
        "capital of france",
    ]
    done = reportbot("ask", "--db", str(library), "--json", "-", stdin="\n".join(questions))
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["question"] for r in records] == questions
    people, minister, france = (r["results"] for r in records)
    assert "2.9 million" in people[0]["text"]
    assert minister[0]["kind"] == "quote"
    assert minister[0]["speaker"] == "Walid al-Moualem"
    assert "go all the way" in minister[0]["text"]
    assert france == []


def test_plain_reply_cites_the_report(library: Path) -> None:
    done = reportbot("ask", "--db", str(library), "who warned of a perfect storm for idlib")
    assert done.returncode == 0, done.stderr
    assert "Mistura" in done.stdout
    assert "idlib-offensive.txt" in done.stdout


def test_missing_library_is_said_plainly(tmp_path: Path) -> None:
    done = reportbot("ask", "--db", str(tmp_path / "none.json"), "anything")
    assert done.returncode == 2
    assert "no library at" in done.stderr
