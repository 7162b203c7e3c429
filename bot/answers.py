"""A question in, one page of the reply out: the HTML and its keyboard."""

from __future__ import annotations

import re
from collections.abc import Hashable

from telegram import InlineKeyboardMarkup, Message

from bot.formatting import answer_html, not_found_html
from bot.keyboards import PAGE, answer_keyboard
from store.search.conversation import Conversation

# Longer text is no question but a pasted report, and costs the engine time for every word.
MAX_QUESTION = 500
TOO_LONG = f"That question is too long: please ask in at most {MAX_QUESTION} characters."
EXAMPLE = "who won the cup?"
NO_WORDS = f"Please ask in words, for example: {EXAMPLE}"
GREETING = (
    f"Hello! Ask me anything about the reports in my library, for example: {EXAMPLE} "
    "/start shows questions I can answer."
)
EVERYTHING = "That was everything I found."
WELCOME = "You're welcome! Ask me anything else about the reports."
# Whole messages that greet or thank rather than ask: the library has no answer to them.
_GREETINGS = "hi|hello|hey|hiya|howdy|hi there|hello there|hey there|good morning|good evening"
_THANKS = "thanks|thank you|thanks a lot|thank you very much|many thanks|thx|ty|cheers|ok thanks"
_SMALL_TALK = {
    **dict.fromkeys(_GREETINGS.split("|"), GREETING),
    **dict.fromkeys(_THANKS.split("|"), WELCOME),
}


def has_words(question: str) -> bool:
    """Whether `question` has a letter or digit to search by ("?" and "😀" have none)."""
    return any(ch.isalnum() for ch in question)


def small_talk(question: str) -> str | None:
    """The reply to a greeting or thanks ("hi!", "Thank you 😊"), or None for a question."""
    return _SMALL_TALK.get(" ".join(re.findall(r"[^\W\d_]+", question.casefold())))


def question_in(text: str, *, bot_username: str) -> str:
    """The question in a message: without a leading /ask command or mentions of the bot."""
    text = re.sub(r"^/ask(@\w+)?\b", "", text.strip(), flags=re.IGNORECASE)
    if bot_username:
        text = re.sub(rf"@{re.escape(bot_username)}\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def asker(message: Message) -> Hashable:
    """Whose conversation a question in `message` continues: a private chat's, or in a group
    the asker's own within it, as people there ask about different things at once."""
    if message.chat.type == "private" or message.from_user is None:
        return message.chat.id
    return (message.chat.id, message.from_user.id)


def answer_page(
    conversation: Conversation, chat: Hashable, question: str, *, offset: int = 0
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Results `offset` to `offset + PAGE` in `chat`'s conversation, with "More" when there are
    further ones. The first page makes the question the chat's context; "More" asks it again,
    which reads it as it was read then."""
    results = conversation.ask(chat, question, k=offset + PAGE + 1, remember=not offset, shown=PAGE)
    page = results[offset : offset + PAGE]
    if not page:
        if offset or conversation.had_shown_all(chat, question):
            return EVERYTHING, None
        return not_found_html(conversation.closest_titles(chat, question)), None
    more = offset + PAGE if len(results) > offset + PAGE else None
    return answer_html(page), answer_keyboard(page[0].source, more)
