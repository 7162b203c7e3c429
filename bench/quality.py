"""Answer quality on the dev questions: the engine against bm25s and rapidfuzz baselines.

    python -m bench.quality [--seed N] [--questions PATH|train|test] [--no-baselines]

Every question runs clean and again with seeded typos (two words of five or more letters
each get one letter substituted, deleted, inserted or transposed), and again ("typos any")
with the typos in any two words of three or more letters, the question words and the short
words between them too ("hwo", "te"), as a user's thumbs make them. One table: article P@1,
answer@1, answer@3 and ms per question (p50, p95) by kind, and the false-answer rate on the
out-of-library questions of tests/data/out_of_library.jsonl. The questions are the dev set's
unless --questions names another file of the same format (bench/data/heldout_questions.jsonl
holds questions on other articles, to check that a change is not tuned to the dev set;
`--questions test` takes the training questions' test split, bench/training/split.py, and
`--questions train` their train split, to study a change without looking at the test split).
A second table asks the engine the same questions in libraries of 1, 5 and 30 of their reports
(drawn as split.py draws) and in the whole corpus: answer@1 and @3, the share of answerable
questions refused, the share of out-of-library questions answered (in a small library these
include the questions on the reports it lacks), how many of those are near misses on the
library's own reports (their names, a fact none states) and the share of them answered, and ms
per question.
The engine keeps recent answers until its library changes, so each pass (clean, typos) asks a
new matcher and a file must not repeat a question: every time is of work done, not remembered.
"""

from __future__ import annotations

import argparse
import random
import string
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from rapidfuzz import fuzz, process, utils

from bench.training.split import (
    SIZES,
    Side,
    articles_of,
    read_jsonl,
    sides,
    small_libraries,
    with_near_misses,
)
from store.reports.article import Article
from store.reports.parser import parse_report
from store.search.matcher import Matcher

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@dataclass(frozen=True)
class Hit:
    source: str
    text: str


Search = Callable[[str], list[Hit]]


def load_articles() -> list[Article]:
    corpus = SHARED / "corpus"
    paths = [*sorted((corpus / "bbc").glob("*/*.txt")), corpus / "seed" / "idlib-offensive.txt"]
    articles = []
    for path in paths:
        source = str(path.relative_to(corpus / "bbc" if "bbc" in path.parts else corpus))
        articles.append(parse_report(path.read_bytes(), source=source, category=path.parent.name))
    return articles


def engine(articles: list[Article]) -> Search:
    matcher = Matcher(articles)
    return lambda q: [Hit(r.source, r.text) for r in matcher.search(q, k=3)]


def passages(articles: list[Article]) -> tuple[list[str], list[str]]:
    sources, texts = [], []
    for article in articles:
        for paragraph in article.paragraphs:
            sources.append(article.source)
            texts.append(paragraph)
    return sources, texts


def bm25_baseline(articles: list[Article]) -> Search:
    sources, texts = passages(articles)
    stemmer = Stemmer.Stemmer("english")
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False))

    def search(question: str) -> list[Hit]:
        tokens = bm25s.tokenize([question], stopwords="en", stemmer=stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        ids, _ = retriever.retrieve(tokens, k=3, show_progress=False)
        return [Hit(sources[i], texts[i]) for i in ids[0]]

    return search


def rapidfuzz_baseline(articles: list[Article]) -> Search:
    sources, texts = passages(articles)
    processed = [utils.default_process(t) for t in texts]

    def search(question: str) -> list[Hit]:
        found = process.extract(
            utils.default_process(question), processed, scorer=fuzz.WRatio, limit=3
        )
        return [Hit(sources[i], texts[i]) for _, _, i in found]

    return search


def misspell(question: str, rng: random.Random, *, shortest: int = 5) -> str:
    """Two of `question`'s words of at least `shortest` letters, each with a slip."""
    words = question.split(" ")
    long = [i for i, w in enumerate(words) if sum(c.isalpha() for c in w) >= shortest]
    for i in rng.sample(long, min(2, len(long))):
        word = words[i]
        at = rng.randrange(1, len(word) - 1)
        letter = rng.choice(string.ascii_lowercase)
        words[i] = rng.choice(
            (
                word[:at] + letter + word[at + 1 :],
                word[:at] + word[at + 1 :],
                word[:at] + letter + word[at:],
                word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :],
            )
        )
    return " ".join(words)


def answered(hit: Hit, answers: list[str]) -> bool:
    text = hit.text.casefold()
    return any(a.casefold() in text for a in answers)


def measure(search: Search, questions: list[dict], ool: list[str]) -> dict[str, list[float]]:
    rows: dict[str, list[list[float]]] = {"all": []}
    for q in questions:
        start = time.perf_counter()
        hits = search(q["question"])
        ms = (time.perf_counter() - start) * 1000
        row = [
            float(bool(hits) and hits[0].source == q["article"]),
            float(bool(hits) and answered(hits[0], q["answers"])),
            float(any(answered(h, q["answers"]) for h in hits[:3])),
            ms,
        ]
        rows.setdefault(q["kind"], []).append(row)
        rows["all"].append(row)
    table = {}
    for kind, values in rows.items():
        if values:
            array = np.array(values)
            p1, a1, a3 = array[:, :3].mean(axis=0)
            table[kind] = [p1, a1, a3, *np.percentile(array[:, 3], [50, 95])]
    if ool:
        table["out-of-library"] = [sum(bool(search(q)) for q in ool) / len(ool)]
    return table


