"""Find direct quotations in an article's paragraphs and attribute each to its speaker.

A quotation is made of one or more parts. Parts belong together when a paragraph ends inside
a quotation and the next one opens a quotation again, when a new quotation mark opens before the
last one closed (the BBC's style for quotes of several sentences), or when a short attribution
splits one quotation ("…," he said. "…"). `Quote.text` is its parts joined with `PART_JOINER`;
each piece of `Quote.text.split(PART_JOINER)` is a verbatim substring of one paragraph, the first
of the paragraph the quote opens in (`Quote.paragraph`), the others of it or a later one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from store.reports.article import Quote
from store.reports.cast import Cast, Voice
from store.reports.lexicon import MONTHS, WEEKDAYS, alternation
from store.reports.roles import TITLES
from store.reports.speakers import (
    PARTICIPLES,
    SPEECH_VERB,
    described_subject,
    mentions,
    overhear,
    resolve,
    sentence_subject,
    settle,
    shown_speaking,
    speech_verb,
    speech_verbs,
    spoke_of,
    subject_before,
)
from store.reports.transcript import Turn, speaker_turns

PART_JOINER = " \u2026 "

_DOUBLE = re.compile(r"[\"\u201c\u201d]")
_SINGLE = re.compile(
    r"(?<![\w\u2019'])[\u2018'](?=[A-Za-z0-9])([^\u2018\u2019'\"\u201c\u201d\n]{1,150}?[\w.!?,)])[\u2019'](?!\w)"
)
_OPENS_AFTER = frozenset(" \t([{\u2014\u2013-/")
_MAX_SCARE_WORDS = 3
# An attribution splitting a quotation is short: "…," the statement said, "…".
_MAX_SPLIT_WORDS = 12
# How far after the closing mark the attribution verb may sit: "…," US Attorney X said.
_MAX_AFTER_WORDS = 10
# Words that go on with the sentence after a quotation ('"very difficult" to reverse …'), not
# with who said it; a circumstance may come first ('"…," at the launch, Mr X said').
# Words after "said" that open what was said, not who said it ('said with Christmas coming').
_NOT_A_SPEAKER = frozenset(
    [
        "with",
        "that",
        "in",
        "on",
        "at",
        "for",
        "to",
        "as",
        "when",
        "after",
        "before",
        "because",
        "if",
        "while",
        "during",
        "from",
        "by",
    ]
)
_PREDICATE_OPENERS = frozenset(["to", "and", "but", "or", "which", "that", "than", "because"])
# 'Observes Mr Hadi: "…"': a verb opening the sentence before a short attribution.
_MAX_OPENING_WORDS = 6
# A single capitalised name, and a pronoun of a person right after a speech verb.
_NAME = re.compile(r"[A-Z][a-z][\w'\u2019-]*")
_HIMSELF = re.compile(r"\s+(?:that\s+)?(?:he|she|his|her)\b")
# A name between a speech verb and a comma: "said Mr Flynn, …".
_INVERTED = re.compile(r"\s+([A-Z][^,;:.!?\"\u201c\u201d]{0,40}),")
_CONJUNCTIONS = frozenset(["but", "and", "while", "although", "though"])
_DETERMINERS = frozenset(["the", "a", "an", "its", "his", "her", "their"])
# How, where or when the words were said, after who said them ("in a statement", "in a note to
# clients", "at a press conference", "on arrival", "in July"), and all after it.
_TIMES = alternation(WEEKDAYS | MONTHS)
_HOW_SAID = re.compile(
    r"\s+(?:in|on|at|during|via)\s+(?:"
    r"(?:(?:a|an|the|its|his|her|their)\s+)?(?:[\w'-]+\s+){0,3}?(?:statement|interview|note|"
    r"letter|briefing|speech|conference|e-?mail|message|blog|broadcast|website|site)s?\b"
    # ("at May Gurney" is an employer)
    rf"|(?:arrival|hearing|{_TIMES})\b(?!['\u2019]|\s+(?-i:[A-Z]))"
    r").*$",
    re.I,
)


@dataclass(slots=True)
class _Part:
    paragraph: int
    start: int
    end: int
    opened_at: int
    closed_at: int | None
    runs_on: bool = False


@dataclass(slots=True)
class _Group:
    parts: list[_Part]
    clause: str | None = None
    clause_first: bool = False
    # The speech verb comes after the quotation with the sentence's subject ('X thought it
    # "a disaster" and said …'): the clause before it holds no verb, only who speaks.
    subject_only: bool = False
    # The words before the quotation in its sentence, when no verb says who speaks.
    sentence: str = ""
    voice: Voice | None = field(default=None)


def _double_parts(text: str, paragraph: int) -> list[_Part]:
    parts: list[_Part] = []
    open_at: int | None = None
    for match in _DOUBLE.finditer(text):
        i = match.start()
        mark = match.group()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if mark == "\u201c":
            opening = True
        elif mark == "\u201d":
            opening = False
        elif before in _OPENS_AFTER:
            opening = not after.isspace() or open_at is None
        else:
            opening = False
        if opening:
            if open_at is not None:
                parts.append(_Part(paragraph, open_at + 1, i, open_at, None, runs_on=True))
            open_at = i
        elif open_at is not None:
            parts.append(_Part(paragraph, open_at + 1, i, open_at, i))
            open_at = None
    if open_at is not None:
        parts.append(_Part(paragraph, open_at + 1, len(text), open_at, None, runs_on=True))
    return parts


def _single_parts(text: str, paragraph: int, taken: list[_Part]) -> list[_Part]:
    inside = [(p.opened_at, p.closed_at if p.closed_at is not None else p.end) for p in taken]
    return [
        _Part(paragraph, m.start(1), m.end(1), m.start(), m.end() - 1)
        for m in _SINGLE.finditer(text)
        if not any(a <= m.start() <= b for a, b in inside) and not _nickname(text, m)
    ]


def _nickname(text: str, match: re.Match[str]) -> bool:
    """A capitalised word in quotation marks between a first name and a surname ("Brian 'Head'
    Welch") is part of the name."""
    return (
        match.group(1)[:1].isupper()
        and " " not in match.group(1)
        and text[: match.start()].rstrip(" ").rsplit(" ", 1)[-1][:1].isupper()
        and text[match.end() : match.end() + 2][:1] == " "
        and text[match.end() + 1 : match.end() + 2].isupper()
    )


def _trim(text: str, part: _Part) -> _Part | None:
    """Trim spaces, trailing commas and dashes, and any ellipsis at either edge: with no "…" at
    the edges, splitting Quote.text on PART_JOINER gives back pieces of single parts."""
    start, end = part.start, part.end
    while start < end and (text[start].isspace() or text[start] == "\u2026"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:-\u2013\u2014\u2026"):
        end -= 1
    if end <= start:
        return None
    part.start, part.end = start, end
    return part


def _sentence_bounds(spans: Sequence[tuple[int, int]], position: int) -> tuple[int, int]:
    for start, end in spans:
        if start <= position < end:
            return start, end
    return position, position


def _next_sentence(text: str, spans: Sequence[tuple[int, int]], after: int) -> str:
    following = next(((s, e) for s, e in spans if s >= after), None)
    if following is None or len(text[following[0] : following[1]].split()) > _MAX_SPLIT_WORDS:
        return ""
    return text[following[0] : following[1]]


def _group(paragraphs: Sequence[str], parts: list[_Part]) -> list[_Group]:
    groups: list[_Group] = []
    for part in parts:
        last = groups[-1].parts[-1] if groups else None
        if last is not None and _continues(paragraphs, last, part):
            groups[-1].parts.append(part)
            continue
        if last is not None and last.paragraph == part.paragraph and last.closed_at is not None:
            text = paragraphs[part.paragraph]
            gap = text[last.closed_at + 1 : part.opened_at]
            if _splits(gap, last, text) and not _attributed_after(text, part):
                groups[-1].parts.append(part)
                groups[-1].clause = groups[-1].clause or gap
                continue
        groups.append(_Group([part]))
    return groups


def _continues(paragraphs: Sequence[str], last: _Part, part: _Part) -> bool:
    if not last.runs_on:
        return False
    if last.paragraph == part.paragraph:
        return (
            last.end == part.opened_at
            or not paragraphs[last.paragraph][last.end : part.opened_at].strip()
        )
    return (
        part.paragraph == last.paragraph + 1
        and not paragraphs[part.paragraph][: part.opened_at].strip()
    )


def _attributed_after(text: str, part: _Part) -> bool:
    """Whether `part` is followed by an attribution of its own ('"…," Philip Shaw said.'), so
    that it starts a quotation rather than continuing the one before."""
    # a quotation that ends its sentence ('"… taken." Mr Lamberty explained') has none after it
    if part.closed_at is None or text[part.end - 1 : part.end] == ".":
        return False
    after = re.split(r"[.!?\"\u201c\u201d]", text[part.closed_at + 1 :], maxsplit=1)[0]
    verb = speech_verb(after)
    return verb is not None and _words_before(after[: verb.start()]) <= _MAX_AFTER_WORDS


def _words_before(head: str) -> int:
    """How many words stand before the attribution's verb, an appositive closed by a comma
    counting as none ('," Richard Doherty, from Panasonic's Hollywood Laboratories, one of the
    pioneers of Blu-ray, told'), or by a dash ('," Andrei Illarionov - then economic adviser to
    President Vladimir Putin - told')."""
    if head.rstrip().endswith(","):
        head = head.lstrip(" ,").partition(",")[0]
    elif head.rstrip().endswith(("-", "\u2013", "\u2014")):
        head = re.split(r"\s[-\u2013\u2014]\s", head.strip(" ,"), maxsplit=1)[0]
    return len(head.split())


def _splits(gap: str, last: _Part, text: str) -> bool:
    """Whether `gap` is only an attribution between two halves of one quotation."""
    words = gap.split()
    if not words or len(words) > _MAX_SPLIT_WORDS or not speech_verb(gap):
        return False
    # '"disappointing", but added that …' is reported speech between two quotations, and
    # '," he added. The mayor said: "' holds the end of one attribution and another
    if words[0].strip(",").lower() in _CONJUNCTIONS or "that" in words:
        return False
    if re.search(r"[.!?]\s+\S", gap.rstrip()):
        return False
    comma = text[last.end : last.closed_at].strip() == "," or gap.lstrip()[:1] == ","
    return comma and gap.rstrip()[-1:] in {",", ".", ":"}


def _attribution(
    paragraphs: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], group: _Group
) -> None:
    """Find the words that say who speaks: after the quotation, else before it."""
    if group.clause is not None:
        return
    last, first = group.parts[-1], group.parts[0]
    goes_on = False
    if last.closed_at is not None:
        text = paragraphs[last.paragraph]
        _, sentence_end = _sentence_bounds(spans[last.paragraph], last.closed_at)
        after = text[last.closed_at + 1 : max(sentence_end, last.closed_at + 1)]
        if not after.strip() and text[last.end - 1 : last.end] in ("?", "!"):
            # '"Why not?" Mr X said.' puts the attribution in a sentence of its own.
            after = _next_sentence(text, spans[last.paragraph], sentence_end)
        after = re.split(r"[\"\u201c\u201d\u2018]", after, maxsplit=1)[0]
        verb = speech_verb(after)
        if (
            verb
            and _words_before(after[: verb.start()]) <= _MAX_AFTER_WORDS
            and after.strip()[:1] not in ".!?"
        ):
            if verb.group() == "according to" or _names_a_speaker(after, verb):
                group.clause = after
                return
            goes_on = True
    text = paragraphs[first.paragraph]
    sentence_start, _ = _sentence_bounds(spans[first.paragraph], first.opened_at)
    before = text[min(sentence_start, first.opened_at) : first.opened_at]
    # 'Observes Mr Hadi: "…"' opens its sentence with the verb
    opening = before[:1].lower() + before[1:]
    # ('Call "the police"' opens with "call" used otherwise: no verb of speech is left)
    opening_verb = (
        len(before.split()) <= _MAX_OPENING_WORDS
        and SPEECH_VERB.match(opening)
        and speech_verb(opening) is not None
    )
    if speech_verb(before) or opening_verb:
        group.clause = before[:1].lower() + before[1:] if opening_verb else before
        group.clause_first = True
    elif goes_on:
        group.clause, group.clause_first, group.subject_only = before, True, True
    elif before.strip():
        group.sentence = before


def _names_a_speaker(after: str, verb: re.Match[str]) -> bool:
    """Whether the words after a closing quotation mark name who spoke ('," he said', '," the
    firm said', '" is a certainty, said X'), not more of the sentence ('"very difficult" to
    reverse the trend and said …', '" ahead of the vote - warning that …', '" said with
    Christmas coming up the new home secretary had time …')."""
    head = after[: verb.start()]
    if verb.group() in PARTICIPLES and not re.search(r"\bquoted\b", head):
        return False
    words = head.strip(" ,;:-\u2013\u2014").split()
    if not words:
        following = after[verb.end() :].split()[:1]
        return not following or following[0].lower() not in _NOT_A_SPEAKER
    if head.rstrip().endswith(","):
        return True
    # ('"deeply proud" of the show, but said …': the verb goes on from the sentence's subject)
    if words[-1].lower() in ("and", "but"):
        return False
    return words[0].strip("\"'\u2019\u201d(").lower() not in _PREDICATE_OPENERS


def voice_in(clause: str, cast: Cast, *, before_quote: bool) -> Voice:
    """The speaker named by an attribution clause around a quotation."""
    verbs = speech_verbs(clause)
    verb = verbs[-1] if before_quote else verbs[0]
    # ("Mr Blair has failed, he claimed, saying …": the participle goes on from "he claimed")
    if before_quote and verb.group() in PARTICIPLES and len(verbs) > 1:
        verb = verbs[-2]
    head = clause[: verb.start()]
    # 'said Simon Bysshe who filmed the event': the speaker, not the relative clause after
    tail = _drop_audience(
        re.split(
            r"[.;:!?]|\s[-\u2013\u2014]\s|\s(?:who|which|whose)\s", clause[verb.end() :], maxsplit=1
        )[0]
    )
    # 'said Stop Stansted Expansion chairman Peter Sanders said.': one verb too many
    again = speech_verb(tail)
    tail = tail[: again.start()] if again else tail
    bare_head = head.strip(" ,;:-\u2013\u2014\"'\u201c\u201d\u2018\u2019")
    # '"…" is a certainty, said David Anders': after a comma, "said X" names the speaker
    # ('," Jonas Guest, vice president at Nokia, told the BBC' names him, not the BBC)
    inverted = (
        not before_quote
        and head.rstrip().endswith(",")
        and tail.strip(" ,")
        and (
            not any(w[:1].isupper() for w in bare_head.split())
            # '"…" once he realised the reporter was Jewish, said Mr Blair': the sentence goes on
            or (bare_head[:1].islower() and bare_head.split()[0] not in _DETERMINERS)
        )
    )
    if verb.group() == "according to" or not bare_head or inverted:
        return resolve(tail, cast)
    # 'the paper quoted Mr Chernin as saying'
    quoted = re.search(r"\bquoted\s+(.+?)\s+as\s*$", head)
    if quoted:
        return resolve(quoted.group(1), cast)
    # ('Mr Blair is saying: "…"' is no participle)
    if verb.group() in PARTICIPLES and not re.search(r"\b(?:is|are|was|were)\s*$", head):
        with_subject = re.search(r"\bwith\s+([^,]+)$", head.rstrip())
        subject = with_subject.group(1) if with_subject else sentence_subject(head)
        return resolve(subject, cast) if subject else shown_speaking(head, cast)
    subject = subject_before(head)
    # 'The EC says … but said it would review "…"': the sentence's subject goes on
    if not subject and re.search(r"\b(?:and|but)\s*$", head):
        subject = sentence_subject(head)
    return _claimant(subject, head, cast)


def _claimant(subject: str, head: str, cast: Cast) -> Voice:
    """Who `subject`, ending `head`, is: "Mr Blair has failed, he claimed" is whoever "he" is,
    not the one the claim is about, who was named last."""
    voice = resolve(subject, cast)
    reported = head.rstrip()[: -len(subject)].rstrip()
    other = cast.last_person_voice
    if (
        subject in ("he", "she")
        and reported.endswith(",")
        and voice.speaker
        and voice.speaker.split()[-1] in reported
        and other is not None
        and other.speaker != voice.speaker
        and cast.genders.get(other.speaker or "", subject) == subject
    ):
        return other
    return voice


def _drop_audience(tail: str) -> str:
    """'said Lord Browne, BP chief executive' keeps both; 'said on Tuesday' keeps nothing; 'said
    Tesco in a statement' keeps Tesco, not how or when it spoke ('said a source at Manchester
    United' keeps where they work)."""
    return _HOW_SAID.sub(
        "", re.sub(r"^\s*(?:on|in|at|last|this|yesterday|today)\b[^,]*,?", "", tail)
    )


def find_quotes(
    paragraphs: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
) -> list[Quote]:
    """Every direct quotation in `paragraphs` (whose sentence spans are `spans`), attributed:
    those in quotation marks, and a transcript's turns."""
    turns = {turn.paragraph: turn for turn in speaker_turns(paragraphs)}
    parts: list[_Part] = []
    for index, text in enumerate(paragraphs):
        if index in turns:  # the whole turn is the quotation
            continue
        doubles = _double_parts(text, index)
        found = sorted(doubles + _single_parts(text, index, doubles), key=lambda p: p.opened_at)
        parts.extend(part for part in (_trim(text, p) for p in found) if part is not None)
    groups = _group(paragraphs, parts)
    for group in groups:
        _attribution(paragraphs, spans, group)
    groups += [_turn(turn, paragraphs[turn.paragraph]) for turn in turns.values()]
    groups.sort(key=lambda group: (group.parts[0].paragraph, group.parts[0].opened_at))
    return _attribute(paragraphs, spans, groups)


def _turn(turn: Turn, text: str) -> _Group:
    """A transcript's turn as a quotation opening at its label, so that the label is no
    mention of anyone, attributed as if the report had written "Okafor said"."""
    part = _Part(turn.paragraph, turn.start, len(text), 0, None)
    return _Group([part], clause=f"{turn.speaker} said", clause_first=True)


def _masked(text: str, parts: Sequence[_Part]) -> str:
    """`text` with the quoted words blanked out, so that names inside quotations are not met."""
    for part in parts:
        stop = part.closed_at + 1 if part.closed_at is not None else part.end
        text = text[: part.opened_at] + " " * (stop - part.opened_at) + text[stop:]
    return text


def _attribute(
    paragraphs: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], groups: list[_Group]
) -> list[Quote]:
    """Walk the article in order, meeting people and resolving each quotation's voice."""
    cast = Cast(text="\n".join(paragraphs))
    by_paragraph: dict[int, list[_Part]] = {}
    for group in groups:
        for part in group.parts:
            by_paragraph.setdefault(part.paragraph, []).append(part)
    pending = iter(groups)
    group = next(pending, None)
    for index, text in enumerate(paragraphs):
        cast.paragraph = index
        masked = _masked(text, by_paragraph.get(index, ()))
        for part in by_paragraph.get(index, ()):
            overhear(text[part.start : part.end], cast)
        for start, end in spans[index]:
            quoted, opening = False, start
            while group is not None and (group.parts[0].paragraph, group.parts[0].opened_at) < (
                index,
                end,
            ):
                mentions(
                    masked[start : group.parts[0].opened_at], cast, opens_sentence=start == opening
                )
                start, quoted = max(start, group.parts[0].opened_at), True
                group.voice = _voice_of(group, cast)
                # a quotation nobody is said to have said goes on with the last voice, and
                # leaves whoever has since become the subject ("But she added") as they were
                cast.heard(group.voice, again=group.clause is None)
                group = next(pending, None)
            sentence = masked[start:end]
            mentions(sentence, cast, opens_sentence=start == opening)
            if not quoted:
                _note_reported_speech(sentence, cast)
    settle(cast)
    return [
        _quote(g, paragraphs, _named_later(g.voice, cast)) for g in groups if _keep(g, paragraphs)
    ]


