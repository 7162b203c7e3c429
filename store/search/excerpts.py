"""What the matcher indexes in an article (its units) and what it shows of one (the excerpt).

A unit is a sentence, a quotation, or a line the parser keeps aside (the caption, the byline, a
promo for another piece). The excerpt is the sentence that answers, with one neighbouring
sentence only when the sentence alone would not read whole ("He said ...", a bare number) and
the two stay within about MAX_EXCERPT characters; a heading, or a question the text asks
itself, is shown with what follows it. For "who said" questions, and for a quotation too short
to stand alone ("unwise"), it is the sentences that hold the quotation and name its speaker. A
line kept aside is shown for what it is ("Byline: ...").
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from store.reports.article import Article, Quote, Sentence
from store.reports.quotes import PART_JOINER
from store.reports.sentences import sentence_spans
from store.search.names import name_parts
from store.search.question import Quantity, Question, Shape
from store.search.terms import STOP_WORDS, Analyzer, words

_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|dozen|half)"
)
_SCALE = r"(?:hundred|thousand|million|billion|trillion|m|bn|k|%|per\s?cent)(?![a-z])"
# A number in figures, with its scale: "2.9 million", "40m", "12%".
_FIGURE = rf"\d(?:[\d,.]*\d)?(?:\s?{_SCALE})*"
# One quantity is one match: "2.9 million" (not "2.9 m" and "illion"), "three million".
NUMBER = re.compile(
    rf"[$£€]?{_FIGURE}|\b{_NUMBER_WORD}(?:[\s-]+{_NUMBER_WORD})*\b",
    re.IGNORECASE,
)
# A number of the kind a question asks for (`question.quantity`): a sum of money, a share, a
# span of time, an age, a score line, how many live somewhere.
QUANTITY: dict[Quantity, re.Pattern[str]] = {
    Quantity.MONEY: re.compile(
        r"[$£€¥]\s?\d|\d\s?(?:bn|m|k)\b|\b(?:pounds?|dollars?|euros?|pence|cents?|yen|"
        r"roubles?|rupees?)\b",
        re.IGNORECASE,
    ),
    Quantity.PERCENT: re.compile(r"\d\s?%|\b(?:per\s?cent|percent|percentage\s+points?)\b", re.I),
    Quantity.DURATION: re.compile(
        rf"(?:\d|\b(?:{_NUMBER_WORD}|a|an))[\s-]+(?:years?|months?|weeks?|days?|hours?|"
        r"minutes?|seconds?|decades?)\b",
        re.IGNORECASE,
    ),
    Quantity.AGE: re.compile(r"\baged?\s+(?:of\s+)?\d|\d+[\s-]years?[\s-]old\b|,\s\d{1,3},", re.I),
    Quantity.SCORE: re.compile(r"(?<![\d.,-])\d{1,3}-\d{1,3}(?![\d.,-]?\d)"),
    Quantity.POPULATION: re.compile(
        r"\b(?:population|inhabitants|residents|people\s+live|home\s+to)\b|"
        rf"{_FIGURE}\s+(?:people|inhabitants|residents)\b",
        re.IGNORECASE,
    ),
}
# Month and day names count only capitalised ("a protest march" is no date), and "May" only
# where a month stands (beside a number, or after "in", "on", "last" ...), not as the verb.
DATE = re.compile(
    r"\b(?:(?i:yesterday|today|tomorrow)|January|February|March|April|June|July|August|"
    r"September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|(?:19|20)\d\d|\d{1,2}\s+May|May\s+\d|(?i:in|on|of|by|since|until|till|from|"
    r"last|next|this|early|late|mid|end|before|after|during)[\s-]+May|"
    # the time of day, and a match's minute ("in the 89th minute")
    r"\d{1,2}(?:[.:]\d\d)?\s?(?i:am|pm)|(?i:midnight|noon)|"
    r"\d{1,3}(?:st|nd|rd|th)[\s-]+minute)\b"
)
NAME = re.compile(r"(?<=\S )[A-Z][a-z]+")
REASON = re.compile(
    r"\b(?:because|due to|owing to|as a result|after|amid|following|thanks to|blamed|since|"
    r"caused|reason|so that|in order to|led to|driven by|hit by|on the back of|therefore|thus|"
    r"hence|which means|meaning that)\b|,\s+so\s",
    re.IGNORECASE,
)
# A place: a capitalised name after a word saying where ("in Madrid", "at the Millennium
# Stadium"), a month or day not ("in January").
PLACE = re.compile(
    r"\b(?:in|at|from|near|across|outside|inside|into|around|throughout|to)\s+(?:the\s+)?"
    r"(?!(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
    r"[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*"
)
# A means or manner: how something is done ("by selling", "through", "using").
MEANS = re.compile(
    r"\b(?:by\s+\w+ing|through|using|via|by\s+means\s+of|with\s+the\s+help\s+of|"
    r"in\s+order\s+to|so\s+that|allowing|enabling|instead\s+of|thanks\s+to)\b",
    re.IGNORECASE,
)
YEAR = re.compile(r"(?:19|20)\d\d")
# A sentence opening like this leans on the one before it.
LEANING = re.compile(
    r"^[\"'\u201c\u2018]?(?:he|she|it|they|this|that|these|those|his|her|its|their|but|and|"
    r"however|also|so|then|there)\b",
    re.IGNORECASE,
)
SHORT = 80
LIST_ITEM = re.compile(r"^\s*(?:[-\u2022*\u2013]|\d+[.)])\s")
_QUOTE_MARKS = "\"'\u2018\u2019\u201c\u201d \n"  # round a passage quoted whole
MAX_EXCERPT = 300
# A quotation of fewer words is a phrase quoted inside a sentence ("career sexism"): it is shown
# in the sentence that holds it, never alone.
FRAGMENT_WORDS = 6
ASIDES = (("caption", "Caption"), ("byline", "Byline"), ("promo", "Also on the page"))
EVIDENCE_CACHE = 1 << 17  # sentences: the candidates of ~700 questions (35 MB at most)


@dataclass(frozen=True, slots=True)
class Unit:
    kind: str
    paragraph: int
    index_text: str
    sentence: int = -1
    label: str = ""
    quote: Quote | None = None
    who: frozenset[str] = field(default_factory=frozenset)

    @property
    def fragment(self) -> bool:
        return self.quote is not None and len(self.quote.text.split()) < FRAGMENT_WORDS


def article_units(article: Article) -> list[Unit]:
    units = [
        Unit(
            "passage",
            s.paragraph,
            s.text,
            sentence=i,
        )
        for i, s in enumerate(article.sentences)
    ]
    for quote in article.quotes:
        who = " ".join(part for part in (quote.speaker, quote.role) if part)
        units.append(
            Unit(
                "quote",
                quote.paragraph,
                f"{quote.text} {who}",
                quote=quote,
                who=frozenset(words(who)),
            )
        )
    for field_name, label in ASIDES:
        line = getattr(article, field_name)
        if line:
            units.append(Unit("aside", -1, line, label=label))
    return units


def shows(shape: Shape, text: str, question: str) -> bool:
    """Whether `text` holds the kind of thing a question of `shape` asks for (`EVIDENCE`: a
    number, a date, a name, a reason, a place, a means) beyond what `question` itself says."""
    return evidence(shape, text, question) > 0


def evidence(shape: Shape, text: str, question: str) -> int:
    """How many of the things a question of `shape` asks for `text` holds beyond `question`."""
    return len(answers(shape, text, question))


def answers(shape: Shape, text: str, question: str) -> list[str]:
    """The things a question of `shape` asks for that `text` holds beyond `question`,
    case-folded."""
    return beyond(found_in(shape, text), question)


def beyond(found: tuple[str, ...], question: str) -> list[str]:
    """Of the things `found` in a text (`found_in`), those `question` does not say itself."""
    if not found:
        return []
    asked = question.casefold()
    return [thing for thing in found if thing not in asked]


# What each shape of question asks a sentence to show.
EVIDENCE = {
    Shape.NUMBER: NUMBER,
    Shape.DATE: DATE,
    Shape.NAME: NAME,
    Shape.WHY: REASON,
    Shape.PLACE: PLACE,
    Shape.HOW: MEANS,
}


@functools.lru_cache(maxsize=EVIDENCE_CACHE)
def found_in(shape: Shape, text: str) -> tuple[str, ...]:
    """The numbers, dates, names, reasons, places or means (as `shape` asks) in `text`,
    case-folded. Kept: the same sentences are looked through for question after question, by
    every engine in the process."""
    pattern = EVIDENCE.get(shape)
    if pattern is None:
        return ()
    found = [thing.casefold() for thing in pattern.findall(text)]  # no groups: whole matches
    # A year answers "when", not "how many": "handed out in 1929" is no price.
    if shape is Shape.NUMBER:
        found = [number for number in found if not YEAR.fullmatch(number)]
    return tuple(found)


def excerpt(
    article: Article, unit: Unit, question: Question, within: Quote | None = None
) -> tuple[str, str]:
    """The text to show for `unit`, and its kind ("passage" or "quote"). `within` is the
    quotation the unit is or stands in: a passage that lies wholly inside it does not name who
    says it, so it is shown as that quotation (whose speaker the reply names)."""
    text, kind = _shown(article, unit, question)
    inner = text.strip(_QUOTE_MARKS)
    if kind == "passage" and within is not None and inner and inner in within.text:
        if len(inner.split()) < FRAGMENT_WORDS:  # "No way.": shown where it was said, and by whom
            return _attributed(article, within), "passage"
        return inner, "quote"
    return text, kind


def _shown(article: Article, unit: Unit, question: Question) -> tuple[str, str]:
    if unit.kind == "aside":
        return f"{unit.label}: {_answering_part(unit.index_text, question)}", "passage"
    if unit.quote is None:
        return _passage(article.sentences, unit.sentence, question), "passage"
    answered = _turn_answered(article.sentences, unit.quote)
    if answered:
        return answered, "passage"
    if question.shape is Shape.WHO_SAID or unit.fragment:
        return _attributed(article, unit.quote), "passage"
    return _answering_part(unit.quote.text, question), "quote"


def _passage(sentences: list[Sentence], index: int, question: Question) -> str:
    """The sentence, with the one before when it leans on it or is short, or with the
    neighbour that shows what the question asks for (a number, a date) when it does not; a
    neighbour only while the two stay within MAX_EXCERPT characters. A heading is shown with the
    sentence it heads, and a question the text asks with what follows it."""
    sentence = sentences[index]
    if _heading(sentences, index):
        return _joined(sentences[index : index + 2])
    # the question it is, or the one ending its paragraph (the interviewer's "... Is it?")
    asked = index if _asks(sentence) else _paragraph_end(sentences, index)
    if _asks(sentences[asked]):
        answered = _with_answer(sentences, index, asked)
        if answered:
            return answered
    # (a neighbour that is a piece of a longer quotation, 'Me, I can't play on grass."', reads
    # as a stray fragment beside a sentence that is whole)
    near = [
        sentences[i]
        for i in (index - 1, index + 1)
        if 0 <= i < len(sentences)
        and sentences[i].paragraph == sentence.paragraph
        and (_quotes_closed(sentences[i].text) or not _quotes_closed(sentence.text))
    ]
    fits = [s for s in near if len(s.text) + len(sentence.text) < MAX_EXCERPT]
    before = fits[0] if fits and fits[0].start < sentence.start else None
    after = fits[-1] if fits and fits[-1].start > sentence.start else None
    if before and (LEANING.match(sentence.text) or len(sentence.text) < SHORT):
        return f"{before.text} {sentence.text}"
    if not shows(question.shape, sentence.text, question.text):
        if after and shows(question.shape, after.text, question.text):
            return f"{sentence.text} {after.text}"
        if before and shows(question.shape, before.text, question.text):
            return f"{before.text} {sentence.text}"
    if after and len(sentence.text) < SHORT:
        return f"{sentence.text} {after.text}"
    return sentence.text


def _quotes_closed(text: str) -> bool:
    """Whether each quotation `text` opens it also closes (apostrophes aside)."""
    return text.count('"') % 2 == 0 and text.count("\u201c") == text.count("\u201d")


def _heading(sentences: list[Sentence], index: int) -> bool:
    """Whether a sentence heads the paragraph after it ("The siege of Halbrunn", "Is it
    ready?"): a short paragraph of its own, with no full stop, not an item of a list, before
    a paragraph that is not one short line too, and shown with that paragraph's first sentence
    within MAX_EXCERPT."""
    if index + 1 >= len(sentences) or not _one_short_line(sentences, index):
        return False
    text, after = sentences[index].text.rstrip(), sentences[index + 1]
    return (
        not text.endswith((".", ",", ";", ":", '"', "'", "\u201d"))
        and not LIST_ITEM.match(text)
        and after.paragraph == sentences[index].paragraph + 1
        and not _one_short_line(sentences, index + 1)
        and len(text) + len(after.text) < MAX_EXCERPT
    )


def _asks(sentence: Sentence) -> bool:
    return sentence.text.rstrip().endswith("?")


def _paragraph_end(sentences: list[Sentence], index: int) -> int:
    """The index of the last sentence of the paragraph of sentence `index`."""
    end = index
    while end + 1 < len(sentences) and sentences[end + 1].paragraph == sentences[index].paragraph:
        end += 1
    return end


def _turn_answered(sentences: list[Sentence], quote: Quote) -> str:
    """A quotation that is a question ending its paragraph (an interviewer's turn), shown with
    the answer after it (`_with_answer`); empty for any other."""
    if not quote.text.rstrip(_QUOTE_MARKS).endswith("?"):
        return ""
    first = next((i for i, s in enumerate(sentences) if s.paragraph == quote.paragraph), None)
    if first is None:
        return ""
    asked = _paragraph_end(sentences, first)
    if not _asks(sentences[asked]):
        return ""
    return _with_answer(sentences, first, asked)


def _with_answer(sentences: list[Sentence], index: int, asked: int) -> str:
    """A question the text asks itself (a help page's "Can I use Face ID? Yes. Open Settings
    ...", an interviewer's turn), from sentence `index` to the question, sentence `asked`,
    with what follows it: the sentences after it, into the next paragraph when it ends its own,
    to the first that is not SHORT, within MAX_EXCERPT. Empty when nothing follows that fits."""
    shown = sentences[index : asked + 1]
    length = sum(len(s.text) + 1 for s in shown)
    for following in sentences[asked + 1 :]:
        length += len(following.text) + 1
        if following.paragraph > shown[-1].paragraph + 1 or length > MAX_EXCERPT:
            break
        shown.append(following)
        if len(following.text) >= SHORT:
            break
    return _joined(shown) if len(shown) > asked + 1 - index else ""


def _joined(sentences: list[Sentence]) -> str:
    """Sentences shown together: a space between those of one paragraph, else a new line."""
    return sentences[0].text + "".join(
        ("\n" if after.paragraph != before.paragraph else " ") + after.text
        for before, after in itertools.pairwise(sentences)
    )


def _one_short_line(sentences: list[Sentence], index: int) -> bool:
    """Whether a sentence is a paragraph of its own, shorter than SHORT."""
    paragraph = sentences[index].paragraph
    return len(sentences[index].text) < SHORT and all(
        sentences[i].paragraph != paragraph
        for i in (index - 1, index + 1)
        if 0 <= i < len(sentences)
    )


def _answering_part(text: str, question: Question) -> str:
    """A quotation, or when it is longer than MAX_EXCERPT, its sentence that shares most with
    the question (and shows what it asks for), with the next when that one is short."""
    if len(text) <= MAX_EXCERPT:
        return text
    parts = [text[start:end] for start, end in sentence_spans(text)]
    asked = {w[:5] for w in words(question.text) if w not in STOP_WORDS}

    def fit(i: int) -> tuple[int, int, int]:
        held = len(asked & {w[:5] for w in words(parts[i])})
        return held, int(shows(question.shape, parts[i], question.text)), -i

    best = max(range(len(parts)), key=fit)
    if fit(best)[:2] == (0, 0):
        return _trimmed(text)
    chosen = parts[best]
    if len(chosen) < SHORT and best + 1 < len(parts):
        chosen = f"{chosen} {parts[best + 1]}"
    return _trimmed(chosen)


def _trimmed(text: str) -> str:
    if len(text) <= MAX_EXCERPT:
        return text
    ends = [end for _, end in sentence_spans(text) if end <= MAX_EXCERPT]
    return text[: ends[-1]] if ends else text[:MAX_EXCERPT].rsplit(" ", 1)[0] + "…"


def _attributed(article: Article, quote: Quote) -> str:
    """The sentences of the quotation's paragraph that hold it, widened to the nearest sentence
    before it that names the speaker when the quotation's own sentences do not."""
    sentences = [s for s in article.sentences if s.paragraph == quote.paragraph]
    paragraph = (
        article.paragraphs[quote.paragraph] if quote.paragraph < len(article.paragraphs) else ""
    )
    start = paragraph.find(quote.text[:40])
    if not sentences or start < 0:
        return _trimmed(quote.text)
    end = start + len(quote.text)
    parts = set(name_parts(quote.speaker or ""))
    named = lambda s: bool(parts & set(name_parts(s.text)))  # noqa: E731
    held = [i for i, s in enumerate(sentences) if s.end > start and s.start < end]
    # ('"…" Smith said.': the sentence after may be its attribution, when it names the speaker;
    # any other may hold someone else's words, and read as theirs)
    after = held[-1] + 1
    if after < len(sentences) and sentences[after].start < end + 40 and named(sentences[after]):
        held.append(after)
    first, last = held[0], min(held[-1], held[0] + 2)
    if parts and not any(named(s) for s in sentences[first : last + 1]):
        earlier = [i for i in range(first) if named(sentences[i])]
        if earlier:
            first = earlier[-1]
    shown = list(range(first, last + 1))
    # Within MAX_EXCERPT where it can be: the last sentences go first, the one naming the
    # speaker stays.
    while len(shown) > 1 and sum(len(sentences[i].text) + 1 for i in shown) > MAX_EXCERPT:
        spare = [n for n, i in enumerate(shown) if not (parts and named(sentences[i]))]
        if not spare:
            break
        del shown[spare[-1]]
    # A sentence left out between two shown is marked, as between a quotation's parts: read
    # on, the two would pass for one passage, and the speaker one names for the other's.
    return sentences[shown[0]].text + "".join(
        (" " if i == before + 1 else PART_JOINER) + sentences[i].text
        for before, i in itertools.pairwise(shown)
    )


def highlights(
    text: str, query: Mapping[str, float], analyzer: Analyzer, shape: Shape
) -> tuple[str, ...]:
    """The words of `text` to show in bold: those the question asked for, and for a "how
    many" question the numbers."""
    asked = query.keys()
    terms_of = analyzer.token_terms
    found = dict.fromkeys(
        w for w in re.findall(r"[\w'\u2019-]+", text) if not asked.isdisjoint(terms_of(w))
    )
    if shape is Shape.NUMBER:
        found.update(dict.fromkeys(m.group().strip() for m in NUMBER.finditer(text)))
    return tuple(found)


def neighbours(units: list[Unit]) -> list[tuple[int, int]]:
    """For each unit, the index of the sentence before and after it (-1 for none): a
    sentence's neighbours in the article, a quotation's the sentences around its paragraph."""
    sentences = [i for i, u in enumerate(units) if u.kind == "passage"]
    found = []
    for i, unit in enumerate(units):
        if unit.kind == "passage":
            found.append((i - 1 if i > 0 else -1, i + 1 if i + 1 < len(sentences) else -1))
            continue
        before = [j for j in sentences if units[j].paragraph < unit.paragraph]
        after = [j for j in sentences if units[j].paragraph > unit.paragraph]
        found.append((before[-1] if before else -1, after[0] if after else -1))
    return found


def quoted_in(article: Article, units: list[Unit]) -> list[int]:
    """For each unit, the index of the quotation unit whose words it holds (-1 for none): a
    sentence that overlaps a part of a quotation, found where the part stands in its paragraph."""
    found = [-1] * len(units)
    sentences = [i for i, unit in enumerate(units) if unit.kind == "passage"]
    for q, unit in enumerate(units):
        if unit.quote is None:
            continue
        paragraph = unit.paragraph
        for part in unit.quote.text.split(PART_JOINER):
            while paragraph < len(article.paragraphs):
                start = article.paragraphs[paragraph].find(part)
                if start >= 0:
                    break
                paragraph += 1
            else:
                break
            end = start + len(part)
            for i in sentences:
                s = article.sentences[units[i].sentence]
                if s.paragraph == paragraph and s.start < end and s.end > start and found[i] < 0:
                    found[i] = q
    return found
