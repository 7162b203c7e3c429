"""Where and how questions over the whole BBC library: the first excerpt is the sentence that
names the place, or tells the means, not one that only repeats the question's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.reports.parser import parse_report
from store.search.matcher import Matcher


@pytest.fixture(scope="module")
def bbc(bbc_dir: Path) -> Matcher:
    return Matcher(
        parse_report(path.read_bytes(), source=str(path.relative_to(bbc_dir)))
        for path in sorted(bbc_dir.glob("*/*.txt"))
    )


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("where is the aston factory", "Gaydon, near Warwick"),
        ("where was kinnock born", "Tredegar"),
        ("how could quiksilver save money buying rossignol", "by selling Rossignol skis"),
        ("how could the imf use its gold to pay for debt relief", "By revaluing its holdings"),
    ],
)
def test_the_first_excerpt_tells_where_or_how(bbc: Matcher, question: str, answer: str) -> None:
    results = bbc.search(question)
    assert results, f"{question!r} was refused"
    assert answer in results[0].text
