"""Who is speaking: turn the words around a quotation into a speaker and a role.

An attribution names a person ("Syrian Foreign Minister Walid al-Moualem"), a person with an
appositive role ("Philip Shaw, Investec chief economist"), a pronoun ("he"), a description
("the 28-year-old") or a group ("the OECD", "a spokesman"). The `Cast` (cast.py) remembers who the
article has named so far, so that pronouns, descriptions and bare surnames resolve to a full name.
"""

from __future__ import annotations

import re

from store.reports.cast import ONE_PERSON, Cast, Voice
from store.reports.lexicon import (
    COURTESY_TITLES,
    NAME_PARTICLES,
    PEERAGE_TITLES,
    SPEECH_VERBS,
    alternation,
)
from store.reports.roles import (
    ROLE_NOUNS,
    WHEN_AFTER,
    clean_role,
    employer_after,
    false_title,
    has_role_head,
    is_leading_adverb,
    is_role_head,
    is_role_word,
    is_title,
    joins_roles,
    names_position,
    role_after,
    role_before,
    wordset,
)

# Besides the verbs that report speech, the participles and phrases that follow a quotation
# ("…," adding that …) and forms a question would read as nouns ("notes", "states").
_ATTRIBUTING = wordset(
    "adding arguing calling continued describing insisting maintained notes saying states "
    "telling warning observes observed intimated shouted"
) | {"according to", "pointed out", "points out"}
SPEECH_VERB = re.compile(rf"(?<![\w-])(?:{alternation(SPEECH_VERBS | _ATTRIBUTING)})\b")
_NOUN_BEFORE = wordset("the a an his her its their this that these those our my your")
_AUXILIARIES = wordset("is are was were be been being")
# Words after a name that are its verb, not nouns before a role ("Giggs will captain Wales").
_VERB_LIKE = _AUXILIARIES | wordset(
    "will would has have had can could may might shall should must do does did to and or"
)
# "call it a disgrace" but not "call centres"
_CALL_OBJECTS = wordset("it them him her this that the a an for on me us")


def speech_verbs(text: str) -> list[re.Match[str]]:
    """The verbs in `text` that report speech, leaving out the same words used otherwise: a noun
    after a determiner ("the claims"), a progressive ("are calling") and "call centres"."""
    found = []
    for match in SPEECH_VERB.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()].split()[-1:]
        after = text[match.end() : match.end() + 30].split()[:1]
        previous = before[0].lower() if before else ""
        word = match.group()
        if previous in _NOUN_BEFORE and " " not in word:
            continue
        # ("are calling for", but 'Mr Blair is saying: "…"')
        if previous in _AUXILIARIES and word.endswith("ing") and after[:1] != [":"]:
            continue
        if word in ("call", "calls") and not (after and after[0].lower() in _CALL_OBJECTS):
            continue
        if word.startswith("add") and after and after[0].lower() in ("to", "into", "up"):
            continue  # "with mobile services added into the mix"
        found.append(match)
    return found


def speech_verb(text: str) -> re.Match[str] | None:
    """The first verb of `speech_verbs(text)`."""
    verbs = speech_verbs(text)
    return verbs[0] if verbs else None


# Verbs whose subject is the sentence's, not the words just before ("X vowed, saying: …").
PARTICIPLES = wordset("saying adding telling warning calling describing insisting arguing")

