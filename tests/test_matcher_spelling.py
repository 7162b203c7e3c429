from __future__ import annotations

from collections import Counter

import jellyfish
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from store.search.spelling import Speller, max_edits

VOCABULARY = [
    *("the", "world", "would", "year", "aer", "men", "means", "cross", "crops", "foreign"),
    *("minister", "civilians", "syrian", "strain", "ankle", "month", "hitachi", "online"),
    *("cairn", "caring", "cabin", "oaten", "satan", "schwarzenegger", "phone", "matthew", "mayhew"),
]


@pytest.fixture
def speller() -> Speller:
    speller = Speller()
    speller.add(Counter(VOCABULARY + ["cross"] * 2 + ["year"] * 5 + ["would"] * 9 + ["means"] * 3))
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
        # Of words equally many edits away, the one a common slip explains: swapped neighbours,
        # a doubled letter dropped, a vowel for a vowel (not a wrong first letter), a word
        # spelt as it sounds.
        ("carin", "cairn"),
        ("mathew", "matthew"),
        ("oatan", "oaten"),
        ("shwarzenegger", "schwarzenegger"),
        ("fone", "phone"),
    ],
)
def test_repairs_typed_words(speller: Speller, typed: str, meant: str) -> None:
    assert speller.correct(typed) == meant


def test_nothing_close_is_no_repair(speller: Speller) -> None:
    assert speller.correct("qzxqzx") is None


def test_ties_keep_alternatives_for_the_index_to_choose(speller: Speller) -> None:
    assert set(speller.candidates("syrain")) >= {"syrian", "strain"}


def test_a_speller_following_a_change_forgets_removed_words_and_finds_added_ones(
    speller: Speller,
) -> None:
    assert speller.correct("ankel") == "ankle"
    without = Counter(VOCABULARY) - Counter(["ankle"])
    forgot = speller.following(without, ["ankle"])
    assert forgot.correct("ankel") is None
    assert speller.correct("ankel") == "ankle"  # the speller followed is left as it was
    assert forgot.following(without + Counter(["ankle"]), ["ankle"]).correct("ankel") == "ankle"


@settings(max_examples=300, deadline=None)
@given(
    vocabulary=st.lists(st.text("abcdé", min_size=1, max_size=8), min_size=1, max_size=40),
    typed=st.text("abcdéx", min_size=1, max_size=9),
)
def test_candidates_are_exactly_the_nearest_words(vocabulary: list[str], typed: str) -> None:
    """Against every vocabulary word's OSA distance and metaphone: the words one edit away;
    with none, those up to two edits away that sound the same; with none, the words two edits
    away for a word of more than five letters; else none."""
    speller = Speller()
    speller.add(Counter(vocabulary))
    if typed in speller or (typed.endswith("s") and typed[:-1] in speller):
        return
    distances = {word: OSA.distance(typed, word) for word in set(vocabulary)}
    key = jellyfish.metaphone(typed)
    alike = {
        w for w, d in distances.items() if d <= 2 and len(key) > 1 and jellyfish.metaphone(w) == key
    }
    nearest = min(distances.values())
    if nearest == 1:
        expected = {w for w, d in distances.items() if d == 1}
    elif alike:
        expected = alike
    elif nearest <= max_edits(typed):
        expected = {w for w, d in distances.items() if d == nearest}
    else:
        expected = set()
    assert set(speller.candidates(typed, limit=len(vocabulary))) == expected
