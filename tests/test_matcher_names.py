from __future__ import annotations

import pytest

from store.search.names import name_score


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("mistura", "Staffan di Mistura"),
        ("di mistura", "Staffan di Mistura"),
        ("De Mistura", "Staffan di Mistura"),
        ("moualem", "Walid al-Moualem"),
        ("walid al moualem", "Walid al-Moualem"),
        ("Moualem", "Mr Moualem"),
    ],
)
def test_loose_names_match(query: str, name: str) -> None:
    assert name_score(query, name) >= 0.6


def test_full_name_beats_surname_and_first_name_alone_is_weak() -> None:
    full = name_score("walid al-moualem", "Walid al-Moualem")
    assert (
        full > name_score("moualem", "Walid al-Moualem") > name_score("walid", "Walid al-Moualem")
    )
    assert name_score("tony lloyd", "Tony Blair") < 0.6