# Honorifics that belong to the name as the article uses it ("Lord Browne").
_PEERAGE = PEERAGE_TITLES
# Honorifics that stand in for a first name ("Mr Spindler" -> "Gerry Spindler").
_COURTESY = COURTESY_TITLES
# Words that make a capitalised run an organisation or a place, not a person.
_NOT_PERSON = wordset(
    "The A An In On At For But And Of To By With As If It Its This That These Those He She They We "
    "I You Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December United New City Street Party Bank "
    "Group Association Board Council Commission Committee Union League Club Company Corporation "
    "Court House Office Department Ministry Government Agency Authority Institute Institution "
    "Treasury Parliament Commons Lords Assembly Cabinet Senate Congress University College School "
    "Hospital News Times Post Journal Radio Television TV Online Securities Investment Investments "
    "Capital Partners Holdings Airlines Motors Records Studios Pictures Festival Awards Games Cup "
    "Championship Championships Open Park Road Square Airport Station Kingdom States Republic "
    "Nations Europe European America American British English Christmas Easter Labour Conservative "
    "Conservatives Democrat Democrats Republican Republicans Tory Tories Liberal BBC Internet Web "
    "Microsoft Apple Google Sony Oil Gas Energy Telecom Mobile Network Service Services Fund Funds "
    "Exchange Market Markets Index Trust Society Foundation Centre Center Theatre Museum Gallery "
    "Academy Prize Show Film Films Music Album Chart Act Bill Law Treaty Agreement Convention "
    "Arabic French German Spanish Italian Chinese Japanese Russian Indian Irish Scottish Welsh "
    "Syrian Iraqi Israeli Palestinian Australian Canadian African Asian Latin Dutch Swiss Swedish "
    "Greek Turkish Korean"
)
_ARTICLES = wordset("The A An")
# Words that open a sentence's subject without naming anyone: an article or a demonstrative
# before the noun ("The tribunal upheld", "This echoed"), or "there" ("There was").
_UNNAMED_OPENERS = wordset("the a an this that these those there")
# Words that are never a speaker on their own.
_NO_ONE = _UNNAMED_OPENERS | wordset("most many some few several")
# Months, which are surnames too ("Theresa May", "Brian May").
_MONTHS = wordset("March April May June July August")
# Words that name a kind of business or publication, before its name ("gadget magazine Stuff").
_GROUP_NOUNS = wordset(
    "group firm company journal magazine newspaper website agency consultancy brokerage "
    "tracker publisher retailer insurer lender maker manufacturer developer giant"
)
_POST_NOMINALS = wordset("MP MEP MSP AM QC KC OBE MBE CBE")
# Words of _NOT_PERSON, or participles, that are also first names ("Bill Gates").
_FIRST_NAMES = wordset("Bill Irving Sterling")
# How many words may open a sentence before its subject's name ("Rovers manager Sue Whitlock").
_SUBJECT_WORDS = 5
# Words that open a clause with a subject of its own, inside a sentence.
_CLAUSE_OPENERS = wordset("but while whereas although though yet")
# Words opening a circumstance that is no role after a name ("said Mr Nath, without …").
_ASIDES = wordset("without despite during after before following")
# Words that end as participles do and are none ("then economic adviser to …").
_NOT_PARTICIPLES = wordset("then when often even")
_AFTER_PARTICIPLE = wordset("ahead to at on in about back forward after from with")
_SUBORDINATORS = wordset("when if as because since after before unless")
# How many words before a capitalised run `mentions` reads with it.
_CONTEXT_WORDS = 5
# Words before a name that make the sentence's subject someone else ("He said that X …").
_NOT_SUBJECT = wordset("he she they it i we that who said says according")
_PRONOUNS = {"he": "person", "she": "person", "they": "any", "it": "any", "we": "any", "i": "any"}
_DETERMINERS = ("the ", "a ", "an ", "its ", "his ", "her ", "their ", "one ")
# Openings of a circumstance before the subject ("In a joint statement the firms said").
_PREPOSITIONS = wordset("in on at during after before under with for from following according")
_EMPLOYER_BEFORE = wordset("at of for from")
_EMPLOYER_JOINERS = _EMPLOYER_BEFORE | wordset("the and")
# Prepositions opening a sentence with when, where or how, before its subject.
_SETTINGS = wordset("in on at during after before under with following")
_PHRASE_ENDS = wordset(
    "with to by and or but said says told according is was were has have had that who which in "
    "on as into about over against than when while after before"
)
_OBJECT_AFTER = _PREPOSITIONS | wordset("of to by about into over against between than")
# Words before a group's name that leave it inside a longer phrase ("the Lisbon Council",
# "in a note on Friday"), unlike a description ("the think-tank The Brookings Institution").
_NOT_DESCRIPTION_END = _OBJECT_AFTER | wordset("the a an its his her their and or")
# Heads of descriptions that stand for a group, not for someone named earlier.
_GROUP_HEADS = wordset(
    "club company firm statement government board report judges panel court tribunal committee "
    "union ministry department police spokesman spokeswoman spokesperson spokespeople "
    "organisation organization bank party council survey study researchers team band "
    "commission association federation agency authority authorities officials regulator "
    "source sources insiders critics analysts experts campaigners website paper newspaper "
    "magazine network station broadcaster operator airline carrier group"
)
# Heads of descriptions that stand for the organisation that last spoke by name ("EMI said …
# the company added").
_ORGANISATION_HEADS = wordset("company firm group bank airline carrier retailer club chain")
# Offices one person holds, whom "the prime minister" names whatever was said before.
_OFFICES = wordset(
    "minister secretary chancellor president premier governor mayor senator ambassador leader"
)
# Words that open a part of an appositive that is not its head ("by journalist X", "on Monday").
_NOT_HEAD = _PREPOSITIONS | wordset("by")
_MINISTERS = wordset("minister secretary chancellor")
_GENDERED = {
    **dict.fromkeys(wordset("lord chairman spokesman king prince sir"), "he"),
    **dict.fromkeys(wordset("lady chairwoman spokeswoman queen princess baroness dame"), "she"),
}
_LESSER_OFFICE = wordset("deputy vice shadow former acting junior assistant")
_TRAILING_FILLER = wordset(
    "also later has have had then previously once recently yesterday today earlier went on to "
    "would will may might could was were is are quoted as reportedly again subsequently "
    "due expected set likely going about afterwards afterward "
    "further simply just still already himself herself themselves been being not "
    "instead however though meanwhile nevertheless therefore too now"
)
# Words that are no subject alone, and end a subject read back from a verb ("of the show").
_NO_SUBJECT_ALONE = _OBJECT_AFTER | _PHRASE_ENDS
# Words past the noun of a subject: a verb, a preposition, an object's determiner.
_PAST_THE_NOUN = _NOUN_BEFORE | _NO_SUBJECT_ALONE | _VERB_LIKE | _TRAILING_FILLER
_BOUNDARY_WORDS = wordset(
    "that with but while as when after because so if where whom than and or who which whose what "
    "since although though before until"
)
# Words that open a clause, which a role never holds.
_CLAUSE_WORDS = wordset("who which that whose when while because if since although though")
_ROLE_DETERMINERS = wordset("the its his her their")
_DESCRIPTION_OPENERS = _ROLE_DETERMINERS | wordset("a an")
_OBJECT_OPENERS = _ROLE_DETERMINERS | wordset("a an to")
# Two or three capitalised words, as a full name is said inside a quotation.
_FULL_NAME = re.compile(r"\b[A-Z][\w'\u2019-]+(?: [A-Z][\w'\u2019-]+){1,2}\b")
_PLACE = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?")
# (a hyphen inside a word is no dash: "which has a share of the buy-to-let market -")
_DASHED_APPOSITIVE = re.compile(
    r"\s[-\u2013\u2014]\s+((?:[^-\u2013\u2014,]|(?<=\w)-(?=\w))+?)\s+[-\u2013\u2014]$"
)
_WHO_AT_END = re.compile(r",\s*who$")
_APPOSITION_COMMA = re.compile(r"(?<!\d),|,(?!\d)")  # not the comma in "1,300"
_RELATIVE = re.compile(r"^(?:who|which|whose|where|when|whom)\b", re.I)
_ARTICLE_BEFORE = re.compile(r"(?:^|\W)(?:the|a|an)\s+$", re.I)
# (a nickname in quotation marks is part of the name: "Brian 'Head' Welch")
_NAME_TOKEN = (
    r"(?:[A-Z][\w'\u2019-]*\.?|(?:al|el)-[A-Z][\w'\u2019-]*|['\u2018][A-Z][\w-]*['\u2019](?=\s+[A-Z])"
    rf"|\b(?:{alternation(NAME_PARTICLES)})(?=\s+[A-Z]))"
)
# An office said after a speech verb: "(said) that the prime minister", "(said) the chancellor"
_SPOKE_OF = re.compile(r"\s+(?:that\s+)?the\s+(?:[a-z-]+\s+){0,2}?([a-z]+)\b")
# What a role is of or with, ending in a name: "with US rock band Korn", "of the Refugee Council"
_ROLE_OF = re.compile(
    r"(?:of|with|at|for)(?:\s+the)?(?:\s+[A-Z][\w&'-]*)*(?:\s+[a-z][\w'-]*){0,3}(?:\s+[A-Z][\w&'-]*)+"
)
# (a firm's name may join names with "&": "Marks & Spencer", "Owen Pike & Sons")
_NAME_RUN = re.compile(rf"{_NAME_TOKEN}(?:\s+(?:&\s+)?{_NAME_TOKEN})*")


def _employs(following: list[str]) -> bool:
    """Whether the words after a name make it an employer: a role word comes first ("director
    of sport"), or ends nouns before a full name ("investment chief David Smith"; not "will
    captain Wales", a verb's)."""
    if not following or not following[0].islower():
        return False
    if is_role_word(following[0]):
        return True
    name = next((i for i, word in enumerate(following) if not word.islower()), len(following))
    nouns = following[:name]
    if not 0 < name < len(following) - 1 or not is_role_word(nouns[-1]):
        return False
    if any(not w.replace("-", "").isalpha() or w in _VERB_LIKE or w.endswith("ed") for w in nouns):
        return False
    return following[name].isalpha() and following[name + 1][:1].isupper()


def is_name_token(token: str) -> bool:
    return (
        token[:1].isupper()
        or token == "&"
        or token in NAME_PARTICLES
        or token.startswith(("al-", "el-"))
        or (token[:1] in "'\u2018" and token[1:2].isupper())
    )


def _describes(word: str) -> bool:
    """Whether `word`, before a name, is a compound that describes ("Oscar-winner Andrea Arnold",
    "Frankfurt-based Deutsche Boerse"), not part of the name: its last part is in lower case,
    and no particle ("Clemence Ross-van Dorp"). (At a name's end such a part is a given name's:
    "Chung Mong-koo".)"""
    head, dash, tail = word.partition("-")
    tail = tail.rpartition("-")[2]
    return bool(dash) and head[:1].isupper() and tail[:1].islower() and tail not in NAME_PARTICLES


