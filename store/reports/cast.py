"""The people a report has named so far, and who spoke last: what "he", "she", "Mr Spindler"
and "the 28-year-old" refer back to while the parser reads the report in order."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from store.reports.lexicon import COURTESY_TITLES, PEERAGE_TITLES, SPEECH_VERBS, alternation
from store.reports.roles import is_role_word, is_title, wordset

_TITLE_GENDER = {
    **dict.fromkeys(["Mr", "Lord", "Sir", "Baron", "King", "Prince"], "he"),
    **dict.fromkeys(["Mrs", "Ms", "Miss", "Lady", "Dame", "Baroness", "Queen", "Princess"], "she"),
}
# Heads of descriptions of one person, whom "he" or "she" may refer back to.
ONE_PERSON = wordset(
    "spokesman spokeswoman spokesperson lawyer official agent manager coach chief executive "
    "director chairman president minister secretary analyst economist musician source"
)


# A courtesy title just before a word: "Mr German", "Dr. Black".
_TITLE_BEFORE = re.compile(rf"\b(?:{alternation(COURTESY_TITLES)})\.? $")
_HEAD_OF = re.compile(r"\s(?:for|of|at|from|with|in)\s")
# Where a sentence ends and the next one's first word.
_NEXT_SENTENCE = re.compile(r"[.!?][\"'\u201d\u2019]?\s+([\"\u201c]?[\w'-]+)")
# Words opening a sentence about something described, not named ("The technique enables …"),
# which may come between a name and the "It" that stands for it.
_DESCRIPTIONS = wordset("The A An This That")
_KNIGHTED = wordset("Sir Dame")
# A word as `Cast` indexes a text's: a run of letters and digits.
_WORD = re.compile(r"[^\W_]+")
# Above any character a word may have: words from `w` to `w + _AFTER_ALL` are those beginning `w`.
_AFTER_ALL = chr(0x10FFFF)
# A surname misspelt is still theirs ("Daveport" for Davenport), if long enough to tell.
_NEAR_MISS, _NEAR_MISS_LENGTH = 85, 5


@dataclass(slots=True)
class Voice:
    """A resolved speaker: `speaker` is None only when nobody can be named."""

    speaker: str | None
    role: str | None = None
    is_person: bool = False


@dataclass(slots=True)
class _WordIndex:
    """Where each word of a text starts."""

    starts: dict[str, list[int]]
    words: list[str]  # sorted

    @classmethod
    def of(cls, text: str) -> _WordIndex:
        starts: dict[str, list[int]] = {}
        for match in _WORD.finditer(text):
            starts.setdefault(match.group(), []).append(match.start())
        return cls(starts, sorted(starts))

    def beginning(self, prefix: str) -> list[str]:
        """The words that begin with `prefix`."""
        first = bisect_left(self.words, prefix)
        return self.words[first : bisect_left(self.words, prefix + _AFTER_ALL, first)]

    def count(self, words: list[str]) -> int:
        return sum(len(self.starts.get(word, ())) for word in words)


@dataclass(slots=True)
class Cast:
    """The people an article has named so far, in order, for resolving later references."""

    by_surname: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    genders: dict[str, str] = field(default_factory=dict)
    last_person: str | None = None
    last_voice: Voice | None = None
    # Someone other than the last voice who has since opened a sentence as its subject
    # (names elsewhere are mostly objects: "Keegan sympathised with Nigel Worthington").
    subject_since_voice: str | None = None
    paragraph: int = 0
    voice_paragraph: int = -1
    # The last person who spoke, kept past other voices ("opposition parties said …")
    last_person_voice: Voice | None = None
    # The last organisation that spoke by its name ("EMI said …"), whom "the company" means.
    last_organisation: str | None = None
    # The report's text, where "Mr German" shows that "German" is a surname there.
    text: str = ""
    # Someone a paragraph after the last voice's introduces with a role ("the return of star
    # skipper Brian O'Driscoll"), and that paragraph: "he said" there is likelier them.
    introduced: tuple[str, int] | None = None
    # The last paragraph that named the last voice again ("Kevin Keegan sympathised with …").
    voice_named: int = -1
    # Descriptions given to the next subject named, until the report says who holds them.
    guessed: list[Voice] = field(default_factory=list)
    # Everyone named so far, the latest last.
    named: list[str] = field(default_factory=list)
    # Voices described before anyone was named ("Scotland's justice minister said …"), with
    # the description and its paragraph: the next person named as a subject is who they are.
    awaiting: list[tuple[Voice, str | None, int, str | None]] = field(default_factory=list)
    # Names the report uses as an employer before a role and a person ("JP Morgan chief
    # executive William Harrison"): organisations, whoever they sound like.
    organisations: set[str] = field(default_factory=set)
    # The offices each person spoke of as someone else's ("Vince Cable said the chancellor had
    # failed"): "the chancellor" is not them.
    spoke_of: dict[str, set[str]] = field(default_factory=dict)
    # Whether each name asked about is a thing (`is_thing`), and each word asked about
    # `is_titled` and `writes_lower`: a name comes up again and again in a long report.
    things: dict[str, bool] = field(default_factory=dict)
    titled: dict[str, bool] = field(default_factory=dict)
    written_lower: dict[str, bool] = field(default_factory=dict)
    # `text`'s words, indexed when first asked: a scan of the whole text for each name made
    # parsing time grow with the square of a report's length.
    index: _WordIndex | None = field(default=None, init=False, repr=False)

    def heard(self, voice: Voice, *, again: bool = False) -> None:
        """Record who spoke last (in a quotation or in reported speech); `again` when the last
        voice goes on speaking."""
        if voice.speaker is not None and again:
            self.voice_paragraph = self.paragraph
        elif voice.speaker is not None:
            self.last_voice, self.voice_paragraph = voice, self.paragraph
            self.subject_since_voice = self.introduced = None
            if voice.is_person:
                self.last_person_voice = voice
            elif all(word[:1].isupper() for word in voice.speaker.split()):  # "JP Morgan"
                self.last_organisation = voice.speaker

    def antecedent(self, word: str | None = None) -> Voice:
        """Who "he", "she" (`word`) or "the 34-year-old" is: the subject of a sentence since the
        last voice, else the recent speaker, else the person named last, skipping one known (from
        a title or an earlier pronoun) to be of the other sex."""
        present = self._referents()
        # with no pronoun ("the 34-year-old") any sex will do
        voice = next(
            (v for v in present if word is None or self.genders.get(v.speaker or "", word) == word),
            present[0] if present else Voice(None),
        )
        if word is not None and voice.is_person and voice.speaker is not None:
            self.genders.setdefault(voice.speaker, word)
        return voice

    def owner(self, word: str) -> str | None:
        """Whose "his" or "her" is (`word` "he" or "she"): the first of `antecedent`'s choices
        the report has shown to be of that sex; None when it has shown none."""
        return next(
            (
                v.speaker
                for v in self._referents()
                if v.speaker and self.genders.get(v.speaker) == word
            ),
            None,
        )

    def _referents(self) -> list[Voice]:
        """Whom a pronoun may refer back to, likeliest first."""
        named = [
            Voice(name, self.roles.get(name), is_person=True)
            for name in (self.subject_since_voice, self.last_person)
            if name is not None
        ]
        introduced = self.introduced
        candidates = [
            named[0] if self.subject_since_voice else None,
            Voice(introduced[0], self.roles.get(introduced[0]), is_person=True)
            if introduced and introduced[1] == self.paragraph != self.voice_named
            else None,
            self.recent_speaker(),
            self.last_person_voice,
        ]
        return [voice for voice in candidates if voice is not None] + named[-1:]

    def recent_speaker(self) -> Voice | None:
        """The last voice, if it is one person and spoke in this paragraph or the one before."""
        voice = self.last_voice
        if voice is None or self.paragraph - self.voice_paragraph > 1:
            return None
        # ("President Castro's chief aide said …": a description of one person)
        if voice.is_person:
            return voice
        # the head of a description of one person, last or before what it is of ("a DWP
        # spokeswoman", "a spokesman for the BPI")
        speaker = voice.speaker or ""
        heads = {speaker.split()[-1].lower(), _HEAD_OF.split(speaker, maxsplit=1)[0].split()[-1]}
        if any(h in ONE_PERSON or (is_role_word(h) and not h.endswith("s")) for h in heads):
            return voice
        return None

    def meet(self, name: str, role: str | None = None, *, subject: bool = False) -> str:
        """Record a mention of a person (as a sentence's `subject` or not); return the fullest
        form of their name."""
        full = self.full_name(name)
        core = core_name(name)
        # a surname after a title ("President Kumaratunga") is how the report will name them
        if full == name and (len(core) >= 2 or (role and core and not self.knows_surname(name))):
            self.by_surname[core[-1].lower()] = name
            # a nickname names them by itself too ("Ahmed 'Mido' Hossam" … "Mido said")
            for word in core[1:-1]:
                if word[:1] in "'\u2018":
                    self.by_surname.setdefault(word.strip("'\u2018\u2019").lower(), name)
        if role:
            self.roles.setdefault(full, role)
        gender = _TITLE_GENDER.get(name.split()[0].rstrip("."))
        if gender is not None:
            self.genders.setdefault(full, gender)
        if full in self.named:
            self.named.remove(full)
        elif role and self.paragraph > self.voice_paragraph:
            self.introduced = (full, self.paragraph)
        self.named.append(full)
        if self.last_voice is not None and full == self.last_voice.speaker:
            self.voice_named = self.paragraph
        if subject and self.awaiting:
            self._name_awaiting(full)
        if subject:  # the last voice as the subject again is the likeliest "he" again
            again = self.last_voice is not None and full == self.last_voice.speaker
            self.subject_since_voice = None if again else full
        self.last_person = full
        return full

    def await_name(self, voice: Voice, role: str | None, gender: str | None = None) -> None:
        """Name `voice`, a description of one person (of `gender`, if it says), once the report
        names them."""
        self.awaiting.append((voice, role, self.paragraph, gender))

    def _name_awaiting(self, full: str) -> None:
        waiting = []
        for voice, role, paragraph, gender in self.awaiting:
            if self.paragraph - paragraph > 1:  # a description is named right after, or never
                continue
            if gender is not None and self.genders.get(full, gender) != gender:
                waiting.append((voice, role, paragraph, gender))
                continue
            # for now: a person the report gives that role by name may still come (settle)
            voice.speaker, voice.is_person = full, True
            voice.role = self.roles.setdefault(full, role or "") or None
            self.guessed.append(voice)
        self.awaiting = waiting

    def full_name(self, name: str) -> str:
        core = core_name(name)
        if not core:
            return name
        surname = core[-1].lower()
        known = self.by_surname.get(surname)
        if known is None and len(core) == 1:
            # Reporters misspell names ("Mr Barot" for Jacques Barrot): allow a near miss.
            match = process.extractOne(surname, self.by_surname.keys(), score_cutoff=85)
            known = self.by_surname[match[0]] if match else None
        if known and (len(core) == 1 or known.endswith(" ".join(core))):
            return known
        # "Sir Digby" is the "Sir Digby Jones" named before: a knight goes by their first name
        if len(core) == 2 and core[0] in _KNIGHTED:
            knight = next((n for n in self.named if n.startswith(f"{name} ")), None)
            if knight is not None:
                return knight
        # "Baroness Boothroyd", "Lady Boothroyd": the peer "Betty Boothroyd" named before
        title = core[0] if len(core) == 2 else ""
        peer = (
            known is not None and title in PEERAGE_TITLES and known.split()[0] not in PEERAGE_TITLES
        )
        if peer and self.genders.get(known, _TITLE_GENDER[title]) == _TITLE_GENDER[title]:
            return known
        return name

    def knows_surname(self, token: str, *, near: bool = False) -> bool:
        """Whether `token` is a surname met before, or (`near`) a letter or so away from one."""
        surname = token.lower()
        if surname in self.by_surname or not near or len(surname) < _NEAR_MISS_LENGTH:
            return surname in self.by_surname
        match = process.extractOne(
            surname, self.by_surname.keys(), scorer=fuzz.ratio, score_cutoff=_NEAR_MISS
        )
        return match is not None

    def is_titled(self, word: str) -> bool:
        """Whether the report puts `word` after "Mr", "Ms" or "Dr": a surname, even one that is
        also a nationality or a common word ("Mr German", "Ms Black")."""
        known = self.titled.get(word)
        if known is None:
            known = self.titled[word] = any(
                _TITLE_BEFORE.search(self.text, max(0, start - 12), start) is not None
                and not self.text[end : end + 1].isalnum()
                for start, end in self._openings(word)
            )
        return known

    def writes_lower(self, word: str) -> bool:
        """Whether the report writes `word` (or its plural) in lower case somewhere: a common
        noun capitalised as a title or to open a sentence ("Referee Graham Poll"), not a name."""
        known = self.written_lower.get(word)
        if known is None:
            known = self.written_lower[word] = any(
                not _joined(self.text[start - 1 : start]) and not _joined(self.text[end : end + 1])
                for start, end in self._openings(word.lower(), plural=True)
            )
        return known

    def is_thing(self, name: str) -> bool:
        """Whether the full name `name` is of no person but a thing the report calls "it" ("Polar
        Express uses technology … It is directed by Robert Zemeckis"), when nothing shows it a
        person: no title, role or pronoun of theirs, no surname alone, no speech of theirs."""
        known = self.things.get(name)
        if known is None:
            known = self.things[name] = self._called_it(name) and not self._a_person(name)
        return known

    def _called_it(self, name: str) -> bool:
        """Whether a sentence opens with `name` and a later one in its paragraph opens with "It"
        (not an empty "It is likely that …"), before another opens with someone else."""
        for start, _ in self._openings(name):
            before = self.text[max(0, start - 3) : start].rstrip(' "\u201c')
            if start and before[-1:] not in ("\n", ".", "!", "?"):
                continue
            paragraph_end = self.text.find("\n", start)
            paragraph = self.text[start : paragraph_end if paragraph_end != -1 else None]
            for opening in _NEXT_SENTENCE.finditer(paragraph):
                first = opening.group(1)
                if first in ("It", "Its"):
                    following = paragraph[opening.end() : opening.end() + 30].split()[:3]
                    if not {"that", "to", "if", "as"} & set(following):
                        return True
                # after someone else ("He", "Hanks") or a quotation, "It" may be theirs
                if not (first[:1].islower() or first in _DESCRIPTIONS):
                    break
        return False

    def _a_person(self, name: str) -> bool:
        """Whether the report shows `name` a person: a title or a role, a pronoun of theirs,
        their surname alone ("Hanks said") or their name before a speech verb."""
        words = name.split()
        if name in self.roles or name in self.genders or any(map(is_title, words)):
            return True
        if words[0] in COURTESY_TITLES or words[0] in PEERAGE_TITLES:
            return True
        first, surname = words[-2], words[-1]
        # (not inside a longer word: "Goldsmith said" shows no Smith a person)
        for start, end in self._openings(surname):
            before, after = self.text[start - 1 : start], self.text[end : end + 1]
            alone = not self.text[max(0, start - len(first) - 1) : start].startswith(first)
            if alone and not _joined(before) and not _joined(after):
                return True
            following = self.text[end : end + 12].split()[:1]
            if following and following[0] in SPEECH_VERBS:
                return True
        return False

    def _openings(self, word: str, *, plural: bool = False) -> list[tuple[int, int]]:
        """Those of `_occurrences(self.text, word, plural=plural)` that open a word of the text (no
        letter or digit before them), found where the rarest of `word`'s own words is."""
        runs = list(_WORD.finditer(word))
        if not runs or _may_overlap(word):
            found = _occurrences(self.text, word, plural=plural)
            return [(s, e) for s, e in found if not self.text[s - 1 : s].isalnum()]
        if self.index is None:
            self.index = _WordIndex.of(self.text)
        index = self.index
        # where `word` is, each of its words is a word of the text, the last maybe a longer one
        # ("German" in "Germany")
        offset, words = min(
            (
                (
                    run.start(),
                    index.beginning(run.group()) if run.end() == len(word) else [run.group()],
                )
                for run in runs
            ),
            key=lambda found: index.count(found[1]),
        )
        starts = sorted(start - offset for w in words for start in index.starts.get(w, ()))
        return [
            (start, _end(self.text, start + len(word), plural))
            for start in starts
            if start >= 0
            and not self.text[start - 1 : start].isalnum()
            and self.text.startswith(word, start)
        ]

    def overhear(self, name: str) -> None:
        """A full name said inside a quotation: how a later surname may name them."""
        core = core_name(name)
        if len(core) >= 2:
            self.by_surname.setdefault(core[-1].lower(), name)


def core_name(name: str) -> list[str]:
    """The name without courtesy titles ("Mr Spindler" -> ["Spindler"])."""
    return [word for word in name.split() if word.rstrip(".") not in COURTESY_TITLES]


def _occurrences(text: str, word: str, *, plural: bool = False) -> list[tuple[int, int]]:
    """Where `word` (or, if `plural`, its plural too) is in `text`: (start, end) of each."""
    found, start = [], text.find(word)
    while start != -1:
        end = start + len(word)
        found.append((start, _end(text, end, plural)))
        start = text.find(word, end)
    return found


def _end(text: str, end: int, plural: bool) -> int:
    return end + 1 if plural and text[end : end + 1] == "s" else end


def _may_overlap(word: str) -> bool:
    """Whether two of `word`'s occurrences may overlap with the second opening a word ("Ali Ali"
    in "Ali Ali Ali"), which `str.find` passes over; only a scan of the text finds which."""
    return any(
        word.endswith(word[:size]) and not word[-size - 1].isalnum() for size in range(1, len(word))
    )


def _joined(char: str) -> bool:
    """Whether `char` beside a word makes it part of a longer one."""
    return char.isalnum() or char in "'\u2019-_"
