"""Candidate retrieval: our LexicalIndex against tantivy, on distinct copies of the BBC corpus.

    python bench/retrieval.py [--copies 1 4] [--seed N]

The candidate step is the matcher's paragraph index: one document per paragraph, the article's
title terms in front of its sentences' terms (store/search/matcher.py builds it that way from
`article_units`). Four systems index the same paragraphs:
- `lexical.py`: our Analyzer's terms in a LexicalIndex, plus the Speller over the library's words
  that the matcher keeps to repair questions (a rebuild is its only way to "reopen");
- `tantivy-stem`: title and paragraph text through tantivy's own `en_stem` tokenizer;
- `tantivy-ours`: our Analyzer's terms joined by spaces through tantivy's `whitespace` tokenizer;
- `tantivy+speller`: the index of `tantivy-ours`, asked with our Speller's repairs.
N copies index every paragraph N times as distinct documents; a copy counts as its article.

Every system runs in a fresh process: build seconds (analysis and Speller included), RSS growth
over the build, then the top 100 paragraphs for each TRAINING question (bench/training, never the
dev or held-out sets), as written and again with bench/quality.py's seeded typos (the written
ones include the training set's own "typo" questions, so both passes repair). A word the index
lacks is repaired by our Speller or becomes a tantivy fuzzy term query (1 edit up to 5 letters,
else 2, as the Speller allows). recall@k is the share of questions with a paragraph of the
question's article that holds an answer, case-insensitively, among the first k. Tantivy's reopen
is Index.open, a searcher and a first query in a new process. A second table has two processes
serving the same tantivy index: their RSS and PSS, in all and of the index's files (smaps).
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import Stemmer
import tantivy

from bench.lexical import LexicalIndex
from store.reports.parser import parse_report
from store.search.excerpts import article_units
from store.search.spelling import Speller, max_edits
from store.search.terms import STOP_WORDS, Analyzer, is_number, words

try:
    from bench.quality import misspell
except ImportError:  # bench/quality.py needs bm25s, of the same `bench` extra
    sys.exit("bench/retrieval.py needs the bench extra: pip install -e '.[bench]'")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "bbc"
TRAINING = ROOT / "bench" / "training"
# name: (tantivy mode, or None for ours)
SYSTEMS = {
    "lexical.py": None,
    "tantivy-stem": "stem",
    "tantivy-ours": "ours",
    "tantivy+speller": "speller",
}
TOP = 100
CUTS = (20, 100)
# Question words the matcher drops besides stop words (store/search/matcher.py's _SHAPE_WORDS).
SHAPE_WORDS = frozenset(["many", "much"])
WRITER_HEAP = 256_000_000


@dataclass(frozen=True)
class Paragraph:
    article: str  # the source without its copy suffix
    title: str
    text: str  # the sentences' text, as the matcher indexes it


def load_paragraphs() -> list[Paragraph]:
    found = []
    for path in sorted(CORPUS.glob("*/*.txt")):
        source = str(path.relative_to(CORPUS))
        article = parse_report(path.read_bytes(), source=source, category=path.parent.name)
        texts: dict[int, list[str]] = {}
        for unit in article_units(article):
            if unit.kind == "passage":
                texts.setdefault(unit.paragraph, []).append(unit.index_text)
        found += [Paragraph(source, article.title, " ".join(t)) for t in texts.values()]
    return found


def load_questions(seed: int) -> dict[str, list[dict]]:
    clean = [
        json.loads(line)
        for path in sorted(TRAINING.glob("questions-*.jsonl"))
        for line in path.open()
    ]
    rng = random.Random(seed)
    return {
        "clean": clean,
        "typos": [{**q, "question": misspell(q["question"], rng)} for q in clean],
    }


def question_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOP_WORDS and w not in SHAPE_WORDS]


def surface_words(paragraphs: list[Paragraph]) -> list[str]:
    """The words the matcher's Speller learns: each article's title once, then its text."""
    titles = {p.title for p in paragraphs}
    return [w for title in titles for w in words(title)] + [
        w for p in paragraphs for w in words(p.text)
    ]


class Repairs:
    """The matcher's question terms: stop and shape words out, a word the index lacks replaced
    by the Speller's first candidate (the matcher also weighs candidates by the other words)."""

    def __init__(self, paragraphs: list[Paragraph], analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.speller = Speller()
        self.speller.add(Counter(surface_words(paragraphs)))

    def query(self, question: str, known: Callable[[str], bool]) -> dict[str, float]:
        query: dict[str, float] = {}
        for word in question_words(question):
            stem = self.analyzer.stem(word)
            if not (known(stem) or is_number(word)):
                repairs = self.speller.candidates(word)
                if not repairs or repairs[0] in STOP_WORDS:
                    continue
                stem = self.analyzer.stem(repairs[0])
            query[stem] = query.get(stem, 0.0) + 1.0
        return query


class Ours:
    """The matcher's paragraph index, as store/search/matcher.py builds it, and its Speller."""

    def __init__(self, paragraphs: list[Paragraph]) -> None:
        self.analyzer = Analyzer()
        self.index = LexicalIndex()
        titles = {p.title: self.analyzer.terms(p.title) for p in paragraphs}
        self.index.extend([titles[p.title] + self.analyzer.terms(p.text) for p in paragraphs])
        self.repairs = Repairs(paragraphs, self.analyzer)

    def candidates(self, question: str) -> list[int]:
        scores = self.index.scores(self.repairs.query(question, lambda t: self.index.df(t) > 0))
        top = np.argpartition(-scores, min(TOP, len(scores) - 1))[:TOP]
        top = top[np.argsort(-scores[top], kind="stable")]
        return top[scores[top] > 0].tolist()


class Tantivy:
    """A tantivy index of the paragraphs in `directory`: by its own stemmer (`stem`) or our
    Analyzer's terms (`ours`) with fuzzy term queries for unknown words, or our terms with our
    Speller's repairs (`speller`)."""

    def __init__(self, paragraphs: list[Paragraph] | None, directory: Path, mode: str) -> None:
        self.mode = mode
        self.analyzer = Analyzer()
        self.stemmer = Stemmer.Stemmer("english")
        if paragraphs is None:
            self.index = tantivy.Index.open(str(directory))
        else:
            builder = tantivy.SchemaBuilder()
            tokenizer = "en_stem" if mode == "stem" else "whitespace"
            builder.add_text_field("body", tokenizer_name=tokenizer, index_option="freq")
            builder.add_unsigned_field("id", fast=True)
            self.index = tantivy.Index(builder.build(), path=str(directory))
            writer = self.index.writer(heap_size=WRITER_HEAP)
            titles = {p.title: " ".join(self.analyzer.terms(p.title)) for p in paragraphs}
            for i, p in enumerate(paragraphs):
                if mode == "stem":
                    body = f"{p.title}\n{p.text}"
                else:
                    body = f"{titles[p.title]} {' '.join(self.analyzer.terms(p.text))}"
                document = tantivy.Document()
                document.add_text("body", body)
                document.add_unsigned("id", i)
                writer.add_document(document)
            writer.commit()
            writer.wait_merging_threads()
        self.repairs = Repairs(paragraphs, self.analyzer) if mode == "speller" else None
        self.index.reload()
        self.searcher = self.index.searcher()
        self.schema = self.index.schema

    def known(self, term: str) -> bool:
        return self.searcher.doc_freq("body", term) > 0

    def term(self, term: str) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, "body", term)

    def clauses(self, question: str) -> list[tantivy.Query]:
        if self.repairs is not None:
            query = self.repairs.query(question, self.known)
            return [
                tantivy.Query.boost_query(self.term(t), weight) if weight != 1.0 else self.term(t)
                for t, weight in query.items()
            ]
        clauses = []
        for word in question_words(question):
            # tantivy's own tokenizer splits "12,575" where our WORD pattern keeps it whole
            parts = [word] if self.mode == "ours" else re.split(r"[.,]", word)
            for part in filter(None, parts):
                stem = (
                    self.analyzer.stem(part) if self.mode == "ours" else self.stemmer.stemWord(part)
                )
                if is_number(part) or self.known(stem):
                    clauses.append(self.term(stem))
                else:
                    clauses.append(
                        tantivy.Query.fuzzy_term_query(
                            self.schema, "body", stem, distance=max_edits(part)
                        )
                    )
        return clauses

    def candidates(self, question: str) -> list[int]:
        clauses = [(tantivy.Occur.Should, q) for q in self.clauses(question)]
        if not clauses:
            return []
        hits = self.searcher.search(tantivy.Query.boolean_query(clauses), TOP, count=False).hits
        return self.searcher.fast_field_values("id", [address for _, address in hits])


