"""Files and folders of reports into the library: walk, parse, add as one arrival, account for
each."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from store.library.interface import AddOutcome
from store.library.service import Library
from store.reports.article import Article
from store.reports.parser import MAX_REPORT_BYTES, REPORT_SUFFIXES, RejectedReport, parse_report

# In a folder of reports, files that describe the folder rather than report news.
ABOUT_THE_FOLDER = frozenset({"readme", "license", "licence", "copying"})

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file to ingest, with the source and category it will be stored under."""

    path: Path
    source: str
    category: str = ""


@dataclass(slots=True)
class IngestReport:
    stored: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"stored {len(self.stored)}, updated {len(self.updated)}, "
            f"duplicates {len(self.duplicates)}, rejected {len(self.rejected)}"
        )


def find_reports(paths: Iterable[str | Path]) -> tuple[list[Candidate], list[tuple[str, str]]]:
    """The report files under `paths` (folders searched recursively, without hidden files and
    folders or a README or LICENSE), and the paths refused, with why: not found, a folder
    without reports, or a second file under a source that one before it has (`a/x.txt
    b/x.txt`: the second would replace the first). A file named outright is taken."""
    found: list[Candidate] = []
    missing: list[tuple[str, str]] = []
    for arg in map(Path, paths):
        if arg.is_dir():
            files = sorted(
                p for p in arg.rglob("*") if _is_report(p.relative_to(arg)) and p.is_file()
            )
            if not files:
                kinds = ", ".join(sorted(REPORT_SUFFIXES))
                missing.append((str(arg), f"a folder with no report files ({kinds}) in it"))
            for path in files:
                relative = path.relative_to(arg)
                category = _readable(relative.parent.name)
                found.append(Candidate(path, _readable(relative.as_posix()), category))
        elif arg.is_file():
            found.append(Candidate(arg, _readable(arg.name)))
        else:
            missing.append((str(arg), "no such file or folder"))
    first: dict[str, Path] = {}
    for candidate in found:
        other = first.setdefault(candidate.source, candidate.path)
        if other != candidate.path:
            why = f"its source {candidate.source!r} is that of {other}, stored in this ingest"
            missing.append((str(candidate.path), why))
    return [c for c in found if first[c.source] == c.path], missing


def _readable(name: str) -> str:
    """A file name that is not UTF-8 (an old archive's "caf\xe9.txt", which Python holds with
    surrogates the store cannot write) read as Windows-1252, as the file's text would be."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("cp1252", errors="replace")
    return name


def _is_report(relative: Path) -> bool:
    return (
        relative.suffix.lower() in REPORT_SUFFIXES
        and relative.stem.lower() not in ABOUT_THE_FOLDER
        and not any(part.startswith(".") for part in relative.parts)
    )


def ingest_paths(
    library: Library, paths: Iterable[str | Path], *, progress: Progress | None = None
) -> IngestReport:
    """Parse and store every report under `paths`, telling subscribed chats as `/add` would
    (one digest each for many); `progress(done, total)` follows each file."""
    candidates, missing = find_reports(paths)
    report = IngestReport(rejected=list(missing))
    articles = _parsed(candidates, report.rejected, progress)
    by_outcome = {
        AddOutcome.STORED: report.stored,
        AddOutcome.UPDATED: report.updated,
        AddOutcome.DUPLICATE: report.duplicates,
    }
    for article, outcome in library.add_many(articles):
        by_outcome[outcome].append(article.source)
    return report


def _parsed(
    candidates: list[Candidate], rejected: list[tuple[str, str]], progress: Progress | None
) -> Iterator[Article]:
    for done, candidate in enumerate(candidates, start=1):
        try:
            with candidate.path.open("rb") as f:
                # One byte past the limit is enough for the parser to reject an over-size file.
                data = f.read(MAX_REPORT_BYTES + 1)
            yield parse_report(data, source=candidate.source, category=candidate.category)
        except RejectedReport as exc:
            rejected.append((str(candidate.path), str(exc)))
        except OSError as exc:
            rejected.append((str(candidate.path), f"cannot read it: {exc.strerror}"))
        if progress is not None:
            progress(done, len(candidates))
