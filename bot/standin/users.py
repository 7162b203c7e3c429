"""Playing the users: what they write, upload, forward and press becomes an update for the bot."""

from __future__ import annotations

import itertools
import time
from typing import Any

from bot.standin.methods import BotApi
from bot.standin.people import BOT_USER, entities, member, private_chat


class Users(BotApi):
    """The Bot API, plus the users' side of the chats."""

    def __init__(self) -> None:
        super().__init__()
        self._query_ids = itertools.count(1)

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
        message = self.new_message(chat or private_chat(user), user) | {"text": text}
        found = entities(text)
        if found:
            message["entities"] = found
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return self.remember(message)

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
        message = self.new_message(chat or private_chat(user), user) | {"document": document}
        if caption is not None:
            message["caption"] = caption
        return self._queue(message)

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
        message = self.new_message(private_chat(user), user) | {
            "text": text,
            "forward_origin": origin,
        }
        return self._queue(message)

    def click(self, message: dict[str, Any], data: str, *, user: dict[str, Any]) -> str:
        """A user presses an inline button with callback `data` under the bot's `message`."""
        query_id = str(next(self._query_ids))
        query = {"id": query_id, "from": user, "message": message, "chat_instance": "1"}
        self.push_update({"callback_query": query | {"data": data}})
        return query_id

    def inline_query(self, query: str, *, user: dict[str, Any]) -> str:
        query_id = str(next(self._query_ids))
        self.push_update(
            {"inline_query": {"id": query_id, "from": user, "query": query, "offset": ""}}
        )
        return query_id

    def member_update(
        self, chat: dict[str, Any], *, by: dict[str, Any], old: str = "member", new: str = "left"
    ) -> None:
        """The bot's own membership in `chat` changes (my_chat_member), e.g. it is removed."""
        change = {
            "chat": chat,
            "from": by,
            "date": int(time.time()),
            "old_chat_member": member(BOT_USER, old),
            "new_chat_member": member(BOT_USER, new),
        }
        self.push_update({"my_chat_member": change})

    def _queue(self, message: dict[str, Any]) -> dict[str, Any]:
        self.push_update({"message": self.remember(message)})
        return message
