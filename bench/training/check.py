"""Check the engine's training questions before anything is fit on them.

    python -m bench.training.check [FILE ...]

Every answerable question names a BBC report (or the seed) that exists, and every answer is a
verbatim substring of it (case ignored, nothing else normalised, as in ../shared/dev); a near
miss written on one report (bench/data/near_misses.jsonl) names one that exists. No question
is about a story that the dev or held-out sets use (in any of its copies: `twins.py`), ids are
unique, no question is asked twice, and a follow-up names a question of the same file that
comes before it.
Exits 1 with one line per problem.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

from bench.training.split import NEAR_MISSES
from bench.training.twins import story

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
EVALUATION = (
    ROOT.parent / "shared" / "dev" / "questions.jsonl",
    ROOT.parent / "shared" / "dev" / "quotes.jsonl",
    ROOT / "bench" / "data" / "heldout_questions.jsonl",
)
ANSWERABLE_KINDS = {
    "fact", "why", "how", "quote", "speaker", "who_is", "topic", "subject", "typo", "followup",
}  # fmt: skip
OUTSIDE_KINDS = {"outside", "near_miss"}


@functools.cache  # a report is asked about by many questions
def article_text(article: str) -> str | None:
    path = CORPUS / article if article.startswith("seed/") else CORPUS / "bbc" / article
    return path.read_bytes().decode("utf-8", errors="replace") if path.is_file() else None


def evaluation_articles() -> set[str]:
    return {
        json.loads(line)["article"]
        for path in EVALUATION
        if path.is_file()
        for line in path.read_text().splitlines()
        if line.strip()
    }


def problems(path: Path, seen_ids: set[str], seen_questions: set[str]) -> list[str]:
    found: list[str] = []
    excluded = {story(article) for article in evaluation_articles()}
    earlier: set[str] = set()
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            found.append(f"{where}: not JSON ({exc})")
            continue
        qid, question, kind = row.get("id"), row.get("question"), row.get("kind")
        if not qid or not isinstance(question, str) or not question.strip():
            found.append(f"{where}: needs an id and a question")
            continue
        if qid in seen_ids:
            found.append(f"{where}: id {qid} used twice")
        seen_ids.add(qid)
        if question.lower() in seen_questions:
            found.append(f"{where}: question asked twice: {question!r}")
        seen_questions.add(question.lower())
        follows = row.get("follows")
        if follows is not None and follows not in earlier:
            found.append(f"{where}: follows {follows!r}, which is not an earlier id of this file")
        earlier.add(qid)
        if kind in OUTSIDE_KINDS:
            if row.get("article") or row.get("answers"):
                found.append(f"{where}: an out-of-library question has no article or answers")
            if "report" in row:  # a near miss written on that report
                found += unusable(where, row["report"], excluded)
            continue
        if kind not in ANSWERABLE_KINDS:
            found.append(f"{where}: unknown kind {kind!r}")
            continue
        article = row.get("article", "")
        found += unusable(where, article, excluded)
        text = article_text(article)
        if text is None:
            continue
        answers = row.get("answers")
        if not answers or not all(isinstance(a, str) and a.strip() for a in answers):
            found.append(f"{where}: needs one or more answers")
            continue
        for answer in answers:
            if answer.lower() not in text.lower():
                found.append(f"{where}: answer not verbatim in {article}: {answer!r}")
    return found


def unusable(where: str, article: str, excluded: set[str]) -> list[str]:
    """Why a question may not be on `article`: no such report, or its story is evaluated."""
    if article_text(article) is None:
        return [f"{where}: no report {article!r}"]
    if story(article) in excluded:
        return [f"{where}: {article} tells a story an evaluation set uses"]
    return []


def main(paths: list[str]) -> int:
    questions = sorted([*HERE.glob("questions-*.jsonl"), *HERE.glob("outside*.jsonl")])
    questions.append(NEAR_MISSES)
    files = [Path(p) for p in paths] or questions
    seen_ids: set[str] = set()
    seen_questions: set[str] = set()
    found = [p for path in files for p in problems(path, seen_ids, seen_questions)]
    print("\n".join(found) if found else f"ok: {len(seen_ids)} questions in {len(files)} files")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
