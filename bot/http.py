"""python-telegram-bot's requests over aiohttp: the same Bot API calls at about a third of the
CPU that its default, httpx, spends on each (bench/requests.py measures both).

`AiohttpRequest` is a `telegram.request.BaseRequest`, PTB's documented place for another HTTP
library, and does what `HTTPXRequest` does: the same four timeouts and their defaults, a bounded
connection pool, no proxy from the environment, and failures raised as PTB's `TimedOut` and
`NetworkError`. aiohttp has no timeout for writing a request alone; its read timeout starts once
the request is written, so a stalled upload is bounded by the whole request's timeout instead.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

JSON_BODY = {"Content-Type": "application/json"}


class AiohttpRequest(BaseRequest):
    __slots__ = ("_connections", "_session", "_timeouts")

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._connections = connection_pool_size
        self._timeouts = {
            "read": read_timeout,
            "write": write_timeout,
            "connect": connect_timeout,
            "pool": pool_timeout,
            "media_write": media_write_timeout,
        }
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": self.USER_AGENT},
                trust_env=False,  # as PTB's: a proxy only when one is passed (we pass none)
                raise_for_status=False,  # BaseRequest reads the status itself
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        read = self._timeout(read_timeout, "read")
        write = self._timeout(write_timeout, "media_write" if files else "write")
        connect = self._timeout(connect_timeout, "connect")
        pool = self._timeout(pool_timeout, "pool")
        timeout = aiohttp.ClientTimeout(
            total=None if None in (read, write, connect, pool) else read + write + connect + pool,
            connect=None if None in (connect, pool) else connect + pool,  # a pooled connection
            sock_connect=connect,
            sock_read=read,
        )
        body: Any = None
        headers = None
        if files:  # as HTTPXRequest sends them: a form, each value a string (objects as JSON)
            body = aiohttp.FormData(request_data.json_parameters if request_data else None)
            for name, (filename, content, mime) in files.items():
                body.add_field(name, content, filename=filename, content_type=mime)
        elif request_data and request_data.parameters:
            # one JSON body, which the Bot API takes too: json.dumps is C, while form-encoding
            # quotes a reply's every byte in Python
            body, headers = json.dumps(request_data.parameters), JSON_BODY
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
            if isinstance(exc, aiohttp.ConnectionTimeoutError):
                raise TimedOut(
                    "Connect or pool timeout: no connection to Telegram was free or could be "
                    "made in time. The request was *not* sent to Telegram."
                ) from exc
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{exc.__class__.__name__}: {exc}") from exc

    def _timeout(self, given: ODVInput[float], name: str) -> float | None:
        return self._timeouts[name] if isinstance(given, DefaultValue) else given
