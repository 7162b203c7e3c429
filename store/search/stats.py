"""The library's statistics, small and kept whole in memory: per level (articles, paragraphs,
units) each term's document frequency, the documents' count and total length, so that BM25 is
computed for a few candidates' term lists as it would be over the whole library; the words the
speller knows, with counts; the speakers quoted; and each indexed report's sequence number and
content digest.

On disk, beside the postings, they are a whole copy (BASE) and a log of each commit's `Change`
since (LOG), both in Python's `marshal` format (of the formats that hold plain dicts, the
quickest to write and read). A commit appends its change, so that it costs what it changed, not
what the library holds; once the log outgrows the copy, the copy is written afresh and the log
started again, which keeps the writing linear in the library's growth. Another process takes
in a commit by reading the log past where it had read. Each log record carries its length and
CRC-32: a torn or damaged record ends the log there, and the statistics read are then of an
earlier commit than the postings', which `index.py` detects.
"""

from __future__ import annotations

import itertools
import marshal
import os
import struct
import uuid
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from store.library.storage import write_atomically
from store.search.entries import Entry
from store.search.terms import Bag

K1 = 1.2
B = 0.75
# Of what the index holds: raised when the terms an article is indexed by change (3: "ID" is
# a word; 4: a hyphenated compound is a word closed up too), so that an index written before is
# rebuilt from the store.
VERSION = 4
BASE = "stats.marshal"
LOG = "stats.log"
LOG_MIN = 1 << 20  # bytes of log kept, however small the base, before starting again
_FRAME = struct.Struct("<II")  # a log record's length and CRC-32, before it


@dataclass(slots=True)
class Level:
    df: Counter[str] = field(default_factory=Counter)
    count: int = 0
    length: int = 0

    def count_in(self, docs: list[list[str]], sign: int) -> None:
        """Count `docs` in (`sign` 1) or out (-1) of a change: its frequencies may go below 0."""
        self.count += sign * len(docs)
        self.length += sign * sum(map(len, docs))
        present = itertools.chain.from_iterable(map(set, docs))
        if sign > 0:
            self.df.update(present)
        else:
            self.df.subtract(present)

    def apply(self, change: Level) -> None:
        self.count += change.count
        self.length += change.length
        _add_counts(self.df, change.df)

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return float(np.log(1.0 + (self.count - df + 0.5) / (df + 0.5))) if df else 0.0

    @property
    def max_idf(self) -> float:
        """The idf of a term no document has yet."""
        return float(np.log(1.0 + (self.count + 0.5) / 0.5))

    def scores(self, docs: Sequence[Bag], query: Mapping[str, float]) -> np.ndarray:
        """BM25 of each of `docs` (this level's documents), each query term's idf times its
        weight in `query`."""
        terms = list(query)
        zeros = [0] * len(terms)
        counts = np.array([list(map(doc.counts.get, terms, zeros)) for doc in docs], dtype=np.int64)
        lengths = np.fromiter((doc.length for doc in docs), dtype=np.float32, count=len(docs))
        return self.scores_of(counts.reshape(len(docs), len(terms)), lengths, query)

    def scores_of_terms(
        self, docs: Sequence[Sequence[str]], query: Mapping[str, float]
    ) -> np.ndarray:
        """`scores` of documents given by their terms. Counting the query's few terms in each is
        a third of the cost of counting all its terms first (`Counted`), for documents read once:
        most of the articles a question rescores in a large library are read for it alone. Only
        the terms a document holds are counted in it (most hold none or one): a set intersection
        finds them in one pass, where counting every term took one pass each."""
        place = {term: column for column, term in enumerate(query)}
        asked = place.keys()
        rows: list[int] = []
        columns: list[int] = []
        values: list[int] = []
        for row, doc in enumerate(docs):
            for term in asked & doc:
                rows.append(row)
                columns.append(place[term])
                values.append(doc.count(term))
        counts = np.zeros((len(docs), len(place)), dtype=np.int64)
        counts[rows, columns] = values
        lengths = np.fromiter(map(len, docs), dtype=np.float32, count=len(docs))
        return self.scores_of(counts, lengths, query)

    def scores_of(
        self, counts: np.ndarray, lengths: np.ndarray, query: Mapping[str, float]
    ) -> np.ndarray:
        """BM25 of documents given by their `counts` of each term of `query` (a column per term,
        in its order) and their `lengths` (float32). In float32, term by term in the query's
        order, as the engine always has: the model was fit on these very numbers."""
        scores = np.zeros(len(lengths), dtype=np.float32)
        weighted = [
            (column, self.idf(term) * weight) for column, (term, weight) in enumerate(query.items())
        ]
        weighted = [(column, idf) for column, idf in weighted if idf > 0.0]
        if not self.count or not weighted or not len(lengths):
            return scores
        norm = K1 * (1.0 - B + B * lengths / (self.length / self.count))
        idf = np.array([idf for _, idf in weighted], dtype=np.float32)
        tf = counts[:, [column for column, _ in weighted]].astype(np.float32)
        for part in (idf * tf * (K1 + 1.0) / (tf + norm[:, None])).T:
            scores += part
        return scores

    def record(self) -> dict[str, Any]:
        return {"count": self.count, "length": self.length, "df": dict(self.df)}

    def copy(self) -> Level:
        return Level(Counter(self.df), self.count, self.length)

    @classmethod
    def of(cls, record: dict[str, Any]) -> Level:
        return cls(Counter(record["df"]), record["count"], record["length"])


