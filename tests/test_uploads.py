"""Uploads never overwrite each other: two admins sending `notes.txt`, or two files without a
name, are two reports; the same file sent twice is still one."""

from __future__ import annotations

from pathlib import Path

from conftest import BOT_TOKEN

from bot.app import build_application
from bot.config import Config
from bot.runner import BackgroundBot
from bot.standin import BotApiStandIn, user
from store.library.store import ReportStore

ADMINS = (user(1, "Ann"), user(2, "Bob"))
ANN_NOTES = "Ferry timetable changes\n\nThe ferry leaves at nine from Monday."
BOB_NOTES = "Library roof mended\n\nThe library roof was mended over the weekend."


def send(standin: BotApiStandIn, text: str, name: str, who: dict) -> str:
    mark = len(standin.calls)
    standin.send_document(text.encode(), name, user=who)
    return standin.wait_for_reply(who["id"], after=mark).text


def titles(db: Path) -> list[str]:
    with ReportStore(db) as store:
        return sorted(a.title for a in store)


def test_two_admins_files_of_one_name_are_two_reports(start_bot, standin, library_db) -> None:
    start_bot(admin_ids=(1, 2))
    before = titles(library_db)
    assert send(standin, ANN_NOTES, "notes.txt", ADMINS[0]).startswith("Stored: Ferry timetable")
    assert send(standin, BOB_NOTES, "notes.txt", ADMINS[1]).startswith("Stored: Library roof")
    assert titles(library_db) == sorted([*before, "Ferry timetable changes", "Library roof mended"])


def test_files_without_a_name_are_two_reports(start_bot, standin, library_db) -> None:
    start_bot()
    for text in (ANN_NOTES, BOB_NOTES):
        file_id = standin.add_file(text.encode(), "documents/unnamed")
        message = standin.text_message("", user=ADMINS[0])
        del message["text"]
        message["document"] = {"file_id": file_id, "file_unique_id": f"u{file_id}"}
        mark = len(standin.calls)
        standin.push_update({"message": message})
        assert standin.wait_for_reply(ADMINS[0]["id"], after=mark).text.startswith("Stored:")
    assert {"Ferry timetable changes", "Library roof mended"} <= set(titles(library_db))


def test_the_same_file_sent_twice_is_one_report(start_bot, standin, library_db) -> None:
    start_bot()
    before = titles(library_db)
    assert send(standin, ANN_NOTES, "notes.txt", ADMINS[0]).startswith("Stored:")
    assert send(standin, ANN_NOTES, "notes.txt", ADMINS[0]).startswith("Already in the library")
    assert titles(library_db) == sorted([*before, "Ferry timetable changes"])


class SilentSizes(BotApiStandIn):
    """getFile without file_size, as Telegram may answer."""

    def _get_file(self, params: dict) -> dict:
        answer = super()._get_file(params)
        del answer["file_size"]
        return answer


def test_a_file_too_large_is_refused_when_nothing_says_its_size(library_db: Path) -> None:

    with SilentSizes(token=BOT_TOKEN) as standin:
        config = Config(
            token=BOT_TOKEN,
            admin_ids=frozenset({1}),
            db_path=library_db,
            api_base_url=standin.base_url,
        )
        before = titles(library_db)
        with BackgroundBot(build_application(config)):
            big = ANN_NOTES + "\n\n" + "The ferry is late again. " * 120_000  # ~3 MB
            file_id = standin.add_file(big.encode(), "documents/notes.txt")
            message = standin.text_message("", user=ADMINS[0])
            del message["text"]
            message["document"] = {"file_id": file_id, "file_unique_id": "u1", "file_name": "n.txt"}
            mark = len(standin.calls)
            standin.push_update({"message": message})
            reply = standin.wait_for_reply(ADMINS[0]["id"], after=mark).text
        assert reply == "Not stored: the file is larger than the 2 MiB limit."
        assert titles(library_db) == before