def _note_reported_speech(sentence: str, cast: Cast) -> None:
    """ "The EU said that …": remember the EU, so that a later "it said" means the EU."""
    verb = speech_verb(sentence)
    # (with a speech verb too: "The prime minister ridiculed plans for asylum claims")
    described_subject(sentence, cast)
    if verb is None or verb.group() == "according to":
        return
    # ("The guitarist with Korn has quit, saying he …": a participle's subject is the sentence's)
    participle = verb.group() in PARTICIPLES
    before = sentence[: verb.start()]
    head = (sentence_subject if participle else subject_before)(before)
    voice = _claimant(head, before, cast) if head else Voice(None)
    # "Also, said Mr Flynn, Vodafone has …": the speaker comes after the verb
    inverted = _INVERTED.match(sentence, verb.end())
    if voice.speaker is None and inverted and sentence[: verb.start()].rstrip()[-1:] in ("", ","):
        voice = resolve(inverted.group(1), cast)
        if voice.is_person:
            cast.heard(voice)
        return
    # "Safin said he was trying …": a name nobody knew is a person's if "he" or "she" goes on
    # the sentence ("Microsoft said it …" is not)
    if not voice.is_person and _NAME.fullmatch(head) and _HIMSELF.match(sentence, verb.end()):
        voice = Voice(cast.meet(head, subject=True), None, is_person=True)
    spoke_of(voice, sentence[verb.end() :], cast)
    # A long head is a named person with a clause about them, or no speaker at all.
    if voice.is_person or len(head.split()) <= 8:
        cast.heard(voice)


