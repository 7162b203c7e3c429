"""Follow-ups: a question that leans on the one before it is answered from that one's report,
in `reportbot chat`, in the bot's group and private chats, and with `ask --conversation`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ADMIN, ALICE, BOB, ask

from bot.chat import from_lines, run_chat
from bot.standin import group_chat
from store.library.store import ReportStore
from store.reports.parser import parse_report
from store.search.conversation import KEEP, Conversation
from store.search.followup import is_follow_up
from store.search.matcher import Matcher

CUP = "rovers-cup-upset.txt"
CUP_TITLE = "Ashford Rovers stun champions in cup"
FOLLOW_UP = "and when do they play next?"
CUP_QUESTION = "who won the fa trophy tie"


def chat(db: Path, *lines: str) -> list[str]:
    """The bot's replies in `reportbot chat` to `lines`, after its two opening notes."""
    shown: list[str] = []
    assert run_chat(db, from_lines(lines), shown.append) == 0
    return shown[2:]


def test_a_follow_up_in_the_terminal_chat_is_answered_from_the_last_report(library_db: Path):
    cup, follow_up = chat(library_db, CUP_QUESTION, FOLLOW_UP)
    assert CUP_TITLE in cup
    assert CUP_TITLE in follow_up
    assert "8 February" in follow_up


BATTERY = "how much will the brightcell battery cost"
BATTERY_TITLE = "Start-up's sodium battery doubles solar storage"


def test_a_follow_up_that_leaves_its_subject_out_is_answered_from_the_last_report(
    library_db: Path,
):
    # Asked alone, "units a year" finds the flood barrier's report; and the words borrowed
    # from the last question must not bring back the price sentence that answered it.
    battery, follow_up = chat(library_db, BATTERY, "and how many units a year?")
    assert "£2,950" in battery
    first = follow_up.split("\n\n")[0]
    assert "40,000 units a year" in first
    assert BATTERY_TITLE in first


def test_after_a_refusal_a_follow_up_is_asked_afresh(library_db: Path):
    # The question before it found nothing, so there is nothing to follow up: the reply is the
    # one the same words get asked first.
    (alone,) = chat(library_db, FOLLOW_UP)
    _, refused, follow_up = chat(
        library_db, CUP_QUESTION, "what is the tallest mountain on mars", FOLLOW_UP
    )
    assert "couldn't find" in refused
    assert CUP_TITLE not in follow_up
    assert follow_up == alone


def test_a_follow_up_asking_what_the_last_report_cannot_tell_is_not_found(library_db: Path):
    # The Idlib report tells of no match and of nothing dated ahead: its "next offensive, when
    # it comes" and a 2013 photo caption are no answer to when they play next.
    idlib, follow_up = chat(library_db, "how many people live in idlib", FOLLOW_UP)
    assert "2.9 million" in idlib
    assert "couldn't find" in follow_up.split("\n")[0]


def test_a_question_naming_a_topic_of_its_own_is_a_new_one_even_after_and(library_db: Path):
    _, other = chat(library_db, CUP_QUESTION, "and how many homes were flooded in kellmouth")
    assert CUP_TITLE not in other
    assert "310 homes" in other.split("\n\n")[0]


def test_a_new_question_or_a_thank_you_is_not_held_to_the_last_report(library_db: Path):
    _, thanks, other = chat(
        library_db, BATTERY, "thanks", "how many homes were flooded in kellmouth"
    )
    assert BATTERY_TITLE not in thanks
    assert "310 homes" in other.split("\n\n")[0]


@pytest.mark.parametrize(
    ("before", "question", "shown"),
    [
        # A new question on the last report: read in it alone, with the first question's words
        # lent, the Sunday shifts came before the cost.
        ("when will libraries open on sundays", "how much will sunday opening cost", "£410,000"),
        # "there" in "how many ... are there" is no place: the question is a new one.
        (
            "how many homes were flooded in kellmouth",
            "how many libraries are there",
            "Libraries to open on Sundays",
        ),
    ],
)
def test_a_new_question_after_another_gets_the_librarys_answer(
    library_db: Path, before: str, question: str, shown: str
):
    (alone,) = chat(library_db, question)
    _, asked = chat(library_db, before, question)
    assert shown in asked.split("\n\n")[0]
    assert asked == alone


def test_a_short_question_whose_words_the_last_report_lacks_is_a_new_one(library_db: Path):
    # "striker" is a common word, too little topic to be asked alone, but the battery report
    # lacks it and the cup report has it.
    _, striker = chat(library_db, BATTERY, "who is the striker")
    first = striker.split("\n\n")[0]
    assert "Jamal Ennis" in first
    assert CUP_TITLE in first


@pytest.mark.parametrize("follow_up", ["and what about the libraries?", "and the libraries?"])
def test_what_about_something_the_last_report_lacks_asks_the_library(
    library_db: Path, follow_up: str
):
    # Either asks of the libraries what the battery question asked.
    _, libraries = chat(library_db, BATTERY, follow_up)
    first = libraries.split("\n\n")[0]
    assert "libraries" in first.casefold()
    assert BATTERY_TITLE not in libraries


