"""Markdown and HTML to the plain-text report layout: a title line, a blank line, paragraphs."""

from __future__ import annotations

import json
import re

import trafilatura
from markdown_it import MarkdownIt

from store.reports.decoding import RejectedReport

# "Home | News | Contact us": links in a row, which a page with no article leaves behind
_MENU_SEPARATOR = re.compile(r"\s[|\u00b7\u2022\u00bb/]\s")
_MENU_ITEM_WORDS = 3


def _is_menu(line: str) -> bool:
    """A line of short items between separators, as a site's menu or footer is."""
    items = _MENU_SEPARATOR.split(line)
    return len(items) > 1 and all(len(item.split()) <= _MENU_ITEM_WORDS for item in items)


def markdown_to_text(source: str) -> str:
    """Headings and paragraphs of a Markdown report as plain blocks, markup dropped."""
    blocks: list[str] = []
    for token in MarkdownIt("commonmark").parse(source):
        if token.type != "inline" or not token.children:
            continue
        words = []
        for child in token.children:
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        block = "".join(words).strip()
        if block:
            blocks.append(block)
    return "\n\n".join(blocks)


def html_to_text(source: str) -> tuple[str, str | None]:
    """The main text of an HTML page (title first) and its publication date, if it gives one."""
    extracted = trafilatura.extract(
        source,
        output_format="json",
        with_metadata=True,
        include_comments=False,
        include_tables=False,
    )
    if not extracted:
        raise RejectedReport("no article text was found in the HTML page")
    record = json.loads(extracted)
    body = "\n\n".join(
        line.strip()
        for line in (record.get("text") or "").split("\n")
        if line.strip() and not _is_menu(line)
    )
    if not body:
        raise RejectedReport("no article text was found in the HTML page")
    title = (record.get("title") or "").strip()
    return (f"{title}\n\n{body}" if title else body), record.get("date") or None
