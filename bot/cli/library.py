"""`reportbot ingest|export|list|remove|backup`: manage the library of stored reports."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bot.cli.options import add_db_option, db_path
from store.library.ingest import ingest_paths
from store.library.service import Library
from store.library.store import ReportStore, StoreError
from store.reports.article import Article
from store.reports.parser import REPORT_SUFFIXES

EXPORT_KEYS = ("source", "title", "category", "published", "paragraphs", "quotes")

StoreCommand = Callable[[ReportStore, argparse.Namespace], int]


def register(subparsers: argparse._SubParsersAction) -> None:
    ingest = subparsers.add_parser(
        "ingest",
        help=f"store report files, or folders of them ({', '.join(REPORT_SUFFIXES)}), recursively",
        description="Store reports. Exit status 0 when every file was accepted, 1 otherwise.",
    )
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _add(ingest, ingest_command)
    _add(
        subparsers.add_parser("export", help="print every stored report as one JSON line"),
        export_command,
    )
    _add(subparsers.add_parser("list", help="list stored reports: source and title"), list_command)
    remove = subparsers.add_parser("remove", help="remove the report stored under SOURCE")
    remove.add_argument("source", metavar="SOURCE")
    _add(remove, remove_command)
    backup = subparsers.add_parser("backup", help="write a consistent copy of the store to PATH")
    backup.add_argument("target", type=Path, metavar="PATH")
    _add(backup, backup_command)


def ingest_command(store: ReportStore, args: argparse.Namespace) -> int:
    bar: tqdm | None = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="file", file=sys.stderr)
        bar.update(1)

    try:
        report = ingest_paths(
            Library(store, index=False),
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


def export_command(store: ReportStore, args: argparse.Namespace) -> int:
    for article in store:
        print(json.dumps(export_record(article), ensure_ascii=False))
    return 0


def export_record(article: Article) -> dict[str, Any]:
    """The article's stored record, cut to the keys `export` promises, in that order."""
    record = article.to_record()
    return {key: record[key] for key in EXPORT_KEYS}


def list_command(store: ReportStore, args: argparse.Namespace) -> int:
    articles = list(store)
    if not articles:
        print(f"no reports in {store.path}", file=sys.stderr)
    for article in articles:
        print(f"{article.source}\t{article.title}")
    return 0


def remove_command(store: ReportStore, args: argparse.Namespace) -> int:
    if not store.remove(args.source):
        print(f"reportbot: no report {args.source!r} in {store.path}", file=sys.stderr)
        return 1
    print(f"removed {args.source}")
    return 0


def backup_command(store: ReportStore, args: argparse.Namespace) -> int:
    store.backup(args.target)
    print(f"backed up {store.count()} reports to {args.target}")
    return 0


def _add(parser: argparse.ArgumentParser, command: StoreCommand) -> None:
    add_db_option(parser)
    parser.set_defaults(func=lambda args: _run(command, args))


def _run(command: StoreCommand, args: argparse.Namespace) -> int:
    """Open the store, run `command`, and turn a StoreError into a one-line message."""
    try:
        with ReportStore(db_path(args)) as store:
            return command(store, args)
    except StoreError as exc:
        print(f"reportbot: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`reportbot export | head`): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
