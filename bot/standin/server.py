"""A Telegram Bot API stand-in: a small HTTP server on 127.0.0.1 that speaks the Bot API's JSON.

The real bot talks to it through `TELEGRAM_API_BASE_URL` (`standin.base_url`). It serves what our
bot calls (getMe, getUpdates with long polling and offsets, sendMessage, editMessageText,
answerCallbackQuery, answerInlineQuery, getChatMember, getFile and the file download,
sendDocument, setMyCommands, deleteWebhook, ...), checks messages the way Telegram does (HTML
parses, at most 4,096 characters, callback data at most 64 bytes), records every call, and lets
the caller play the users: `send_text`, `send_document`, `click`, `inline_query`, ...

Faults on cue, per method and/or per chat (`fail`): 403 Forbidden, 429 with retry_after,
400 migrate_to_chat_id, 500, 502, a dropped connection, a stall; once, n times, for ever, or at
random with a given rate. As Telegram does, a getUpdates still waiting when another comes is
answered 409 Conflict.

    with BotApiStandIn() as standin:
        ... build the bot with base_url=standin.base_url, base_file_url=standin.base_file_url
        standin.send_text("hello", user=ALICE)
        reply = standin.wait_for(lambda call: call.method == "sendMessage")
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import itertools
import json
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from bot.formatting import MAX_CALLBACK_DATA, MAX_MESSAGE, telegram_length

BOT_USER = {"id": 777000111, "is_bot": True, "first_name": "Report Bot", "username": "reportbot"}
FAULT_KINDS = (
    "forbidden",
    "retry_after",
    "migrate",
    "server_error",
    "bad_gateway",
    "drop",
    "stall",
)
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
# parameters that are text, never JSON, even when they look like a number
_TEXT_PARAMS = {"text", "caption", "query", "callback_query_id", "inline_query_id", "file_id"}
_TAGS = "b strong i em u ins s strike del a code pre span tg-spoiler blockquote tg-emoji"
_HTML_TOKEN = re.compile(
    r"<(/?)([a-zA-Z0-9-]*)([^>]*)>|&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);|[<>&]"
)
_ADMIN_RIGHTS = (
    "can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members "
    "can_promote_members can_change_info can_invite_users can_post_stories "
    "can_edit_stories can_delete_stories"
)
_MEMBER_RIGHTS = (
    "can_send_messages can_send_audios can_send_documents can_send_photos can_send_videos "
    "can_send_video_notes can_send_voice_notes can_send_polls can_send_other_messages "
    "can_add_web_page_previews can_change_info can_invite_users can_pin_messages "
    "can_manage_topics"
)
_ENTITY = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"'}


class ApiError(Exception):
    """An error answer: HTTP status, Telegram's description, optional `parameters`."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


@dataclass(frozen=True)
class Call:
    """One request the bot made, and what it got back."""

    method: str
    params: dict[str, Any]
    ok: bool
    result: Any
    at: float

    @property
    def chat_id(self) -> int | None:
        return _chat_id(self.params)

    @property
    def html(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def text(self) -> str:
        """The text as the user sees it (HTML parsed)."""
        return telegram_text(self.html) if self.params.get("parse_mode") == "HTML" else self.html

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


@dataclass
class Fault:
    kind: str
    method: str | None = None
    chat_id: int | None = None
    times: int | None = 1  # None: for ever
    rate: float = 1.0
    retry_after: int = 1
    migrate_to: int | None = None
    stall: float = 30.0

    def applies(self, method: str, chat_id: int | None, rng: random.Random) -> bool:
        return (
            (self.times is None or self.times > 0)
            and self.method in (None, method)
            and self.chat_id in (None, chat_id)
            and rng.random() < self.rate
        )


def telegram_text(html_text: str) -> str:
    """What Telegram shows for `html_text` in HTML parse mode; ApiError(400) where it would."""
    stack: list[str] = []
    plain: list[str] = []
    position = 0
    for match in _HTML_TOKEN.finditer(html_text):
        plain.append(html_text[position : match.start()])
        position = match.end()
        token = match.group(0)
        if token in "<>&":
            raise ApiError(400, f"Bad Request: can't parse entities: unescaped {token!r}")
        if not token.startswith("<"):
            plain.append(
                _ENTITY.get(token)
                or chr(int(token[3:-1], 16) if "x" in token else int(token[2:-1]))
            )
            continue
        closing, name = match.group(1), match.group(2).lower()
        if name not in _TAGS.split():
            raise ApiError(
                400, f'Bad Request: can\'t parse entities: Unsupported start tag "{name}"'
            )
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unmatched end tag "{name}"')
    if stack:
        raise ApiError(
            400, f"Bad Request: can't parse entities: Can't find end tag \"{stack[-1]}\""
        )
    plain.append(html_text[position:])
    return "".join(plain)


def user(user_id: int, first_name: str = "User", username: str | None = None) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": first_name} | (
        {"username": username} if username else {}
    )