def _voice_of(group: _Group, cast: Cast) -> Voice:
    """The attribution's speaker; with none, whoever spoke or was reported speaking last."""
    if group.subject_only:
        subject = sentence_subject(group.clause or "")
        # ('There was "deceit …" which …, he argued': what opens it is no one, so the last voice
        # goes on)
        if subject or not (group.clause or "").strip():
            return resolve(subject, cast)
        return cast.last_voice or Voice(None)
    if group.clause is not None:
        voice = voice_in(group.clause, cast, before_quote=group.clause_first)
        # ('Cable said the chancellor had failed to deal with "…"')
        for verb in speech_verbs(group.clause) if group.clause_first else ():
            spoke_of(voice, group.clause[verb.end() :], cast)
        return voice
    if group.sentence:
        # 'She will announce the move, aiming to "break down the barriers"': no one is said to
        # say it, but a person whose sentence it is means it
        voice = resolve(sentence_subject(group.sentence), cast)
        if voice.is_person:
            return voice
    return cast.last_voice or Voice(None)


def _named_later(voice: Voice | None, cast: Cast) -> Voice:
    """ "according to the country's Foreign Minister", named later: the person with that role;
    a person given no role here, with the role the report gave them later."""
    if voice is None:
        return Voice(None)
    if voice.is_person and voice.speaker is not None and not voice.role:
        # "'He is clever,' he said. The Foreign Secretary told the BBC …": the role given later
        return Voice(voice.speaker, cast.roles.get(voice.speaker) or None, is_person=True)
    if voice.is_person or voice.speaker is None:
        return voice
    # ("President Castro's chief aide" is no president: the words after a possessive are what
    # the speaker is)
    head = re.split(r"['\u2019]s?\s", voice.speaker)[-1]
    titles = {word for word in head.split() if word in TITLES}
    for name, role in cast.roles.items():
        if titles and titles <= set(role.split()):
            return Voice(name, role, is_person=True)
    return voice


def _keep(group: _Group, paragraphs: Sequence[str]) -> bool:
    """Scare quotes (a few words nobody is said to have said) are not quotations."""
    words = sum(len(paragraphs[p.paragraph][p.start : p.end].split()) for p in group.parts)
    # a term in a sentence that goes on to say something else ('coined the term
    # "time-shifting" to describe this trend') is no quotation either
    said = group.clause is not None and not group.subject_only
    return words > _MAX_SCARE_WORDS or said


def _quote(group: _Group, paragraphs: Sequence[str], voice: Voice) -> Quote:
    text = PART_JOINER.join(paragraphs[p.paragraph][p.start : p.end] for p in group.parts)
    # ('"…," said 😀.': a speaker has a name, in letters or digits)
    if voice.speaker is not None and not any(ch.isalnum() for ch in voice.speaker):
        return Quote(text, None, None, group.parts[0].paragraph)
    return Quote(text, voice.speaker, voice.role, group.parts[0].paragraph)
