"""Every command the bot answers is in /help, in its Telegram command menu and in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from telegram.ext import CommandHandler

from bot.app import build_application
from bot.commands import help_text
from bot.config import Config

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture(scope="module")
def registered() -> set[str]:
    app = build_application(Config(token="123:not-a-real-token"))
    return {
        command
        for handlers in app.handlers.values()
        for handler in handlers
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }


def test_the_bot_answers_the_commands_we_expect(registered):
    assert {"start", "help", "ask", "add", "subscribe"} <= registered


def test_every_command_is_in_help(registered):
    assert registered == set(re.findall(r"^/(\w+) —", help_text(), re.MULTILINE))


def test_every_command_is_in_the_bots_command_list(registered, standin, bot):
    assert {c["command"] for c in standin.commands} == registered


def test_every_command_is_in_the_readme(registered):
    section = README.read_text().partition("## Commands")[2].partition("\n## ")[0]
    assert registered == set(re.findall(r"`/(\w+)", section))
