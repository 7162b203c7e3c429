"""Settings from the environment and .env; a bad token is a one-line error and exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, load_config, read_settings

TOKEN = "123456789:AAH-real-looking-secret-abcdefghijklmno"


def test_settings_come_from_the_environment_over_dotenv(tmp_path: Path):
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nADMIN_IDS=1, 2\nLOG_LEVEL=debug\n")
    config = load_config(
        read_settings({"ADMIN_IDS": "3", "REPORTBOT_DB": "lib.json"}, dotenv=dotenv)
    )
    assert config.token == TOKEN
    assert config.admin_ids == {3}
    assert config.db_path == Path("lib.json")
    assert config.log_level == "DEBUG"
    assert config.webhook_url is None
    assert TOKEN not in repr(config)
    url = "postgresql://bot@db.internal:5432/reports"
    assert load_config({"TELEGRAM_BOT_TOKEN": TOKEN, "REPORTBOT_DB": url}).db_path == url


def test_a_self_hosted_api_url_gets_its_file_url():
    config = load_config(
        {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot"}
    )
    assert config.api_file_url == "http://127.0.0.1:8081/file/bot"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({}, "TELEGRAM_BOT_TOKEN is not set"),
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN is malformed"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "ADMIN_IDS": "alice"}, "ADMIN_IDS must be"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_PORT": "eighty"}, "WEBHOOK_PORT must be"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be"),
    ],
)
def test_bad_settings_are_config_errors(settings, message):
    with pytest.raises(ConfigError, match=message):
        load_config(settings)


@pytest.mark.parametrize("token", ["", "12345:short-secret", "abc:" + "x" * 40])
def test_run_with_a_missing_or_malformed_token_exits_2_with_one_line(
    token, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    assert main(["run"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("reportbot: error: TELEGRAM_BOT_TOKEN is ")
    assert not token or token not in err


def test_the_token_is_redacted_from_log_lines_and_tracebacks(capsys):
    import logging

    from bot.logs import configure_logging

    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    try:
        configure_logging("DEBUG", secrets=[TOKEN])
        log = logging.getLogger("telegram.Bot")
        log.debug("Set Bot API URL: https://api.telegram.org/bot%s", TOKEN)
        try:
            raise RuntimeError(f"failed: https://api.telegram.org/bot{TOKEN}/getMe")
        except RuntimeError:
            log.exception("request failed")
    finally:
        root.handlers[:] = saved[1]
        root.setLevel(saved[0])
    err = capsys.readouterr().err
    assert "Set Bot API URL: https://api.telegram.org/bot[redacted]" in err
    assert "RuntimeError: failed" in err
    assert TOKEN not in err
    assert logging.getLogger("httpx").level == logging.WARNING


def test_the_webhook_secret_is_shared_from_the_settings_and_checked():
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_SECRET": "same-for-every_worker"}
    config = load_config(env)
    assert config.webhook_secret == "same-for-every_worker"
    assert "same-for-every_worker" not in repr(config)
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET must be"):
        load_config({**env, "WEBHOOK_SECRET": "has spaces"})


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("WEBHOOK_PORT", "99999", "WEBHOOK_PORT must be a port number from 1 to 65535, not 99999"),
        ("WEBHOOK_PORT", "0", "WEBHOOK_PORT must be a port number from 1 to 65535, not 0"),
        ("TELEGRAM_API_BASE_URL", "127.0.0.1:8081/bot", "TELEGRAM_API_BASE_URL must be an http"),
        ("TELEGRAM_API_BASE_URL", "http://[::1/bot", "TELEGRAM_API_BASE_URL must be an http"),
        ("TELEGRAM_API_BASE_URL", "ftp://x/bot", "TELEGRAM_API_BASE_URL must be an http"),
        ("WEBHOOK_URL", "bot.example.org/telegram", "WEBHOOK_URL must be an http"),
    ],
)
def test_run_refuses_a_setting_that_could_never_work_in_one_line(key, value, message, tmp_path):
    # before: a port past 65535 was listened on modulo 65536, a port 0 on any port, and a URL
    # without a scheme or host was retried for ever as if Telegram were down (a bad IPv6 one:
    # a traceback)
    env = os.environ | {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",  # nobody listens: never reached
        "WEBHOOK_URL": "https://bot.example.org/telegram",
        key: value,
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "run"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"still running after 30 s: {exc.stderr!r}")
    assert (done.returncode, done.stdout) == (2, "")
    err = done.stderr
    assert err.count("\n") == 1 and err.startswith(f"reportbot: error: {message}"), err


@pytest.mark.parametrize(
    "content", [b"REPORTBOT_DB=caf\xe9.json\n", "REPORTBOT_DB=x.json\n".encode("utf-16")]
)
def test_a_dotenv_that_is_not_utf8_is_one_line(content, tmp_path, monkeypatch, capsys):
    # before: a UnicodeDecodeError traceback from every command
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_bytes(content)
    assert main(["list"]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", "reportbot: error: .env is not UTF-8 text: save it as UTF-8\n")
