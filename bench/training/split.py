"""The training questions, split by report into train and test, and the small libraries.

A question's side is fixed by a hash of its story's first path (`twins.py`: about 160 stories
are stored twice) or, out of the library, of its id, so that every question on one story falls
on one side and adding questions never moves another: about a quarter is test, and nothing is
fit on it. Follow-ups are left out: they need the previous question's context, which is not the
ranker's work.

A small library of N reports is drawn from one side's reports by a seeded shuffle. Its
answerable questions are those on its reports; its out-of-library questions are that side's
outside questions plus the questions on the side's reports that the library lacks (near
misses for free: the right kind of question, about a report that is not there). A question on
a subject ("global warming", "any news on yukos") is not one of them: other reports of the
library may well be on its subject too.

bench/data/near_misses.jsonl holds near misses written on the small libraries' own reports
(a report's names, a fact no report states), for measuring only (`with_near_misses`): fit on,
they moved refusals and out-of-library answers along the same curve (fit.py). In a small
library that lacks its report, such a question counts as "elsewhere".
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

from bench.training.twins import story
from store.reports.article import Article

HERE = Path(__file__).resolve().parent
NEAR_MISSES = HERE.parent / "data" / "near_misses.jsonl"
TEST_SHARE = 4  # one in TEST_SHARE reports is test
SIZES = (1, 5, 30)
# How many libraries of each size a side gets: enough that each size has a few dozen questions.
DRAWS = {1: 24, 5: 8, 30: 3}


def is_test(key: str) -> bool:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % TEST_SHARE == 0


def report_is_test(article: str) -> bool:
    return is_test(story(article))


@dataclass(frozen=True)
class Side:
    name: str
    questions: list[dict]  # answerable, each with "article"
    outside: list[dict]

    @property
    def reports(self) -> list[str]:
        return sorted({q["article"] for q in self.questions})


@dataclass(frozen=True)
class Library:
    name: str
    size: int
    reports: list[str]
    questions: list[dict]
    outside: list[dict]


def read_jsonl(path: Path) -> list[dict]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def sides() -> tuple[Side, Side]:
    """(train, test)."""
    answerable = [
        q
        for path in sorted(HERE.glob("questions-*.jsonl"))
        for q in read_jsonl(path)
        if q["kind"] != "followup"
    ]
    outside = [q for path in sorted(HERE.glob("outside*.jsonl")) for q in read_jsonl(path)]
    train = Side(
        "train",
        [q for q in answerable if not report_is_test(q["article"])],
        [q for q in outside if not is_test(q["id"])],
    )
    test = Side(
        "test",
        [q for q in answerable if report_is_test(q["article"])],
        [q for q in outside if is_test(q["id"])],
    )
    return train, test


def with_near_misses(side: Side) -> Side:
    """The side with the near misses written on its reports among its out-of-library ones."""
    test = side.name == "test"
    near = [q for q in read_jsonl(NEAR_MISSES) if report_is_test(q["report"]) == test]
    return Side(side.name, side.questions, side.outside + near)


def small_libraries(side: Side, size: int, draws: int | None = None) -> list[Library]:
    """`draws` libraries of `size` reports from `side`, each with its questions."""
    reports = side.reports
    rng = random.Random(f"{side.name}-{size}")
    libraries = []
    for i in range(draws or DRAWS[size]):
        chosen = sorted(rng.sample(reports, min(size, len(reports))))
        held = set(chosen)
        libraries.append(
            Library(
                f"{side.name}-{size}-{i}",
                size,
                chosen,
                [q for q in side.questions if q["article"] in held],
                [elsewhere(q) if _on_report_lacked(q, held) else q for q in side.outside]
                + [
                    elsewhere(q)
                    for q in side.questions
                    if q["article"] not in held and q["kind"] != "subject"
                ],
            )
        )
    return libraries


def _on_report_lacked(question: dict, held: set[str]) -> bool:
    report = question.get("report")
    return report is not None and report not in held


def elsewhere(question: dict) -> dict:
    """The question as one on a report the library lacks."""
    return {**question, "kind": "elsewhere"}


def articles_of(library: Library, articles: dict[str, Article]) -> list[Article]:
    return [articles[source] for source in library.reports]