def test_a_connective_without_a_subject_of_its_own_stays_a_follow_up(library_db: Path):
    # "and now?" names nothing the battery report could lack: it asks more of the same.
    _, now = chat(library_db, BATTERY, "and now?")
    assert BATTERY_TITLE in now.split("\n\n")[0]


def test_what_about_something_no_report_holds_is_not_found(library_db: Path):
    # The words lent from the cup question find the cup report, which says nothing of weather.
    _, weather = chat(library_db, CUP_QUESTION, "what about the weather")
    assert "couldn't find" in weather.split("\n")[0]


def test_a_follow_up_asking_a_kind_of_number_the_last_report_lacks_is_not_found(
    library_db: Path,
):
    # The Idlib report's numbers are people and dates: none is an age.
    _, pope = chat(library_db, "how many people live in idlib", "how old is the pope")
    assert "couldn't find" in pope.split("\n")[0]


def test_a_question_quoting_words_is_answered_as_if_asked_first(bbc_dir: Path):
    # The quoted words are common ones, but they are the question's topic: "going" in the
    # Rooney report ("always going to be a potential flashpoint") does not make it a follow-up.
    names = ["sport/095.txt", "sport/240.txt", "politics/118.txt"]
    matcher = Matcher([parse_report((bbc_dir / n).read_bytes(), source=n) for n in names])
    conversation = Conversation(matcher)
    question = 'who said "we are not going to give up"'
    conversation.ask("chat", "rooney")
    assert conversation.ask("chat", question) == matcher.search(question)


def test_a_question_on_someone_no_report_names_is_not_found_after_another(library_db: Path):
    # Only the words it would borrow from the flood question are in the flood report.
    _, who = chat(
        library_db, "how many homes were flooded in kellmouth", "what did priya nandakumar say"
    )
    assert "couldn't find" in who.split("\n")[0]


def test_the_same_words_asked_first_are_not_read_as_a_follow_up(library_db: Path):
    (alone,) = chat(library_db, FOLLOW_UP)
    assert CUP_TITLE not in alone


def reportbot(*args: str, stdin: str) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", *args],
        input=stdin,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_json_lines_stay_independent_unless_asked_for_a_conversation(sample_library: Path):
    lines = f"{CUP_QUESTION}\n{FOLLOW_UP}\n"
    alone = reportbot("ask", "--db", str(sample_library), "--json", "-", stdin=lines)
    along = reportbot(
        "ask", "--db", str(sample_library), "--json", "--conversation", "-", stdin=lines
    )
    assert [r["question"] for r in alone] == [r["question"] for r in along]
    assert alone[0] == along[0]
    assert all(r["source"] != CUP for r in alone[1]["results"])
    assert along[1]["results"][0]["source"] == CUP


def test_the_context_lasts_a_few_minutes(sample_library: Path):
    now = [0.0]
    conversation = Conversation(Matcher(ReportStore(sample_library)), clock=lambda: now[0])
    conversation.ask("chat", CUP_QUESTION)
    assert conversation.ask("chat", FOLLOW_UP)[0].source == CUP
    now[0] += KEEP + 1
    assert all(r.source != CUP for r in conversation.ask("chat", FOLLOW_UP))


def test_in_a_group_each_asker_has_a_conversation_of_their_own(standin, bot):
    group = group_chat(-500, "Readers")

    def ask_in_group(who: dict, text: str) -> str:
        return ask(standin, f"/ask {text}", who=who, chat=group).text

    assert CUP_TITLE in ask_in_group(ALICE, CUP_QUESTION)
    assert "Kellmouth" in ask_in_group(BOB, "how many homes were flooded in kellmouth")
    assert CUP_TITLE in ask_in_group(ALICE, FOLLOW_UP)
    assert "flood barrier" in ask_in_group(BOB, "and what did the council leader say?")


@pytest.mark.parametrize(
    ("question", "follows"),
    [
        ("and when do they play next?", True),
        ("what else did he say?", True),
        ("why?", True),
        ("how many?", True),
        ("why that school", True),
        ("what about the police?", True),
        ("what happened there", True),
        ("how many libraries are there", False),
        ("is there anything on the flood", False),
        ("who won the cup", False),
        ("who said that the euro would fall against the dollar this year", False),
        ("Who said “They wanted it more in the…”?", False),
    ],
)
def test_a_follow_up_is_told_by_its_wording(question: str, follows: bool):
    assert is_follow_up(question) is follows