def build(system: str, paragraphs: list[Paragraph] | None, directory: Path) -> Ours | Tantivy:
    mode = SYSTEMS[system]
    if mode is None:
        assert paragraphs is not None, "lexical.py has nothing on disk to reopen"
        return Ours(paragraphs)
    return Tantivy(paragraphs, directory, mode)


def recall(system: Ours | Tantivy, paragraphs: list[Paragraph], questions: list[dict]) -> dict:
    """Milliseconds a question (p50, p95) and recall at each cut."""
    folded = [f"{p.title}\n{p.text}".casefold() for p in paragraphs]
    times, found = [], dict.fromkeys(CUTS, 0)
    for q in questions:
        start = time.perf_counter()
        ids = system.candidates(q["question"])
        times.append((time.perf_counter() - start) * 1000)
        answers = [a.casefold() for a in q["answers"]]
        holds = [
            paragraphs[i].article == q["article"] and any(a in folded[i] for a in answers)
            for i in ids
        ]
        for cut in CUTS:
            found[cut] += any(holds[:cut])
    p50, p95 = np.percentile(times, [50, 95])
    return {"p50": p50, "p95": p95, **{f"r{cut}": found[cut] / len(questions) for cut in CUTS}}


def child_build(args: argparse.Namespace) -> None:
    """Build one system in this fresh process and answer the questions: one JSON line out."""
    with open(args.data, "rb") as f:
        paragraphs = pickle.load(f) * args.copies_of
    questions = json.loads(Path(args.questions).read_text())
    gc.collect()
    before = memory()["rss"]
    start = time.perf_counter()
    system = build(args.system, paragraphs, Path(args.directory))
    seconds = time.perf_counter() - start
    gc.collect()
    row = {"build": seconds, "rss": memory()["rss"] - before}
    for label, qs in questions.items():
        row[label] = recall(system, paragraphs, qs)
    print(json.dumps(row))


