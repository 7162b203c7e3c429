"""The shape of the store file, its version, and how older files are brought up to date.

Version 1 (current): tables `meta` (`{"schema": {"version": 1}}`), `articles` keyed by source,
each record an `Article.to_record()` plus its `digest` (see `fingerprint`), `subscriptions`
keyed by chat id, `admins` keyed by user id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from store.reports.article import Article, fingerprint

SCHEMA_VERSION = 1

Data = dict[str, Any]


def stored_record(article: Article) -> dict[str, Any]:
    return {**article.to_record(), "digest": fingerprint(article)}


class ShapeError(ValueError):
    """The file is not a store this reportbot knows; the message says what it holds instead."""


# fields every stored article record has, by schema version, and what each holds
_ARTICLE_FIELDS = {
    0: {"source": str, "title": str, "paragraphs": list},
    1: {"source": str, "title": str, "paragraphs": list, "digest": str},
}


def schema_version(data: Any) -> int | None:
    """The file's schema version, its shape checked; None for a file with nothing in it yet.

    ShapeError for anything else: a migration must never guess, as a file whose `meta` table
    was lost would otherwise be taken for version 0 and come out an empty library.
    """
    if data is None or data == {}:
        return None
    if not isinstance(data, dict):
        raise ShapeError(f"it holds a JSON {_json_kind(data)}, not a reportbot store")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ShapeError(f"its table {name!r} is a JSON {_json_kind(table)}, not records")
    if "meta" in data:
        schema = data["meta"].get("schema")
        version = schema.get("version") if isinstance(schema, dict) else None
        if not _is_int(version) or version < 0:
            raise ShapeError(f"its schema version is {version!r}, not a number")
        if version == 0:  # (migrating it would read no articles: version 0 kept them elsewhere)
            raise ShapeError("its schema record says version 0, which had no schema record")
        articles = data.get("articles", {})
    elif "_default" in data and "articles" not in data:
        version, articles = 0, data["_default"]
    else:
        raise ShapeError("it has no schema record (no 'meta' table) and is not a version 0 store")
    if version in _ARTICLE_FIELDS:
        for key, record in articles.items():
            _check_article(key, record, _ARTICLE_FIELDS[version])
            if version >= 1:
                _check_contents(key, record)
    if version >= 1:
        _check_chats(data)
    return version


def check_reread(data: Any, held: bool) -> None:
    """ShapeError unless `data`, the store file read again while open, is still a store: of the
    shape checked on opening, and not emptied (nothing, null, {} or no file) after it `held`
    one. reportbot never writes that; read as an empty library, the next write would be
    committed over what it held."""
    if held and (data is None or data == {}):
        raise ShapeError("it has been emptied or removed since it held a library")
    schema_version(data)


def is_current(data: Any) -> bool:
    """A quick look, for every commit: the file is at `SCHEMA_VERSION` (checked on open)."""
    meta = data.get("meta") if isinstance(data, dict) else None
    schema = meta.get("schema") if isinstance(meta, dict) else None
    return isinstance(schema, dict) and schema.get("version") == SCHEMA_VERSION


_NOTICE_FIELDS = {"chat_id": int, "source": str, "digest": str, "ok": bool}


def check_outbox(data: Any) -> None:
    """ShapeError unless `data` is an outbox file: `{"outbox": {key: notice}}`, or empty."""
    if data is None:
        return
    outbox = data.get("outbox", {}) if isinstance(data, dict) else data
    if not isinstance(outbox, dict):
        raise ShapeError(f"it holds a JSON {_json_kind(outbox)}, not an outbox")
    for key, entry in outbox.items():
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(name), kind) for name, kind in _NOTICE_FIELDS.items()
        ):
            raise ShapeError(f"its notice {key!r} is not a notice")


def _check_article(key: str, record: Any, fields: dict[str, type]) -> None:
    if not isinstance(record, dict):
        raise ShapeError(f"its article {key!r} is a JSON {_json_kind(record)}, not a record")
    for name, kind in fields.items():
        if not isinstance(record.get(name), kind):
            raise ShapeError(f"its article {key!r} lacks a {name!r} ({kind.__name__})")


_QUOTE_FIELDS = {"text": (str,), "speaker": (str, type(None)), "role": (str, type(None))}


def _check_contents(key: str, record: dict[str, Any]) -> None:
    """What reading the record back as an Article relies on: its key is its source, and its
    sentences and quotes point into its paragraphs."""
    if record["source"] != key:
        raise ShapeError(f"its article {key!r} holds the report {record['source']!r}")
    paragraphs = record["paragraphs"]
    if not all(isinstance(p, str) for p in paragraphs):
        raise ShapeError(f"its article {key!r} has a paragraph that is not text")
    sentences, quotes = record.get("sentences", []), record.get("quotes", [])
    if not isinstance(sentences, list) or not _spans_fit(sentences, paragraphs):
        raise ShapeError(f"its article {key!r} has sentences that are not in its paragraphs")
    if not isinstance(quotes, list) or not all(_is_quote(q, len(paragraphs)) for q in quotes):
        raise ShapeError(f"its article {key!r} has quotes that are not quotes")


def _is_int(value: Any) -> bool:
    return type(value) is int  # (not a bool)


def _spans_fit(sentences: list[Any], paragraphs: list[str]) -> bool:
    """Whether each sentence is [paragraph, start, end] within its paragraph (a loop without
    calls: a store's every sentence is checked on opening)."""
    lengths = [len(p) for p in paragraphs]
    for span in sentences:
        if type(span) is not list or len(span) != 3:
            return False
        paragraph, start, end = span
        if type(paragraph) is not int or type(start) is not int or type(end) is not int:
            return False
        if not (0 <= paragraph < len(lengths) and 0 <= start <= end <= lengths[paragraph]):
            return False
    return True


def _is_quote(quote: Any, paragraphs: int) -> bool:
    return (
        isinstance(quote, dict)
        and quote.keys() == {*_QUOTE_FIELDS, "paragraph"}
        and all(isinstance(quote[name], kinds) for name, kinds in _QUOTE_FIELDS.items())
        and _is_int(quote["paragraph"])
        and 0 <= quote["paragraph"] < paragraphs
    )


def _check_chats(data: Data) -> None:
    """Subscriptions are keyed by chat id and hold their keywords; admins are keyed by user id."""
    for name in ("subscriptions", "admins"):
        for key, record in data.get(name, {}).items():
            keywords = record.get("keywords") if isinstance(record, dict) else None
            texts = isinstance(keywords, list) and all(isinstance(k, str) for k in keywords)
            if (
                not key.lstrip("-").isdigit()
                or not isinstance(record, dict)
                or (name == "subscriptions" and not texts)
            ):
                raise ShapeError(f"its {name} record {key!r} is not one")


def _json_kind(value: Any) -> str:
    kinds = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return kinds.get(type(value), "number")


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