def _add_counts(counts: Counter[str], change: Mapping[str, int]) -> None:
    """Add `change` (signed) to `counts`, dropping what falls to 0 (in whole-dict operations:
    a log of many changes is replayed at every start)."""
    get = counts.get
    totals = {key: get(key, 0) + n for key, n in change.items()}
    dict.update(counts, totals)  # Counter.update would add the totals to the counts
    for key in [key for key, total in totals.items() if total <= 0]:
        del counts[key]


@dataclass(slots=True)
class Change:
    """What one commit did to the statistics: signed counts, the reports indexed (source:
    (seq, digest)) or forgotten (source: None), and where sequence numbers go on."""

    next_seq: int
    articles: Level = field(default_factory=Level)
    paragraphs: Level = field(default_factory=Level)
    units: Level = field(default_factory=Level)
    words: Counter[str] = field(default_factory=Counter)
    speakers: Counter[str] = field(default_factory=Counter)
    reports: dict[str, tuple[int, str] | None] = field(default_factory=dict)
    opstamps: tuple[int, int] = (0, 0)

    def add(self, entry: Entry, digest: str, words: list[str], speakers: list[str]) -> None:
        """Count in `entry`, with its surface `words` (each as often as it stands) and the
        `speakers` it quotes."""
        self._count(entry, words, speakers, 1)
        self.reports[entry.source] = (entry.seq, digest)

    def remove(
        self, source: str, entry: Entry | None, words: list[str], speakers: list[str]
    ) -> None:
        """Forget `source`, whose `entry` (None when it never reached the postings) had
        `words` and `speakers`."""
        if entry is not None:
            self._count(entry, words, speakers, -1)
        self.reports[source] = None

    def _count(self, entry: Entry, words: list[str], speakers: list[str], sign: int) -> None:
        self.articles.count_in([entry.article_terms], sign)
        self.paragraphs.count_in(entry.paragraph_terms, sign)
        self.units.count_in(entry.unit_terms, sign)
        for counter, items in ((self.words, words), (self.speakers, speakers)):
            # Counted from the items themselves, in C: a loop over each article's words was a
            # tenth of an ingest's CPU.
            if sign > 0:
                counter.update(items)
            else:
                counter.subtract(items)

    def record(self) -> dict[str, Any]:
        return {
            "next_seq": self.next_seq,
            "opstamps": self.opstamps,
            "levels": [level.record() for level in (self.articles, self.paragraphs, self.units)],
            "words": dict(self.words),
            "speakers": dict(self.speakers),
            "reports": self.reports,
        }

    @classmethod
    def of(cls, record: dict[str, Any]) -> Change:
        articles, paragraphs, units = map(Level.of, record["levels"])
        return cls(
            record["next_seq"],
            articles,
            paragraphs,
            units,
            Counter(record["words"]),
            Counter(record["speakers"]),
            record["reports"],
            tuple(record["opstamps"]),
        )


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
    # The log these statistics were read from or written to (its base's name) and the offset
    # they take in up to; ("", 0) when they are on no disk.
    log: tuple[str, int] = ("", 0)

    def __len__(self) -> int:
        return len(self.reports)

    def indexed(self, source: str, change: Change) -> tuple[int, str] | None:
        """`source`'s (seq, digest) once `change` is applied."""
        if source in change.reports:
            return change.reports[source]
        return self.reports.get(source)

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
            self.log,
        )

    def applied(self, change: Change) -> Stats:
        """These statistics after `change`, as a copy: readers go on with this one."""
        new = self.copy()
        new.apply(change)
        return new

    def apply(self, change: Change) -> None:
        for level, delta in (
            (self.articles, change.articles),
            (self.paragraphs, change.paragraphs),
            (self.units, change.units),
        ):
            level.apply(delta)
        _add_counts(self.words, change.words)
        _add_counts(self.speakers, change.speakers)
        for source, known in change.reports.items():
            if known is None:
                self.reports.pop(source, None)
            else:
                self.reports[source] = known
        self.next_seq = change.next_seq
        self.opstamps = change.opstamps

    def record(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "log": self.log[0],
            "opstamps": self.opstamps,
            "next_seq": self.next_seq,
            "articles": self.articles.record(),
            "paragraphs": self.paragraphs.record(),
            "units": self.units.record(),
            "words": dict(self.words),
            "speakers": dict(self.speakers),
            "reports": self.reports,
        }

    @classmethod
    def of(cls, record: dict[str, Any]) -> Stats:
        if record.get("version") != VERSION:
            raise OtherVersion(f"version {record.get('version')!r}, not {VERSION}")
        return cls(
            Level.of(record["articles"]),
            Level.of(record["paragraphs"]),
            Level.of(record["units"]),
            Counter(record["words"]),
            Counter(record["speakers"]),
            record["reports"],  # marshal keeps the (seq, digest) tuples
            record["next_seq"],
            tuple(record["opstamps"]),
            (record["log"], 0),
        )


