"""The bot's settings, read once from the environment and `.env` into a small dataclass."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

from store.library.opening import Location, parse_location

DB_VARIABLE = "REPORTBOT_DB"
DEFAULT_DB = Path("reportbot.json")
INDEX_VARIABLE = "REPORTBOT_INDEX"
DEFAULT_INDEX = Path("reportbot.index")  # a PostgreSQL store's, when REPORTBOT_INDEX is unset
# "<bot id>:<secret>", as @BotFather hands it out
_TOKEN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{30,}")
# what Telegram accepts as a webhook's secret_token
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the key, never the token."""


@dataclass(frozen=True)
class Config:
    token: str = field(repr=False)
    admin_ids: frozenset[int] = frozenset()
    db_path: Location = DEFAULT_DB  # a TinyDB file, or a postgresql:// URL
    api_base_url: str | None = None
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    # Shared by every worker behind one webhook URL; None: `reportbot run` makes one up, which
    # serves a single worker only.
    webhook_secret: str | None = field(default=None, repr=False)
    log_level: str = "INFO"
    index_setting: str | None = None  # REPORTBOT_INDEX

    @property
    def index_path(self) -> Path:
        return index_location(self.db_path, self.index_setting)

    @property
    def api_file_url(self) -> str | None:
        """Where files are downloaded, beside `api_base_url` as a Bot API server lays them out
        (`.../bot` -> `.../file/bot`)."""
        if not self.api_base_url:
            return None
        head, found, tail = self.api_base_url.rpartition("/bot")
        return f"{head}/file/bot{tail}" if found else self.api_base_url


def read_settings(
    environ: Mapping[str, str] | None = None, *, dotenv: Path | None = None
) -> dict[str, str]:
    """Settings from `environ` (default: the process environment) over those in `.env`, with
    blank values left out. Every command reads them once, so that all see the same store."""
    dotenv = dotenv or Path(".env")
    try:
        from_file = dotenv_values(dotenv)
    except UnicodeDecodeError:
        raise ConfigError(f"{dotenv} is not UTF-8 text: save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {dotenv}: {exc.strerror}") from None
    values = {**from_file, **(os.environ if environ is None else environ)}
    return {k: v.strip() for k, v in values.items() if v is not None and v.strip()}


def store_path(settings: Mapping[str, str]) -> Location:
    """The store the settings name: a file, or a postgresql:// URL."""
    return parse_location(settings.get(DB_VARIABLE, str(DEFAULT_DB)))


def index_location(store: Location, setting: str | None) -> Path:
    """Where the engine's index of `store` lives: beside a store file (`reportbot.json` ->
    `reportbot.index/`); for a PostgreSQL store, the directory REPORTBOT_INDEX names, else
    ./reportbot.index. Every process of one host that opens the store shares it."""
    if not isinstance(store, Path):
        return Path(setting) if setting else DEFAULT_INDEX
    return store.with_suffix(".index")


def load_config(settings: Mapping[str, str]) -> Config:
    """The bot's settings, checked, from what `read_settings` gave."""
    token = settings.get("TELEGRAM_BOT_TOKEN", "")
    if not token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set: get one from @BotFather")
    if not _TOKEN.fullmatch(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN is malformed: expected <digits>:<secret>")
    return Config(
        token=token,
        admin_ids=parse_admin_ids(settings.get("ADMIN_IDS", "")),
        db_path=store_path(settings),
        api_base_url=_http_url(settings, "TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot"),
        webhook_url=_http_url(settings, "WEBHOOK_URL", "https://bot.example.org/telegram"),
        webhook_listen=settings.get("WEBHOOK_LISTEN", "127.0.0.1"),
        webhook_port=_port(settings, "WEBHOOK_PORT", 8443),
        webhook_secret=_webhook_secret(settings.get("WEBHOOK_SECRET")),
        log_level=_log_level(settings.get("LOG_LEVEL", "INFO")),
        index_setting=settings.get(INDEX_VARIABLE),
    )


def parse_admin_ids(text: str) -> frozenset[int]:
    try:
        return frozenset(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        raise ConfigError("ADMIN_IDS must be comma-separated Telegram user ids") from None


def _integer(settings: Mapping[str, str], key: str, default: int) -> int:
    try:
        return int(settings.get(key, default))
    except ValueError:
        raise ConfigError(f"{key} must be a whole number") from None


def _port(settings: Mapping[str, str], key: str, default: int) -> int:
    port = _integer(settings, key, default)
    if not 1 <= port <= 65535:
        raise ConfigError(f"{key} must be a port number from 1 to 65535, not {port}")
    return port


def _http_url(settings: Mapping[str, str], key: str, example: str) -> str | None:
    """The setting, which must be an http:// or https:// URL with a host (checked here: a
    malformed one would only show as a network error at every try)."""
    url = settings.get(key)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port out of range or not a number)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{key} must be an http:// or https:// URL, such as {example}")
    return url


def _webhook_secret(secret: str | None) -> str | None:
    if secret is not None and not _WEBHOOK_SECRET.fullmatch(secret):
        raise ConfigError("WEBHOOK_SECRET must be 1-256 of A-Z, a-z, 0-9, _ and -")
    return secret


def _log_level(name: str) -> str:
    if not isinstance(logging.getLevelName(name.upper()), int):
        raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {name!r}")
    return name.upper()
