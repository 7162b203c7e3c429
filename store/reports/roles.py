"""What a person is, as a report says it: the words of roles, and the role phrases found before
a name ("Bank of England deputy governor Rachel Lomax") or after it ("Hazel Gilbert, 23, an
information manager from Newcastle,"), cleaned as a reader would write them."""

from __future__ import annotations

import functools
import re

from lemminflect import getAllLemmas, getInflection
from wordfreq import zipf_frequency

from store.reports.lexicon import SPEECH_VERBS, WEEKDAYS, alternation


def wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Capitalised words that are roles, not names ("Syrian Foreign Minister Walid al-Moualem").
TITLES = wordset(
    "Minister President Secretary Chancellor Chief Executive Director Chairman Chairwoman "
    "Commissioner Attorney General Governor Senator Ambassador Envoy Judge Justice Officer "
    "Editor Superintendent Supt Detective Inspector Constable Captain Coach Manager Leader "
    "Spokesman Spokeswoman Spokesperson Economist Analyst Deputy Vice Acting Prime Foreign "
    "Home Shadow King Queen Prince Princess Pope Sheikh Mayor MP MEP Speaker Founder Head "
    "Boss Counsel Premier Archbishop Bishop Cardinal Sheriff Colonel Lieutenant Sergeant "
    "Admiral Commander Marshal Sen Gen Col Lt Sgt Rep Treasurer Solicitor Under-Secretary"
)
# Job words and nationals that open a sentence before a full name ("Striker Jamal Ennis",
# "Spaniard Guillermo Garcia-Lopez"): a role, not part of the name. Not adjectives
# ("American"): they open names of organisations too ("American Life Project").
JOB_NOUNS = wordset(
    "striker midfielder defender goalkeeper keeper winger forward skipper captain fly-half "
    "scrum-half full-back centre-back flanker batsman bowler all-rounder sprinter hurdler runner "
    "athlete champion golfer boxer jockey trainer player veteran star singer actor actress "
    "rapper guitarist drummer bassist comedian presenter broadcaster producer writer author "
    "novelist playwright designer chef lawyer barrister solicitor economist strategist "
    "researcher scientist campaigner activist boss manager coach chairman chairwoman "
    "songwriter composer olympian"
)
_NATIONALS = wordset(
    "spaniard frenchman frenchwoman briton scot scotsman englishman welshman irishman dutchman "
    "yorker londoner american australian argentine brazilian canadian german italian russian "
    "swede swiss dane norwegian finn pole czech serb croat belgian portuguese mexican kenyan "
    "ethiopian nigerian ghanaian african zimbabwean indian pakistani chinese japanese "
    "korean kiwi argentinian chilean colombian uruguayan greek turk israeli iranian iraqi"
)
ROLE_NOUNS = JOB_NOUNS | _NATIONALS
# Role words that say how someone is regarded, not what they do, hold or rank ("the Kansas
# star"): a description that stands for a name with one of these as its head is no position.
_STANDING = wordset("star superstar veteran")
# The last word of a role written in lower case before a name or after it ("deputy governor
# Rachel Lomax", "Investec chief economist"): job words and titles, in any case.
_ROLE_HEADS = (
    ROLE_NOUNS
    | frozenset(t.lower() for t in TITLES)
    | wordset(
        "official officials adviser advisor teacher holder correspondent pathologist owner "
        "professor lecturer historian expert consultant officer executive treasurer member "
        "head chief spokesman spokeswoman spokesperson analyst director editor president "
        "secretary minister chancellor governor leader commissioner founder boss partner "
        "medallist winner organiser organizer agent representative negotiator premier "
        "stepsister stepbrother sister brother father mother son daughter wife husband physio "
        "doctor surgeon nurse pilot engineer architect academic librarian fisherman farmer "
        "resident shopkeeper landlord driver worker student pensioner councillor vicar priest "
        "headteacher soldier policeman firefighter seed aide prop hooker artist"
    )
) - wordset("deputy vice acting prime foreign home shadow sen gen col lt sgt rep")
# Words that end a role phrase read backwards from a name: what comes before the role.
_BEFORE_ROLE = wordset(
    "the a an this that these those his her their its our my your to by with from at in on "
    "for as into about over after before during under and or but while when if because than "
    "said says say told tells according is was were are be been has have had will would "
    "could should may might also who which whom whose where both between against like "
    "monday tuesday wednesday thursday friday saturday sunday yesterday today week month year "
    "weekend night morning last next aside away off out up down back"
)
_TITLE_OF = wordset("of for the and")
_MODALS = wordset("will would could should can may might must")
_INITIALS_IN_BRACKETS = re.compile(r"\([A-Z]{2,}\)")
LEADING_ADVERBS = wordset(
    "But And However Meanwhile Now So Yet Also Instead Earlier Later Separately Still Then "
    "Indeed Elsewhere Previously Last Today Yesterday Speaking Again Said Says Added Adds"
)
# A made-from word at least this common (once in ten thousand words of English) makes a
# capitalised "-ly" word an adverb ("Locally" from "local"), not a name ("Kelly", "Beverly").
_ADVERB_STEM_ZIPF = 3.5


