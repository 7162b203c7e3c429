"""A token refused with 404 (a base URL that is no Bot API, as api.telegram.org/bots/ would be)
stops `reportbot run` with one line naming the cause, exit status 2, and the token nowhere;
test_bot_running has the 401 of a revoked token."""

from __future__ import annotations

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from botprocess import CLI, BotProcess

from bot.standin import BotApiStandIn

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


def test_a_token_refused_with_404_is_one_line_without_the_token(
    standin: BotApiStandIn, web_server: str, library_db: Path
) -> None:
    env = BotProcess(standin, library_db, token=TOKEN).env
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
    assert done.stderr.startswith("reportbot: error: Telegram refused TELEGRAM_BOT_TOKEN (Not")
    assert TOKEN not in done.stderr and TOKEN.split(":")[1] not in done.stderr