def split_name(phrase: str, cast: Cast) -> tuple[str | None, str]:
    """Split a noun phrase into (person's name or None, the words before it)."""
    words = phrase.split()
    end = len(words)
    # "Paul Boateng MP": letters after the name are no part of it
    while end > 1 and words[end - 1].rstrip(",.") in _POST_NOMINALS:
        end -= 1
    start = end
    while start > 0:
        word = words[start - 1]
        bare = word.rstrip(",.")
        if (
            not is_name_token(bare)
            or is_title(bare)
            or (end - start >= 2 and (bare.lower() in ROLE_NOUNS or _acronym(bare)))
            or (end - start >= 2 and _common_noun(bare, words[start - 2 : start - 1], cast))
            or bare.endswith(("'s", "\u2019s", "s'", "s\u2019"))
        ):
            break
        start -= 1
        if bare in _PEERAGE or bare.rstrip(".") in _COURTESY:
            break
    run = words[start:end]
    if "&" in run:  # "Marks & Spencer", "Ant & Dec": a firm or a pair, not one person
        return None, phrase
    # "Now Wilson", "EADS Philippe Camus", "Conservative Graham Brady": what opens the run is an
    # adverb, an organisation or a party, not a first name
    while run and (
        run[0] in NAME_PARTICLES
        or is_leading_adverb(run[0])
        # "Praising Celtic": a participle opening the sentence
        or (len(run) > 1 and run[0].endswith("ing") and run[0] not in _FIRST_NAMES)
        or (len(run) > 1 and _describes(run[0]))
        or (
            len(run) > 2 and run[0] not in _ARTICLES and (run[0] in _NOT_PERSON or _acronym(run[0]))
        )
    ):
        run, start = run[1:], start + 1
    # "Chancellor of the Exchequer Gordon Brown": the words after the title's "of" are the title's
    of_title = _title_of(words[:start])
    if of_title and len(run) > 2:
        keep = 3 if run[-2] in NAME_PARTICLES else 2
        run, start = run[-keep:], end - keep
    before = words[:start]
    # "analyst at Jupiter Research": a name after "at" or "of" is where someone works, and so
    # is one further on, unless a role word comes just before it ("editor of film journal
    # Trade Guide", but "Bank of England deputy governor Rachel Lomax")
    if not run or (before and before[-1].lower() in _EMPLOYER_BEFORE):
        return None, phrase
    if _employer(before) and not of_title and not _role_just_before(before):
        return None, phrase
    # "director of anti-constitution group Vote No": a name after what names a business is the
    # employer's
    employed = any(w.lower() in _EMPLOYER_BEFORE for w in before)
    if employed and before[-1].lower() in _GROUP_NOUNS:
        return None, phrase
    first = run[0].rstrip(".")
    # "Bill Gates", though a "Finance Bill" is no one; "German Gref", whom the report calls "Mr
    # Gref" (not "The Bush": "the" is a word of the report's)
    plausible_first = (
        first not in _NOT_PERSON
        or first in _FIRST_NAMES
        or (len(run) == 2 and cast.is_titled(run[-1]) and not cast.writes_lower(first))
    )
    # ("Mike German", when the report calls him "Mr German"; "Theresa May" after a first name)
    common = not _NOT_PERSON.isdisjoint(run[1:]) and any(
        w in _NOT_PERSON and not cast.is_titled(w) and not (w in _MONTHS and plausible_first)
        for w in run[1:]
    )
    if len(run) > 1 and plausible_first and not common and " ".join(run) not in cast.organisations:
        return " ".join(run), " ".join(words[:start])

    # ("Home Office" is no one; "midfielder Deco" is)
    def titled() -> bool:
        return (_titled(words[:start]) or _job_before(words[:start])) and first not in _NOT_PERSON

    # (a surname a letter away from one met before: "said Daveport" after Lindsay Davenport)
    if len(run) == 1 and (cast.knows_surname(run[0], near=True) or titled()):
        return run[0], " ".join(words[:start])
    return None, phrase


def _common_noun(word: str, before: list[str], cast: Cast) -> bool:
    """A capitalised word opening a run before a full name, that the report writes in lower
    case elsewhere ("Referee Graham Poll"): a title or a job, not a first name. Inside a longer
    run ("the Civil Service Pension Scheme", "The Daily Source Code") or after an article ("the
    International Rugby Board") it is part of a title, which the rules for those read."""
    if before and (is_name_token(before[0]) or before[0].lower() in ("the", "a", "an")):
        return False
    return word not in _NOT_PERSON and cast.writes_lower(word)


def _role_just_before(before: list[str]) -> bool:
    """A role word right before a name, or two words before it with a lower-case object
    ("director of sport Emilio Butragueno")."""
    last = [w.rstrip(",") for w in before[-3:]]
    if last and is_role_word(last[-1]):
        return True
    return len(last) == 3 and all(w.islower() for w in last) and is_role_word(last[0])


def _acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper() and word.isalpha()


def _employer(before: list[str]) -> bool:
    """Whether the words before a name run hold "of", "at", "for" or "from" in the same phrase
    ("editor of film journal"), not in an earlier one ("for two hours with")."""
    for index in range(len(before) - 1, -1, -1):
        word = before[index]
        lowered = word.lower().rstrip(",")
        if lowered in _EMPLOYER_BEFORE:
            # an employer is named: "of Indian film journal", "at the Bank", not "for backs"
            following = [w for w in before[index + 1 : index + 3] if w.lower() != "the"]
            return not following or following[0][:1].isupper()
        if lowered in _PHRASE_ENDS or word.endswith(","):
            return False
    return False


def _title_of(before: list[str]) -> bool:
    """Whether `before` ends in a title's "of" or "for" ("Secretary of State for")."""
    tail = [w.lower() for w in before[-2:]]
    if not tail or not ({"of", "for"} & set(tail)) or tail[-1] not in ("of", "for", "the"):
        return False
    return any(is_title(w) for w in before[-5:])


def _job_before(before: list[str]) -> bool:
    """A lower-case role word right before a lone capitalised word: one name ("Barca
    midfielder Deco")."""
    return bool(before) and before[-1].islower() and is_role_word(before[-1])


def _titled(before: list[str]) -> bool:
    """A lone capitalised word right after a title is a surname ("Chief Supt Deats")."""
    return bool(before) and (is_title(before[-1]) or before[-1].rstrip(".") in _COURTESY)


# How every time WHEN_AFTER reads ends ("on Sunday", "last week", "today").
_TIME_ENDINGS = ("day", "week", "month", "year")


def _past_when(text: str) -> str:
    """`text` without the time that ends it ("on Saturday", "last week", "today")."""
    return WHEN_AFTER.sub("", text) if text.endswith(_TIME_ENDINGS) else text


def _strip_edges(phrase: str) -> str:
    phrase = _past_when(phrase.strip(" ,;:-\u2013\u2014\"'\u201c\u201d\u2018\u2019"))
    words = phrase.split()
    while words and is_leading_adverb(words[0]):
        words = words[1:]
    while words and (
        # (in lower case only: "Christine May" ends in a name)
        words[-1] in _TRAILING_FILLER or (words[-1].islower() and words[-1].endswith("ly"))
    ):
        words = words[:-1]
    return " ".join(words).strip(" ,")


