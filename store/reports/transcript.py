"""Transcripts: paragraphs that open with who speaks ("OKAFOR: We are funding 2,500 beds").

An interview printed as a transcript marks each turn with its speaker's name and a colon, and
uses no quotation marks: each turn of a named speaker is a quotation of theirs. A label in
capitals ("OKAFOR:", "DANA OKAFOR:") is a speaker's; a label in ordinary case ("Dana
Okafor:") only when the report names that person elsewhere too, since a line such as "Subs Not
Used: Cech, Bridge" looks the same. The interviewer's turns ("PRESENTER:", "Q:") are turns,
but nobody's quotation. A report is read as a transcript only when it has two turns or more.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_LABEL = re.compile(
    r"^(?P<label>[A-Z][A-Z'\u2019.-]+(?: [A-Z][A-Z'\u2019.-]+){0,2}"
    r"|[A-Z][a-z'\u2019-]+(?: [A-Z][a-z'\u2019-]+){0,2}):\s+(?=\S)"
)
_INTERVIEWER = frozenset(
    "Q A QUESTION ANSWER PRESENTER INTERVIEWER HOST ANCHOR REPORTER MODERATOR CHAIR".split()  # noqa: SIM905
)
_MIN_TURNS = 2


@dataclass(frozen=True, slots=True)
class Turn:
    paragraph: int
    speaker: str
    """The label as a name is written ("Okafor" for "OKAFOR")."""
    start: int
    """Where the words spoken start in the paragraph."""


def speaker_turns(paragraphs: Sequence[str]) -> list[Turn]:
    """The turns of named speakers in a transcript, none in any other report."""
    labelled = [
        (index, match) for index, text in enumerate(paragraphs) if (match := _LABEL.match(text))
    ]
    if len(labelled) < _MIN_TURNS:  # nearly every report: no transcript, nothing more to read
        return []
    text = "\n".join(paragraphs)
    return [
        Turn(index, _as_name(match["label"]), match.end())
        for index, match in labelled
        if match["label"].upper() not in _INTERVIEWER
        and (match["label"].isupper() or _named_elsewhere(match["label"], text))
    ]


def _as_name(label: str) -> str:
    """ "DANA OKAFOR" as "Dana Okafor", "O'NEILL" as "O'Neill"."""
    if not label.isupper():
        return label
    return re.sub(r"[A-Z]+", lambda m: m.group().capitalize(), label)


def _named_elsewhere(label: str, text: str) -> bool:
    """Whether the report names the label's person other than as a label: its last word after
    a capitalised word ("Minister Dana Okafor", "Mr Okafor") not followed by a colon."""
    surname = re.escape(label.split()[-1])
    return re.search(rf"\b[A-Z][\w.'\u2019-]* {surname}\b(?!:)", text) is not None
