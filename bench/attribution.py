"""Quote attribution benchmark: is each quotation found, and attributed to the right person?

    python -m bench.attribution

Prints one table, a row per set: ../shared/dev/quotes.jsonl (validation only), and the two
halves of bench/training/attributions.jsonl ("develop", for working on rules; "heldout",
never tuned on: the honest figure), then the parser's CPU time per report over the BBC corpus,
and for the BBC reports' bodies pasted into one text of 200 KB and of 2 MiB (the upload limit),
which shows whether parsing grows faster than the text.
Each labelled quotation is looked up in the parsed report:

- found: some quote of the report contains the listed fragment (case kept);
- speaker right: found, and (the first such quote's) speaker is the listed person: the same
  name once honorifics ("Mr", "Sir", "Lord") and case are set aside, or one a near miss away
  (rapidfuzz ratio >= 90: reports misspell names). Our surname alone, or a name with a role
  word stuck to it ("Exchequer Gordon Brown"), is wrong. For a quotation with no named speaker
  (an organisation, "a spokesman"), bench/ingest.py's rule: a content word shared with the
  listed role, or its initials;
- role right: the speaker is right, and so is the role: none when none is listed, else the
  content words of ours and of the listed role overlap with an F1 of at least 2/3 (for an
  unnamed speaker, our speaker's words and role's words together).
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from bench.ingest import SHARED, speaker_right
from bench.training.check_attributions import ATTRIBUTIONS
from bench.training.split import read_jsonl
from store.reports.article import Article, Quote
from store.reports.lexicon import COURTESY_TITLES, PEERAGE_TITLES
from store.reports.parser import MAX_REPORT_BYTES, parse_report

_WORD = re.compile(r"[\w-]+")
_STOP = frozenset(["the", "a", "an", "of", "for", "and", "in", "at", "on", "to", "by", "with", "s"])
_HONORIFICS = frozenset(t.lower() for t in COURTESY_TITLES | PEERAGE_TITLES)


@dataclass(frozen=True)
class Label:
    report: str
    fragment: str
    speaker: str | None
    role: str | None


def _content(text: str | None) -> list[str]:
    return [w for w in _WORD.findall((text or "").lower()) if w not in _STOP]


def _name(text: str) -> str:
    return " ".join(w for w in _WORD.findall(text.lower()) if w not in _HONORIFICS)


def same_person(ours: str | None, gold: str) -> bool:
    if ours is None:
        return False
    mine, theirs = _name(ours), _name(gold)
    return mine == theirs or fuzz.ratio(mine, theirs) >= 90


def _f1(ours: list[str], gold: list[str]) -> float:
    common = len(set(ours) & set(gold))
    if not common:
        return 0.0
    precision, recall = common / len(set(ours)), common / len(set(gold))
    return 2 * precision * recall / (precision + recall)


def judge(quote: Quote, label: Label) -> tuple[bool, bool]:
    """(speaker right, role right) by the rules in the module docstring."""
    if label.speaker is not None:
        speaker = same_person(quote.speaker, label.speaker)
        if label.role is None:
            return speaker, speaker and not quote.role
        return speaker, speaker and _f1(_content(quote.role), _content(label.role)) >= 2 / 3
    speaker = speaker_right(quote, None, label.role)
    ours = _content(quote.speaker) + _content(quote.role)
    return speaker, speaker and _f1(ours, _content(label.role)) >= 2 / 3


def score(labels: Iterable[Label], articles: dict[str, Article]) -> tuple[int, float, float, float]:
    total = found = speakers = roles = 0
    for label in labels:
        total += 1
        quote = next((q for q in articles[label.report].quotes if label.fragment in q.text), None)
        if quote is None:
            continue
        found += 1
        speaker, role = judge(quote, label)
        speakers += speaker
        roles += role
    return total, 100 * found / total, 100 * speakers / total, 100 * roles / total


def _parse(report: str) -> Article:
    corpus = SHARED / "corpus"
    path = corpus / report if report.startswith("seed/") else corpus / "bbc" / report
    return parse_report(path.read_bytes(), source=report)


def sets() -> dict[str, list[Label]]:
    dev = [
        Label(row["article"], row["quote_start"], row["speaker"], row["speaker_role"])
        for row in read_jsonl(SHARED / "dev" / "quotes.jsonl")
    ]
    ours = read_jsonl(ATTRIBUTIONS)
    return {
        "dev (shared)": dev,
        **{
            f"ours: {side}": [
                Label(r["report"], r["quote"], r["speaker"], r["role"])
                for r in ours
                if r["split"] == side
            ]
            for side in ("develop", "heldout")
        },
    }


def main() -> int:
    if not (SHARED / "dev" / "quotes.jsonl").is_file():
        print(f"{SHARED / 'dev'} not found", file=sys.stderr)
        return 1
    labelled = sets()
    reports = {label.report for labels in labelled.values() for label in labels}
    articles = {report: _parse(report) for report in sorted(reports)}
    print("| set | quotes | found % | speaker right % | role right % |")
    print("| --- | --- | --- | --- | --- |")
    for name, labels in labelled.items():
        total, found, speaker, role = score(labels, articles)
        print(f"| {name} | {total} | {found:.1f} | {speaker:.1f} | {role:.1f} |")
    count, ms = parse_cost(SHARED / "corpus" / "bbc")
    print(f"parsing: {count} BBC reports, {ms:.2f} ms CPU per report")
    pasted = ", ".join(
        f"{label} {paste_cost(SHARED / 'corpus' / 'bbc', size):.2f} s"
        for label, size in (("200 KB", 200_000), ("2 MiB", MAX_REPORT_BYTES))
    )
    print(f"parsing: BBC reports pasted into one text, CPU: {pasted}")
    return 0


def parse_cost(corpus: Path) -> tuple[int, float]:
    """How many reports `corpus` holds, and the parser's CPU milliseconds per report over them
    (CPU time, not wall time: the machine is shared)."""
    reports = [(str(p.relative_to(corpus)), p.read_bytes()) for p in sorted(corpus.rglob("*.txt"))]
    began = time.process_time()
    for source, data in reports:
        parse_report(data, source=source)
    return len(reports), 1000 * (time.process_time() - began) / len(reports)


def paste_cost(corpus: Path, size: int) -> float:
    """The parser's CPU seconds for `corpus`'s report bodies pasted into one text of at most
    `size` bytes, as an admin may upload an archive's worth in one file."""
    data = b"Reports pasted together\n"
    for path in sorted(corpus.rglob("*.txt")):
        body = b"\n\n" + path.read_bytes().split(b"\n", 1)[1].strip()
        if len(data) + len(body) > size:
            break
        data += body
    began = time.process_time()
    parse_report(data, source="pasted.txt")
    return time.process_time() - began


if __name__ == "__main__":
    sys.exit(main())
