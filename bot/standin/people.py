"""The people and chats the stand-in plays: users, private chats, groups, their members, and the
entities Telegram marks in what they write."""

from __future__ import annotations

import re
from typing import Any

from bot.standin.rules import utf16_length

BOT_USER = {"id": 777000111, "is_bot": True, "first_name": "Report Bot", "username": "reportbot"}
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
_COMMAND_OR_MENTION = re.compile(r"(?:^/[A-Za-z0-9_]+(?:@\w+)?)|(?<!\w)@\w{3,}")


def user(user_id: int, first_name: str = "User", username: str | None = None) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": first_name} | (
        {"username": username} if username else {}
    )


def private_chat(of: dict[str, Any]) -> dict[str, Any]:
    return {"id": of["id"], "type": "private", "first_name": of["first_name"]}


def group_chat(chat_id: int, title: str = "Group") -> dict[str, Any]:
    return {"id": chat_id, "type": "supergroup" if chat_id < -(10**12) else "group", "title": title}


def chat_of(chat_id: int) -> dict[str, Any]:
    """The chat a bot's message to `chat_id` lands in."""
    return private_chat(user(chat_id)) if chat_id > 0 else group_chat(chat_id)


def member(who: dict[str, Any], status: str) -> dict[str, Any]:
    """A ChatMember of `status` (creator, administrator, member, restricted, left, kicked)."""
    found: dict[str, Any] = {"user": who, "status": status}
    if status == "creator":
        found["is_anonymous"] = False
    elif status == "administrator":
        found |= {"can_be_edited": False, "is_anonymous": False}
        found |= dict.fromkeys(_ADMIN_RIGHTS.split(), True)
    elif status == "restricted":
        found |= {"is_member": True, "until_date": 0} | dict.fromkeys(_MEMBER_RIGHTS.split(), True)
    elif status == "kicked":
        found["until_date"] = 0
    return found


def entities(text: str) -> list[dict[str, Any]]:
    """bot_command at the start and @mentions, with UTF-16 offsets as Telegram gives them."""
    return [
        {
            "type": "bot_command" if match.group(0).startswith("/") else "mention",
            "offset": utf16_length(text[: match.start()]),
            "length": utf16_length(match.group(0)),
        }
        for match in _COMMAND_OR_MENTION.finditer(text)
    ]
