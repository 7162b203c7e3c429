"""A token Telegram refuses (401: revoked; 404: the base URL is no Bot API server) stops
`reportbot run` with one line naming the cause, exit status 2, and the token nowhere."""

from __future__ import annotations

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from botprocess import CLI, BotProcess

from bot.standin.server import BotApiStandIn

TOKEN = "987654321:REVOKED-token-that-must-never-be-printed"


class _NotFound(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = b'{"ok":false,"error_code":404,"description":"Not Found"}'
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def web_server():
    """A path that is no Bot API (as api.telegram.org/bots/ would be): Telegram's 404."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/bot"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("answer", ["401", "404"])
def test_a_refused_token_is_one_line_without_the_token(
    answer: str, standin: BotApiStandIn, web_server: str, library_db: Path
) -> None:
    env = BotProcess(standin, library_db, token=TOKEN).env  # the stand-in knows another token
    if answer == "404":
        env["TELEGRAM_API_BASE_URL"] = web_server
    done = subprocess.run(
        [sys.executable, "-c", CLI, "run", "--db", str(library_db)],
        cwd=library_db.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("reportbot: error: the Bot API at ")
    assert ("Unauthorized" if answer == "401" else "Not Found") in done.stderr
    assert TOKEN not in done.stderr and TOKEN.split(":")[1] not in done.stderr