def subject_before(text: str) -> str:
    """The noun phrase (with any appositive) that ends `text`, the words before a verb."""
    text = text.rstrip()
    # "the co-chairman of the party, Liam Fox, on Saturday (called)": when, not who
    text = _past_when(text)
    if text[-1:] in "-\u2013\u2014":  # "Lord Bingham - a senior law lord -"
        text = _DASHED_APPOSITIVE.sub(r", \1,", text)
    # "The host, Jonathan Dimbleby, later (told)"
    words = text.split()
    while words and words[-1] in _TRAILING_FILLER:
        words.pop()
    if words and words[-1].endswith(","):
        return " ".join(words)
    last = _strip_edges(text).split()[-1:]
    if last and last[0].lower() in _PRONOUNS:  # "Blair has dismissed reports he (told)"
        return last[0]
    # "rejected by Mr Blair, who (said)": the relative pronoun stands for the name before it
    relative = _WHO_AT_END.search(text)
    if relative:
        runs = list(_NAME_RUN.finditer(text[: relative.start()]))
        if runs and runs[-1].end() == relative.start():
            return runs[-1].group()
    # "prompted the prime minister to (say)": whom the verb before asks to say it
    if text.split()[-1:] == ["to"]:
        text = text.rstrip()[:-2]
        object_start = _last_determiner(text.split())
        if object_start is not None:
            return " ".join(text.split()[object_start:])
    cut = max(text.rfind(mark) for mark in (",", ";", ":", " - ", ". ", "? ", "! "))
    named = _named_before_role(text, cut)
    if named is not None:
        return named
    if text.rfind("(") > max(cut, text.rfind(")")):
        cut = text.rfind("(")
    tail = text[cut + 1 :].lstrip(" .?!-")
    words = tail.split()
    start = len(words)
    while start > 0:
        word = words[start - 1]
        if word.lower() in SPEECH_VERBS:  # "Mr Kilroy-Silk said the man"
            break
        title_and = (
            word == "and"
            and start < len(words)
            and words[start][:1].isupper()
            and start > 1
            and words[start - 2][:1].isupper()
        )
        # ("The chairman and chief executive of EMI Music")
        role_and = joins_roles(words, start - 1) and _has_role_word(" ".join(words[start:]))
        if word.lower() in _BOUNDARY_WORDS and not (title_and or role_and):
            break
        start -= 1
    phrase = words[start:]
    # "before he left for Africa on Tuesday the chancellor (told)": past a clause with no comma
    if start > 0 and words[start - 1].lower() in _SUBORDINATORS:
        subject_start = _last_determiner(phrase)
        if subject_start is not None:
            phrase = phrase[subject_start:]
    return " ".join(phrase)


def _last_determiner(words: list[str]) -> int | None:
    """Where the last noun phrase opened by "the", "a" or "an" starts in `words`, after a word
    that is not a preposition ("the chancellor" in "he left on Tuesday the chancellor", but not
    "the Tories" in "voted for the Tories"); None when it would be the whole."""
    return next(
        (
            i
            for i in range(len(words) - 1, 0, -1)
            if words[i].lower() in ("the", "a", "an") and words[i - 1].lower() not in _OBJECT_AFTER
        ),
        None,
    )


def _named_before_role(text: str, comma: int) -> str | None:
    """ "Howard Archer, economist at Global Insight" (with no comma to close the appositive):
    the name before the last comma and the role after it, when the words after it are a role."""
    if comma < 0 or text[comma] != ",":
        return None
    role = text[comma + 1 :].strip()
    words = role.split()
    # (a role may open with its employer's possessive: "Microsoft's chief financial officer")
    possessive = words[:1] and words[0].endswith(("'s", "\u2019s")) and len(words) > 1
    if not words or len(words) > 10 or not (words[0][:1].islower() or possessive):
        return None
    if not any(is_role_word(w) for w in words) or _CLAUSE_WORDS & {w.lower() for w in words}:
        return None
    before = text[:comma].rstrip()
    # "Reacting to a remark by Tim Phillips, the American said": the name is in a circumstance
    opening = re.split(r"[,;:]|[.?!]\s", before)[-1]
    if _circumstance(opening):
        return None
    runs = list(_NAME_RUN.finditer(before))
    if not runs or runs[-1].end() != len(before) or " " not in runs[-1].group():
        return None
    return f"{runs[-1].group()}, {role}"


def sentence_subject(head: str) -> str:
    """The name a sentence opens with, past adverbs and relative clauses ("However, Mr X, who…")."""
    for part in head.split(","):
        words = _strip_edges(part).split()
        # "In an interview with the Financial Times, Mr Blair …", "Looking ahead to the
        # election, he …", "While …, he …": the circumstance comes first
        if not words or _RELATIVE.match(words[0]) or _circumstance(part):
            continue
        if words[0].lower() in _CLAUSE_OPENERS | _SUBORDINATORS:
            continue
        verb = speech_verb(part)
        if verb is not None:
            return subject_before(part[: verb.start()])
        # "French finance minister Herve Gaymard is on record": a role may come before the name
        end = 0
        while end < len(words) and (
            is_name_token(words[end])
            or words[end].lower() == "the"
            or any(is_role_word(w) for w in words[end : end + 3])
        ):
            end += 1
        # ("The guitarist with US rock band Korn has quit": whom a role is with is part of it)
        employer = (
            _ROLE_OF.match(" ".join(words[end:])) if end and is_role_word(words[end - 1]) else None
        )
        if employer:
            return " ".join([*words[:end], employer.group()])
        if end <= 1 and words[0].lower() in _UNNAMED_OPENERS:
            return _speaking_description(words)
        if end:
            return " ".join(words[:end])
        # a word alone may be the subject ("analysts", "he"), but no preposition ("of the show")
        return "" if words[0].lower() in _NO_SUBJECT_ALONE else words[0]
    return ""


def _speaking_description(words: list[str]) -> str:
    """ "The tribunal (upheld …)", "The show's producers (defended …)": the words an article or
    a demonstrative opens, up to the last that can speak (a role, a group); "" when none can
    ("The poster shows", "This echoed", "There was")."""
    head = 0
    for index in range(1, min(len(words), _SUBJECT_WORDS + 1)):
        word = words[index]
        # (past the noun: a verb, a preposition, an object's determiner or name)
        if word[:1].isupper() or word in _PAST_THE_NOUN or (head and word.endswith("ed")):
            break
        # ("The month-old Committee to Protect Bloggers": a name goes on from it)
        name_follows = index + 1 < len(words) and words[index + 1][:1].isupper()
        if _can_speak(word) and not name_follows:
            head = index
    return " ".join(words[: head + 1]) if head else ""


def _can_speak(word: str) -> bool:
    """Whether a noun names who may speak: a role ("producers"), a group ("the tribunal"), an age
    ("the 64-year-old")."""
    lowered = word.lower()
    return any(
        is_role_word(form) or form in _GROUP_HEADS or form.endswith("-old")
        for form in (lowered, lowered.removesuffix("s"))
    )


