"""Answer quality on other kinds of text than news: nothing is fit or tuned on it.

    python -m bench.other [--with-corpus]

bench/data/other/ holds ten texts written for this check (an encyclopedia entry on a town, a
biography, an app's help page, council minutes, a how-to guide, a study, an interview, a travel
guide, a history, a product review), 141 questions on them written as crowd workers and as
chat users put them, and 40 out-of-library questions: 25 near misses (a text's names, a fact
no text states) and 15 on other subjects. Prints `bench.quality`'s library table: each text
alone (the questions on the other texts are then out of its library too), the ten together,
and with --with-corpus the ten among the BBC reports of ../shared.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.quality import LIBRARY_HEADER, Asked, library_row, load_articles
from bench.training.split import elsewhere, read_jsonl
from store.reports.article import Article
from store.reports.parser import parse_report
from store.search.matcher import Matcher

HERE = Path(__file__).resolve().parent / "data" / "other"


def texts() -> list[Article]:
    return [
        parse_report(path.read_bytes(), source=path.name, category="other")
        for path in sorted((HERE / "texts").glob("*.txt"))
    ]


def alone(article: Article, questions: list[dict], outside: list[dict]) -> Asked:
    own = [q for q in questions if q["article"] == article.source]
    lacked = [elsewhere(q) for q in questions if q["article"] != article.source]
    return Matcher([article]), own, outside + lacked, [article.source]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-corpus", action="store_true", help="also among the BBC reports")
    args = parser.parse_args()
    articles = texts()
    questions = read_jsonl(HERE / "questions.jsonl")
    outside = read_jsonl(HERE / "outside.jsonl")
    sources = [a.source for a in articles]
    print(LIBRARY_HEADER)
    library_row("1", [alone(article, questions, outside) for article in articles])
    library_row(str(len(articles)), [(Matcher(articles), questions, outside, sources)])
    if args.with_corpus:
        everything = articles + load_articles()
        library_row(str(len(everything)), [(Matcher(everything), questions, outside, sources)])


if __name__ == "__main__":
    main()
