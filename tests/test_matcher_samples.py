"""The bundled sample library answers the questions a newcomer would type in `reportbot chat`,
every result standing on its own, and still says nothing about what it does not hold."""

from __future__ import annotations

import pytest

from store.matcher import Matcher
from store.parser import parse_report
from store.samples import sample_paths


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(parse_report(path.read_bytes(), source=path.name) for path in sample_paths())


def test_every_result_comes_from_a_report_about_the_question(matcher: Matcher) -> None:
    results = matcher.search("how many people live in idlib")
    assert "2.9 million" in results[0].text
    assert {r.source for r in results} == {"idlib-offensive.txt"}
