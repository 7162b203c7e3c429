"""/subscribe [keywords] (group admins only, checked with getChatMember), /unsubscribe,
/subscriptions, and forgetting a group's subscription when the bot is removed from it."""

from __future__ import annotations

import asyncio
import html
import logging

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ChatMemberHandler, CommandHandler, ContextTypes

from bot.formatting import shorten
from bot.services import services

_log = logging.getLogger(__name__)
GONE = (ChatMember.LEFT, ChatMember.BANNED)
SHOWN = 10  # keywords named when confirming; a long list is summed up


def parse_keywords(args: list[str]) -> list[str]:
    """Keywords separated by commas ("oil price, climate") or, without commas, by spaces."""
    text = " ".join(args)
    parts = text.split(",") if "," in text else text.split()
    return [" ".join(part.split()) for part in parts if part.strip()]


def describe(keywords: tuple[str, ...] | list[str]) -> str:
    if not keywords:
        return "every new report"
    shown = [f"<i>{html.escape(shorten(k, limit=100))}</i>" for k in keywords[:SHOWN]]
    more = f" and {len(keywords) - SHOWN} more" if len(keywords) > SHOWN else ""
    return "new reports about " + ", ".join(shown) + more


async def may_manage(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """In a private chat, the user; in a group, only the group's admins (asked of Telegram)."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat.type == ChatType.PRIVATE:
        return True
    if message.sender_chat and message.sender_chat.id == chat.id:  # an anonymous group admin
        return True
    if user is not None:
        try:
            member = await context.bot.get_chat_member(chat.id, user.id)
        except TelegramError as exc:  # after the rate limiter's retries
            _log.warning("cannot check %s in chat %s: %s", user.id, chat.id, exc)
            await message.reply_text(
                "I could not check with Telegram that you are an admin here. Try again soon?"
            )
            return False
        if member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER):
            return True
    await message.reply_text("Only this group's admins can change its notices.")
    return False


async def subscribe_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await may_manage(update, context):
        return
    keywords = parse_keywords(context.args or [])
    chat_id = update.effective_chat.id
    await asyncio.to_thread(services(context).library.subscribe, chat_id, keywords)
    _log.info("%s subscribed chat %s to %s", _who(update), chat_id, keywords)
    await update.effective_message.reply_text(f"Subscribed: I'll post {describe(keywords)} here.")


async def unsubscribe_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await may_manage(update, context):
        return
    chat_id = update.effective_chat.id
    removed = await asyncio.to_thread(services(context).library.unsubscribe, chat_id)
    _log.info("%s unsubscribed chat %s", _who(update), chat_id)
    await update.effective_message.reply_text(
        "Unsubscribed: no more notices here." if removed else "This chat had no subscription."
    )


async def show_subscriptions(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    subscription = services(context).library.store.subscription(update.effective_chat.id)
    await update.effective_message.reply_text(
        "This chat follows no reports. /subscribe [keywords] to follow them."
        if subscription is None
        else f"This chat follows {describe(subscription.keywords)}."
    )


async def track_membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot was removed from (or blocked in) a chat: forget its subscription."""
    change = update.my_chat_member
    if change.new_chat_member.status not in GONE:
        return
    if await asyncio.to_thread(services(context).library.unsubscribe, change.chat.id):
        _log.info("removed from chat %s: its subscription is gone", change.chat.id)


def _who(update: Update) -> int | None:
    """The id of the user (or, for an anonymous admin, the chat) that sent the command."""
    sender = update.effective_sender
    return sender.id if sender else None


def register(app: Application) -> None:
    app.add_handler(CommandHandler("subscribe", subscribe_chat))
    app.add_handler(CommandHandler("unsubscribe", unsubscribe_chat))
    app.add_handler(CommandHandler("subscriptions", show_subscriptions))
    app.add_handler(ChatMemberHandler(track_membership, ChatMemberHandler.MY_CHAT_MEMBER))
