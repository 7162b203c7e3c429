"""Follow-ups on the full BBC library: each follow-up of the training pairs asked alone, and
asked after its first question in one conversation, as the bot does in a chat.

    python -m bench.followups

The pairs are bench/training's questions of kind "followup" and those they follow; dev and
held-out questions have none. They fall on the train or test side as split.py puts their
report: choose on train, and quote test. The first table: per side, how many follow-ups are
answered from the last question's reports, and how often the first result comes from the
right report (report@1) and holds the answer (answer@1).

A conversation must not hold a new question to the last one's reports. The second table asks
each side's other questions after one on another report (every third, each after the one three
before it): answer@1 asked alone and so in conversation; and its out-of-library questions after
one of its questions: the share answered at all (a false answer), alone and in conversation.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.quality import load_articles
from bench.training.split import Side, report_is_test, sides
from store.search.conversation import Conversation
from store.search.matcher import Matcher, Result

TRAINING = Path(__file__).resolve().parent / "training"
APART = 3  # a question is asked after the one this many before it, on another report


def pairs() -> list[tuple[dict, dict]]:
    questions = {}
    for path in sorted(TRAINING.glob("questions-*.jsonl")):
        for line in path.read_text().splitlines():
            record = json.loads(line)
            questions[record["id"]] = record
    return [(questions[q["follows"]], q) for q in questions.values() if q["kind"] == "followup"]


def scores(record: dict, results: list[Result]) -> tuple[bool, bool]:
    if not results:
        return False, False
    first = results[0]
    text = first.text.casefold()
    return first.source == record["article"], any(a.casefold() in text for a in record["answers"])


def in_conversation(matcher: Matcher, first: str, then: str) -> tuple[list[Result], bool]:
    """The results for `then` asked after `first`, and whether they came from its context."""
    conversation = Conversation(matcher)
    conversation.ask("bench", first)
    results = conversation.ask("bench", then)
    turn = conversation.last("bench")
    return results, turn is not None and turn.within is not None


def share(flags: list[bool]) -> float:
    return sum(flags) / (len(flags) or 1)


def follow_ups(matcher: Matcher, side: str, asked: list[tuple[dict, dict]]) -> None:
    alone = [scores(q, matcher.search(q["question"])) for _, q in asked]
    along, context = [], 0
    for first, follow_up in asked:
        results, from_context = in_conversation(matcher, first["question"], follow_up["question"])
        along.append(scores(follow_up, results))
        context += from_context
    for name, found in (("alone", alone), ("in conversation", along)):
        reports = share([r for r, _ in found])
        answers = share([a for _, a in found])
        print(f"{side:<6} {len(asked):>5} {context:>8} {name:<16} {reports:>9.2f} {answers:>9.2f}")


def new_questions(matcher: Matcher, side: Side) -> None:
    questions = side.questions
    after = [
        (questions[i - APART], questions[i])
        for i in range(APART, len(questions), APART)
        if questions[i - APART]["article"] != questions[i]["article"]
    ]
    alone = [scores(q, matcher.search(q["question"]))[1] for _, q in after]
    along = [
        scores(q, in_conversation(matcher, f["question"], q["question"])[0])[1] for f, q in after
    ]
    firsts = questions[:: max(1, len(questions) // len(side.outside))]
    outside = [bool(matcher.search(q["question"])) for q in side.outside]
    outside_along = [
        bool(in_conversation(matcher, f["question"], q["question"])[0])
        for f, q in zip(firsts, side.outside, strict=False)
    ]
    print(
        f"{side.name:<6} {len(after):>5} {share(alone):>9.2f} {share(along):>9.2f}"
        f" {len(side.outside):>8} {share(outside):>9.2f} {share(outside_along):>9.2f}"
    )


def main() -> None:
    matcher = Matcher(load_articles())
    asked = pairs()
    print(f"{'side':<6} {'pairs':>5} {'context':>8} {'asked':<16} {'report@1':>9} {'answer@1':>9}")
    for side in ("train", "test"):
        chosen = [pair for pair in asked if report_is_test(pair[1]["article"]) == (side == "test")]
        follow_ups(matcher, side, chosen)
    print()
    print("new questions after another report's (answer@1) and out-of-library (answered)")
    columns = ("asked", "alone", "along", "outside", "alone", "along")
    print(f"{'side':<6}", *(f"{c:>{w}}" for c, w in zip(columns, (5, 9, 9, 8, 9, 9), strict=True)))
    for side in sides():
        new_questions(matcher, side)


if __name__ == "__main__":
    main()
