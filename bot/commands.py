"""Every command the bot answers, with the one-line description /help and Telegram's menu show."""

from __future__ import annotations

from telegram import BotCommand

COMMANDS: tuple[BotCommand, ...] = (
    BotCommand("start", "a welcome, with example questions"),
    BotCommand("help", "the commands"),
    BotCommand("ask", "ask a question (in groups): /ask QUESTION"),
    BotCommand("quotes", "quotes by a person: /quotes NAME"),
    BotCommand("latest", "the newest reports"),
    BotCommand("library", "how many reports, by category"),
    BotCommand("subscribe", "group admins: notices of new reports, /subscribe [keywords]"),
    BotCommand("unsubscribe", "group admins: stop the notices"),
    BotCommand("subscriptions", "what this chat follows"),
    BotCommand("add", "admins: add a report, /add TEXT (or send a file)"),
    BotCommand("remove", "admins: remove a report, /remove SOURCE"),
    BotCommand("stats", "admins: articles, quotes, subscribed chats, questions today"),
    BotCommand("admin", "admins: /admin add ID, /admin remove ID, /admin list"),
)


def help_text() -> str:
    lines = [f"/{c.command} — {c.description}" for c in COMMANDS]
    return "\n".join(
        [
            "Ask me anything about the reports in the library: in a private chat just write",
            "the question; in a group use /ask, mention me, or reply to me.",
            "",
            *lines,
            "",
            "Inline: type @ and my name, then a question, in any chat.",
        ]
    )
