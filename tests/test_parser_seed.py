"""The supplied CGTN seed report: web-copy noise dropped, each quotation attributed."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.reports.article import Article
from store.reports.parser import parse_report


@pytest.fixture(scope="module")
def seed(seed_path: Path) -> Article:
    return parse_report(seed_path.read_bytes(), source="idlib-offensive.txt", category="seed")


def quote_starting(article: Article, start: str):
    return next(q for q in article.quotes if q.text.startswith(start))


def test_title_and_category(seed: Article) -> None:
    assert seed.title == "Offensive to retake Idlib Province could be deadliest in conflict"
    assert seed.category == "seed"


def test_noise_lines_are_dropped(seed: Article) -> None:
    body = "\n".join(seed.paragraphs)
    for noise in ("World Today", "AP Photo", "reports from Moscow", "on Twitter", "Kamal Alam"):
        assert noise not in body
    assert seed.paragraphs[0].startswith("Syrian government forces are ready")
    assert seed.paragraphs[-1].startswith("These two allies describe Idlib")


def test_caption_byline_and_promo_are_kept_aside(seed: Article) -> None:
    assert seed.caption is not None and seed.caption.startswith("FILE \u2013 In this Sept. 19")
    assert seed.byline == "CGTN\u2019s Lucy Taylor reports from Moscow."
    assert seed.promo == (
        "Kamal Alam talks about the impact of a military assault on Idlib, Syria \u2014 "
        "CGTN\u2019s Asieh Namdar talks with Kamal Alam, visiting fellow with the Royal United "
        "Services Institute for Defense and Security Studies, about the impact of a possible "
        "military offensive on Idlib, Syria."
    )


def test_foreign_minister_quote(seed: Article) -> None:
    quote = quote_starting(seed, "The decision of Syrian authorities")
    assert (quote.speaker, quote.role) == ("Walid al-Moualem", "Syrian Foreign Minister")
    assert quote.text.endswith("We will exert all efforts to avoid civilian casualties")


def test_according_to_a_role_named_later(seed: Article) -> None:
    quote = quote_starting(seed, "go all the way")
    assert (quote.speaker, quote.role) == ("Walid al-Moualem", "Syrian Foreign Minister")


def test_un_envoy_quotes(seed: Article) -> None:
    for start in ("perfect storm", "The estimates of the Al-Quaeda"):
        quote = quote_starting(seed, start)
        assert quote.speaker == "Staffan di Mistura"
        assert quote.role == "United Nations\u2019 Syria envoy"


def test_scare_quotes_with_a_verb_name_who_called_it_so(seed: Article) -> None:
    assert quote_starting(seed, "hotbed of terrorists").speaker == "Syria and Russia"


def test_sentences_do_not_split_on_sept(seed: Article) -> None:
    texts = [s.text for s in seed.sentences]
    assert "Idlib province is the last big rebel-held enclave." in texts
    assert all(seed.paragraphs[s.paragraph][s.start : s.end] == s.text for s in seed.sentences)
