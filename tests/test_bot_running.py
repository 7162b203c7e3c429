"""`reportbot run` as an operator meets it: the start-up line, a quiet idle log, and one line
(no traceback) when Telegram can't be reached or refuses the token."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BOT_TOKEN, eventually
from telegram.error import NetworkError

from bot.cli import main
from bot.logs import configure_logging

OTHER_TOKEN = "987654321:AAH-another-looking-secret-abcdefghijk"


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """configure_logging sets the process's logging up: put it back as it was."""
    loggers = [logging.getLogger(name) for name in ("", "httpx", "apscheduler")]
    saved = [(logger.level, list(logger.handlers)) for logger in loggers]
    yield
    for logger, (level, handlers) in zip(loggers, saved, strict=True):
        logger.setLevel(level)
        logger.handlers[:] = handlers


def test_start_up_names_the_bot_the_store_and_its_size(
    start_bot, library_db: Path, capsys, restored_logging
):
    configure_logging("INFO")
    start_bot()
    err = capsys.readouterr().err
    assert f"started as @reportbot, answering from {library_db} (5 reports)" in err
    # the job queue's scheduler logs every run of every job at INFO: not at INFO here
    assert not logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
    configure_logging("DEBUG")
    assert logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.DEBUG)


def test_a_refused_token_is_one_line_and_exit_status_2(
    standin, tmp_path: Path, monkeypatch, capsys, restored_logging
):
    assert standin.token == BOT_TOKEN
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", OTHER_TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", standin.base_url)
    assert main(["run", "--db", str(tmp_path / "library.json")]) == 2
    err = capsys.readouterr().err
    assert err.endswith("\n") and err.splitlines()[-1].startswith(
        "reportbot: error: Telegram refused TELEGRAM_BOT_TOKEN (Unauthorized from "
    )
    assert "Traceback" not in err and OTHER_TOKEN not in err


def test_unreachable_telegram_is_one_line_a_try_then_a_retry(tmp_path: Path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ | {
        "TELEGRAM_BOT_TOKEN": OTHER_TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot",
        "REPORTBOT_DB": str(tmp_path / "library.json"),
    }
    log = tmp_path / "stderr.txt"
    with log.open("w") as stderr:
        bot = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"], env=env, cwd=tmp_path, stderr=stderr
        )
        try:
            eventually(
                lambda: log.read_text().count("cannot reach Telegram") >= 2,
                what="two tries to reach Telegram",
                timeout=60,
                alive=lambda: bot.poll() is None,
                log=log.read_text,
            )
        finally:
            bot.terminate()
            bot.wait(10)
    lines = log.read_text().splitlines()[:2]
    assert [line.split(" WARNING ")[1] for line in lines] == [
        f"bot.cli.telegram: cannot reach Telegram at 127.0.0.1:{port} "
        f"(aiohttp.ClientConnectorError: Cannot connect to host 127.0.0.1:{port} ssl:default "
        f"[Connect call failed ('127.0.0.1', {port})]); trying again in {wait} s"
        for wait in (1, 2)
    ]
    assert not (tmp_path / "library.json").exists()


def test_a_network_error_is_logged_in_one_line(capsys, restored_logging):
    configure_logging("INFO")
    log = logging.getLogger("telegram.ext.Updater")
    for error in (NetworkError("httpx.ConnectError: All connection attempts failed"), None):
        try:
            raise error or ValueError("a bug")
        except (NetworkError, ValueError):
            log.exception("Exception happened while polling for updates.")
    err = capsys.readouterr().err
    bug = err.split(" ERROR ")[2]
    assert err.splitlines()[0].endswith(
        " ERROR telegram.ext.Updater: Exception happened while polling for updates. "
        "(httpx.ConnectError: All connection attempts failed)"
    )
    assert "Traceback" in bug and "ValueError: a bug" in bug
