"""The Bot API methods the bot calls, over what Telegram would hold: the updates not yet
confirmed, the messages of each chat, the files, the members and the command list."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from typing import Any

from bot.standin.calls import CallLog, chat_id_of
from bot.standin.people import BOT_USER, chat_of, member, user
from bot.standin.rules import (
    GROUP_LIMIT,
    GROUP_WINDOW,
    MAX_CAPTION,
    MAX_INLINE_RESULTS,
    ApiError,
    check_group_flood,
    check_markup,
    checked_text,
)

# (HTTP status, JSON body); a body of None: drop the connection without answering
Answer = tuple[int, dict[str, Any] | None]
DROP: Answer = (0, None)
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
ALWAYS_TRUE = (
    "answerCallbackQuery deleteWebhook setWebhook deleteMyCommands sendChatAction leaveChat "
    "close logOut"
)


class BotApi(CallLog):
    """The methods, thread-safe; `handle` answers one request, and is the place to extend."""

    def __init__(self) -> None:
        super().__init__()
        self.running = True  # False: long polls return at once
        self._updates: list[dict[str, Any]] = []
        self._polls = 0  # getUpdates requests so far
        self._update_ids = itertools.count(1)
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._message_ids: dict[int, Iterator[int]] = {}
        self._files: dict[str, tuple[str, bytes]] = {}  # file_id: (path, content)
        self._file_ids = itertools.count(1)
        self._members: dict[tuple[int, int], str] = {}
        self._commands: list[dict[str, Any]] = []
        # Telegram's limit on messages to one group (a test may shorten the minute)
        self.group_limit, self.group_window = GROUP_LIMIT, GROUP_WINDOW
        self._group_sends: dict[int, list[float]] = {}  # group chat id: when sent, oldest first
        self._methods: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getMe": lambda params: (
                BOT_USER
                | {
                    "can_join_groups": True,
                    "can_read_all_group_messages": False,
                    "supports_inline_queries": True,
                }
            ),
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "sendDocument": self._send_document,
            "getChatMember": self._get_chat_member,
            "getFile": self._get_file,
            "answerInlineQuery": self._answer_inline_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": lambda params: self.commands,
            "getWebhookInfo": lambda params: {
                "url": "",
                "has_custom_certificate": False,
                "pending_update_count": 0,
            },
        } | dict.fromkeys(ALWAYS_TRUE.split(), lambda params: True)

    def handle(self, method: str, params: dict[str, Any]) -> Answer:
        """Answer one request, recording it (getUpdates aside). Override to intercept."""
        function = self._methods.get(method)
        try:
            if function is None:
                raise ApiError(404, "Not Found: method not found")
            result = function(params)
        except ApiError as error:
            self.record(method, params, False, error.description)
            return error.code, error.body()
        if method != "getUpdates":
            self.record(method, params, True, result)
        return 200, {"ok": True, "result": result}

    # -- what Telegram holds -------------------------------------------------------------------

    @property
    def commands(self) -> list[dict[str, Any]]:
        with self.changed:
            return list(self._commands)

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; its update_id."""
        with self.changed:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id} | update)
            self.changed.notify_all()
        return update_id

    def add_file(self, content: bytes, path: str) -> str:
        """Hold a file for getFile and the download; its file_id. Each gets its own path
        (`<file id>/<path>`), as on Telegram, where two uploads of one name never clash."""
        with self.changed:
            file_id = f"file{next(self._file_ids)}"
            self._files[file_id] = (f"{file_id}/{path}", content)
        return file_id

    def file_content(self, path: str) -> bytes | None:
        with self.changed:
            return next((c for p, c in self._files.values() if p == path), None)

    def wait_until_idle(self, *, timeout: float = 10.0, quiet: float = 0.3) -> None:
        """Until every update is confirmed and no call came for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while time.monotonic() < deadline:
                last = self._calls[-1].at if self._calls else 0.0
                if not self._updates and time.monotonic() - last >= quiet:
                    return
                self.changed.wait(quiet / 3)
        raise AssertionError(f"the bot was still busy after {timeout} s")

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        with self.changed:
            self._members[(chat_id, user_id)] = status

    def new_message(self, chat: dict[str, Any], sender: dict[str, Any]) -> dict[str, Any]:
        """A message with the chat's next id, not yet kept (see `remember`)."""
        with self.changed:
            counter = self._message_ids.setdefault(chat["id"], itertools.count(1))
            return {
                "message_id": next(counter),
                "date": int(time.time()),
                "chat": chat,
                "from": sender,
            }

    def remember(self, message: dict[str, Any]) -> dict[str, Any]:
        with self.changed:
            self._messages[(message["chat"]["id"], message["message_id"])] = message
        return message

    # -- the methods ---------------------------------------------------------------------------

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        with self.changed:
            self._polls += 1
            this_poll = self._polls
            self.changed.notify_all()  # a poll still waiting is ended by this one
            if offset:  # confirms every update before it, as Telegram does
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline and self.running:
                if self._polls != this_poll:  # two bots poll one token
                    raise ApiError(409, CONFLICT)
                self.changed.wait(min(0.5, deadline - time.monotonic()))
            return self._updates[:limit]

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._bot_message(params, {"text": checked_text(params, "text")})

    def _send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        name, content = params.get("document") or ("document", b"")
        file_id = self.add_file(content, f"documents/{name}")
        sent: dict[str, Any] = {
            "document": {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": name,
                "file_size": len(content),
            }
        }
        if params.get("caption"):
            sent["caption"] = checked_text(params, "caption", MAX_CAPTION)
        return self._bot_message(params, sent)

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        text = checked_text(params, "text")
        check_markup(params)
        if "inline_message_id" in params:
            return True
        key = (int(params["chat_id"]), int(params["message_id"]))
        with self.changed:
            message = self._messages.get(key)
            if message is None:
                raise ApiError(400, "Bad Request: message to edit not found")
            if message.get("text") == text and message.get("reply_markup") == params.get(
                "reply_markup"
            ):
                raise ApiError(400, "Bad Request: message is not modified")
            message = message | {"text": text, "edit_date": int(time.time())}
            message.pop("reply_markup", None)
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            self._messages[key] = message
            return message

    def _get_chat_member(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        with self.changed:
            status = self._members.get((chat_id, user_id), "member")
        return member(user(user_id), status)

    def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        with self.changed:
            found = self._files.get(str(params.get("file_id")))
        if found is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        path, content = found
        return {
            "file_id": params["file_id"],
            "file_unique_id": f"u{params['file_id']}",
            "file_size": len(content),
            "file_path": path,
        }

    def _answer_inline_query(self, params: dict[str, Any]) -> bool:
        results = params.get("results") or []
        if len(results) > MAX_INLINE_RESULTS:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        for result in results:
            checked_text(result.get("input_message_content") or {}, "message_text")
            check_markup(result)
        return True

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        with self.changed:
            self._commands = list(params.get("commands") or [])
        return True

    def _count_group_message(self, chat_id: int) -> None:
        """ApiError(429) if the group has had its fill of messages; else count one more."""
        now = time.monotonic()
        with self.changed:
            sent = [t for t in self._group_sends.get(chat_id, []) if t > now - self.group_window]
            check_group_flood(sent, now, limit=self.group_limit, window=self.group_window)
            self._group_sends[chat_id] = [*sent, now]

    def _bot_message(self, params: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        check_markup(params)
        chat_id = chat_id_of(params)
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id < 0:
            self._count_group_message(chat_id)
        message = self.new_message(chat_of(chat_id), BOT_USER) | content
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        replied = (params.get("reply_parameters") or {}).get("message_id")
        with self.changed:
            if replied and (chat_id, int(replied)) in self._messages:
                message["reply_to_message"] = self._messages[(chat_id, int(replied))]
        return self.remember(message)
