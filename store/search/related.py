"""Terms near in meaning: "vehicl" beside "car", "weight" beside "heavi". A report often says
in other words what a question asks; a unit that holds a near term of a question's term it
lacks holds some of that term's weight (`ranking.py`, how much is learned).

related.tsv.gz is written by `python -m bench.training.related`, from a sentence model's
embeddings of common English words: a line per term, its nearest terms with their cosine.
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

RELATED = Path(__file__).resolve().parent / "related.tsv.gz"


@functools.cache
def related() -> dict[str, tuple[tuple[str, float], ...]]:
    """Each term's nearest terms and how near (cosine, 0..1)."""
    table: dict[str, tuple[tuple[str, float], ...]] = {}
    for line in gzip.decompress(RELATED.read_bytes()).decode().splitlines():
        term, _, near = line.partition("\t")
        pairs = (pair.rpartition(":") for pair in near.split(" "))
        table[term] = tuple((other, float(cosine)) for other, _, cosine in pairs)
    return table
