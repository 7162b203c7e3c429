"""Ingest benchmark: the whole BBC corpus into a fresh store, then quote accuracy on the dev set.

    python bench/ingest.py

Prints one table: wall seconds for `ingest_paths` (parse + store write), articles per second,
store size, peak RSS, and on ../shared/dev/quotes.jsonl:

- quotes found: the share of listed quotations for which some stored quote of that article
  contains `quote_start` (case-sensitive, as listed).
- speaker right: the share of listed quotations that are found AND whose stored quote (the first
  one containing `quote_start`) names the right speaker:
  - gold speaker given: our speaker is not None and contains the gold surname (its last word),
    ignoring case, or a word of ours scores >= 80 against it (rapidfuzz ratio; the article
    itself misspells "Barrot" as "Barot");
  - gold speaker null (an organisation or an unnamed role): our speaker or role shares a
    content word with the gold role ("a spokesperson" ~ "Downing Street spokesperson"), or one
    of our words is the initials of gold role words ("SFA" ~ "Scottish Football Association").
"""

from __future__ import annotations

import json
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz

from store.library.ingest import ingest_paths
from store.library.service import Library
from store.library.store import ReportStore
from store.reports.article import Quote

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
_STOP = frozenset(
    ["the", "a", "an", "of", "for", "and", "in", "at", "on", "to", "by", "with", "statement", "'s"]
)
_WORD = re.compile(r"[\w-]+")


def _words(text: str | None) -> set[str]:
    return {w.lower() for w in _WORD.findall(text or "")} - _STOP


def speaker_right(quote: Quote, gold_speaker: str | None, gold_role: str | None) -> bool:
    """The rule in the module docstring."""
    if gold_speaker is not None:
        if quote.speaker is None:
            return False
        surname = gold_speaker.split()[-1].lower()
        ours = _words(quote.speaker)
        return surname in ours or any(fuzz.ratio(surname, w) >= 80 for w in ours)
    ours = _words(quote.speaker) | _words(quote.role)
    gold = _words(gold_role)
    initials = "".join(w[0] for w in _WORD.findall(gold_role or "") if w[0].isupper()).lower()
    return bool(ours & gold) or any(len(w) > 1 and w in initials for w in ours)


def quote_scores(store: ReportStore, dev: Path) -> tuple[float, float]:
    found = right = total = 0
    for line in dev.read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        total += 1
        article = store.get(gold["article"]) or store.get(Path(gold["article"]).name)
        quotes = article.quotes if article else []
        match = next((q for q in quotes if gold["quote_start"] in q.text), None)
        if match is None:
            continue
        found += 1
        right += speaker_right(match, gold["speaker"], gold["speaker_role"])
    return 100 * found / total, 100 * right / total


def main() -> int:
    corpus = SHARED / "corpus"
    if not (corpus / "bbc").is_dir():
        print(f"{corpus / 'bbc'} not found", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.json"
        with Library.open(db, index=False) as library:
            store = library.store
            began = time.perf_counter()
            report = ingest_paths(library, [corpus / "bbc", corpus / "seed"])
            seconds = time.perf_counter() - began
            articles = len(report.stored) + len(report.updated) + len(report.duplicates)
            size_mb = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
            found, right = quote_scores(store, SHARED / "dev" / "quotes.jsonl")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [
        ("seconds", f"{seconds:.2f}"),
        ("articles/s", f"{articles / seconds:.0f}"),
        ("store size MB", f"{size_mb:.1f}"),
        ("peak RSS MB", f"{peak_mb:.0f}"),
        ("quotes found %", f"{found:.1f}"),
        ("speaker right %", f"{right:.1f}"),
    ]
    print("| metric | value |\n| --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value} |")
    if report.rejected:
        print(f"rejected: {report.rejected}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
