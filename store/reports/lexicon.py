"""Words the parser reads reports by and the engine reads questions by, written once: the verbs
that report speech, and the small words inside and before people's names."""

from __future__ import annotations

# Verbs that report what someone said, in the forms both an attribution ("…," Ms Petrie said)
# and a question ("what did Petrie say", "who warned …") use. The parser adds participles
# and phrases that only follow a quotation ("saying", "according to"); questions add verbs
# of stance ("what does X want").
_SPEECH_VERBS_TEXT = """
    say says said tell tells told added adds warn warns warned explained explains insisted
    insists argued argues claimed claims stated asked asks commented admitted admits stressed
    stresses urged urges described describes describe call calls called declared announced
    wrote writes replied suggested suggests predicted predicts acknowledged revealed confirmed
    concluded remarked vowed promised joked conceded believes feels thinks accused branded
    dubbed hailed noted"""
SPEECH_VERBS = frozenset(_SPEECH_VERBS_TEXT.split())
# Lower-case words inside names ("Staffan di Mistura", "Walid al-Moualem", "Abu Hamza").
_PARTICLES_TEXT = "al el de di da del della dos du van von der den la le bin ibn abu st ter"
NAME_PARTICLES = frozenset(_PARTICLES_TEXT.split())
# Honorifics, which name no one by themselves ("Mr Spindler", "Lord Browne").
COURTESY_TITLES = frozenset(["Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Professor", "Rev"])
PEERAGE_TITLES = frozenset(["Lord", "Lady", "Sir", "Dame", "Baroness", "Baron"])
# The days and months that say when something was said ("said on Monday", "told MPs in July").
_WEEKDAYS_TEXT = "monday tuesday wednesday thursday friday saturday sunday"
WEEKDAYS = frozenset(_WEEKDAYS_TEXT.split())
_MONTHS_TEXT = """
    january february march april may june july august september october november december"""
MONTHS = frozenset(_MONTHS_TEXT.split())


def alternation(words: frozenset[str]) -> str:
    """A regular expression matching any of `words`, the longest first."""
    return "|".join(sorted(words, key=lambda word: (-len(word), word)))
