"""End to end: ingest real reports into a store file, then ask through the command line."""

from __future__ import annotations

import json
import os
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
    assert done.stderr == (
        f"reportbot: error: there is no store at {tmp_path / 'none.json'}: "
        "run `reportbot ingest PATH` first\n"
    )
    assert not (tmp_path / "none.json").exists()


@pytest.mark.parametrize("k", ["0", "-3", "many"])
def test_k_must_be_a_positive_number(library: Path, k: str) -> None:
    done = reportbot("ask", "--db", str(library), "-k", k, "idlib")
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        f"reportbot ask: error: argument -k: expected a whole number of at least 1, not {k!r}"
    )


@pytest.mark.parametrize(
    ("args", "error"),
    [
        # answered as the question "-", which the reports do not hold
        (["-"], "QUESTION '-' (a question a line from standard input) needs --json"),
        # answered, each line on its own
        (["--conversation", "-"], "--conversation needs --json and QUESTION '-'"),
        (["--json", "--conversation", "idlib"], "--conversation needs --json and QUESTION '-'"),
    ],
)
def test_standard_input_and_a_conversation_are_for_json_lines(
    library: Path, args: list[str], error: str
) -> None:
    done = reportbot("ask", "--db", str(library), *args, stdin="how many people live in idlib\n")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines()[-1] == f"reportbot ask: error: {error}"


def test_an_over_long_question_is_refused(library: Path) -> None:
    long = "how many people live in idlib " * 20
    done = reportbot("ask", "--db", str(library), long)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "reportbot: error: That question is too long: please ask in at most 500 characters.\n"
    )
    question = "how many people live in idlib"
    done = reportbot("ask", "--db", str(library), "--json", "-", stdin=f"{long}\n{question}\n")
    too_long, answered = (json.loads(line) for line in done.stdout.splitlines())
    assert too_long["results"] == [] and "too long" in too_long["error"]
    assert answered["results"]


def test_a_reader_that_goes_away_is_no_error(library: Path, tmp_path: Path) -> None:
    """`reportbot ask --json - < questions | head -1`: no BrokenPipeError, exit status 0."""
    questions = tmp_path / "questions.txt"
    questions.write_text("how many people live in idlib\n" * 300)
    done = subprocess.run(
        [
            "bash",
            "-c",
            f"{sys.executable} -m bot.cli ask --db {library} --json - < {questions} "
            f"2> {tmp_path / 'err'} | head -1; echo ${{PIPESTATUS[0]}}",
        ],
        capture_output=True,
        text=True,
    )
    first, status = done.stdout.splitlines()
    assert json.loads(first)["question"] == "how many people live in idlib"
    assert status == "0"
    assert (tmp_path / "err").read_text() == ""


def test_json_lines_that_are_not_utf8_are_answered_not_a_traceback(tmp_path: Path) -> None:
    # under a strict UTF-8 locale (en_US.UTF-8; PYTHONIOENCODING stands in for it here), a
    # Latin-1 byte on standard input was a UnicodeDecodeError traceback
    from store.reports.samples import sample_paths

    db = tmp_path / "samples.json"
    reportbot("ingest", "--db", str(db), *map(str, sample_paths()))
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--db", str(db), "--json", "-"],
        input="caf\xe9 hours\nwhen will the barrier open\n".encode("latin-1"),
        capture_output=True,
        env=os.environ | {"PYTHONIOENCODING": "utf-8:strict"},
    )
    assert (done.returncode, done.stderr) == (0, b""), done.stderr.decode()[-2000:]
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["question"] for r in records] == ["caf\ufffd hours", "when will the barrier open"]