@functools.lru_cache(maxsize=4096)
def is_leading_adverb(word: str) -> bool:
    """Whether `word`, capitalised at a sentence's start, is an adverb opening it, no name:
    "However", "Separately", and any "-ly" word made from a common English word ("Originally",
    "Locally", "Happily")."""
    bare = word.rstrip(",")
    if bare in LEADING_ADVERBS:
        return True
    if not (bare[:1].isupper() and bare[1:].islower() and bare.endswith("ly")):
        return False
    stem = bare[:-2].lower()
    stems = (stem, f"{stem[:-1]}y") if stem.endswith("i") else (stem,)
    return any(len(s) >= 4 and zipf_frequency(s, "en") >= _ADVERB_STEM_ZIPF for s in stems)


_ROLE_DETERMINERS = wordset("the a an its his her their our my your")
_PRONOUNS = wordset("It He She They We I You There This That")
_NUMERAL = re.compile(r"\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten", re.I)
# Not a role but when, where or how it was said; "at Merrill Lynch" is where someone works.
_CIRCUMSTANCE = re.compile(
    r"(?:in|on|during|after|before|when|while|as)\s|at\s+(?:the\s|(?-i:[a-z]))", re.I
)
_DAY = f"(?:{alternation(WEEKDAYS)})"
_WHEN = re.compile(rf"^(?:on|last|this)\s+{_DAY}\s+", re.I)
# When it was said, after who said it ("The prime minister on Sunday").
WHEN_AFTER = re.compile(
    rf"\s+(?:(?:on|last|this)\s+(?:{_DAY}|week|month|year)|yesterday|today)$", re.I
)
# (not "that" after a preposition: "head of that tribunal"; nor an organisation's initials in
# brackets inside a role: "Dutch football federation (KNVB) spokesman")
_ROLE_CUT = re.compile(
    r"\s+(?:who|which|whose|where)\s.*$|(?<!\bof)(?<!\bfor)(?<!\bat)(?<!\bin)\s+that\s.*$"
    r"|\s*(?:[;:]|\((?![A-Z]{2,}\)\s+\w)).*$"
)
# ", 23, an information manager from Newcastle," and one that ends its sentence
_CAPITALISED = r"[A-Z][\w&-]*"
_EMPLOYER_AFTER = re.compile(
    rf"\s+(of|from)\s+((?:the\s+)?{_CAPITALISED}(?:\s+(?:of|for|and|the|{_CAPITALISED}))*)"
)
# "as coach", "as the Wales captain", up to what goes on after it ("after succeeding …")
_AS_ROLE = re.compile(
    r"\bas\s+(?:the\s+|a\s+|an\s+)?((?:[\w'-]+\s+){0,3}?[\w'-]+)"
    r"(?=\s+(?:after|before|since|when|while|in|on|at|for|with|against)\b|[,.]|$)"
)
_APPOSITIVE_AFTER = re.compile(r",\s*(?:\d+,\s*)?([^,;:()\"\u201c\u201d]{3,90}?)(?:,|\.(?:\s|$))")


@functools.lru_cache(maxsize=4096)
def is_past_verb(word: str) -> bool:
    """Whether lower-case `word` is a verb's past form, which no role holds: "-ed" ("appointed",
    not "ex-appointed"), or a verb's irregular one ("the president met Prime Minister ...")."""
    if word.endswith("ed"):
        return "-" not in word
    lemmas = getAllLemmas(word)
    return set(lemmas) == {"VERB"} and any(
        word in getInflection(lemma, tag="VBD") for lemma in lemmas["VERB"] if lemma != word
    )


def is_role_word(word: str) -> bool:
    """A word that heads a role; of a compound, its last part does ("co-chairman")."""
    lowered = word.lower()
    return lowered in _ROLE_HEADS or ("-" in lowered and lowered.rpartition("-")[2] in _ROLE_HEADS)


def is_role_head(words: list[str], index: int) -> bool:
    """Whether `words[index]` heads a role: a role word, or a rank ("number two")."""
    word = words[index]
    if is_role_word(word):
        return True
    return (
        index > 0 and words[index - 1].lower() == "number" and _NUMERAL.fullmatch(word) is not None
    )