def child_open(args: argparse.Namespace) -> None:
    """Open a tantivy index from disk and answer one question; with --serve, answer them all
    and wait on stdin so that the parent can read this process's memory."""
    questions = json.loads(Path(args.questions).read_text())["clean"]
    start = time.perf_counter()
    system = build(args.system, None, Path(args.directory))
    system.candidates(questions[0]["question"])
    seconds = time.perf_counter() - start
    if args.serve:
        for q in questions:
            system.candidates(q["question"])
    print(json.dumps({"reopen": seconds}), flush=True)
    if args.serve:
        sys.stdin.read()


def run(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def directory_mb(directory: Path) -> float:
    return sum(f.stat().st_size for f in directory.iterdir()) / 1e6


def memory(pid: int | str = "self", under: Path | None = None) -> dict[str, float]:
    """A process's Rss and Pss in MB (the latter sharing each page among the processes that
    map it): all of its memory, or only the files it maps from `under`."""
    total = {"rss": 0.0, "pss": 0.0}
    counting = under is None
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        fields = line.split()
        if not fields[0].endswith(":"):  # a mapping's header: address range ... [path]
            counting = under is None or (len(fields) > 5 and fields[5].startswith(str(under)))
        elif counting and fields[0] in ("Rss:", "Pss:"):
            total[fields[0][:-1].lower()] += int(fields[1]) / 1024
    return total


def sharing(questions: Path, directory: Path, system: str) -> None:
    """Two processes serving one index: how much of each one's memory the other shares."""
    print(
        f"\n{'process':<28} {'RSS MB':>7} {'PSS MB':>7} {'index RSS MB':>12} {'index PSS MB':>12}"
    )
    idle = [sys.executable, "-c", "import sys, bench.retrieval; print(flush=1); sys.stdin.read()"]
    serve = [sys.executable, __file__, "--child", "open", "--serve", "--system", system]
    serve += ["--questions", str(questions), "--directory", str(directory)]
    names = ["same imports, no index", *(f"{system} worker {i}" for i in (1, 2))]
    processes = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for command in (idle, serve, serve)
    ]
    try:
        for process in processes:
            process.stdout.readline()
        for name, process in zip(names, processes, strict=True):
            whole, index = memory(process.pid), memory(process.pid, directory)
            print(
                f"{name:<28} {whole['rss']:7.1f} {whole['pss']:7.1f} {index['rss']:12.1f} "
                f"{index['pss']:12.1f}"
            )
    finally:
        for process in processes:
            process.stdin.close()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--systems", nargs="+", choices=list(SYSTEMS), default=list(SYSTEMS))
    for hidden in ("--child", "--system", "--data", "--questions", "--directory"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--copies-of", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "build":
        return child_build(args)
    if args.child == "open":
        return child_open(args)
    if not CORPUS.is_dir():
        parser.error(f"{CORPUS} is missing")
    work = Path(tempfile.mkdtemp(prefix="retrieval-"))
    try:
        data, questions = work / "paragraphs.pickle", work / "questions.json"
        paragraphs = load_paragraphs()
        data.write_bytes(pickle.dumps(paragraphs))
        asked = load_questions(args.seed)
        questions.write_text(json.dumps(asked))
        print(
            f"{len(paragraphs)} paragraphs a copy; {len(asked['clean'])} training questions, "
            "clean and with typos"
        )
        print(
            f"{'copies':>6} {'system':<15} {'questions':<9} {'size MB':>7} {'build s':>7} "
            f"{'reopen s':>8} {'RSS MB':>7} {'p50 ms':>7} {'p95 ms':>7} {'recall@20':>9} "
            f"{'recall@100':>10}"
        )
        for copies in args.copies:
            for system in args.systems:
                mode = SYSTEMS[system]
                directory = work / f"{system}-{copies}"
                directory.mkdir()
                common = ["--system", system, "--questions", str(questions)]
                common += ["--directory", str(directory)]
                row = run(
                    "--child", "build", "--copies-of", str(copies), "--data", str(data), *common
                )
                size = "-" if mode is None else f"{directory_mb(directory):.1f}"
                if mode is None:
                    reopen = f"{row['build']:.2f}*"
                elif mode == "speller":
                    reopen = "+"
                else:
                    reopen = f"{run('--child', 'open', *common)['reopen']:.3f}"
                for label in ("clean", "typos"):
                    r = row[label]
                    built = [size, f"{row['build']:.2f}", reopen, f"{row['rss']:.1f}"]
                    if label != "clean":
                        built = [""] * 4
                    print(
                        f"{copies:>6} {system:<15} {label:<9} {built[0]:>7} {built[1]:>7} "
                        f"{built[2]:>8} {built[3]:>7} {r['p50']:7.2f} {r['p95']:7.2f} "
                        f"{r['r20']:9.3f} {r['r100']:10.3f}"
                    )
        print("* lexical.py has nothing on disk: reopening it is a rebuild from parsed reports")
        print("+ as tantivy-ours, plus rebuilding the Speller (its vocabulary is not on disk)")
        shared = [name for name in args.systems if SYSTEMS[name]]
        if shared:  # tantivy+speller's index is tantivy-ours's: open it as that
            system = "tantivy-stem" if SYSTEMS[shared[0]] == "stem" else "tantivy-ours"
            sharing(questions, work / f"{shared[0]}-{max(args.copies)}", system)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