def shown_speaking(head: str, cast: Cast) -> Voice:
    """Whose is the participle that ends `head`, when the sentence opens with what cannot speak:
    a speaker just before it ("A message has appeared from the MPAA (warning)", "…, the Lions
    manager (describing)"), else the last person the sentence names ("The documentary showed
    Mr Nattrass, apparently talking about the EU, (telling)"); else no one ("a series of
    stories (warning)")."""
    words = head.split()
    start = len(words)
    while start > 0 and not words[start - 1].endswith((",", ";", ":", ")")):
        start -= 1
        if words[start].lower() in _NO_SUBJECT_ALONE:
            start += 1
            break
        if words[start].lower() in _NOUN_BEFORE:
            break
    before = words[start:]
    if before and (_can_speak(before[-1]) or any(is_name_token(w) for w in before[1:])):
        return resolve(" ".join(before), cast)
    for run in reversed(list(_NAME_RUN.finditer(head))):
        context = head[: run.start()].split()[-_CONTEXT_WORDS:]
        name, _ = split_name(" ".join([*context, run.group()]), cast)
        if name is not None:
            return resolve(name, cast)
    return Voice(None)


def _past_circumstance(phrase: str) -> str:
    """ "In a joint statement the firms" -> "the firms"; "At first he" -> "he": the subject
    after an opening circumstance (with no comma to end it), when a pronoun or a determiner
    marks where it starts; a determiner after "of" or "to" is an object ("of the householder")."""
    words = phrase.split()
    if len(words) < 3 or words[0].lower() not in _PREPOSITIONS or "," in phrase:
        return phrase
    if words[-1].lower() in _PRONOUNS:
        return words[-1]
    starts = [
        i
        for i in range(2, len(words))
        if words[i].lower() in ("the", "a", "an") and words[i - 1].lower() not in _OBJECT_AFTER
    ]
    return " ".join(words[starts[-1] :]) if starts else phrase


def resolve(phrase: str, cast: Cast) -> Voice:
    """Who `phrase` refers to, given the people the article has named so far."""
    phrase = _past_circumstance(_strip_edges(phrase))
    # ("Most importantly, say analysts": what is left of such an opening names no one)
    if not phrase or phrase.lower() in _NO_ONE:
        return Voice(None)
    if phrase.endswith(",") or "," in phrase:
        return _resolve_appositive(phrase, cast)
    lowered = phrase.lower()
    kind = _PRONOUNS.get(lowered)
    if kind == "person":
        return cast.antecedent(lowered)
    if kind == "any":
        if cast.last_voice is not None:
            return cast.last_voice
        return Voice(
            cast.last_person, cast.roles.get(cast.last_person or ""), cast.last_person is not None
        )
    name, before = _name_with_employer(phrase, cast)
    if name is not None:
        return _person(name, clean_role(before), cast)
    words = phrase.split()
    head = words[-1].lower()
    if lowered.startswith("the ") and head in _ORGANISATION_HEADS and cast.last_organisation:
        return Voice(cast.last_organisation)
    if lowered.startswith("our ") and len(words) == 2:
        # "our correspondent" is the one the report named so, if it did ("BBC correspondent
        # Stephen Cape"), else nobody named
        holders = [n for n, r in cast.roles.items() if head in r.lower().split()]
        if len(holders) == 1:
            return Voice(holders[0], cast.roles[holders[0]], is_person=True)
        return Voice(phrase)
    if lowered == "the statement" and cast.last_voice is not None:
        return cast.last_voice  # whoever just spoke made the statement
    owned = _whose(words, cast)
    if owned is not None:
        return Voice(owned)
    description = _description(words)
    if description is None:  # ("the book" is no one)
        return Voice(_organisation(phrase), None)
    head, title = description
    office = set(title) if head in _OFFICES else set()
    # "the prime minister" is whoever the report gave that title, not the last person named
    holders = [n for n in reversed(cast.named) if _holds(cast.roles.get(n) or "", office)]
    if len(holders) == 1:
        return Voice(holders[0], cast.roles[holders[0]], is_person=True)
    plural = head.endswith("s") and not head.endswith(("ss", "us", "is"))
    if head in _GROUP_HEADS or plural:
        return Voice(_organisation(phrase), None)
    if cast.last_person is None:
        # "Scotland's justice minister has warned …", named as the next sentence's subject
        voice = Voice(_organisation(phrase), None)
        cast.await_name(voice, clean_role(phrase), _gender(title))
        return voice
    if not lowered.startswith("the "):  # "Nokia's chief executive" need not be anyone named
        return Voice(_organisation(phrase), None)
    # "the 28-year-old", "the striker", "the Tory leader": someone named before
    voice = cast.antecedent()
    gender = _gender(title)
    if gender is not None and cast.genders.get(voice.speaker or "", gender) != gender:
        # "the lord chancellor" after Baroness Boothroyd spoke: someone the report names next
        voice = Voice(_organisation(phrase), None)
        cast.await_name(voice, clean_role(phrase), gender)
        return voice
    if not _may_be(voice.speaker or "", office, cast):
        # the last person named holds another office ("the minister" with two in play): the
        # latest one named who holds this one, else who may
        voice = next(
            (
                Voice(name, cast.roles.get(name), is_person=True)
                for name in holders + cast.named[::-1]
                if name != voice.speaker and _may_be(name, office, cast)
            ),
            Voice(None),
        )
        if voice.speaker is None:
            return Voice(_organisation(phrase), None)
    # ("the Kansas star" stands for someone named, but says no more of them than their standing)
    if voice.is_person and voice.speaker and names_position(phrase):
        known = cast.roles.get(voice.speaker)
        if known and not _has_role_word(known) and known.split()[-1][:1].isupper():
            # "The Fabian Society's Sundar Katwala" … "the reform group's general secretary"
            cast.roles[voice.speaker] = f"{known} {' '.join(title)}"
        else:
            cast.roles.setdefault(voice.speaker, clean_role(phrase) or "")
        return Voice(voice.speaker, cast.roles[voice.speaker] or None, is_person=True)
    return voice


def _whose(words: list[str], cast: Cast) -> str | None:
    """A description of someone unnamed with whom they speak for named: "her lawyers" -> "Donna
    Clarkson's lawyers" (whom "she" means, if the report has shown who is a woman), "a
    spokesman for the company" -> "a spokesman for NTL" (the organisation that last spoke by
    name); None when the report does not say whom."""
    first = words[0].lower()
    if first in ("his", "her") and len(words) > 1:
        owner = cast.owner("he" if first == "his" else "she")
        return f"{owner}'s {' '.join(words[1:])}" if owner else None
    of = next((i for i, w in enumerate(words[:-2]) if w in ("for", "at", "of")), None)
    if not of or cast.last_organisation is None:
        return None
    if words[of - 1].lower() not in _GROUP_HEADS and not is_role_word(words[of - 1]):
        return None
    rest = [w.lower() for w in words[of + 1 :]]
    if len(rest) != 2 or rest[0] != "the" or rest[1] not in _ORGANISATION_HEADS:
        return None
    return _lower_determiner(" ".join([*words[: of + 1], cast.last_organisation]))


