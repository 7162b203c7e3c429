"""Questions: any text in a private chat; in groups /ask, a mention of the bot, or a reply to it."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.answers import (
    EXAMPLE,
    MAX_QUESTION,
    NO_WORDS,
    TOO_LONG,
    answer_page,
    asker,
    has_words,
    question_in,
    small_talk,
)
from bot.replies import reply_html
from bot.services import services


def is_addressed(message: Message, *, bot_username: str, bot_id: int) -> bool:
    """In a group, is this message meant for the bot (a mention of it, or a reply to it)?"""
    mention = f"@{bot_username}".lower()
    if any(
        entity.type == "mention" and message.parse_entity(entity).lower() == mention
        for entity in message.entities
    ):
        return True
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == bot_id)


async def answer(message: Message, context: ContextTypes.DEFAULT_TYPE) -> None:
    if message.via_bot and message.via_bot.id == context.bot.id:
        return  # one of our inline answers, sent by its user: no question
    state = services(context)
    question = question_in(message.text or "", bot_username=context.bot.username)
    if not question:
        await message.reply_text(f"Usage: /ask QUESTION (for example /ask {EXAMPLE})")
        return
    if not await state.flood.lets(message):
        return
    if len(question) > MAX_QUESTION:
        await message.reply_text(TOO_LONG)
        return
    if not has_words(question):
        await message.reply_text(NO_WORDS)
        return
    if chatter := small_talk(question):
        await message.reply_text(chatter)
        return
    text, keyboard = answer_page(state.conversation, asker(message), question)
    await reply_html(message, text, keyboard=keyboard)
    state.count_answer()


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer(update.effective_message, context)


async def answer_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if is_addressed(message, bot_username=context.bot.username, bot_id=context.bot.id):
        await answer(message, context)


def register(app: Application) -> None:
    text = filters.TEXT & ~filters.COMMAND & ~filters.FORWARDED
    app.add_handler(CommandHandler("ask", answer_question))
    app.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, answer_question))
    app.add_handler(MessageHandler(text & filters.ChatType.GROUPS, answer_group))
