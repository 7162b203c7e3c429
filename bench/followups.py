"""Follow-ups on the full BBC library: each follow-up of the training pairs asked alone, and
asked after its first question in one conversation, as the bot does in a chat.

    python -m bench.followups

The pairs are bench/training's questions of kind "followup" and those they follow; dev and
held-out questions have none. One table: how many follow-ups are read as such, and how often
the first result comes from the right report (report@1) and holds the answer (answer@1).
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.quality import load_articles
from store.search.conversation import Conversation
from store.search.followup import is_follow_up
from store.search.matcher import Matcher, Result

TRAINING = Path(__file__).resolve().parent / "training"


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


def main() -> None:
    matcher = Matcher(load_articles())
    asked = pairs()
    alone = [scores(q, matcher.search(q["question"])) for _, q in asked]
    along = []
    for number, (first, follow_up) in enumerate(asked):
        conversation = Conversation(matcher)
        conversation.ask(number, first["question"])
        along.append(scores(follow_up, conversation.ask(number, follow_up["question"])))
    read = sum(is_follow_up(q["question"]) for _, q in asked)
    print(f"{len(asked)} follow-ups; read as follow-ups: {read}")
    print(f"{'asked':<16} {'report@1':>9} {'answer@1':>9}")
    for name, found in (("alone", alone), ("in conversation", along)):
        reports = sum(r for r, _ in found) / len(found)
        answers = sum(a for _, a in found) / len(found)
        print(f"{name:<16} {reports:>9.2f} {answers:>9.2f}")


if __name__ == "__main__":
    main()