def test_inline_follows_up_the_private_chat_and_more_pages_the_follow_up(standin, bot):
    ask(standin, CUP_QUESTION)

    mark = len(standin.calls)
    standin.inline_query(FOLLOW_UP, user=ALICE)
    offered = standin.wait_for(lambda c: c.method == "answerInlineQuery", after=mark)
    assert offered.params["results"][0]["title"] == CUP_TITLE

    reply = ask(standin, FOLLOW_UP)
    more = next(b for b in reply.buttons if b["text"] == "More")
    mark = len(standin.calls)
    standin.click(reply.result, more["callback_data"], user=ALICE)
    edit = standin.wait_for(lambda c: c.method == "editMessageText" and c.ok, after=mark)
    assert CUP_TITLE in edit.text  # the next results of the follow-up, from the same report


def test_more_on_an_earlier_follow_up_pages_it_as_it_was_read(standin, bot):
    ask(standin, CUP_QUESTION)
    reply = ask(standin, FOLLOW_UP)
    assert "Kellmouth" in ask(standin, "how many homes were flooded in kellmouth").text

    # "More" under the follow-up, pressed after another question: still the cup report's
    # sentences, not the follow-up's words read against the flood report asked about since.
    more = next(b for b in reply.buttons if b["text"] == "More")
    mark = len(standin.calls)
    standin.click(reply.result, more["callback_data"], user=ALICE)
    edit = standin.wait_for(lambda c: c.method == "editMessageText" and c.ok, after=mark)
    assert CUP_TITLE in edit.text
    assert "Kellmouth" not in edit.text


FERRY = """Island ferry firm cuts its winter sailings

The operator of the Skerray ferry will run two crossings a day instead of six from November, \
blaming falling passenger numbers and the price of fuel.

"We cannot keep sailing empty boats across the sound all winter," said Marta Lindqvist, the \
firm's chief executive.

Islanders say the cut will leave them stranded. Ms Lindqvist said the firm had looked at every \
other option. "Fuel has doubled in price in two years and the boats are older than most of our \
crew," she said.

The harbour master, Callum Reid, said the pier would stay open for private boats. "Nobody will \
be cut off in an emergency," he said.

Ms Lindqvist promised the timetable would be looked at again in the spring. "If the numbers come \
back, the sailings come back," she said. "We want to run more boats, not fewer."

She added that season tickets bought before October would be refunded in full. "Nobody should \
pay for crossings we no longer run," Ms Lindqvist said."""
HER_QUOTES = (
    "We cannot keep sailing empty boats",
    "Fuel has doubled in price",
    "If the numbers come back",
    "Nobody should pay for crossings",
)


def test_what_else_she_said_pages_her_other_quotes_in_a_private_chat(standin, bot):
    assert ask(standin, "/add " + FERRY, who=ADMIN).text.startswith("Stored:")

    def hers(reply: str) -> set[str]:
        return {quote for quote in HER_QUOTES if quote in reply}

    first = ask(standin, "what did marta lindqvist say", who=ADMIN).text
    more = ask(standin, "what else did she say", who=ADMIN).text
    # Each of her quotes is shown once, in one reply or the other, and never the harbour
    # master's words: "she" is the person the first reply was about.
    assert hers(first) and hers(more)
    assert not hers(first) & hers(more)
    assert hers(first) | hers(more) == set(HER_QUOTES)
    assert "Nobody will be cut off" not in more


def test_what_else_she_said_is_hers_or_nothing(sample_library: Path):
    conversation = Conversation(Matcher(ReportStore(sample_library)))
    first = conversation.ask("chat", "what did the manager say", k=4)  # as the bot asks
    assert first[0].speaker == "Sue Whitlock"
    shown = {r.text for r in first}
    more = conversation.ask("chat", "what else did she say", k=4)
    assert all("Whitlock" in f"{r.speaker} {r.text}" and r.text not in shown for r in more), more


def test_what_else_a_person_said_is_never_a_namesakes_words(bbc_dir: Path):
    # Graham Henry is quoted once; the report on Thierry Henry's free kick quotes the referee
    # Graham Poll, and its sentences name both a Graham and a Henry.
    names = ["sport/382.txt", "sport/248.txt", "sport/227.txt"]
    matcher = Matcher([parse_report((bbc_dir / n).read_bytes(), source=n) for n in names])
    conversation = Conversation(matcher)
    first = conversation.ask("chat", "what did graham henry say", k=4)
    assert first[0].speaker == "Graham Henry"
    more = conversation.ask("chat", "what else did he say", k=4)
    assert all(r.speaker == "Graham Henry" for r in more), more


def test_what_else_after_all_was_shown_says_so_not_that_the_library_lacks_it(library_db: Path):
    # The first reply shows every passage the seed gives Walid al-Moualem's words in.
    first, more = chat(library_db, "what did walid al-moualem say", "what else did he say")
    assert "Walid al-Moualem" in first
    assert more == "bot> That was everything I found."


def test_what_else_asked_again_still_means_the_same_person(library_db: Path):
    # The second "what else" has nothing to add either; asked as if first, "he" named no one,
    # and the reply was someone else's words.
    _, more, again = chat(
        library_db, "what did walid al-moualem say", "what else did he say", "what else did he say"
    )
    assert more == again == "bot> That was everything I found."
