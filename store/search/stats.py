"""The library's statistics, small and kept whole in memory: per level (articles, paragraphs,
units) each term's document frequency, the documents' count and total length, so that BM25 is
computed for a few candidates' term lists as it would be over the whole library; the words the
speller knows, with counts; the speakers quoted; and each indexed report's sequence number and
content digest. They are saved beside the postings after each commit, in one file of Python's
`marshal` format: of the formats that hold plain dicts, the quickest to write and read, which
matters as the file is rewritten on every commit while answers wait on the interpreter lock.
"""

from __future__ import annotations

import itertools
import marshal
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from store.search.entries import Entry

K1 = 1.2
B = 0.75
VERSION = 1


@dataclass(slots=True)
class Level:
    df: Counter[str] = field(default_factory=Counter)
    count: int = 0
    length: int = 0

    def add(self, docs: list[list[str]], sign: int = 1) -> None:
        self.count += sign * len(docs)
        self.length += sign * sum(map(len, docs))
        present = itertools.chain.from_iterable(map(set, docs))
        if sign > 0:
            self.df.update(present)
            return
        present = list(present)
        self.df.subtract(present)
        for term in present:
            if self.df.get(term, 1) <= 0:
                del self.df[term]

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return float(np.log(1.0 + (self.count - df + 0.5) / (df + 0.5))) if df else 0.0

    @property
    def max_idf(self) -> float:
        """The idf of a term no document has yet."""
        return float(np.log(1.0 + (self.count + 0.5) / 0.5))

    def scores(self, docs: list[list[str]], query: Mapping[str, float]) -> np.ndarray:
        """BM25 of each of `docs` (term lists of this level's documents), each query term's idf
        times its weight in `query`. In float32, term by term in the query's order, as the
        engine always has: the model was fit on these very numbers."""
        scores = np.zeros(len(docs), dtype=np.float32)
        if not self.count:
            return scores
        lengths = np.fromiter(map(len, docs), dtype=np.float32, count=len(docs))
        norm = K1 * (1.0 - B + B * lengths / (self.length / self.count))
        for term, weight in query.items():
            idf = self.idf(term) * weight
            if idf <= 0.0:
                continue
            tf = np.fromiter((doc.count(term) for doc in docs), dtype=np.float32, count=len(docs))
            scores += idf * tf * (K1 + 1.0) / (tf + norm)
        return scores

    def record(self) -> dict[str, Any]:
        return {"count": self.count, "length": self.length, "df": dict(self.df)}

    def copy(self) -> Level:
        return Level(Counter(self.df), self.count, self.length)

    @classmethod
    def of(cls, record: dict[str, Any]) -> Level:
        return cls(Counter(record["df"]), record["count"], record["length"])


@dataclass(slots=True)
class Stats:
    articles: Level = field(default_factory=Level)
    paragraphs: Level = field(default_factory=Level)
    units: Level = field(default_factory=Level)
    words: Counter[str] = field(default_factory=Counter)
    speakers: Counter[str] = field(default_factory=Counter)
    reports: dict[str, tuple[int, str]] = field(default_factory=dict)  # source: (seq, digest)
    next_seq: int = 0
    opstamps: tuple[int, int] = (0, 0)  # the postings' commits these statistics describe

    def __len__(self) -> int:
        return len(self.reports)

    def copy(self) -> Stats:
        """A copy to change while readers go on with this one."""
        return Stats(
            self.articles.copy(),
            self.paragraphs.copy(),
            self.units.copy(),
            Counter(self.words),
            Counter(self.speakers),
            dict(self.reports),
            self.next_seq,
            self.opstamps,
        )

    def add(self, entry: Entry, digest: str, words: Counter[str], speakers: list[str]) -> None:
        self._count(entry, words, speakers, 1)
        self.reports[entry.source] = (entry.seq, digest)

    def remove(self, entry: Entry, words: Counter[str], speakers: list[str]) -> None:
        self._count(entry, words, speakers, -1)
        del self.reports[entry.source]

    def _count(self, entry: Entry, words: Counter[str], speakers: list[str], sign: int) -> None:
        self.articles.add([entry.article_terms], sign)
        self.paragraphs.add(entry.paragraph_terms, sign)
        self.units.add(entry.unit_terms, sign)
        for counter, counts in ((self.words, words), (self.speakers, Counter(speakers))):
            for key, n in counts.items():
                counter[key] += sign * n
                if counter[key] <= 0:
                    del counter[key]

    def save(self, path: Path) -> None:
        """Write the statistics to `path` whole, by replacing it: a reader sees the old file or
        the new one."""
        record = {
            "version": VERSION,
            "opstamps": self.opstamps,
            "next_seq": self.next_seq,
            "articles": self.articles.record(),
            "paragraphs": self.paragraphs.record(),
            "units": self.units.record(),
            "words": dict(self.words),
            "speakers": dict(self.speakers),
            "reports": self.reports,
        }
        temporary = path.with_name(f"{path.name}.tmp")
        with temporary.open("wb") as out:
            marshal.dump(record, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path) -> Stats:
        """The statistics saved at `path`; ValueError when they are unreadable."""
        try:
            record = marshal.loads(path.read_bytes())
            if record.get("version") != VERSION:
                raise ValueError(f"version {record.get('version')!r}, not {VERSION}")
            return cls(
                Level.of(record["articles"]),
                Level.of(record["paragraphs"]),
                Level.of(record["units"]),
                Counter(record["words"]),
                Counter(record["speakers"]),
                {source: (seq, digest) for source, (seq, digest) in record["reports"].items()},
                record["next_seq"],
                tuple(record["opstamps"]),
            )
        except (OSError, EOFError, KeyError, TypeError) as exc:
            raise ValueError(str(exc)) from exc