def has_role_head(words: list[str]) -> bool:
    """Whether any of `words` heads a role (`is_role_head`)."""
    if any(is_role_word(word) for word in words):
        return True
    return any(w.lower() == "number" for w in words) and any(
        is_role_head(words, index) for index in range(1, len(words))
    )


def names_position(description: str) -> bool:
    """Whether a description of someone already named ("the British number two", "the Tory
    leader", "the star of Rain Man") says what they do, hold or rank, and so is their role: its
    head is a role, not their standing ("the Kansas star") or age ("the 25-year-old"), unless it
    says what they are that of."""
    head, of, _ = re.sub(r"^(?:the|a|an)\s+", "", description, flags=re.I).partition(" of ")
    words = head.split()
    if not words or not is_role_head(words, len(words) - 1):
        return False
    return bool(of) or words[-1].lower() not in _STANDING


def is_title(word: str) -> bool:
    """A capitalised title, or a compound ending in one ("Vice-President")."""
    return word in TITLES or ("-" in word and word.rpartition("-")[2] in TITLES)


def clean_role(role: str) -> str | None:
    """The role as a reader would write it, or None when `role` is no role at all."""
    role = _WHEN.sub("", _ROLE_CUT.sub("", role).strip(" ,.-\u2013\u2014"))
    role = WHEN_AFTER.sub("", role)
    # "However Nintendo president": the adverb opens the sentence, not the role; "Mr Chernin,
    # however, told" has none
    while is_leading_adverb(role.split(" ", 1)[0].capitalize()) and " " in role:
        role = role.split(" ", 1)[1]
    if is_leading_adverb(role.capitalize()):
        return None
    # "Ladbrokes' Warren Lush", "Deutsche Bank's Simon Champion": the employer alone
    role = re.sub(r"(?<=\w)(?:'s|\u2019s|'|\u2019)$", "", role)
    # "Its regional officer": the determiner points back into the article, not to the person
    first, _, rest = role.partition(" ")
    if rest and first.lower() in _ROLE_DETERMINERS:
        role, first = rest, rest.split()[0]
    # "Striker Jamal Ennis": a job word is capitalised only because it opened the sentence
    if first.lower() in JOB_NOUNS and first not in TITLES and first[1:].islower():
        role = role[:1].lower() + role[1:]
    # "Spacey, 45," gives an age, and "said Cowell, 54, in reference to ..." a circumstance
    if not any(c.isalpha() for c in role) or _CIRCUMSTANCE.match(role):
        return None
    return role


def role_before(text: str) -> str | None:
    """The role that ends `text`, the words just before a name: "according to Bank of England
    deputy governor" -> "Bank of England deputy governor"; None unless a role word ends it."""
    words = text.split()
    if not words or words[-1][-1:] in ",;:.!?":
        return None
    # "Secretary of State", "Chancellor of the Exchequer": a title ends with what it is of
    head = next(
        (i for i in range(len(words) - 1, max(-1, len(words) - 6), -1) if is_role_head(words, i)),
        None,
    )
    if head is None:
        return None
    rest = words[head + 1 :]
    # ("director of sport", two lower-case words, is one too)
    if rest and not (
        rest[0] in ("of", "for")
        and (all(w[:1].isupper() or w in _TITLE_OF for w in rest) or len(rest) == 2)
    ):
        return None
    start = head + 1
    while start > 0:
        word = words[start - 1]
        bare = word.lower().strip("\"'\u201c\u2018(")
        # ("referees' chief": a plural's possessive, not a closing quotation mark)
        possessive = word[-2:] in ("s'", "s\u2019") and word[:1] not in "'\u2018"
        # ("Dutch football federation (KNVB) spokesman": an organisation's initials in brackets)
        initials = _INITIALS_IN_BRACKETS.fullmatch(word) is not None
        if start <= head and word[-1:] in ",;:.!?)\"'\u201d\u2019" and not (possessive or initials):
            break
        if word in ("-", "\u2013", "\u2014"):  # "last 13 matches - Ireland coach"
            break
        # "Only Fools and Horses star": "and" inside a title
        inside = bare == "and" and start > 1 and words[start - 2][:1].isupper()
        if (inside and words[start][:1].isupper()) or (
            bare == "and" and _joins_roles(words, start)
        ):
            start -= 1
            continue
        if bare in _BEFORE_ROLE or (word[:1].islower() and is_past_verb(bare)):
            break
        # ("he claims Tory Party co-chairman", "will discipline striker": a verb, no role word)
        after_modal = start >= 2 and words[start - 2] in _MODALS  # ("in May chief executive")
        if word.islower() and (bare in SPEECH_VERBS or after_modal):
            break
        # "the future of manager David O'Leary", but "Bank of England deputy governor"
        if bare == "of" and not words[start][:1].isupper():
            break
        start -= 1
    phrase = words[start:]
    while phrase and phrase[0].lower() in ("of", "and"):
        phrase = phrase[1:]
    return clean_role(" ".join(phrase)) if phrase else None


