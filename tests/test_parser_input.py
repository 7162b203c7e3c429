"""What goes in: bad files refused with a clear reason, encodings, Markdown and HTML."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from store.reports.article import Article
from store.reports.parser import (
    MAX_REPORT_BYTES,
    RejectedReport,
    parse_message,
    parse_report,
    parse_text,
)

REPORT = b"Bank raises rates\n\nThe Bank of England raised rates to 4.75% on Thursday.\n"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b" \n\t\n  ", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"some text\x00\x00\x01\x02 more", "binary"),
        # (past the first 64 KiB, which alone were looked at)
        pytest.param(b"Title\n\n" + b"word " * 20_000 + b"\x00 more", "binary", id="late NUL"),
        (b"a" * (MAX_REPORT_BYTES + 1), "larger than the 2 MiB limit"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(RejectedReport) as caught:
        parse_report(data, source="bad.txt")
    assert reason in caught.value.reason
    assert "\n" not in caught.value.reason


def a_documents_caption(caption: str, *, source: str) -> Article:
    return parse_report(REPORT, source=source, title=caption)


@pytest.mark.parametrize("parse", [parse_text, parse_message, a_documents_caption])
@pytest.mark.parametrize("text", ["Title\n\nText\x00with a NUL", "Title\x00\n\nText", "\x00" * 9])
def test_text_with_a_nul_is_rejected_as_a_file_with_one_is(
    parse: Callable[..., Article], text: str
) -> None:
    # a NUL was stored in the article as it came, where PostgreSQL's jsonb takes none
    with pytest.raises(RejectedReport) as caught:
        parse(text, source="telegram/1-2.txt")
    assert caught.value.reason == "the text has a NUL character in it, which no written report has"


def test_rejected_report_is_a_value_error() -> None:
    assert issubclass(RejectedReport, ValueError)


def test_cp1252_pound_sign_comes_out_right() -> None:
    data = "Shares rise\n\nThe deal is worth £300m, it said.\n".encode("cp1252")
    article = parse_report(data, source="old.txt")
    assert article.paragraphs == ["The deal is worth £300m, it said."]


def test_the_bbc_latin1_file_decodes_its_pound_signs(bbc_dir: Path) -> None:
    article = parse_report((bbc_dir / "sport" / "199.txt").read_bytes(), source="sport/199.txt")
    body = " ".join(article.paragraphs)
    assert "£" in body and "\ufffd" not in body


def test_character_references_in_plain_text_read_as_the_page_showed_them() -> None:
    # 25 BBC files hold them ("communiqu&#233;"), which the bot quoted as they were
    article = parse_message(
        "G7 communiqu&#233; on gold\n"
        "&quot;This is the first mention of gold in a G7 communiqu&#233;,&quot; said Mr Brown. "
        "R&D spending rose 5% at M&amp;S &amp R&D&unknown; units.",
        source="telegram/1-2.txt",
    )
    assert article.title == "G7 communiqué on gold"
    assert article.paragraphs == [
        '"This is the first mention of gold in a G7 communiqué," said Mr Brown. '
        "R&D spending rose 5% at M&S &amp R&D&unknown; units."
    ]
    assert article.quotes[0].speaker == "Mr Brown"


def test_plain_text_layout() -> None:
    article = parse_report(REPORT, source="business/001.txt", category="business")
    assert article.title == "Bank raises rates"
    assert article.paragraphs == ["The Bank of England raised rates to 4.75% on Thursday."]
    assert (article.source, article.category, article.published) == (
        "business/001.txt",
        "business",
        None,
    )


def test_given_title_leaves_all_text_as_body() -> None:
    article = parse_text("First paragraph here.\n\nSecond one.", source="chat", title="Mine")
    assert article.title == "Mine"
    assert article.paragraphs == ["First paragraph here.", "Second one."]


def test_markdown_report() -> None:
    source = (
        "# Bank raises rates\n\nThe **Bank of England** raised rates,\nsaid [the BBC](http://x).\n\n"
        '> "We acted early," Mervyn King said.\n'
    )
    article = parse_report(source.encode(), source="rates.md")
    assert article.title == "Bank raises rates"
    assert article.paragraphs == [
        "The Bank of England raised rates, said the BBC.",
        '"We acted early," Mervyn King said.',
    ]
    assert article.quotes[0].speaker == "Mervyn King"


HTML = """<html><head><title>Bank raises rates</title>
<meta property="article:published_time" content="2005-02-10">
<style>p {color: red}</style><script>var tracking = 1;</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Bank raises rates</h1>
<p>The Bank of England raised interest rates to 4.75% on Thursday, the first rise this year.</p>
<p>"We acted early to keep inflation in check and expect it to stay low," Mervyn King said.</p>
<p>Economists had expected the move after strong figures for house prices and retail spending.</p>
</article><footer>Copyright 2005</footer></body></html>"""


def test_html_report_keeps_main_text_only() -> None:
    article = parse_report(HTML.encode(), source="rates.html")
    body = " ".join(article.paragraphs)
    assert article.title == "Bank raises rates"
    assert "raised interest rates to 4.75%" in body
    for furniture in ("tracking", "color", "Home", "Copyright"):
        assert furniture not in body
    assert article.published == "2005-02-10"
    assert article.quotes[0].speaker == "Mervyn King"


def test_html_with_no_text_is_rejected() -> None:
    page = b"<html><head><script>var a = 1;</script></head><body><div></div></body></html>"
    with pytest.raises(RejectedReport, match="no article text"):
        parse_report(page, source="empty.htm")


@pytest.mark.parametrize(
    "text, reason",
    [
        ("\u200b\u200c\u200d\u2060\ufeff", "no visible text"),
        ("\u200b\n\n\u2060\n\n\ufeff", "no visible text"),
        ("Council meets on Monday\n\n\u200b\u200b", "no visible text"),
    ],
)
def test_a_report_with_no_content_is_rejected(text: str, reason: str) -> None:
    with pytest.raises(RejectedReport, match=reason):
        parse_text(text, source="empty.txt")


@pytest.mark.parametrize(
    "menu",
    [
        '<a href="/">Home</a> | <a href="/news">News</a>',
        '<a href="/">Home</a> · <a href="/news">World news</a> · <a href="/c">Contact us</a>',
    ],
)
def test_an_html_page_of_only_a_menu_is_rejected(menu: str) -> None:
    page = f"<html><head><title>T</title></head><body><nav>{menu}</nav></body></html>"
    with pytest.raises(RejectedReport, match="no article text"):
        parse_report(page.encode(), source="menu.html")


@pytest.mark.parametrize(
    "text",
    [
        "Flood warning\nThe river burst its banks. More rain is due.",
        "Flood warning\n\nThe river burst its banks. More rain is due.",
        "  Flood   warning \n\nThe river burst its banks.\nMore rain is due.\n",
    ],
)
def test_a_messages_first_line_is_its_title(text: str) -> None:
    article = parse_message(text, source="telegram/1-2.txt")
    assert article.title == "Flood warning"
    assert article.paragraphs == ["The river burst its banks. More rain is due."]


def test_a_message_of_one_line_is_its_own_title() -> None:
    article = parse_message("The river burst its banks on Tuesday.", source="telegram/1-2.txt")
    assert article.title == "The river burst its banks on Tuesday."
    assert article.paragraphs == ["The river burst its banks on Tuesday."]


def test_a_files_wrapped_first_line_is_not_taken_for_a_title() -> None:
    text = "The river burst its banks on Tuesday and\nflooded the high street, the council said.\n"
    article = parse_text(text, source="wrapped.txt")
    assert article.paragraphs == [
        "The river burst its banks on Tuesday and flooded the high street, the council said."
    ]


def test_invisible_characters_are_left_out_of_the_text() -> None:
    article = parse_message(
        "\ufeffFlood warning\nThe river\u200b burst its ban\u00adks.", source="m"
    )
    assert article.title == "Flood warning"
    assert article.paragraphs == ["The river burst its banks."]
