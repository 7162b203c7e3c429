"""The library's people: which speakers a typed name means ("gordon brown" is Gordon Brown
before Nick Brown and never Lord Browne, and "tony blare" is Tony Blair), and a question's
name slips repaired to the names the library holds, before the general speller reads them
("tony blare" is not "tony blame").

A word of the typed name that some speaker's name holds is taken as typed; any other word is
a slip, repaired to the speakers' name words closest to it (rapidfuzz). A speaker then scores
by how closely their surname is named and how many of the other typed words their other
names hold: a name the library gives without a first name ("Mr Brown") neither confirms nor
contradicts "gordon".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection

from rapidfuzz import fuzz, process

from store.search.names import name_parts
from store.search.terms import STOP_WORDS

REPAIR = 75.0  # rapidfuzz ratio at least, for a name word to stand for a typed one
REPAIRS = 5  # name words tried for each typed word the library has no speaker with
SURNAME = 0.6  # of a speaker's score, for the surname; the other typed words share the rest
UNKNOWN = 0.5  # for a typed first name when the library's name has none to compare
NAMES = 0.7  # a speaker scores at least this to be meant
SLIP = 3  # letters at least, for a word to be read as a misspelt name
_WORD = re.compile(r"[^\W\d_]+")


class People:
    """The speakers of one view of the library, their name words read once."""

    def __init__(self, speakers: Collection[str]) -> None:
        self._parts = {speaker: name_parts(speaker) for speaker in speakers}
        self._known = {part for name in self._parts.values() for part in name}
        self._choices = sorted(self._known)  # in one order: ties go the same way every run
        self._by_surname: dict[str, list[str]] = defaultdict(list)
        for speaker, name in self._parts.items():
            if name:
                self._by_surname[name[-1]].append(speaker)
        # Per name word, the words it stands beside in some speaker's name.
        self._beside: dict[str, set[str]] = defaultdict(set)
        for name in self._parts.values():
            for part in name:
                self._beside[part].update(other for other in name if other != part)

    def scores(self, typed: str) -> dict[str, float]:
        """The speakers `typed` names, each with a score from NAMES to 1."""
        wanted = name_parts(typed)
        readings = {word: self._readings(word) for word in wanted}
        scores = {}
        # Only a speaker whose surname some typed word may stand for scores at all.
        for surname in {part for read in readings.values() for part in read}:
            for speaker in self._by_surname.get(surname, ()):
                score = _score(wanted, self._parts[speaker], readings)
                if score >= NAMES:
                    scores[speaker] = score
        return scores

    def repaired(self, text: str, known: Callable[[str], bool], speaker: str = "") -> str:
        """`text` with each word the library lacks (`known` says which it has) that is a slip
        of a person's name repaired to it: a word beside another word of the same speaker's
        name ("tony blare", "brwon gordon"), or a word of `speaker` (the words of a question
        naming who spoke) close to a surname ("what did blare say")."""
        tokens = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
        named = set(name_parts(speaker))
        meant: dict[int, str] = {}
        for i, (_, _, word) in enumerate(tokens):
            if len(word) < SLIP or word in STOP_WORDS or word in self._known or known(word):
                continue
            near = {tokens[j][2] for j in (i - 1, i + 1) if 0 <= j < len(tokens)}
            near &= self._known
            if word not in named and not self._may_stand_beside(word, near):
                continue  # no reading could qualify: the scan of every name word is skipped
            for part in self._readings(word):
                if near & self._beside[part] or (word in named and part in self._by_surname):
                    meant[i] = part
                    break
        if not meant:
            return text
        out, last = [], 0
        for i, part in sorted(meant.items()):
            start, end, _ = tokens[i]
            out += [text[last:start], part]
            last = end
        return "".join([*out, text[last:]])

    def _may_stand_beside(self, word: str, near: set[str]) -> bool:
        """Whether some name word beside one of `near` is close enough to be a reading of
        `word`: the few words beside them are scored instead of every name word, most typed
        words having no name word beside them at all."""
        beside = set().union(*(self._beside[n] for n in near)) if near else ()
        return bool(beside) and (
            process.extractOne(word, beside, scorer=fuzz.ratio, score_cutoff=REPAIR) is not None
        )

    def _readings(self, word: str) -> dict[str, float]:
        """The name words `word` may stand for, each with how closely (1 as typed), closest
        first."""
        if word in self._known:
            return {word: 1.0}
        found = process.extract(
            word, self._choices, scorer=fuzz.ratio, score_cutoff=REPAIR, limit=REPAIRS
        )
        return {part: score / 100.0 for part, score, _ in found}


def _score(
    wanted: tuple[str, ...], name: tuple[str, ...], readings: dict[str, dict[str, float]]
) -> float:
    if not wanted or not name:
        return 0.0
    *others, surname = name
    closeness = [readings[word].get(surname, 0.0) for word in wanted]
    best = max(range(len(wanted)), key=closeness.__getitem__)
    if closeness[best] == 0.0:
        return 0.0
    rest = [word for i, word in enumerate(wanted) if i != best]
    if not rest:
        return closeness[best]
    held = [
        max((readings[word].get(part, 0.0) for part in others), default=UNKNOWN) for word in rest
    ]
    return closeness[best] * (SURNAME + (1.0 - SURNAME) * sum(held) / len(held))