def _description(words: list[str]) -> tuple[str, list[str]] | None:
    """(head, title) of a description of one person: "the shadow chancellor" -> ("chancellor",
    ["shadow", "chancellor"]), "the reform group's general secretary" -> ("secretary",
    ["general", "secretary"]), "the star of Rain Man" -> ("star", ["star"]),
    "Scotland's justice minister"; None for what describes no person ("the book")."""
    lowered = [w.lower() for w in words]
    # "the star of Rain Man and Tootsie", "the director behind JFK": what the person is of is no
    # part of the title
    of = next(
        (
            i
            for i in range(2, len(words) - 1)
            if lowered[i] in ("of", "at", "for", "with", "behind") and words[i + 1][:1].isupper()
        ),
        None,
    )
    if of is not None:
        words, lowered = words[:of], lowered[:of]
    possessive = [i for i, w in enumerate(lowered) if w.endswith(("'s", "\u2019s"))]
    opens_possessive = bool(possessive) and possessive[0] == 0 and words[0][:1].isupper()
    if len(words) < 2 or not (lowered[0] == "the" or opens_possessive):
        return None
    title = lowered[possessive[-1] + 1 :] if possessive else lowered[1:]
    if not title:
        return None
    head = title[-1]
    described = not any(w[:1].isupper() for w in words[1:]) or is_role_head(words, len(words) - 1)
    someone = is_role_head(title, len(title) - 1) or head.endswith("-old") or head in ONE_PERSON
    return (head, title) if described and someone else None


def settle(cast: Cast) -> None:
    """Once the whole report is read: a description first given to the next person named
    ("The lord chancellor said …") goes to the one the report gives that role by name ("Lord
    Falconer, the lord chancellor"), if there is one, and is no longer the guess's role."""
    for voice in cast.guessed:
        guess, description = voice.speaker, _description(["the", *(voice.role or "").split()])
        title = set(description[1]) if description else set()
        holders = [n for n, r in cast.roles.items() if n != guess and _holds(r, title)]
        if len(holders) == 1:
            if guess is not None and cast.roles.get(guess) == voice.role:
                del cast.roles[guess]
            voice.speaker, voice.role = holders[0], cast.roles[holders[0]]


def _gender(title: list[str]) -> str | None:
    """ "he" for "the lord chancellor" or "the chairman", "she" for "the chairwoman"."""
    return next((_GENDERED[word] for word in title if word in _GENDERED), None)


def _may_be(name: str, office: set[str], cast: Cast) -> bool:
    """Whether `name` may hold `office`, by their role and what they said of it."""
    return _may_hold(cast.roles.get(name), office) and not office & cast.spoke_of.get(name, set())


def spoke_of(voice: Voice, said: str, cast: Cast) -> None:
    """Remember the office someone's reported speech `said` opens with ("said the chancellor
    had failed"): one they spoke of as another's."""
    match = _SPOKE_OF.match(said)
    if voice.is_person and voice.speaker and match and match.group(1) in _OFFICES:
        cast.spoke_of.setdefault(voice.speaker, set()).add(match.group(1))


def _may_hold(role: str | None, office: set[str]) -> bool:
    """Whether someone with `role` may be the holder of `office` (any one person, when no
    office is named): they have no role yet, or only an employer, or the office itself."""
    return not office or not role or not _has_role_word(role) or _holds(role, office)


def _holds(role: str, office: set[str]) -> bool:
    """Whether `role` is the office named by the words `office` ("Prime Minister" for "the
    prime minister", not "Deputy Prime Minister")."""
    words = set(role.lower().split())
    if office == {"minister"}:  # a secretary of state or a chancellor is "the minister" too
        return bool(words & _MINISTERS)
    # ("Russia's president" is "the Russian president": a country and its adjective begin alike)
    stems = {word[:5] for word in words}
    named = all(word in words or (len(word) >= 5 and word[:5] in stems) for word in office)
    return bool(office) and named and not ((words - office) & _LESSER_OFFICE)


def _person(name: str, role: str | None, cast: Cast) -> Voice:
    """The voice of a person named with `role` here; a role the report gave them before wins
    when this one says less (`_says_less`)."""
    full = cast.meet(name, role)
    known = cast.roles.get(full)
    if role is None or (known and _says_less(role, known)):
        role = known
    return Voice(full, role, is_person=True)


def _says_less(role: str, known: str) -> bool:
    """Whether `role` says less of someone than `known`, the role the report gave them before:
    it only repeats part of it ("Flight International's Mr Learmount"), or names no position
    and no employer where `known` names a position ("Jay-Z, real name Shawn Carter")."""
    if set(role.lower().split()) <= set(known.lower().split()):
        return True
    return _has_role_word(known) and not (_has_role_word(role) or _employer_only(role))


def _employer_only(role: str) -> bool:
    """Whether `role` names only where someone works ("ONGC", "from Retail Banking Research"):
    its words are names but for small words joining them."""
    return all(w[:1].isupper() or w in _EMPLOYER_JOINERS for w in role.split())


def _circumstance(phrase: str, openers: frozenset[str] = _NOT_HEAD) -> bool:
    """Whether a part of an appositive is no head: a circumstance ("On Wednesday", "by
    journalist X"; one of `openers` first) or a participle ("nicknamed Charly")."""
    words = _strip_edges(phrase).split()
    return not words or words[0].lower() in openers or _participle(phrase)


def _participle(phrase: str) -> bool:
    """Whether `phrase` opens with a participle ("nicknamed Charly", "Looking ahead to …";
    not "Manning said" or "Helen Smith")."""
    words = phrase.split()
    first = words[0] if words else ""
    # ("managing director of Ontrack" is a role)
    if (
        not first.endswith(("ed", "ing", "en"))
        or first.lower() in _NOT_PARTICIPLES
        or "-" in first
        or (len(words) > 1 and is_role_word(words[1]))
    ):
        return False
    # ("Welcoming the ruling", "Responding to Ms James' criticisms": a participle goes on)
    return first.islower() or (len(words) > 1 and words[1] in _AFTER_PARTICIPLE | _OBJECT_OPENERS)


def _has_role_word(phrase: str) -> bool:
    return has_role_head([word.strip(".,") for word in phrase.split()])


def _name_with_employer(phrase: str, cast: Cast) -> tuple[str | None, str]:
    """ "economist Gary Thayer of AG Edwards": the name before "of", "at" or "from", the rest
    is role."""
    for joiner in (" of ", " at ", " from "):
        head, found, employer = phrase.partition(joiner)
        if found:
            name, before = split_name(head, cast)
            if name is not None and name.split()[0] in _PEERAGE and _PLACE.fullmatch(employer):
                return f"{name} of {employer}", before  # "Lord Nicholls of Birkenhead"
            if name is not None:
                return name, f"{_role_words(before)} {joiner.strip()} {employer}".strip()
    name, before = split_name(phrase, cast)
    return name, _role_words(before) if name is not None else before


def _role_words(before: str) -> str:
    """The words before a name if they can be a role ("US Attorney", "Bristol University
    political scientist"), not the rest of a clause ("These included what")."""
    words = before.split()
    clause = any(w in _PHRASE_ENDS or w in _SUBORDINATORS or w in _BOUNDARY_WORDS for w in words)
    verb = any(w.islower() and w.endswith("ed") and "-" not in w for w in words)
    if _has_role_word(before) or not (clause or verb):
        return before
    return ""


