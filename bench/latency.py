"""Engine speed as the library grows: the full BBC corpus replicated 1x, 2x, 4x and 8x.

    python bench/latency.py

For each size: index build seconds, p50 and p95 ms per dev question, and peak RSS (MB).
Each size runs in a fresh process so its peak RSS is its own.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from dataclasses import replace

import numpy as np

from bench.quality import SHARED, load_articles
from store.search.matcher import Matcher

SIZES = (1, 2, 4, 8)


def run(copies: int) -> str:
    articles = load_articles()
    library = [
        replace(article, source=f"copy{n}/{article.source}") if n else article
        for n in range(copies)
        for article in articles
    ]
    start = time.perf_counter()
    matcher = Matcher(library)
    build = time.perf_counter() - start
    questions = [
        json.loads(line)["question"] for line in (SHARED / "dev" / "questions.jsonl").open()
    ]
    times = []
    for question in questions:
        start = time.perf_counter()
        matcher.search(question)
        times.append((time.perf_counter() - start) * 1000)
    p50, p95 = np.percentile(times, [50, 95])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return f"{copies:>5}x {len(library):>9} {build:>9.2f} {p50:>7.2f} {p95:>7.2f} {rss:>8.0f}"


def main() -> None:
    if len(sys.argv) == 2:
        print(run(int(sys.argv[1])))
        return
    print(f"{'size':>6} {'articles':>9} {'build_s':>9} {'p50ms':>7} {'p95ms':>7} {'rss_mb':>8}")
    for copies in SIZES:
        line = subprocess.run(
            [sys.executable, "-m", "bench.latency", str(copies)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        print(line, flush=True)


if __name__ == "__main__":
    main()