def private_chat(of: dict[str, Any]) -> dict[str, Any]:
    return {"id": of["id"], "type": "private", "first_name": of["first_name"]}


def group_chat(chat_id: int, title: str = "Group") -> dict[str, Any]:
    return {"id": chat_id, "type": "supergroup" if chat_id < -(10**12) else "group", "title": title}


@dataclass
class _State:
    updates: list[dict[str, Any]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # file_id: (path, content)
    members: dict[tuple[int, int], str] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    commands: list[dict[str, Any]] = field(default_factory=list)
    get_updates_calls: int = 0


class BotApiStandIn:
    """The stand-in server; thread-safe; a context manager that starts and stops it."""

    def __init__(self, *, token: str | None = None, seed: int = 0) -> None:
        self.token = token  # None: accept any token
        self._state = _State()
        self._changed = threading.Condition()
        self._ids = itertools.count(1)
        self._message_ids: dict[int, Iterator[int]] = {}
        self._rng = random.Random(seed)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
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
            "getMyCommands": lambda params: self._state.commands,
            "getWebhookInfo": lambda params: {
                "url": "",
                "has_custom_certificate": False,
                "pending_update_count": 0,
            },
        }
        for method in (
            "answerCallbackQuery",
            "deleteWebhook",
            "setWebhook",
            "deleteMyCommands",
            "sendChatAction",
            "leaveChat",
            "close",
            "logOut",
        ):
            self._methods[method] = lambda params: True

    # -- running ---------------------------------------------------------------------------

    def start(self) -> BotApiStandIn:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.standin = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self._changed:
            self._changed.notify_all()

    def __enter__(self) -> BotApiStandIn:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "the stand-in is not running"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def base_url(self) -> str:
        """For TELEGRAM_API_BASE_URL / ApplicationBuilder.base_url (the token is appended)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    # -- playing the users -------------------------------------------------------------------

    def send_text(self, text: str, **where: Any) -> dict[str, Any]:
        """A user writes `text`: the message of `text_message(text, **where)`, queued for
        getUpdates."""
        message = self.text_message(text, **where)
        self.push_update({"message": message})
        return message

    def text_message(
        self,
        text: str,
        *,
        user: dict[str, Any],
        chat: dict[str, Any] | None = None,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A message of `user`'s (in their private chat unless `chat`), with the entities
        Telegram gives commands and @mentions; known to the chat, but not queued for getUpdates
        (a test of the webhook posts it itself)."""
        message = self._new_message(chat or private_chat(user), user) | {"text": text}
        entities = _entities(text)
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return self._remember(message)

    def send_document(
        self,
        content: bytes,
        file_name: str,
        *,
        user: dict[str, Any],
        chat: dict[str, Any] | None = None,
        caption: str | None = None,
        mime_type: str = "text/plain",
    ) -> dict[str, Any]:
        file_id = self.add_file(content, f"documents/{file_name}")
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        message = self._new_message(chat or private_chat(user), user) | {"document": document}
        if caption is not None:
            message["caption"] = caption
        return self._push_message(message)

    def forward_channel_post(
        self,
        text: str,
        *,
        user: dict[str, Any],
        channel_id: int = -1001000000001,
        channel_title: str = "News Channel",
        post_id: int = 1,
    ) -> dict[str, Any]:
        channel = {"id": channel_id, "type": "channel", "title": channel_title}
        origin = {
            "type": "channel",
            "chat": channel,
            "message_id": post_id,
            "date": int(time.time()),
        }
        message = self._new_message(private_chat(user), user) | {
            "text": text,
            "forward_origin": origin,
        }
        return self._push_message(message)

    def click(self, message: dict[str, Any], data: str, *, user: dict[str, Any]) -> str:
        """A user presses an inline button with callback `data` under the bot's `message`."""
        query_id = str(next(self._ids))
        self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user,
                    "message": message,
                    "chat_instance": "1",
                    "data": data,
                }
            }
        )
        return query_id

    def inline_query(self, query: str, *, user: dict[str, Any]) -> str:
        query_id = str(next(self._ids))
        self.push_update(
            {"inline_query": {"id": query_id, "from": user, "query": query, "offset": ""}}
        )
        return query_id

    def member_update(
        self, chat: dict[str, Any], *, by: dict[str, Any], old: str = "member", new: str = "left"
    ) -> None:
        """The bot's own membership in `chat` changes (my_chat_member), e.g. it is removed."""
        self.push_update(
            {
                "my_chat_member": {
                    "chat": chat,
                    "from": by,
                    "date": int(time.time()),
                    "old_chat_member": _member(BOT_USER, old),
                    "new_chat_member": _member(BOT_USER, new),
                }
            }
        )

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """What getChatMember answers: creator, administrator, member, restricted, left, kicked."""
        with self._changed:
            self._state.members[(chat_id, user_id)] = status

    def push_update(self, update: dict[str, Any]) -> int:
        with self._changed:
            update = {"update_id": next(self._ids)} | update
            self._state.updates.append(update)
            self._changed.notify_all()
            return update["update_id"]

    def add_file(self, content: bytes, path: str) -> str:
        """A file to download; each gets its own path (`<file id>/<path>`), as on Telegram,
        where two uploads of one name never clash."""
        with self._changed:
            file_id = f"file{next(self._ids)}"
            self._state.files[file_id] = (f"{file_id}/{path}", content)
            return file_id

    # -- faults ------------------------------------------------------------------------------

    def fail(self, kind: str, **where: Any) -> Fault:
        """Answer the next matching request(s) with a fault; see `Fault` for `where`."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULT_KINDS)}")
        fault = Fault(kind, **where)
        with self._changed:
            self._state.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._changed:
            self._state.faults.clear()

    # -- what the bot did --------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._changed:
            return list(self._state.calls)

    @property
    def commands(self) -> list[dict[str, Any]]:
        with self._changed:
            return list(self._state.commands)

    @property
    def pending_updates(self) -> int:
        """Updates the bot has not confirmed yet (the kill tests wait for it to reach 0)."""
        with self._changed:
            return len(self._state.updates)

    def delivered(self, chat_id: int | None = None, method: str | None = None) -> list[Call]:
        """Successful sendMessage/editMessageText/sendDocument calls, optionally for one chat."""
        methods = {method} if method else {"sendMessage", "editMessageText", "sendDocument"}
        return [
            call
            for call in self.calls
            if call.ok and call.method in methods and chat_id in (None, call.chat_id)
        ]

    def wait_for(
        self, predicate: Callable[[Call], bool], *, timeout: float = 10.0, after: int = 0
    ) -> Call:
        """The first call (from index `after`) matching `predicate`; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = next((c for c in self._state.calls[after:] if predicate(c)), None)
                remaining = deadline - time.monotonic()
                if found is not None:
                    return found
                if remaining <= 0:
                    raise AssertionError(
                        f"no matching call within {timeout} s; calls: {self._state.calls[after:]}"
                    )
                self._changed.wait(remaining)

    def wait_for_reply(self, chat_id: int, *, timeout: float = 10.0, after: int = 0) -> Call:
        return self.wait_for(
            lambda c: c.ok and c.chat_id == chat_id and c.method in {"sendMessage", "sendDocument"},
            timeout=timeout,
            after=after,
        )

    def wait_until_idle(self, *, timeout: float = 10.0, quiet: float = 0.3) -> None:
        """Until every update is confirmed and no call came for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while time.monotonic() < deadline:
                last = self._state.calls[-1].at if self._state.calls else 0.0
                if not self._state.updates and time.monotonic() - last >= quiet:
                    return
                self._changed.wait(quiet / 3)
        raise AssertionError(f"the bot was still busy after {timeout} s")

    # -- the API -----------------------------------------------------------------------------

    def _handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
        """(status, body); body None means drop the connection without answering."""
        chat_id = _chat_id(params)
        fault = self._take_fault(method, chat_id)
        if fault is not None:
            if fault.kind == "drop":
                return 0, None
            if fault.kind == "stall":
                time.sleep(fault.stall)
                return 0, None
            error = _fault_error(fault, chat_id)
            self._record(Call(method, params, False, error.description, time.monotonic()))
            return error.code, _error_body(error)
        function = self._methods.get(method)
        try:
            if function is None:
                raise ApiError(404, "Not Found: method not found")
            result = function(params)
        except ApiError as error:
            self._record(Call(method, params, False, error.description, time.monotonic()))
            return error.code, _error_body(error)
        if method != "getUpdates":
            self._record(Call(method, params, True, result, time.monotonic()))
        return 200, {"ok": True, "result": result}

    def _take_fault(self, method: str, chat_id: int | None) -> Fault | None:
        with self._changed:
            for fault in self._state.faults:
                if fault.applies(method, chat_id, self._rng):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def _record(self, call: Call) -> None:
        with self._changed:
            self._state.calls.append(call)
            self._changed.notify_all()

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        with self._changed:
            self._state.get_updates_calls += 1
            this_call = self._state.get_updates_calls
            self._changed.notify_all()  # a poll still waiting is ended by this one
            if offset:  # confirms every update before it, as Telegram does
                self._state.updates = [u for u in self._state.updates if u["update_id"] >= offset]
            while not self._state.updates and time.monotonic() < deadline and self._server:
                if self._state.get_updates_calls != this_call:  # two bots poll one token
                    raise ApiError(409, CONFLICT)
                self._changed.wait(min(0.5, deadline - time.monotonic()))
            return self._state.updates[:limit]

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        text = _checked_text(params, "text")
        return self._bot_message(params, {"text": text})

    def _send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        name, content = params.get("document") or ("document", b"")
        file_id = self.add_file(content, f"documents/{name}")
        extra: dict[str, Any] = {
            "document": {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": name,
                "file_size": len(content),
            }
        }
        if params.get("caption"):
            extra["caption"] = _checked_text(params, "caption")
        return self._bot_message(params, extra)

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        text = _checked_text(params, "text")
        _check_markup(params)
        if "inline_message_id" in params:
            return True
        key = (int(params["chat_id"]), int(params["message_id"]))
        with self._changed:
            message = self._state.messages.get(key)
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
            self._state.messages[key] = message
            return message

    def _get_chat_member(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        with self._changed:
            status = self._state.members.get((chat_id, user_id), "member")
        return _member(user(user_id), status)

    def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._changed:
            found = self._state.files.get(str(params.get("file_id")))
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
        if len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        for result in results:
            content = result.get("input_message_content") or {}
            _checked_text(content, "message_text")
            _check_markup(result)
        return True

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        with self._changed:
            self._state.commands = list(params.get("commands") or [])
        return True

    def _file_content(self, path: str) -> bytes | None:
        with self._changed:
            return next((c for p, c in self._state.files.values() if p == path), None)

    def _new_message(self, chat: dict[str, Any], sender: dict[str, Any]) -> dict[str, Any]:
        with self._changed:
            counter = self._message_ids.setdefault(chat["id"], itertools.count(1))
            return {
                "message_id": next(counter),
                "date": int(time.time()),
                "chat": chat,
                "from": sender,
            }

    def _push_message(self, message: dict[str, Any]) -> dict[str, Any]:
        self.push_update({"message": self._remember(message)})
        return message

    def _remember(self, message: dict[str, Any]) -> dict[str, Any]:
        with self._changed:
            self._state.messages[(message["chat"]["id"], message["message_id"])] = message
        return message

    def _bot_message(self, params: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        _check_markup(params)
        chat_id = int(params["chat_id"])
        chat = private_chat(user(chat_id)) if chat_id > 0 else group_chat(chat_id)
        message = self._new_message(chat, BOT_USER) | content
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        replied = (params.get("reply_parameters") or {}).get("message_id")
        with self._changed:
            if replied and (chat_id, int(replied)) in self._state.messages:
                message["reply_to_message"] = self._state.messages[(chat_id, int(replied))]
            self._state.messages[(chat_id, message["message_id"])] = message
        return message


def _chat_id(params: dict[str, Any]) -> int | None:
    chat_id = str(params.get("chat_id", ""))
    return int(chat_id) if chat_id.lstrip("-").isdigit() else None


def _checked_text(params: dict[str, Any], key: str) -> str:
    text = str(params.get(key) or "")
    shown = telegram_text(text) if params.get("parse_mode") == "HTML" else text
    if not shown.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if telegram_length(shown) > MAX_MESSAGE:
        raise ApiError(400, "Bad Request: message is too long")
    return text


def _check_markup(params: dict[str, Any]) -> None:
    for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            if len(str(button.get("callback_data", "")).encode()) > MAX_CALLBACK_DATA:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def _fault_error(fault: Fault, chat_id: int | None) -> ApiError:
    if fault.kind == "forbidden":
        return ApiError(403, "Forbidden: bot was kicked from the group chat")
    if fault.kind == "retry_after":
        return ApiError(
            429,
            f"Too Many Requests: retry after {fault.retry_after}",
            {"retry_after": fault.retry_after},
        )
    if fault.kind == "migrate":
        new_id = fault.migrate_to or -(10**12) - abs(chat_id or 1)
        return ApiError(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": new_id},
        )
    if fault.kind == "bad_gateway":
        return ApiError(502, "Bad Gateway")
    return ApiError(500, "Internal Server Error")


def _error_body(error: ApiError) -> dict[str, Any]:
    body: dict[str, Any] = {"ok": False, "error_code": error.code, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return body


def _member(who: dict[str, Any], status: str) -> dict[str, Any]:
    member: dict[str, Any] = {"user": who, "status": status}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member |= {"can_be_edited": False, "is_anonymous": False} | dict.fromkeys(
            _ADMIN_RIGHTS.split(),
            True,
        )
    elif status == "restricted":
        member |= {"is_member": True, "until_date": 0} | dict.fromkeys(
            _MEMBER_RIGHTS.split(),
            True,
        )
    elif status == "kicked":
        member["until_date"] = 0
    return member


def _entities(text: str) -> list[dict[str, Any]]:
    """bot_command at the start and @mentions, with UTF-16 offsets as Telegram gives them."""
    entities = []
    for match in re.finditer(r"(?:^/[A-Za-z0-9_]+(?:@\w+)?)|(?<!\w)@\w{3,}", text):
        kind = "bot_command" if match.group(0).startswith("/") else "mention"
        entities.append(
            {
                "type": kind,
                "offset": telegram_length(text[: match.start()]),
                "length": telegram_length(match.group(0)),
            }
        )
    return entities


def _decode(key: str, value: str) -> Any:
    if key in _TEXT_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The head and the body go out as two writes: with Nagle's algorithm the body waits for
    # the client's delayed ACK of the head, some 40 ms a reply that Telegram does not take.
    disable_nagle_algorithm = True
    server: ThreadingHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the URL path holds the token."""

    def do_GET(self) -> None:
        self._serve(b"")

    def do_POST(self) -> None:
        self._serve(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _serve(self, body: bytes) -> None:
        standin: BotApiStandIn = self.server.standin  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        parts = unquote(url.path).strip("/").split("/", 2)
        if parts[0] == "file" and len(parts) == 3 and self._token_ok(standin, parts[1]):
            content = standin._file_content(parts[2])
            self._answer(
                200 if content is not None else 404,
                b"Not Found" if content is None else content,
                "application/octet-stream",
            )
            return
        if len(parts) != 2 or not self._token_ok(standin, parts[0]):
            self._answer(401, json.dumps(_error_body(ApiError(401, "Unauthorized"))).encode())
            return
        params = {k: _decode(k, v) for k, v in parse_qsl(url.query)} | self._params(body)
        status, answer = standin._handle(parts[1], params)
        if answer is None:
            self.close_connection = True
            self.connection.close()
            return
        self._answer(status, json.dumps(answer).encode())

    @staticmethod
    def _token_ok(standin: BotApiStandIn, part: str) -> bool:
        return part.startswith("bot") and standin.token in (None, part[3:])

    def _params(self, body: bytes) -> dict[str, Any]:
        kind = self.headers.get("Content-Type", "")
        if kind.startswith("application/json"):
            return json.loads(body or b"{}")
        if kind.startswith("multipart/form-data"):
            head = f"Content-Type: {kind}\r\n\r\n".encode()
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
            params: dict[str, Any] = {}
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                if part.get_filename():
                    params[name] = (part.get_filename(), payload)
                else:
                    params[name] = _decode(name, payload.decode())
            return params
        return {k: _decode(k, v) for k, v in parse_qsl(body.decode())}

    def _answer(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(ConnectionError):  # the bot hung up, e.g. stopping mid-poll
            self.wfile.write(body)