def _organisation(phrase: str) -> str:
    """A group by its name when the phrase ends in one after a description ("the Washington-based
    think-tank The Brookings Institution", "Russian oil giant Yukos"), else the phrase."""
    words = phrase.split()
    start = len(words)
    while start > 0 and is_name_token(words[start - 1]):
        if start < len(words) and _describes(words[start - 1]):
            break
        start -= 1
    before = words[start - 1].lower() if start else ""
    if 0 < start < len(words) and before not in _NOT_DESCRIPTION_END:
        return " ".join(words[start:])
    # "Athletics' ruling body the IAAF": "the" after a noun of the description
    noun = words[start - 2] if start >= 2 else ""
    described = noun.isalpha() and noun.islower() and noun not in _NOT_DESCRIPTION_END
    if before == "the" and start < len(words) and described:
        return " ".join(words[start:])
    return _lower_determiner(phrase)


def _lower_determiner(phrase: str) -> str:
    lowered = phrase.lower()
    for determiner in _DETERMINERS:
        if lowered.startswith(determiner):
            return determiner + phrase[len(determiner) :]
    return phrase


def _merge_role_lists(parts: list[str]) -> list[str]:
    """Join to a role the parts after it that go on with it: a list of what it is head of
    ("head of development, new media and sports news"), or where ("senior vice-president,
    health, at Anglo-American"), not a clause or a circumstance."""
    merged = parts[:1]
    for part in parts[1:]:
        words = part.split()
        lower_list = all(w.islower() and w.isalpha() for w in words) and len(words) <= 6
        employer = len(words) > 1 and words[0] in ("at", "of", "for") and words[1][:1].isupper()
        goes_on = (
            ((lower_list and not _circumstance(part)) or employer)
            and not _CLAUSE_WORDS & set(words)
            and not _participle(part)
            and _has_role_word(merged[-1])
            and not merged[-1].endswith((",", "."))
        )
        if goes_on:
            merged[-1] = f"{merged[-1]}, {part}"
        else:
            merged.append(part)
    return merged


def _resolve_appositive(phrase: str, cast: Cast) -> Voice:
    """ "Philip Shaw, Investec chief economist," or "Their lawyer, Majeed Memon,"."""
    parts = [p.strip() for p in _APPOSITION_COMMA.split(phrase.strip(" ,"))]
    # what follows "who ..." belongs to the relative clause: ", who has a petition, 300 names"
    clause = next((i for i, p in enumerate(parts) if _RELATIVE.match(p)), len(parts))
    parts = [p for p in parts[:clause] if p]
    if not parts:
        return Voice(None)
    parts[0] = subject_before(parts[0]) or parts[0]
    parts = _merge_role_lists(parts)
    # "several nations criticised it, and EU ambassador to the WTO, Carlo Trojan,": after "and"
    joined = [i for i, p in enumerate(parts) if p.startswith("and ")]
    if joined:
        parts = [parts[joined[-1]][4:], *parts[joined[-1] + 1 :]]
    parts = parts[-3:]
    # the head comes first ("Sri Mulyani Indrawati, State Minister for National Development
    # Planning"), past a circumstance or a participle ("On Wednesday, EU Commissioner X")
    heads = [i for i, p in enumerate(parts) if not _circumstance(p)]
    # ("Reacting to a remark by Tim Phillips, the American said": a name inside the circumstance
    # is someone else's, when a head is there to speak)
    order = heads or list(range(len(parts) - 1, -1, -1))
    for index in order:
        name, before = _name_with_employer(_strip_edges(parts[index]), cast)
        if name is not None:
            # "Moya, nicknamed Charly,", "Mr Nath, without specifying …": a clause, not a role
            # (but "Richard Doherty, from Panasonic's laboratories,")
            others = [
                p for i, p in enumerate(parts) if i != index and not _circumstance(p, _ASIDES)
            ]
            # ("the committee chairman, MP Edward Leigh": the description before the name says
            # what they are, not the title they are addressed by)
            if before and all(map(is_title, before.split())):
                before = next((p for p in reversed(parts[:index]) if _has_role_word(p)), before)
            role = next((r for r in map(clean_role, [before, *others]) if r), None)
            return _person(name, role, cast)
    # "The book, by journalist Robert Peston," is the book; "On Wednesday, the firm" the firm
    # (of a role joined from a list, its first part)
    head = parts[heads[0]] if heads else parts[-1]
    return resolve(_APPOSITION_COMMA.split(head)[0], cast)


def overhear(quotation: str, cast: Cast) -> None:
    """Let `cast` learn the full names said inside a quotation ("what Jack Straw said"), so that
    a later "Mr Straw" is known; who is talking about whom is left as it was."""
    for match in _FULL_NAME.finditer(quotation):
        # ("Both Rangers and Celtic …": the capital may only open a sentence)
        opens = quotation[: match.start()].rstrip()[-1:] in ("", ".", "!", "?", '"', "\u201c")
        if not opens and _NOT_PERSON.isdisjoint(match.group().split()):
            cast.overhear(match.group())


def described_subject(sentence: str, cast: Cast) -> None:
    """ "The prime minister is trying to …": a sentence that opens with a description of one
    person is about the person it describes, who holds that role from now on."""
    opening = sentence.lstrip()
    if opening.startswith(("A ", "An ")):
        _introduced(opening, cast)
        return
    if not opening.startswith("The "):
        return
    words = sentence.split(maxsplit=_SUBJECT_WORDS + 1)[: _SUBJECT_WORDS + 1]
    # ("The Tory leader countered", "The 48-year-old actor crossed"; the head is no adjective,
    # as in "The American top seed")
    head = next((i for i, w in enumerate(words) if w.islower() and is_role_head(words, i)), None)
    # ("The Frenchman twisted", "The Russian turned": a nationality before a verb is the noun)
    verb = words[2:3] and (words[2].endswith("ed") or words[2] in _VERB_LIKE)
    if head is None and verb and words[1].lower() in ROLE_NOUNS:
        head = 1
    if head is None or head + 1 >= len(words) or not words[head + 1].isalpha():
        return
    # ("The book claims the premier went": a verb and its object come before the role)
    if not words[head + 1].islower() or not all(
        w.replace("-", "").isalnum() and w.lower() not in _NOUN_BEFORE for w in words[1 : head + 1]
    ):
        return
    phrase = " ".join(words[: head + 1]) + _employer_after_head(opening, head)
    if _description(phrase.split()) is None:
        return
    voice = resolve(phrase, cast)
    if voice.is_person and voice.speaker is not None:
        cast.meet(voice.speaker, subject=True)


def _employer_after_head(opening: str, head: int) -> str:
    """ " of US medical firm HealthSouth" after "The former head" (the word `head` of `opening`),
    when the sentence's verb comes after it; "" when no employer, or no verb, follows."""
    rest = opening.split(maxsplit=head + 1)[head + 1 :]
    employer = _ROLE_OF.match(rest[0]) if rest else None
    if employer is None:
        return ""
    # (not "of European" in "of European defence and aerospace group EADS")
    verb = rest[0][employer.end() :].split()[:1]
    if not verb or not (verb[0] in _VERB_LIKE or verb[0].endswith(("ed", "s"))):
        return ""
    return f" {employer.group()}"


def _false_title(opening: str, cast: Cast) -> str | None:
    """roles.false_title, unless its capitalised words are a name and its noun a verb ("Mark
    Lewis-Francis sought")."""
    title = false_title(opening)
    if title is None or cast.knows_surname(opening.split()[-2]):
        return None
    return title


