"""The Bot API stand-in's HTTP side: a small server on 127.0.0.1 that speaks the Bot API's JSON,
for `reportbot chat` and the tests. The bot reaches it through `TELEGRAM_API_BASE_URL`
(`standin.base_url`); the methods are in `methods.py`, Telegram's rules in `rules.py`, and the
users' side in `users.py`.

    with BotApiStandIn() as standin:
        ... build the bot with base_url=standin.base_url, base_file_url=standin.base_file_url
        standin.send_text("hello", user=ALICE)
        reply = standin.wait_for(lambda call: call.method == "sendMessage")

To change how requests are answered (a test's faults, a benchmark's timing), subclass it and
override `handle(method, params)`.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from bot.standin.rules import ApiError
from bot.standin.users import Users

# parameters that are text, never JSON, even when they look like a number
_TEXT_PARAMS = {"text", "caption", "query", "callback_query_id", "inline_query_id", "file_id"}


class BotApiStandIn(Users):
    """The stand-in server; thread-safe; a context manager that starts and stops it."""

    def __init__(self, *, token: str | None = None, first_update_id: int = 1) -> None:
        """`first_update_id`: Telegram numbers a bot's updates on from "a certain positive
        number", never the same one twice."""
        super().__init__()
        self.token = token  # None: accept any token
        self._update_ids = itertools.count(first_update_id)
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> BotApiStandIn:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.standin = self  # type: ignore[attr-defined]
        # stop() waits for the serving loop to look up, which it does every poll_interval
        serve = self._server.serve_forever
        threading.Thread(target=serve, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def stop(self) -> None:
        with self.changed:
            self.running = False
            self.changed.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

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
            content = standin.file_content(parts[2])
            self._answer(
                200 if content is not None else 404,
                b"Not Found" if content is None else content,
                "application/octet-stream",
            )
            return
        if len(parts) != 2 or not self._token_ok(standin, parts[0]):
            self._answer(401, json.dumps(ApiError(401, "Unauthorized").body()).encode())
            return
        params = {k: _decode(k, v) for k, v in parse_qsl(url.query)} | self._params(body)
        status, answer = standin.handle(parts[1], params)
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