LIBRARY_HEADER = (
    f"{'library':<8} {'n':>4} {'ans@1':>5} {'ans@3':>5} {'refused':>7} {'outside':>7} "
    f"{'false':>5} {'near':>5} {'false':>5} {'p50ms':>6} {'p95ms':>6}"
)
# One library asked its questions: the matcher, its answerable and its out-of-library questions,
# and its reports (None: the whole corpus).
Asked = tuple[Matcher, list[dict], list[dict], list[str] | None]


def by_library(articles: list[Article], side: Side) -> None:
    """The engine on the side's questions in small libraries and in the whole corpus."""
    by_source = {a.source: a for a in articles}
    print(f"\n{LIBRARY_HEADER}")
    for size in SIZES:
        library_row(
            str(size),
            [
                (Matcher(articles_of(lib, by_source)), lib.questions, lib.outside, lib.reports)
                for lib in small_libraries(side, size)
            ],
        )
    library_row(f"{len(articles)}", [(Matcher(articles), side.questions, side.outside, None)])


def library_row(label: str, libraries: list[Asked]) -> None:
    """Prints one row of LIBRARY_HEADER: the libraries' questions together."""
    found, times, outside_found = [], [], []
    for matcher, questions, outside, reports in libraries:
        for q in questions:
            start = time.perf_counter()
            hits = matcher.search(q["question"], k=3)
            times.append((time.perf_counter() - start) * 1000)
            texts = [Hit(h.source, h.text) for h in hits]
            found.append(
                (
                    bool(texts) and answered(texts[0], q["answers"]),
                    any(answered(h, q["answers"]) for h in texts),
                    not texts,
                )
            )
        outside_found += [
            (bool(matcher.search(q["question"], k=1)), is_near(q, reports)) for q in outside
        ]
    a1, a3, refused = np.array(found, dtype=float).mean(axis=0)
    false, near = np.array(outside_found, dtype=float).reshape(-1, 2).T
    p50, p95 = np.percentile(times, [50, 95])
    print(
        f"{label:<8} {len(found):>4} {a1:5.2f} {a3:5.2f} {refused:7.2f} {len(false):>7} "
        f"{false.mean():5.2f} {int(near.sum()):>5} {_share(false[near > 0]):>5} "
        f"{p50:6.1f} {p95:6.1f}"
    )


def _share(flags: np.ndarray) -> str:
    return f"{flags.mean():.2f}" if len(flags) else "-"


def is_near(question: dict, reports: list[str] | None) -> bool:
    """A near miss on the library's own reports: their names, a fact none of them states. In
    the whole corpus every near miss is one."""
    if question["kind"] != "near_miss":
        return False
    return reports is None or question.get("report") in reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument(
        "--questions",
        default=str(SHARED / "dev" / "questions.jsonl"),
        help="questions JSON lines, or 'train' or 'test' for that split of the training "
        "questions (default: the dev set)",
    )
    parser.add_argument(
        "--no-baselines",
        action="store_true",
        help="the engine alone (rapidfuzz takes seconds a question on the whole corpus)",
    )
    args = parser.parse_args()
    ool_path = ROOT / "tests" / "data" / "out_of_library.jsonl"
    ool = [q["question"] for q in read_jsonl(ool_path)]
    if args.questions in ("train", "test"):
        side = sides()[args.questions == "test"]
        questions = side.questions
        ool = [q["question"] for q in side.outside]
        libraries = with_near_misses(side)
    else:
        path = Path(args.questions)
        questions = read_jsonl(path)
        libraries = Side(path.stem, questions, [{"question": q, "kind": "outside"} for q in ool])
    if len({q["question"] for q in questions}) < len(questions):
        parser.error(f"{args.questions} repeats a question: its second asking would be remembered")
    rng = random.Random(args.seed)
    perturbed = [{**q, "question": misspell(q["question"], rng)} for q in questions]
    anywhere = [{**q, "question": misspell(q["question"], rng, shortest=3)} for q in questions]
    articles = load_articles()
    systems: dict[str, Callable[[], Search]] = {
        "engine": partial(engine, articles),
        "bm25s": partial(bm25_baseline, articles),
        "rapidfuzz": partial(rapidfuzz_baseline, articles),
    }
    print(
        f"{'system':<10} {'questions':<9} {'kind':<8} {'n':>3} {'P@1':>5} {'ans@1':>5} "
        f"{'ans@3':>5} {'p50ms':>7} {'p95ms':>7}"
    )
    kinds = [k for k in dict.fromkeys(q["kind"] for q in questions)] + ["all"]
    counts = {k: sum(q["kind"] == k for q in questions) for k in kinds}
    counts["all"] = len(questions)
    if args.no_baselines:
        systems = {"engine": systems["engine"]}
    for name, build in systems.items():
        for label, qs in (("clean", questions), ("typos", perturbed), ("typos any", anywhere)):
            table = measure(build(), qs, ool if label == "clean" else [])
            for kind in kinds:
                p1, a1, a3, p50, p95 = table[kind]
                print(
                    f"{name:<10} {label:<9} {kind:<8} {counts[kind]:>3} {p1:5.2f} {a1:5.2f} "
                    f"{a3:5.2f} {p50:7.1f} {p95:7.1f}"
                )
            if label == "clean":
                false = table["out-of-library"][0]
                print(f"{name:<10} {'outside':<9} {'false':<8} {len(ool):>3} {false:5.2f}")
    by_library(articles, libraries)


if __name__ == "__main__":
    main()
