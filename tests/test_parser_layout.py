"""Layout: BBC reports keep every paragraph; web-copy furniture is recognised only as such."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.reports.decoding import decode_report
from store.reports.layout import split_blocks, split_layout


# business/159.txt ends with a list of tax changes and a paragraph after it: its last items
# once read as the headline of a promo, and the paragraph as its blurb.
@pytest.mark.parametrize(
    "source", ["business/291.txt", "sport/122.txt", "sport/104.txt", "business/159.txt"]
)
def test_bbc_reports_keep_every_paragraph(bbc_dir: Path, source: str) -> None:
    text = decode_report((bbc_dir / source).read_bytes())
    blocks = split_blocks(text)
    layout = split_layout(text)
    assert layout.title == blocks[0]
    assert layout.paragraphs == blocks[1:]
    assert (layout.caption, layout.byline, layout.promo) == (None, None, None)


def test_each_item_of_a_list_is_a_paragraph_of_its_own() -> None:
    # A press release's bullets, one a line: joined, they read as one run-on sentence, and a
    # question about one bullet is answered with all of them.
    layout = split_layout(
        "Title\n\nThe plan:\n* Work starts in March\n* 40 new jobs\n  during construction\n"
        "1. First step\n\nA line\nwrapped - and a dash."
    )
    assert layout.paragraphs == [
        "The plan:",
        "* Work starts in March",
        "* 40 new jobs during construction",
        "1. First step",
        "A line wrapped - and a dash.",
    ]


def test_paragraph_lines_are_joined_and_spaces_collapsed() -> None:
    layout = split_layout("Title\r\n\r\nOne   line\nand  the next.\n\n\n\nTwo.")
    assert layout.paragraphs == ["One line and the next.", "Two."]


def test_a_press_releases_end_mark_and_rules_are_no_paragraphs() -> None:
    # "when does the recall end" was answered "ENDS".
    layout = split_layout(
        "Kettles recalled\n\nThe recall runs until 31 December.\n\n* * *\n\nENDS\n\n"
        "Notes to editors: Brennock employs 900 people.\n\n###\n\n- End -\n\n-30-"
    )
    assert layout.paragraphs == [
        "The recall runs until 31 December.",
        "Notes to editors: Brennock employs 900 people.",
    ]
