"""Bytes in, text out: UTF-8 first, cp1252 for the odd legacy file, binary refused."""

from __future__ import annotations

import re

# Signatures of image and archive formats people are likely to send by mistake.
_BINARY_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class RejectedReport(ValueError):
    """A report the library will not take; `reason` is one line a user can read."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def decode_report(data: bytes) -> str:
    """Decode a report's bytes; raise RejectedReport for binary or non-text input."""
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data:
        raise RejectedReport("this looks like a binary file (image or archive), not a text report")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8: old Windows text is by far the likeliest, and cp1252 maps 0xA3 to "£".
        text = data.decode("cp1252", errors="replace")
    if _control_share(text) > 0.05:
        raise RejectedReport("this looks like a binary file, not a text report")
    return text


def _control_share(text: str) -> float:
    sample = text[:65536]
    return len(_CONTROL.findall(sample)) / len(sample) if sample else 0.0
