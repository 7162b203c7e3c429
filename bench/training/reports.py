"""Where the whole library loses the right REPORT, on the training split (never the test split).

    python -m bench.training.reports [--articles 4,6,8]

Per value of `ranking.ARTICLES`, over the training questions on the whole BBC library: how
many have their report (or its twin: the same story, `twins.py`) among the articles
tantivy offers for exact scoring (`_pool`), among the ARTICLES whose units are candidates, and
first (the first candidate's report) and answered first (its excerpt holds an answer span), each
question ranked by a ranker fit by the same grouped folds as `fit.py --cv` on the other folds'
whole-library questions only (minutes, where `--cv` fits every library size and answerability
too); and the CPU ms per question of `analyse`, its p50 and p95, the articles' entries cached.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

import numpy as np

from bench.quality import load_articles
from bench.training.fit import FOLDS, fit_ranker, fold_of, labels_of
from bench.training.split import sides
from bench.training.twins import story
from store.search import ranking
from store.search.index import LibraryIndex
from store.search.model import Model, own_weights


@dataclass
class Asked:
    group: str
    analysis: ranking.Analysis | None
    labels: np.ndarray | None
    pooled: bool  # the report is among the articles offered for exact scoring
    right: np.ndarray  # per candidate: of the report
    ms: float


def ask(index: LibraryIndex, question: dict) -> Asked:
    report = story(question["article"])
    start = time.process_time()
    analysis = ranking.analyse(index, question["question"])
    ms = (time.process_time() - start) * 1000
    if analysis is None:
        return Asked(question["article"], None, None, False, np.zeros(0, dtype=bool), ms)
    view = index.view
    known = ranking.known_terms(view, analysis.query.weights)
    pooled = any(story(e.source) == report for e in ranking._pool(index, view, known))
    ours = [s for s, e in analysis.entries.items() if story(e.source) == report]
    right = np.isin(analysis.docs >> ranking.UNIT_BITS, ours)
    labels = labels_of(analysis, question["answers"])
    return Asked(question["article"], analysis, labels, pooled, right, ms)


def first(asked: list[Asked]) -> tuple[int, int]:
    """How many questions have their report first, and an answer first, out of fold."""
    rows = [
        {"group": a.group, "analysis": a.analysis, "labels": a.labels}
        for a in asked
        if a.analysis is not None
    ]
    report = answer = 0
    for k in range(FOLDS):
        coef, bias = fit_ranker([row for row in rows if fold_of(row["group"]) != k])
        model = Model(own_weights(coef), bias, np.zeros(0), 0.0, 0, 0)
        for a in asked:
            if a.analysis is None or fold_of(a.group) != k:
                continue
            _, order = model.rank(a.analysis)
            report += bool(a.right[order[0]])
            answer += bool(a.labels is not None and a.labels[order[0]])
    return report, answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default=str(ranking.ARTICLES))
    args = parser.parse_args()
    index = LibraryIndex()
    index.add(load_articles())
    train, _ = sides()
    for question in train.questions:  # the entries cached, as a running bot has them
        ranking.analyse(index, question["question"])
    print("articles | questions | pooled | among | report@1 | ans@1 | p50 ms | p95 ms")
    for articles in (int(a) for a in args.articles.split(",")):
        ranking.ARTICLES = articles
        asked = [ask(index, q) for q in train.questions]
        report, answer = first(asked)
        ms = np.array([a.ms for a in asked])
        counts = [
            len(asked),
            sum(a.pooled for a in asked),
            sum(bool(a.right.any()) for a in asked),
            report,
            answer,
        ]
        timing = [f"{np.percentile(ms, 50):.2f}", f"{np.percentile(ms, 95):.2f}"]
        print(" | ".join([str(articles), *map(str, counts), *timing]))


if __name__ == "__main__":
    main()
