from __future__ import annotations

import pytest

from store.spelling import Speller

VOCABULARY = [
    *("the", "world", "would", "year", "aer", "men", "means", "cross", "crops", "foreign"),
    *("minister", "civilians", "syrian", "strain", "ankle", "month", "hitachi", "online"),
]


@pytest.fixture
def speller() -> Speller:
    speller = Speller()
    speller.add(VOCABULARY + ["cross"] * 2 + ["year"] * 5 + ["would"] * 9 + ["means"] * 3)
    return speller


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("wrold", "world"),
        ("mens", "men"),
        ("yaer", "year"),
        ("cros", "cross"),
        ("foriegn", "foreign"),
        ("civilains", "civilians"),
        ("ankel", "ankle"),
        ("hitachis", "hitachi"),
        ("world", "world"),
    ],
)
def test_repairs_typed_words(speller: Speller, typed: str, meant: str) -> None:
    assert speller.correct(typed) == meant


def test_nothing_close_is_no_repair(speller: Speller) -> None:
    assert speller.correct("qzxqzx") is None


def test_ties_keep_alternatives_for_the_index_to_choose(speller: Speller) -> None:
    assert set(speller.candidates("syrain")) >= {"syrian", "strain"}


def test_removed_words_are_forgotten(speller: Speller) -> None:
    speller.remove(["ankle"])
    assert speller.correct("ankel") is None
