"""Where the engine loses answers on the training split, by kind of question, out of fold.

    python -m bench.training.errors [--show KIND] [--examples N]

The same grouped k-fold as `fit.py --cv` (never the test split): each question is judged by a
model fit on the other folds. An answerable question ends in one of these, first that applies:

- refused: the answerability score is under the threshold;
- ans@1: the first candidate's excerpt holds an answer span;
- unit: the first candidate is from the right report, and an answer is among its candidates;
- report: the first candidate is from another report, and an answer is among the candidates;
- missing: no candidate holds an answer (the candidates' articles, or the unit split, miss it).

Out-of-library questions: the share answered, per library size. `--show KIND` prints, for that
kind of question, what the first candidate says when it is not the answer.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict

from bench.quality import load_articles
from bench.training.fit import FOLDS, collect, fit, fold_of, shown, training_libraries
from store.search.model import Model

OUTCOMES = ("ans@1", "refused", "unit", "report", "missing")


def judge(rows: list[dict]) -> list[tuple[dict, str, str]]:
    """(row, outcome, first candidate's text) for every row, each by the model of its fold."""
    judged = []
    for k in range(FOLDS):
        model = Model.of(fit([row for row in rows if fold_of(row["group"]) != k]))
        for row in rows:
            if fold_of(row["group"]) != k:
                continue
            analysis = row["analysis"]
            if analysis is None:
                judged.append((row, "refused" if row["answerable"] else "silent", ""))
                continue
            logits, order = model.rank(analysis)
            said = model.answerability(analysis, logits, order) >= model.threshold
            entry, _ = analysis.unit(int(analysis.docs[order[0]]))
            first = shown(analysis, int(analysis.docs[order[0]]))
            if not row["answerable"]:
                judged.append((row, "answered" if said else "silent", first))
                continue
            labels = row["labels"]
            if not said:
                outcome = "refused"
            elif labels[order[0]]:
                outcome = "ans@1"
            elif not labels.any():
                outcome = "missing"
            elif entry.source == row["question"]["article"]:
                outcome = "unit"
            else:
                outcome = "report"
            judged.append((row, outcome, first))
    return judged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", help="print the misses of this kind of question")
    parser.add_argument("--examples", type=int, default=20)
    args = parser.parse_args()
    articles = {a.source: a for a in load_articles()}
    judged = judge(collect(training_libraries(), articles))
    counts: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    outside: dict[int, Counter[str]] = defaultdict(Counter)
    for row, outcome, _ in judged:
        if row["answerable"]:
            counts[row["size"], row["question"]["kind"]][outcome] += 1
            counts[row["size"], "all"][outcome] += 1
        else:
            outside[row["size"]][outcome] += 1
    print(f"{'size':<5} {'kind':<8} {'n':>4} " + " ".join(f"{o:>7}" for o in OUTCOMES))
    for (size, kind), found in sorted(counts.items()):
        n = sum(found.values())
        shares = " ".join(f"{found[o] / n:7.2f}" for o in OUTCOMES)
        print(f"{size or 'all':<5} {kind:<8} {n:>4} {shares}")
    print(f"\n{'size':<5} {'outside':>7} {'answered':>8}")
    for size, found in sorted(outside.items()):
        n = sum(found.values())
        print(f"{size or 'all':<5} {n:>7} {found['answered'] / n:8.2f}")
    if args.show:
        shown = 0
        for row, outcome, text in judged:
            q = row["question"]
            if row["size"] or q.get("kind") != args.show or outcome == "ans@1":
                continue
            print(f"\n[{outcome}] {q['question']}  ->  {q.get('answers', [''])[0]!r}")
            print(f"    first: {text[:200]!r}")
            shown += 1
            if shown == args.examples:
                break


if __name__ == "__main__":
    main()