def _introduced(sentence: str, cast: Cast) -> None:
    """ "An artist critical of Welsh arts funding has denied …", before anyone is named: the
    next person named as a subject is the artist."""
    if cast.last_person is not None:
        return
    words = sentence.split(maxsplit=_SUBJECT_WORDS + 1)[1 : _SUBJECT_WORDS + 1]
    head = next((i for i, w in enumerate(words) if w.islower() and is_role_head(words, i)), None)
    if head is not None and all(w.replace("-", "").isalnum() for w in words[: head + 1]):
        role = " ".join(words[: head + 1])
        cast.await_name(Voice(role), role)


def _described_before(preceding: str, following: str) -> str | None:
    """ "The defeated manager, (Graham Doyle)", "The chairman of the Bar Council, (Guy
    Mansfield)": a description opening the sentence, then a comma before the name, is the role
    of whoever the name is; so is one ending a clause ("noticed by a manager, (Paul
    McGuinness)."), when a comma or a full stop sets the name off after it too (not "… trust
    the prime minister, (Mr Brown) replied")."""
    if not preceding.endswith(", "):
        return None
    words = re.split(r"[,;:]|[.?!]\s", preceding[:-2])[-1].split()
    of = next((i for i, w in enumerate(words) if w in _EMPLOYER_BEFORE), len(words))
    role = _description_from(words, 0, of)
    openers = [i for i in range(1, of) if words[i].lower() in _DESCRIPTION_OPENERS]
    if role is None and openers and following.strip()[:1] in ("", ",", "."):
        role = _description_from(words, openers[-1], of)
    return role


def _description_from(words: list[str], start: int, of: int) -> str | None:
    """The role `words[start:]` give, if they are a description: a determiner, lower-case words
    up to a role word (`words[of - 1]`), and what that role is of."""
    head = words[start:of]
    if len(head) < 2 or head[0].lower() not in _DESCRIPTION_OPENERS or not is_role_word(head[-1]):
        return None
    # ("His comments come as the co-chairman of the Conservative Party, (Liam Fox)": a clause)
    if not all(w.islower() and w not in _NOUN_BEFORE for w in head[1:]):
        return None
    return clean_role(" ".join(words[start:]))


def _goes_on(word: str) -> bool:
    """Whether `word`, alone between a conjunction and a name, is a verb ("but overcame"), not
    what opens a noun phrase ("but the", "but former", "but captain")."""
    return (
        word.isalpha()
        and word.islower()
        and not is_role_word(word)
        and word not in _NOUN_BEFORE
        and word not in _LESSER_OFFICE
    )


def mentions(text: str, cast: Cast, *, opens_sentence: bool = False) -> None:
    """Let `cast` meet every person named in `text`, in order (quotations already masked); when
    `text` opens a sentence, a person named first within its first words is its subject."""
    subject, clause_seen = opens_sentence, 0
    for match in _NAME_RUN.finditer(text):
        run = re.sub(r"['\u2019]s?$", "", match.group().rstrip("."))  # "Tony Blair's", "Gervais'"
        if (
            " " not in run
            and not cast.knows_surname(run)
            # (a lower-case letter before it may end a role word: "midfielder Deco")
            and not (
                text[max(0, match.start() - 2) : match.start() - 1].islower()
                and _job_before(text[max(0, match.start() - 30) : match.start()].split()[-1:])
            )
        ):
            continue
        # a few words before the run tell a title's "of" or an employer's "at" from a name
        preceding = text[: match.start()]
        context = preceding[-120:].split()[-_CONTEXT_WORDS:]
        while any(word[-1] in ",;:.!?" for word in context):
            context = context[1:]
        name, before = split_name(" ".join([*context, run]), cast)
        before = before.split()[len(context) :] if name is not None else []
        before = " ".join(before)
        # "the Respect Coalition" is not a person; "the Lord Chancellor Lord Falconer" is.
        if name is None or (
            not before and _ARTICLE_BEFORE.search(text[max(0, match.start() - 5) : match.start()])
        ):
            continue
        if " " in name and cast.is_thing(name):  # ("Polar Express uses … It is directed by")
            continue
        # "Real Madrid director of sport Emilio Butragueno", "JP Morgan chief executive William
        # Harrison": an employer before a role, named so again later
        if _employs(text[match.end() : match.end() + 60].split()[:5]):
            # (unless a title or a role has shown them a person: "Mr Blair aide John Smith")
            if name not in cast.roles and not cast.is_titled(name.split()[-1]):
                cast.organisations.add(name)
            continue
        opening = preceding.lower().split()
        # ("In a statement released through her attorney Rich Nichols, Jones repeated …": the
        # subject comes after an opening circumstance and its comma, not inside it)
        # ("For Jupiter analyst Olivier Beauvillain, Yahoo's decision was an error" is his view)
        circumstance = opens_sentence and opening[:1] and opening[0] in _SETTINGS
        inside, waiting = circumstance and "," not in preceding, subject
        if circumstance and not inside:
            opening = preceding[preceding.rindex(",") + 1 :].lower().split()
            # ("…, the singer named tabloids Us Weekly": after a verb, an object)
            if any(word.endswith("ed") for word in opening):
                subject = False
        # "…, but captain Fabien Pelous sees hope": a clause after "but" has a subject too
        # ("it was yet to be seen if Mr Clarke …": before "to", no conjunction but an adverb)
        clause = [
            i
            for i, word in enumerate(opening)
            if word in _CLAUSE_OPENERS and opening[i + 1 : i + 2] != ["to"]
        ]
        if clause and clause[-1] >= clause_seen:
            subject, clause_seen = True, clause[-1] + 1
            opening = opening[clause_seen:]
            # ("… twisted his ankle but overcame Melzer": inside the sentence, one lower-case word
            # after the conjunction that is no role and opens no noun is the verb of the
            # sentence's subject going on, and the name its object)
            if clause[-1] > 0 and len(opening) == 1 and _goes_on(preceding.split()[-1]):
                subject = False
        subject = subject and len(opening) <= _SUBJECT_WORDS and not _NOT_SUBJECT & set(opening)
        # ("Ireland, despite having Gordon D'Arcy out": an object)
        if subject and opening and (opening[-1] in _PREPOSITIONS or opening[-1].endswith("ing")):
            subject = False
        role = (
            role_before(f"{preceding[-200:]} {before}".rstrip())
            or role_after(text[match.end() :])
            or _described_before(preceding, text[match.end() :])
            or (_false_title(preceding, cast) if opens_sentence else None)
            # of the subject only ("accused Tony Blair of U-turns"); "Lord Nicholls of
            # Birkenhead" is a peer's name
            or (
                employer_after(text[match.end() :])
                if subject and name.split()[0] not in _PEERAGE
                else None
            )
        )
        # "Only Fools and Horses star David Jason criticised": a run that goes on with "and" and
        # a role is a title; the subject is the name after the role
        title = re.match(r"\s+and\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*\s+(\w+)", text[match.end() :])
        if title and is_role_word(title.group(1)):
            continue
        cast.meet(name, role, subject=subject and not inside)
        subject = waiting if inside else False
