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


@pytest.fixture
def bot(bbc_dir: Path, tmp_path: Path, start_bot):
    db = tmp_path / "people.json"
    with ReportStore(db) as store:
        ingest_paths(store, [bbc_dir / name for name in REPORTS])
    return start_bot(db=db)


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
