"""Downloading an upload with a cap: python-telegram-bot reads a whole file into memory, and
neither the message nor getFile has to say how large it is (or say it truly)."""

from __future__ import annotations

import httpx
from telegram import File

TIMEOUT = 30.0


async def download_at_most(file: File, limit: int) -> bytes | None:
    """The file's bytes, or None as soon as it runs past `limit` (the rest is never read)."""
    if (file.file_size or 0) > limit:
        return None
    data = bytearray()
    async with (
        httpx.AsyncClient(timeout=TIMEOUT) as client,
        client.stream("GET", str(file.file_path)) as response,
    ):
        response.raise_for_status()
        async for chunk in response.aiter_bytes():
            data += chunk
            if len(data) > limit:
                return None
    return bytes(data)
