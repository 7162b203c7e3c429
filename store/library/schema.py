"""The shape of the store file, its version, and how older files are brought up to date.

Version 1 (current): tables `meta` (`{"schema": {"version": 1}}`), `articles` keyed by source,
each record an `Article.to_record()` plus its `digest` (see `fingerprint`), `subscriptions`
keyed by chat id, `admins` keyed by user id.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from typing import Any

from store.reports.article import Article

SCHEMA_VERSION = 1

Data = dict[str, Any]

_QUOTE_MARKS = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")


def fingerprint(article: Article) -> str:
    """Equal for two articles whose title and text differ only in case, spacing or quote marks."""
    text = "\n".join([article.title, *article.paragraphs])
    text = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTE_MARKS)
    return hashlib.sha1(" ".join(text.split()).encode()).hexdigest()


def stored_record(article: Article) -> dict[str, Any]:
    return {**article.to_record(), "digest": fingerprint(article)}


def schema_version(data: Data | None) -> int | None:
    """The file's schema version; None for a file with nothing in it yet."""
    if not data:
        return None
    return data.get("meta", {}).get("schema", {}).get("version", 0)


def _from_v0(data: Data) -> Data:
    """Version 0 kept articles in TinyDB's default table under numbers 1, 2, 3 and had no
    fingerprints and no schema record."""
    rest = {name: table for name, table in data.items() if name != "_default"}
    articles = {}
    for record in data.get("_default", {}).values():
        article = Article.from_record(record)
        articles[article.source] = stored_record(article)
    return {**rest, "articles": articles}


_MIGRATIONS: dict[int, Callable[[Data], Data]] = {0: _from_v0}


def migrate(data: Data) -> Data:
    """`data` upgraded, one version at a time, to `SCHEMA_VERSION`."""
    version = schema_version(data) or 0
    while version < SCHEMA_VERSION:
        data = _MIGRATIONS[version](data)
        version += 1
    return {**data, "meta": {"schema": {"version": SCHEMA_VERSION}}}