def joins_roles(words: list[str], index: int) -> bool:
    """Whether the "and" at `words[index]`, with a role after it, joins it to a role before it
    ("chairman and chief executive"), not to another person or thing ("Blair and Foreign
    Secretary Jack Straw")."""
    return index > 0 and words[index].lower() == "and" and is_role_head(words, index - 1)


def _joins_roles(words: list[str], after: int) -> bool:
    """`joins_roles` for the "and" before `words[after]`, or one after a sentence's opening
    description, lower-case nouns however they end ("Ex-BBC chat show host and East Midlands MEP
    Robert Kilroy-Silk")."""
    if joins_roles(words, after - 1):
        return True
    if after < 2 or not words[after - 2].isalpha() or not words[after - 2].islower():
        return False
    start = after - 2
    while start > 0 and words[start - 1][-1:] not in ".!?" and not _opens_role(words[start - 1]):
        start -= 1
    return start == 0 or words[start - 1][-1:] in ".!?"


def _opens_role(word: str) -> bool:
    """Whether `word` cannot be inside a role read backwards: a small word before it, a verb."""
    bare = word.lower()
    return bare in _BEFORE_ROLE or bare[-1:] in ",;:" or (word.islower() and is_past_verb(bare))


def role_after(text: str) -> str | None:
    """The appositive role that follows a name at the start of `text`: ", 23, an information
    manager from Newcastle," -> "information manager from Newcastle"."""
    match = _APPOSITIVE_AFTER.match(text)
    if match is None:
        return None
    # ", who is UKIP Scotland chairman,": the relative clause says what they are
    phrase = re.sub(r"^who\s+is\s+", "", match.group(1).strip())
    words = phrase.split()
    # (", Microsoft's chief financial officer said a test …": the role ends at the verb)
    said = next((i for i, word in enumerate(words) if word in SPEECH_VERBS), None)
    if said:
        words = words[:said]
        phrase = " ".join(words)
    if (
        not words
        or len(words) > 12
        or words[0].lower() in ("who", "whose", "which", "where", "when")
    ):
        return None
    if not has_role_head([w.strip(".") for w in words]):
        return None
    # ", Jim Carrey and Johnny Depp in the best actor category": a list of people, no role
    if re.search(r"[A-Z][\w'-]+ [A-Z][\w'-]+ and [A-Z]", phrase):
        return None
    return clean_role(phrase) or _role_as(phrase)


def _role_as(circumstance: str) -> str | None:
    """The role a circumstance gives someone after "as" ("in his first game as coach after
    succeeding Mark Hughes" -> "coach"), if it gives one."""
    match = _AS_ROLE.search(circumstance)
    if match is None or not is_role_head(match.group(1).split(), len(match.group(1).split()) - 1):
        return None
    return match.group(1)


def employer_after(text: str) -> str | None:
    """Where someone is from, said right after their name: " of the Countryside Alliance has
    questioned" -> "of the Countryside Alliance"."""
    match = _EMPLOYER_AFTER.match(text)
    if match is None:
        return None
    words = match.group(2).split()
    if text[match.end() : match.end() + 1] in ("'", "\u2019"):
        words.pop()  # ("Dechy of France and Russia's Elena Dementieva")
    while words and words[-1] in _TITLE_OF:  # ("of the Refugee Council and the …")
        words.pop()
    if not words:
        return None
    return f"{match.group(1)} {' '.join(words)}"


def false_title(opening: str) -> str | None:
    """The words opening a sentence before a name, when they are a capitalised word or two and a
    common noun ("Hollywood legend Dustin Hoffman"): what the person is, though no role word says
    it. Not a time ("Last year"), a participle ("Having"), nor an adverb."""
    words = opening.split()
    if not 2 <= len(words) <= 3:
        return None
    noun = words[-1]
    if not all(w.replace("-", "").isalpha() for w in words):  # ("There, German marques")
        return None
    if not noun.islower() or noun in _BEFORE_ROLE or is_leading_adverb(noun.capitalize()):
        return None
    # a verb ("It seems", "Henman takes") or a plural ("British stars") is not one person's
    if noun.endswith(("ed", "ing", "ly")) or (noun.endswith("s") and not noun.endswith("ss")):
        return None
    if not all(w[:1].isupper() for w in words[:-1]):
        return None
    # ("Nominees include Peter Chernin": a plural subject and its verb)
    if len(words) == 2 and words[0].endswith("s") and not words[0].endswith("ss"):
        return None
    if any(w.lower() in _BEFORE_ROLE or is_leading_adverb(w) or w in _PRONOUNS for w in words):
        return None
    return clean_role(opening)