class OtherVersion(ValueError):
    """The statistics were saved by a reportbot that indexed reports otherwise."""


class Saved:
    """The statistics in `directory`: BASE and its LOG. One process writes at a time (the
    index's writer lock); any may read while it does."""

    def __init__(self, directory: Path) -> None:
        self.base = directory / BASE
        self.log = directory / LOG

    def load(self) -> Stats:
        """The statistics as the last commit left them (or as far as the log is whole);
        ValueError when they are unreadable."""
        try:
            stats = Stats.of(marshal.loads(self.base.read_bytes()))
            log = self.log.read_bytes() if self.log.exists() else b""
        except (OSError, EOFError, KeyError, TypeError) as exc:
            raise ValueError(str(exc)) from exc
        stats.log = (stats.log[0], -1)  # the log is not this base's until its header says so
        self._take_in(stats, log)
        return stats

    def since(self, stats: Stats) -> tuple[Stats, set[str]] | None:
        """`stats` after what was committed since, read from the log, with the words whose
        counts changed; None when the log was started again since (load it all)."""
        name, end = stats.log
        try:
            with self.log.open("rb") as log:
                frame = log.read(_FRAME.size)
                length = _FRAME.unpack(frame)[0] if len(frame) == _FRAME.size else 0
                header = _read_record(frame + log.read(length), 0)
                if end <= 0 or header is None or header[1].get("base") != name:
                    return None
                log.seek(end)
                tail = log.read()
        except OSError:
            return None
        new = stats.copy()
        touched: set[str] = set()
        for after, record in _records(tail, 0):
            change = Change.of(record)
            new.apply(change)
            touched.update(change.words)
            new.log = (name, end + after)
        return new, touched

    def write(self, stats: Stats, change: Change) -> None:
        """Save `stats`, which `change` (just committed) led to: append it to the log when the
        log is the one `stats` came from and as long as `stats` left it, else (and once the
        log outgrows the base) write the base afresh and start a new log."""
        name, end = stats.log
        if name and end > 0 and self._size(self.log) == end:
            record = _frame(change.record())
            with self.log.open("ab") as log:
                log.write(record)
                log.flush()
                os.fsync(log.fileno())
            stats.log = (name, end + len(record))
            if stats.log[1] <= max(LOG_MIN, self._size(self.base)):
                return
        self._start_again(stats)

    def _start_again(self, stats: Stats) -> None:
        """The base written whole, under a new name, and a log with only its header. A reader
        between the two finds the old log, not the base's, and takes the base alone."""
        name = uuid.uuid4().hex
        stats.log = (name, 0)
        write_atomically(self.base, marshal.dumps(stats.record()))
        header = _frame({"version": VERSION, "base": name})
        write_atomically(self.log, header)
        stats.log = (name, len(header))

    def _take_in(self, stats: Stats, log: bytes) -> None:
        header = _read_record(log, 0)
        if header is None or header[1].get("base") != stats.log[0]:
            return
        stats.log = (stats.log[0], header[0])
        for after, record in _records(log, header[0]):
            try:
                stats.apply(Change.of(record))
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"its statistics log is damaged ({exc})") from exc
            stats.log = (stats.log[0], after)

    @staticmethod
    def _size(path: Path) -> int:
        try:
            return path.stat().st_size
        except FileNotFoundError:
            return -1


def _frame(record: dict[str, Any]) -> bytes:
    payload = marshal.dumps(record)
    return _FRAME.pack(len(payload), zlib.crc32(payload)) + payload


def _read_record(data: bytes, at: int) -> tuple[int, dict[str, Any]] | None:
    """The record at `at` and the offset after it; None when it is torn or damaged."""
    if at + _FRAME.size > len(data):
        return None
    length, crc = _FRAME.unpack_from(data, at)
    start = at + _FRAME.size
    payload = data[start : start + length]
    if len(payload) < length or zlib.crc32(payload) != crc:
        return None
    try:
        record = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    return (start + length, record) if isinstance(record, dict) else None


def _records(data: bytes, at: int) -> Iterator[tuple[int, dict[str, Any]]]:
    """The whole records from `at` on, each with the offset after it: the first torn or
    damaged one ends them."""
    while (found := _read_record(data, at)) is not None:
        at = found[0]
        yield found
