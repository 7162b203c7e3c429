"""/quotes NAME on real BBC reports: the person named in full comes before others who share
(nearly) their surname, and a misspelt name still finds its speaker."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ask

from store.library.ingest import ingest_paths
from store.library.store import ReportStore

# Lord Browne (BP) is quoted in the business report, which the store lists first; Des Browne,
# Gordon Brown and Tony Blair in the political ones.
REPORTS = ["business/221.txt", "politics/024.txt", "politics/215.txt", "politics/007.txt"]


def start_with(start_bot, bbc_dir: Path, db: Path, reports: list[str]):
    """The real bot over a store of the BBC `reports`."""
    with ReportStore(db) as store:
        ingest_paths(store, [bbc_dir / name for name in reports])
    return start_bot(db=db)


@pytest.fixture
def bot(bbc_dir: Path, tmp_path: Path, start_bot):
    return start_with(start_bot, bbc_dir, tmp_path / "people.json", REPORTS)


def quotes(standin, name: str) -> list[str]:
    """The speaker line of each quote in the reply, in order."""
    text = ask(standin, f"/quotes {name}").text
    return [line for line in text.splitlines() if line.startswith("—")] or [text]


def test_a_full_name_comes_before_a_namesake(standin, bot):
    speakers = quotes(standin, "Gordon Brown")
    assert "Gordon Brown" in speakers[0], speakers
    assert not any("Browne" in line for line in speakers), speakers


def test_a_surname_alone_finds_its_exact_spelling(standin, bot):
    assert all("Browne" in line for line in quotes(standin, "browne"))


@pytest.mark.parametrize(
    ("typed", "speaker"), [("tony blare", "Tony Blair"), ("gordon brwon", "Gordon Brown")]
)
def test_a_misspelt_name_is_repaired(standin, bot, typed: str, speaker: str):
    speakers = quotes(standin, typed)
    assert speakers and all(speaker in line for line in speakers), speakers


# A prime minister quoted beside a Tory's attack on him (and two reports on his chancellor).
SAID = ["politics/349.txt", "politics/394.txt", "politics/007.txt"]


@pytest.fixture
def said_bot(bbc_dir: Path, tmp_path: Path, start_bot):
    return start_with(start_bot, bbc_dir, tmp_path / "said.json", SAID)


def first_speaker(standin, question: str) -> str:
    """The speaker line of the reply's first answer."""
    lines = ask(standin, question).text.splitlines()
    return next((line for line in lines if line.startswith("—")), "\n".join(lines))


def test_what_a_misspelt_person_said_is_a_quote_by_them(standin, said_bot):
    # Liam Fox's "lie about the reasons for going to war" is about Blair, not by him; and
    # "blare" is a slip of Blair's name, not the word "blame".
    line = first_speaker(standin, "what did tony blare say about the tories")
    assert "Tony Blair" in line and "Liam Fox" not in line, line


def test_who_a_person_is_comes_from_how_the_report_describes_them(standin, said_bot):
    # politics/007.txt: "Tory co-chairman Liam Fox was speaking after ..."
    assert "co-chairman" in ask(standin, "who is liam fox").text.split("\n")[0]
