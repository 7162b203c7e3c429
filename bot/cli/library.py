"""`reportbot ingest|export|list|remove|backup`: manage the library of stored reports."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bot.cli.options import add_db_option, db_path, existing_store, fail, index_path
from bot.formatting import counted
from store.library.ingest import ingest_paths
from store.library.interface import LibraryStore
from store.library.opening import open_store
from store.library.service import Library
from store.reports.article import Article
from store.reports.parser import REPORT_SUFFIXES

EXPORT_KEYS = ("source", "title", "category", "published", "paragraphs", "quotes")

StoreCommand = Callable[[LibraryStore, argparse.Namespace], int]


def register(subparsers: argparse._SubParsersAction) -> None:
    ingest = _parser(
        subparsers,
        "ingest",
        f"store report files, or folders of them ({', '.join(REPORT_SUFFIXES)}), recursively",
        "Store reports, creating the store if need be. Exit status 0 when every file was "
        "accepted, 1 otherwise.",
    )
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.set_defaults(func=_ingest)
    export = _parser(
        subparsers,
        "export",
        "print every stored report as one JSON line",
        "Print every stored report as one JSON object a line, with the keys "
        f"{', '.join(EXPORT_KEYS)}.",
    )
    _stored(export, export_command)
    listing = _parser(
        subparsers,
        "list",
        "list stored reports: source and title",
        "List the stored reports, one a line: the source, a tab, the title.",
    )
    _stored(listing, list_command)
    remove = _parser(
        subparsers,
        "remove",
        "remove the report stored under SOURCE",
        "Remove the report stored under SOURCE (as `list` shows it). Exit status 1 when there "
        "is none.",
    )
    remove.add_argument("source", metavar="SOURCE")
    _stored(remove, remove_command)
    backup = _parser(
        subparsers,
        "backup",
        "write a consistent copy of the store to PATH",
        "Write a consistent copy of the store to PATH, safe while the bot or an ingest runs.",
    )
    backup.add_argument("target", type=Path, metavar="PATH")
    _stored(backup, backup_command)


def ingest_command(store: LibraryStore, args: argparse.Namespace) -> int:
    bar: tqdm | None = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="file", file=sys.stderr)
        bar.update(1)

    try:
        report = ingest_paths(
            Library(store, index=False, index_dir=index_path(args)),
            args.paths,
            progress=progress if sys.stderr.isatty() else None,
        )
    finally:
        if bar is not None:
            bar.close()
    print(report.summary())
    for path, reason in report.rejected:
        print(f"rejected {path}: {reason}")
    return 1 if report.rejected else 0


def export_command(store: LibraryStore, args: argparse.Namespace) -> int:
    for article in store:
        print(json.dumps(export_record(article), ensure_ascii=False))
    return 0


def export_record(article: Article) -> dict[str, Any]:
    """The article's stored record, cut to the keys `export` promises, in that order."""
    record = article.to_record()
    return {key: record[key] for key in EXPORT_KEYS}


def list_command(store: LibraryStore, args: argparse.Namespace) -> int:
    articles = list(store)
    if not articles:
        print(f"no reports in {store.location}", file=sys.stderr)
    for article in articles:
        print(f"{article.source}\t{article.title}")
    return 0


def remove_command(store: LibraryStore, args: argparse.Namespace) -> int:
    # Through the library, as every write goes: the index beside the store forgets it too.
    if not Library(store, index=False, index_dir=index_path(args)).remove(args.source):
        return fail(f"no report {args.source!r} in {store.location}", status=1)
    print(f"removed {args.source}")
    return 0


def backup_command(store: LibraryStore, args: argparse.Namespace) -> int:
    store.backup(args.target)
    print(f"backed up {counted(store.count(), 'report')} to {args.target}")
    return 0


def _parser(
    subparsers: argparse._SubParsersAction, name: str, summary: str, description: str
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, help=summary, description=description)
    add_db_option(parser)
    return parser


def _ingest(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        return ingest_command(store, args)


def _stored(parser: argparse.ArgumentParser, command: StoreCommand) -> None:
    """`command` runs on the existing store; without one it is an error and nothing is made."""

    def run(args: argparse.Namespace) -> int:
        with existing_store(args) as store:
            return command(store, args)

    parser.set_defaults(func=run)
