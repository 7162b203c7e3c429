"""Check the labelled quote attributions before anything is measured or tuned on them.

    python -m bench.training.check_attributions

Each row of attributions.jsonl names a BBC report that exists and that no evaluation set uses,
gives a fragment of one quotation verbatim (case kept, as the benchmark matches it), a speaker
who is null or named in the report (honorifics such as "Sir" may be added), a role or null,
and the split its report's hash gives it: half the reports are for developing rules, half
held out, fixed before any result was seen. Exits 1 with one line per problem.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from bench.training.check import article_text, evaluation_articles

ATTRIBUTIONS = Path(__file__).resolve().parent / "attributions.jsonl"
SPLITS = ("develop", "heldout")
_HONORIFICS = ("Sir ", "Lord ", "Dr ", "Mr ", "Mrs ", "Ms ")


def split_of(report: str) -> str:
    """The side a report's quotations fall on, by a hash of its path."""
    return SPLITS[int(hashlib.sha256(report.encode()).hexdigest(), 16) % 2]


def problems(path: Path) -> list[str]:
    found: list[str] = []
    excluded = evaluation_articles()
    seen: set[tuple[str, str]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        row = json.loads(line)
        report, quote, speaker = row.get("report", ""), row.get("quote"), row.get("speaker")
        if not isinstance(quote, str) or not quote.strip():
            found.append(f"{where}: needs a quote fragment")
            continue
        if (report, quote) in seen:
            found.append(f"{where}: listed twice")
        seen.add((report, quote))
        if report in excluded:
            found.append(f"{where}: {report} is used by an evaluation set")
        if speaker is None and not row.get("role"):
            found.append(f"{where}: an unnamed speaker needs a role")
        if row.get("split") != split_of(report):
            found.append(f"{where}: split should be {split_of(report)}")
        text = article_text(report)
        if text is None:
            found.append(f"{where}: no report {report!r}")
            continue
        if quote not in text:
            found.append(f"{where}: quote not verbatim in {report}: {quote!r}")
        name = speaker
        for honorific in _HONORIFICS:
            name = name.removeprefix(honorific) if name else None
        if name is not None and name not in text:
            found.append(f"{where}: speaker {speaker!r} is not named in {report}")
    return found


def main() -> int:
    found = problems(ATTRIBUTIONS)
    count = sum(1 for line in ATTRIBUTIONS.read_text().splitlines() if line.strip())
    print("\n".join(found) if found else f"ok: {count} attributions")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
